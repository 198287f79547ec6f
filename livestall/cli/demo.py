"""`livestall demo`: run the main jobs on the bundled samples and say where the results are.

1. photos: the sample photos cleaned into the Shopee preset and a transparent cut-out;
2. clips: one promo clip per sample product plus a collection clip;
3. live: a live-sale server on 127.0.0.1 fed a recorded chat; the orders it took, as CSV.

Each step calls the same pipeline functions as its own command (`photos clean`,
`clip catalog`, `live serve` + `live replay`).
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.table import Table

from livestall.cli.output import console, progress_bar
from server.app import build_app
from server.bridges import read_recording
from server.bridges.body import CommentBody
from server.bridges.client import ClientOptions
from server.bridges.replay import replay_comments
from server.serve import start_in_thread
from studio.catalog import Catalog, load_catalog, save_catalog
from studio.clips.pipeline import render_catalog
from studio.money import format_price
from studio.paths import assets_dir, sample_catalog_path, sample_photos_dir
from studio.photos.pipeline import CleanOptions, run_batch


def demo(
    out: Annotated[Path, typer.Option(help="Folder for everything the demo makes.")] = Path(
        "demo-out"
    ),
    skip_clips: Annotated[bool, typer.Option("--skip-clips", help="Do not render clips.")] = False,
) -> None:
    """Run the demo on the bundled sample photos, catalog and chat."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    photos_dir = _demo_photos(out / "photos")
    catalog = _catalog_with_cutouts(photos_dir / "transparent", out / "catalog.yaml")
    clips_dir = None if skip_clips else _demo_clips(catalog, out / "clips")
    live_dir = _demo_live(out / "live")
    console.print(f"\n[bold green]✓ demo finished in {time.perf_counter() - started:.0f} s[/]")
    console.print(f"  photos  {photos_dir}  (contact-sheet.jpg shows before/after)")
    if clips_dir is not None:
        console.print(f"  clips   {clips_dir}  (one .mp4 per product + collection.mp4)")
    console.print(f"  live    {live_dir}  (orders.csv, live.sqlite)")
    console.print("Next: [bold]livestall studio[/] opens the web studio at http://127.0.0.1:8000")


def _demo_photos(folder: Path) -> Path:
    console.rule("1 · photos: marketplace-ready product photos")
    with progress_bar() as bar:
        task = bar.add_task("photos clean", total=None)
        report = run_batch(
            [sample_photos_dir()],
            CleanOptions(out_dir=folder, presets=("shopee", "transparent"), force=True),
            on_progress=lambda p: bar.update(task, completed=p.done, total=p.total),
        )
    for result in report.results:
        mark = "[green]ok[/]" if result.status == "ok" else f"[red]{result.status}[/]"
        console.print(
            f"  {mark} {result.source.name} → {', '.join(str(o.path.name) for o in result.outputs)}"
        )
    return folder.resolve()


def _catalog_with_cutouts(cutouts: Path, out: Path) -> Path:
    """Write the sample catalog with each photo replaced by its cut-out, when there is one."""
    catalog = load_catalog(sample_catalog_path())
    products = []
    for product in catalog.products:
        photos = []
        for index in range(len(product.photos)):
            original = catalog.photo_path(product, index)
            assert original is not None
            cutout = cutouts / f"{original.stem}.png"
            photos.append(str(cutout if cutout.is_file() else original))
        products.append(product.model_copy(update={"photos": tuple(photos)}))
    return save_catalog(Catalog(products=tuple(products)), out)


def _demo_clips(catalog: Path, folder: Path) -> Path:
    console.rule("2 · clips: promo videos with prices")
    with progress_bar() as bar:
        task = bar.add_task("clip catalog", total=None)
        report = render_catalog(
            catalog,
            folder,
            has_collection=True,
            on_progress=lambda p: bar.update(
                task, completed=p.frames_done, total=p.frames_total, description=p.clip
            ),
        )
    for item in report.items:
        state = "[green]ok[/]" if item.error is None else f"[red]{item.error}[/]"
        console.print(f"  {state} {item.sku}")
    return folder.resolve()


def _demo_live(folder: Path) -> Path:
    console.rule("3 · live: comments in, orders out")
    if folder.exists():
        shutil.rmtree(folder)  # a fresh live session each time the demo runs
    folder.mkdir(parents=True)
    host_token, ingest_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    app = build_app(
        sample_catalog_path(),
        f"sqlite:///{folder / 'live.sqlite'}",
        data_dir=folder,
        host_token=host_token,
        ingest_token=ingest_token,
    )
    running = start_in_thread(app)
    try:
        console.print(f"  server  {running.url}  (overlay: {running.url}/overlay)")
        _pin_first_product(running.url, host_token)
        chat = assets_dir() / "chat" / "demo.jsonl"
        _, items = read_recording(chat, "auto")
        comments = [item for item in items if isinstance(item, CommentBody)]
        options = ClientOptions(server_url=running.url, token=ingest_token)
        replayed = asyncio.run(replay_comments(comments, options, speed=0, give_up_s=20))
        console.print(
            f"  replayed {replayed.sent} comments: {replayed.orders} orders, "
            f"{replayed.duplicate} duplicates, {replayed.rejected} rejected"
        )
        _show_orders(running.url, host_token, folder)
    finally:
        running.stop()
    return folder.resolve()


def _pin_first_product(url: str, host_token: str) -> None:
    first = load_catalog(sample_catalog_path()).products[0]
    response = httpx.post(
        f"{url}/api/products/{first.sku}/pin",
        headers={"Authorization": f"Bearer {host_token}"},
        timeout=10,
    )
    response.raise_for_status()
    console.print(f"  pinned  {first.sku} {first.name}")


def _show_orders(url: str, host_token: str, folder: Path) -> None:
    headers = {"Authorization": f"Bearer {host_token}"}
    orders = httpx.get(f"{url}/api/orders", headers=headers, timeout=10).json()
    table = Table(title="Orders taken from the chat")
    for column in ("#", "buyer", "product", "variant", "qty", "price", "status"):
        table.add_column(column)
    for order in orders:
        variant = " / ".join(v for v in (order["size"], order["color"]) if v) or "—"
        price = format_price(order["unit_price"], order["currency"], "vi")
        table.add_row(
            str(order["id"]),
            order["user_name"],
            order["sku"],
            variant,
            str(order["qty"]),
            price,
            order["status"],
        )
    console.print(table)
    csv = httpx.get(f"{url}/api/orders.csv", headers=headers, timeout=10)
    csv.raise_for_status()
    (folder / "orders.csv").write_bytes(csv.content)
