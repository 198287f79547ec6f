"""Constants shared by the studio tests and their fixtures (a unique module name, unlike conftest)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from chromium import CHROMIUM, CHROMIUM_ARGS

T = TypeVar("T")

STUDIO_HEADERS = {"X-Livestall": "studio"}
MAX_UPLOAD_BYTES = 200_000  # the sample photo is 71 KB
MAX_FILES = 3
HOST_TOKEN = "studio-host-token"
# The catalog of the import tests (API and page): three products, one with a photo.
SHOP_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê", price: 199000, currency: VND, stock: 6,
     photos: [coffee-cup.jpg]}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 50}
  - {sku: C7, name: "Nón lá Huế", price: 90000, currency: VND, stock: 12}
"""


class BrowserThread:
    """One headless Chromium driven from its own thread.

    Playwright's sync API allows one instance per thread, and tests/browser keeps one open on
    the main thread for each of its modules; ours lives on a thread of its own, and every page
    action runs there through `run`.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-browser")
        self._playwright: Any = None
        self.browser: Any = None

    def run(self, work: Callable[..., T], *args: Any) -> T:
        """Run `work(*args)` on the browser's thread and return (or raise) what it did."""
        return self._pool.submit(work, *args).result()

    def launch(self, sync_api: Any) -> None:
        """Start Playwright and Chromium on the browser's thread."""

        def start() -> None:
            self._playwright = sync_api.sync_playwright().start()
            self.browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )

        self.run(start)

    def close(self) -> None:
        """Close Chromium and Playwright, then the thread."""

        def stop() -> None:
            if self.browser is not None:
                self.browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        self.run(stop)
        self._pool.shutdown()
