"""A live server on loopback selling the labelled sets' catalog (`tests/data/vocab/catalog.yaml`:
numeric codes, nicknames, a size chart), for the order-capture tests of the API and the pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from server.app import build_app
from server.serve import RunningServer, start_in_thread

VOCAB_CATALOG = Path(__file__).resolve().parent / "data" / "vocab" / "catalog.yaml"


@dataclass(frozen=True)
class VocabShop:
    """The running server, its own copy of the catalog (the seller may save words into it) and
    its SQLite file."""

    running: RunningServer
    catalog: Path
    db_path: Path


@contextmanager
def vocab_shop(folder: Path, *, host_token: str, ingest_token: str) -> Iterator[VocabShop]:
    """Start the server in `folder`; stop it when the block ends."""
    catalog = folder / "shop" / "catalog.yaml"
    catalog.parent.mkdir(parents=True)
    shutil.copy(VOCAB_CATALOG, catalog)
    db_path = folder / "live.sqlite"
    app = build_app(
        catalog,
        f"sqlite:///{db_path}",
        data_dir=folder / "data",
        host_token=host_token,
        ingest_token=ingest_token,
    )
    running = start_in_thread(app)
    try:
        yield VocabShop(running, catalog, db_path)
    finally:
        running.stop()
