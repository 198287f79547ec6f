"""`livestall photos`: marketplace-ready product photos: cutout, clean, presets."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress as RichProgress
from rich.progress import TaskID
from rich.table import Table

from livestall.cli.output import console, err_console, print_json, progress_bar
from studio.models.registry import DEFAULT_MODEL
from studio.photos.batch import Progress
from studio.photos.pipeline import CleanOptions, CutoutOptions, cutout_batch, run_batch
from studio.photos.presets import DEFAULT_PRESETS, PRESETS, parse_background
from studio.photos.report import BatchReport, PhotoResult, report_to_dict

app = typer.Typer(
    help="Marketplace-ready product photos: cutout, clean, presets.", no_args_is_help=True
)


class ShadowChoice(StrEnum):
    """--shadow values."""

    contact = "contact"
    drop = "drop"
    none = "none"


class FormatChoice(StrEnum):
    """--format values."""

    jpg = "jpg"
    png = "png"
    webp = "webp"


class EngineChoice(StrEnum):
    """--engine values."""

    isnet = "isnet"
    classic = "classic"


InputsArg = Annotated[
    list[Path], typer.Argument(help="Photos and/or folders (searched recursively).")
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
ModelOpt = Annotated[str, typer.Option(help="Model for the isnet engine.")]
EngineOpt = Annotated[EngineChoice, typer.Option(help="Matte engine.")]
AllowClassicOpt = Annotated[
    bool,
    typer.Option(
        "--allow-classic", help="Fall back to the classic engine if no model is installed."
    ),
]
RefineOpt = Annotated[bool, typer.Option("--refine", help="Refine the matte's edges (slower).")]
JobsOpt = Annotated[int, typer.Option(min=1, max=16, help="Worker threads beside the model.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Redo photos whose outputs are newer.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


@app.command("cutout")
def cutout(
    inputs: InputsArg,
    out: OutOpt,
    mask_only: Annotated[
        bool, typer.Option("--mask-only", help="Write the 8-bit mask instead of RGBA.")
    ] = False,
    model: ModelOpt = DEFAULT_MODEL,
    engine: EngineOpt = EngineChoice.isnet,
    allow_classic: AllowClassicOpt = False,
    refine: RefineOpt = False,
    jobs: JobsOpt = 2,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Remove the background: OUT/<stem>.png, same size as the input, matte as alpha."""
    options = CutoutOptions(
        out_dir=out,
        is_mask_only=mask_only,
        engine=engine.value,
        model=model,
        allow_classic=allow_classic,
        is_refined=refine,
        jobs=jobs,
        force=force,
    )
    with progress_bar(is_quiet=as_json) as bar:
        task = bar.add_task("cutout", total=None)
        report = cutout_batch(inputs, options, on_progress=_updater(bar, task))
    _finish(report, as_json=as_json)


