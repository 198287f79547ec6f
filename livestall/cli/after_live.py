"""`livestall live slips` and `livestall live ship-export`: print and ship from the live's database.

The same functions as the host console's buttons (``server.services.slips``), run against the
database file or URL directly, so they work while the server is stopped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from livestall.cli.output import console
from server.carriers.export import CARRIERS, get_carrier
from server.orders.states import READY_TO_SHIP
from server.services.slips import carrier_file, slips_document
from server.slips.pdf import html_to_pdf
from server.slips.render import PAPER_SIZES, Paper
from server.store import migrate, open_engine
from server.store.engine import sqlite_url
from studio.errors import InputError, OutputError
from studio.paths import data_dir

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="LIVESTALL_DB_URL",
        help="SQLAlchemy URL of the live database; default: live.sqlite in the data folder.",
    ),
]
StateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--state", help=f"Order states to include (repeat); default: {', '.join(READY_TO_SHIP)}."
    ),
]


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write ({exc.strerror})", hint="choose another --out"
        ) from exc


def slips(
    out: Annotated[
        Path, typer.Option("--out", help="Output file: .pdf, or .html to print from a browser.")
    ],
    db: DbOption = "",
    paper: Annotated[str, typer.Option("--paper", help="a6 (label) or a5 (slip).")] = "a6",
    state: StateOption = None,
) -> None:
    """Print packing slips (one page per order) for orders ready to ship."""
    if paper not in PAPER_SIZES:
        raise InputError(f"no paper size {paper!r}", hint=f"choose one of {', '.join(PAPER_SIZES)}")
    chosen: Paper = "a5" if paper == "a5" else "a6"
    is_pdf = out.suffix.lower() == ".pdf"
    engine = open_engine(db or sqlite_url(data_dir() / "live.sqlite"))
    try:
        migrate(engine)
        with engine.connect() as conn:
            page = slips_document(
                conn, states=tuple(state or READY_TO_SHIP), paper=chosen, is_for_pdf=is_pdf
            )
    finally:
        engine.dispose()
    count = page.count('<section class="slip">')
    _write(out, html_to_pdf(page) if is_pdf else page.encode("utf-8"))
    console.print(f"[green]✓[/] {count} slip(s) → {out}")


def ship_export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    db: DbOption = "",
    carrier: Annotated[
        str, typer.Option("--carrier", help=f"Column layout: {', '.join(CARRIERS)}.")
    ] = "ghn",
    state: StateOption = None,
    weight_g: Annotated[
        int, typer.Option("--weight-g", min=1, help="Parcel weight (grams).")
    ] = 500,
) -> None:
    """Export orders ready to ship in a carrier's bulk-import columns (UTF-8 CSV with BOM)."""
    layout = get_carrier(carrier)
    engine = open_engine(db or sqlite_url(data_dir() / "live.sqlite"))
    try:
        migrate(engine)
        with engine.connect() as conn:
            data = carrier_file(
                conn, layout, states=tuple(state or READY_TO_SHIP), weight_g=weight_g
            )
    finally:
        engine.dispose()
    rows = data.decode("utf-8-sig").count("\r\n") - 1
    _write(out, data)
    console.print(f"[green]✓[/] {rows} order(s) in {layout.title} → {out}")
