"""The bare address keeps its query string: ``/?lang=ar`` opens the studio in Arabic."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from studio_web_helpers import BrowserThread

from server.serve import RunningServer


@pytest.mark.parametrize(
    ("asked", "location"),
    [
        ("/", "/studio"),
        ("/?lang=ar", "/studio?lang=ar"),
        ("/?lang=en&x=1%202", "/studio?lang=en&x=1%202"),
    ],
)
def test_the_bare_address_keeps_its_query(client: httpx.Client, asked: str, location: str) -> None:
    answer = client.get(asked, follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == location


def _open(browser: Any, url: str) -> tuple[str, str, str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        return (
            page.url,
            page.evaluate("document.documentElement.dir"),
            page.evaluate("document.documentElement.lang"),
        )
    finally:
        context.close()


@pytest.mark.browser
def test_chromium_opens_the_studio_in_arabic_from_the_bare_address(
    browser_thread: BrowserThread, studio_server: RunningServer
) -> None:
    url, direction, lang = browser_thread.run(
        _open, browser_thread.browser, f"{studio_server.url}/?lang=ar"
    )
    assert url.endswith("/studio?lang=ar") and direction == "rtl" and lang == "ar"
