"""A studio server on 127.0.0.1 (its own data folder) and one headless Chromium per module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from chromium import CHROMIUM
from studio_web_helpers import (
    HOST_TOKEN,
    MAX_FILES,
    MAX_UPLOAD_BYTES,
    STUDIO_HEADERS,
    BrowserThread,
)

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir

CATALOG_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê Quảng Ninh", price: 159000, sale_price: 129000, currency: VND,
     stock: 6, photos: [coffee-cup.jpg]}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 50,
     photos: [coffee-cup.jpg]}
"""


@pytest.fixture(scope="module")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("studio")
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", folder / "coffee-cup.jpg")
    (folder / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    app = build_studio_app(
        folder / "catalog.yaml",
        data_dir=folder / "data",
        host_token=HOST_TOKEN,
        ingest_token="studio-ingest-token",
        max_upload_bytes=MAX_UPLOAD_BYTES,
        max_files=MAX_FILES,
    )
    running = start_in_thread(app)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def client(studio_server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=studio_server.url, headers=STUDIO_HEADERS, timeout=60) as http:
        yield http


@pytest.fixture(scope="module")
def browser_thread() -> Iterator[BrowserThread]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    thread = BrowserThread()
    thread.launch(sync_api)
    try:
        yield thread
    finally:
        thread.close()
