"""`livestall models`: provision and list background-removal models."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from livestall.cli.output import console, print_json, progress_bar
from studio.models import MODELS, get_model, installed_models, pull_model
from studio.models.pull import DownloadProgress, u2net_home
from studio.models.registry import DEFAULT_MODEL
from studio.models.trim import runnable_model

app = typer.Typer(
    help="Provision background-removal models (offline once pulled).", no_args_is_help=True
)


@app.command("pull")
def pull(
    model: Annotated[str, typer.Option(help="Model name.")] = DEFAULT_MODEL,
    offline: Annotated[bool, typer.Option("--offline", help="Never touch the network.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Fetch the model into $U2NET_HOME (default ~/.u2net), verify its sha256, keep it there."""
    spec = get_model(model)
    with progress_bar(is_quiet=as_json) as bar:
        task = bar.add_task(f"{spec.name}", total=None)

        def show(progress: DownloadProgress) -> None:
            bar.update(
                task,
                completed=progress.done_bytes,
                total=progress.total_bytes or None,
                description=f"{spec.name} ← {progress.source}",
            )

        found = pull_model(spec, is_offline=offline, on_progress=show)
        runnable = runnable_model(found.path)  # made now, not on the first photo
    if as_json:
        print_json(
            {
                "name": found.name,
                "path": str(found.path),
                "size_bytes": found.size_bytes,
                "source": found.source,
                "checksum": found.checksum,
                "runs": str(runnable),
            }
        )
        return
    console.print(
        f"[green]✓[/] {found.name}: {found.path} ({found.size_bytes / 1e6:.1f} MB, "
        f"sha256 ok, from {found.source})"
    )


@app.command("list")
def list_models(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """Show which models are installed, their size, source and checksum status."""
    found = installed_models(list(MODELS.values()))
    if as_json:
        print_json(
            [
                {
                    "name": m.name,
                    "path": str(m.path),
                    "size_bytes": m.size_bytes,
                    "source": m.source,
                    "checksum": m.checksum,
                }
                for m in found
            ]
        )
        return
    table = Table(title=f"Models in {u2net_home()}")
    for column in ("model", "size", "source", "checksum", "path"):
        table.add_column(column)
    for m in found:
        colour = {"ok": "green", "mismatch": "red", "missing": "yellow"}[m.checksum]
        size = f"{m.size_bytes / 1e6:.1f} MB" if m.size_bytes else "—"
        table.add_row(m.name, size, m.source or "—", f"[{colour}]{m.checksum}[/]", str(m.path))
    console.print(table)