@app.command("clean")
def clean(
    inputs: InputsArg,
    out: OutOpt,
    preset: Annotated[
        list[str] | None,
        typer.Option(
            "--preset", "-p", help=f"Preset (repeatable). Default: {', '.join(DEFAULT_PRESETS)}."
        ),
    ] = None,
    bg: Annotated[
        str | None, typer.Option("--bg", help="Background: transparent, white, #RRGGBB, R,G,B.")
    ] = None,
    shadow: Annotated[ShadowChoice | None, typer.Option(help="Shadow under the product.")] = None,
    fill: Annotated[
        float | None, typer.Option(min=0.1, max=1.0, help="Share of the frame the product fills.")
    ] = None,
    size: Annotated[
        int | None, typer.Option("--size", min=64, max=8000, help="Canvas longer side, px.")
    ] = None,
    image_format: Annotated[
        FormatChoice | None, typer.Option("--format", help="Output format.")
    ] = None,
    no_enhance: Annotated[
        bool, typer.Option("--no-enhance", help="Keep the photo's colours as shot.")
    ] = False,
    jobs: JobsOpt = 2,
    model: ModelOpt = DEFAULT_MODEL,
    engine: EngineOpt = EngineChoice.isnet,
    allow_classic: AllowClassicOpt = False,
    refine: RefineOpt = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Make marketplace-ready photos: OUT/<preset>/<stem>.<ext>, report.json, contact-sheet.jpg."""
    options = CleanOptions(
        out_dir=out,
        presets=tuple(preset) if preset else DEFAULT_PRESETS,
        background=parse_background(bg) if bg is not None else "keep",
        shadow=shadow.value if shadow is not None else None,
        fill=fill,
        size_px=size,
        image_format=image_format.value if image_format is not None else None,
        is_enhanced=not no_enhance,
        engine=engine.value,
        model=model,
        allow_classic=allow_classic,
        is_refined=refine,
        jobs=jobs,
        force=force,
    )
    with progress_bar(is_quiet=as_json) as bar:
        task = bar.add_task("clean", total=None)
        report = run_batch(inputs, options, on_progress=_updater(bar, task))
    _finish(report, as_json=as_json)


@app.command("presets")
def presets(as_json: JsonOpt = False) -> None:
    """List the presets and the marketplace rules they follow."""
    if as_json:
        print_json(
            [
                {
                    "name": p.name,
                    "label": p.label,
                    "aspect": list(p.aspect) if p.aspect else None,
                    "size_px": p.size_px,
                    "background": list(p.background) if p.background else "transparent",
                    "fill": p.fill,
                    "format": p.format,
                    "quality": p.quality,
                    "max_bytes": p.max_bytes,
                    "shadow": p.shadow,
                    "rule": p.rule,
                    "source": p.source,
                }
                for p in PRESETS.values()
            ]
        )
        return
    table = Table(title="Photo presets")
    for column in ("preset", "canvas", "background", "fill", "format", "max size", "rule"):
        table.add_column(column)
    for p in PRESETS.values():
        canvas = f"{p.aspect[0]}:{p.aspect[1]}, {p.size_px} px" if p.aspect else "tight crop"
        background = "#{:02x}{:02x}{:02x}".format(*p.background) if p.background else "transparent"
        limit = f"{p.max_bytes / 1024 / 1024:g} MB" if p.max_bytes else "-"
        table.add_row(p.name, canvas, background, f"{p.fill:.0%}", p.format.upper(), limit, p.rule)
    console.print(table)


def _updater(bar: RichProgress, task: TaskID) -> Callable[[Progress], None]:
    """Move the bar and print one line per failed photo as it happens."""

    def update(progress: Progress) -> None:
        bar.update(task, completed=progress.done, total=progress.total)
        if progress.result.status == "failed":
            _print_failure(progress.result)

    return update


def _print_failure(result: PhotoResult) -> None:
    err_console.print(f"[bold red]failed[/] [dim]{result.code}[/] {result.reason}", soft_wrap=True)


def _finish(report: BatchReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report_to_dict(report))
    else:
        counts = report.counts()
        for result in report.results:
            for warning in result.warnings:
                err_console.print(
                    f"[yellow]note[/] {result.source.name}: {warning}", soft_wrap=True
                )
        for error in report.errors:
            err_console.print(f"[bold red]error[/] {error}", soft_wrap=True)
        done = counts["ok"]
        rate = f", {done / report.total_s:.2f} photos/s" if report.total_s > 0 and done else ""
        console.print(
            f"[green]✓[/] {counts['ok']} done, {counts['skipped']} skipped, "
            f"[{'red' if counts['failed'] else 'green'}]{counts['failed']} failed[/] "
            f"in {report.total_s:.1f} s{rate} (engine: {report.engine})"
        )
        if report.report_path is not None:
            console.print(f"  report: {report.report_path}")
        if report.contact_sheet is not None:
            console.print(f"  contact sheet: {report.contact_sheet}")
    if not report.is_ok:
        raise typer.Exit(code=1)
