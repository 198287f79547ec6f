"""`livestall live`: Live sale server: comments in, orders out, OBS overlay."""

from __future__ import annotations

import typer

from studio.cli import bridge

app = typer.Typer(
    help="Live sale server: comments in, orders out, OBS overlay.", no_args_is_help=True
)
# Platform bridges live in their own module (studio/cli/bridge.py); keep these two lines.
app.command("bridge")(bridge.bridge)
app.command("replay")(bridge.replay)
