"""`livestall clip`: promo videos with price overlays, from a spec, a photo or a catalog."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID

from livestall.cli.output import console, err_console, print_json, progress_bar
from studio.catalog import load_catalog
from studio.clips.pipeline import ClipProgress, ClipReport, render_catalog, render_clip
from studio.clips.spec import ClipSpec
from studio.clips.templates import DEFAULT_TEMPLATE, quick_spec, read_brand, template_info
from studio.money import parse_amount

app = typer.Typer(help="Promo clips with price overlays.", no_args_is_help=True)

Aspect = Annotated[
    str, typer.Option("--aspect", help="9:16 (TikTok, Reels, Shorts), 1:1 (feed) or 16:9.")
]
Locale = Annotated[
    str, typer.Option("--locale", help="Language of texts and prices: vi, en or ar.")
]
Platform = Annotated[
    str,
    typer.Option("--platform", help="Safe zones to keep text out of: tiktok, reels, shorts, none."),
]
Template = Annotated[
    str,
    typer.Option("--template", help="Built-in template (`clip templates` lists six) or a file."),
]
Preview = Annotated[
    bool, typer.Option("--preview", help="Small and fast (360 px, 15 fps), for checking.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Length = Annotated[
    float | None,
    typer.Option("--length", help="Total seconds (15, 30, 60); scenes are fitted to it."),
]
Brand = Annotated[
    Path | None, typer.Option("--brand", help="Brand kit file (logo, colours, shop name).")
]
Raw = Annotated[bool, typer.Option("--raw", help="Show the photo as shot, not cut out.")]


def _render_with_bar(
    spec: ClipSpec | Path, out: Path, *, is_preview: bool, is_quiet: bool
) -> ClipReport:
    with progress_bar(is_quiet=is_quiet) as bar:
        task = bar.add_task(out.name, total=None)

        def update(progress: ClipProgress) -> None:
            bar.update(task, completed=progress.frames_done, total=progress.frames_total)

        return render_clip(spec, out, is_preview=is_preview, on_progress=update)


def _show(report: ClipReport, *, is_json: bool) -> None:
    if is_json:
        print_json(
            {
                **report.to_json(),
                "video": str(report.video),
                "poster": str(report.poster),
                "sidecar": str(report.sidecar),
            }
        )
        return
    speed = report.duration_s / report.render_s if report.render_s else 0.0
    console.print(
        f"[green]✓[/] {report.video}  {report.width}x{report.height} {report.fps} fps, "
        f"{report.duration_s:.1f} s{' + music' if report.has_audio else ''} "
        f"(rendered in {report.render_s:.1f} s, {speed:.1f}x real time)"
    )
    console.print(f"  poster {report.poster.name}, details {report.sidecar.name}")


@app.command("render")
def render(
    spec: Annotated[Path, typer.Argument(help="Clip spec (YAML or JSON).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="MP4 file to write (its folder must exist).")
    ],
    preview: Preview = False,
    as_json: AsJson = False,
) -> None:
    """Render a clip spec to an MP4 (plus a poster JPEG and a JSON sidecar)."""
    _show(_render_with_bar(spec, out, is_preview=preview, is_quiet=as_json), is_json=as_json)


@app.command("quick")
def quick(
    photos: Annotated[list[Path], typer.Argument(help="One or more photos of the product.")],
    title: Annotated[str, typer.Option("--title", help="Product name shown on the clip.")],
    price: Annotated[str, typer.Option("--price", help="Price, e.g. 199000 or 199.000.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="MP4 file to write.")],
    sale_price: Annotated[
        str | None, typer.Option("--sale-price", help="Sale price (old price is struck through).")
    ] = None,
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code.")] = "VND",
    aspect: Aspect = "9:16",
    locale: Locale = "vi",
    platform: Platform = "tiktok",
    template: Template = DEFAULT_TEMPLATE,
    length: Length = None,
    brand: Brand = None,
    raw: Raw = False,
    music: Annotated[
        str | None, typer.Option("--music", help="Bundled loop (upbeat, chill, hype) or none.")
    ] = None,
    voice: Annotated[
        Path | None, typer.Option("--voice", help="Voice-over file; the music ducks under it.")
    ] = None,
    preview: Preview = False,
    as_json: AsJson = False,
) -> None:
    """Make a one-product clip from photos (the product cut out, unless --raw)."""
    spec = quick_spec(
        photos,
        title=title,
        price=_amount(price, "--price"),
        sale_price=_amount(sale_price, "--sale-price") if sale_price else None,
        currency=currency,
        aspect=aspect,
        locale=locale,
        platform=platform,
        template=template,
        length_s=length,
        brand=read_brand(brand) if brand else None,
        source="raw" if raw else "cleaned",
        music=music,
        voice=voice,
    )
    _show(_render_with_bar(spec, out, is_preview=preview, is_quiet=as_json), is_json=as_json)


def _amount(text: str, option: str) -> Decimal:
    return parse_amount(text, field=option)


@app.command("catalog")
def catalog(
    catalog_file: Annotated[Path, typer.Argument(metavar="CATALOG", help="Catalog (YAML or CSV).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for <SKU>.mp4 files (created if missing).")
    ],
    template: Template = DEFAULT_TEMPLATE,
    aspect: Aspect = "9:16",
    locale: Locale = "vi",
    platform: Platform = "tiktok",
    sku: Annotated[
        list[str] | None, typer.Option("--sku", help="Only these SKUs (repeatable).")
    ] = None,
    collection: Annotated[
        bool, typer.Option("--collection", help="Also one clip with every product.")
    ] = False,
    length: Length = None,
    brand: Brand = None,
    raw: Raw = False,
    preview: Preview = False,
    as_json: AsJson = False,
) -> None:
    """Make one clip per catalog product (and optionally one for the whole collection)."""
    shop = load_catalog(catalog_file)
    with progress_bar(is_quiet=as_json) as bar:
        tasks: dict[str, TaskID] = {}

        def update(progress: ClipProgress) -> None:
            if progress.clip not in tasks:
                tasks[progress.clip] = bar.add_task(progress.clip, total=progress.frames_total)
            bar.update(tasks[progress.clip], completed=progress.frames_done)

        report = render_catalog(
            shop, out, template=template, aspect=aspect, locale=locale, platform=platform,
            skus=sku or (), has_collection=collection, is_preview=preview, on_progress=update,
            length_s=length, brand=read_brand(brand) if brand else None,
            source="raw" if raw else "cleaned",
        )  # fmt: skip
    if as_json:
        print_json(
            [
                {
                    "sku": i.sku,
                    "video": str(i.report.video) if i.report else None,
                    "error": i.error.to_dict() if i.error else None,
                }
                for i in report.items
            ]
        )
    else:
        for item in report.items:
            if item.report is not None:
                console.print(f"[green]✓[/] {item.sku}: {item.report.video}")
            else:
                err_console.print(f"[red]✗[/] {item.sku}: {item.error}")
    if report.failed:
        raise typer.Exit(code=max(e.error.exit_code for e in report.failed if e.error is not None))


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of clip specs (for editors and the web studio)."""
    typer.echo(json.dumps(ClipSpec.model_json_schema(), ensure_ascii=False, indent=2))


@app.command("templates")
def templates(as_json: AsJson = False) -> None:
    """List the built-in templates (with --json: their look, motion, music)."""
    if as_json:
        print_json(template_info())
        return
    for info in template_info():
        console.print(f"[bold]{info['name']}[/]  {info['description']}")
