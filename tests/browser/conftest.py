"""One headless Debian Chromium for every browser test, and a live server to point it at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import CATALOG_YAML, HOST_TOKEN, INGEST_TOKEN
from chromium import CHROMIUM, CHROMIUM_ARGS

from server.app import build_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir


# Module scope, not session: Playwright's sync API keeps an event loop running on this thread
# while it is open, and tests that call asyncio.run() later in the run would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def page_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("browser-live")
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
