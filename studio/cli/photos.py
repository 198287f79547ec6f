"""`livestall photos`: Marketplace-ready product photos: cutout, clean, presets."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Marketplace-ready product photos: cutout, clean, presets.", no_args_is_help=True
)
