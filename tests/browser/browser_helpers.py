"""Constants shared by the browser tests and their fixtures (a unique module name: every
folder's conftest is called `conftest`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from server.app import build_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir

HOST_TOKEN = "browser-host-token"
INGEST_TOKEN = "browser-ingest-token"
CATALOG_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê Quảng Ninh", price: 159000, sale_price: 129000, currency: VND,
     stock: 6, photos: [photo.jpg]}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 500}
"""


@contextmanager
def page_catalog_server(folder: Path) -> Iterator[RunningServer]:
    """A live server on loopback selling `CATALOG_YAML` (with its photo) from `folder`."""
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", folder / "photo.jpg")
    (folder / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    app = build_app(
        folder / "catalog.yaml",
        f"sqlite:///{folder / 'live.sqlite'}",
        data_dir=folder / "data",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    running = start_in_thread(app)
    try:
        yield running
    finally:
        running.stop()
