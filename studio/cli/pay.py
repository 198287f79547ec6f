"""`livestall pay`: payment QR codes and payment matching after the live."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Payment QR codes (VietQR) and bank-statement matching.", no_args_is_help=True
)
