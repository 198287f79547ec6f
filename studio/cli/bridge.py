"""`livestall live bridge` and `livestall live replay`: comments from platforms into a live server."""

from __future__ import annotations

import typer


def bridge() -> None:
    """Forward comments from a platform (YouTube, TikTok, Facebook, Social Stream Ninja)."""
    raise typer.Exit(1)


def replay() -> None:
    """Feed a recorded chat into a running live server."""
    raise typer.Exit(1)
