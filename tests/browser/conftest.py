"""One headless Debian Chromium for every browser test, and a live server to point it at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import page_catalog_server
from chromium import CHROMIUM, CHROMIUM_ARGS

from server.serve import RunningServer


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
    with page_catalog_server(tmp_path_factory.mktemp("browser-live")) as running:
        yield running
