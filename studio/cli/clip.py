"""`livestall clip`: Promo clips with price overlays."""

from __future__ import annotations

import typer

app = typer.Typer(help="Promo clips with price overlays.", no_args_is_help=True)
