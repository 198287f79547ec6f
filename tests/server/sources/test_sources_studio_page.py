"""The go-live tab in Chromium: connect the Facebook Page, pick its live, and see the source's
health turn live; a comment then counts, and the token never shows on the page.

With ``LIVESTALL_SCREENSHOTS=<folder>`` the tab is also photographed at 1366 and 390 px wide in
Vietnamese and Arabic (to look at, not compared).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from conftest import wait_until
from fakes import PAGE_ID, PAGE_NAME, TOKEN, FakeGraph, FakeSsn, Served
from live_helpers import HOST_TOKEN, INGEST_TOKEN, write_catalog

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from server.services.source_listen import SupervisorOptions

WAIT_MS = 30_000
SILENCE_S = 3.0
# Count the beeps: every oscillator the page starts (the alert's sound, WebAudio).
COUNT_BEEPS = """
window.__beeps = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) { window.__beeps += 1; return start.apply(this, args); };
"""


@pytest.fixture
def studio(
    tmp_path: Path, graph: tuple[FakeGraph, Served], ssn_relay: FakeSsn
) -> Iterator[RunningServer]:
    app = build_studio_app(
        write_catalog(tmp_path / "shop"),
        data_dir=tmp_path / "data",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    app.state.sources.options = SupervisorOptions(
        graph_url=graph[1].url,
        streaming_url=graph[1].url,
        ssn_server=ssn_relay.url,
        base_backoff_s=0.3,
        silence_s=SILENCE_S,
    )
    running = start_in_thread(app)
    try:
        yield running
    finally:
        graph[0].is_stopped = True
        running.stop()


@pytest.fixture
def page() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.add_init_script(COUNT_BEEPS)
            yield page
        finally:
            browser.close()


def test_connect_the_page_pick_the_live_and_see_it_live(
    studio: RunningServer, page: Any, graph: tuple[FakeGraph, Served], ssn_relay: FakeSsn
) -> None:
    fake = graph[0]
    page.goto(f"{studio.url}/studio?lang=en#live")
    page.wait_for_selector("body[data-ready=true]", timeout=WAIT_MS)
    page.fill("#fb-page-id", PAGE_ID)
    page.fill("#fb-token", TOKEN)
    page.click("#fb-form button[type=submit]")
    page.wait_for_selector(f"#fb-page-name:has-text('{PAGE_NAME}')", timeout=WAIT_MS)
    assert page.input_value("#fb-token") == ""
    page.wait_for_selector("#fb-lives-list button", timeout=WAIT_MS)
    page.click("#fb-lives-list button")
    live = page.wait_for_selector("li.source[data-state=live]", timeout=WAIT_MS)
    assert "Live" in live.inner_text()
    fake.write("Lan", "chốt SP01")
    page.wait_for_selector("li.source:has-text('1 comments')", timeout=WAIT_MS)
    assert TOKEN not in page.content()
    # A second source from the other platforms' form.
    page.select_option("#source-kind", "ssn")
    page.fill("#source-target", "shop-session")
    page.click("#source-form button[type=submit]")
    wait_until(lambda: ssn_relay.is_connected, "the SSN relay connection")
    page.wait_for_selector("li.source[data-state=live] >> nth=1", timeout=WAIT_MS)
    ssn_relay.say("Mai", "chốt B3")
    page.wait_for_selector(
        "li.source:has-text('Social Stream Ninja'):has-text('1 comments')", timeout=WAIT_MS
    )
    # The host console's header shows the same health once the host is logged in.
    page.goto(f"{studio.url}/host")
    page.fill("#token", HOST_TOKEN)
    page.click("#login button[type=submit]")
    chips = page.wait_for_selector(
        "#sources-health:has(.source-chip[data-state=live] + .source-chip[data-state=live])",
        timeout=WAIT_MS,
    )
    assert "Facebook" in chips.inner_text() and TOKEN not in page.content()
    folder = os.environ.get("LIVESTALL_SCREENSHOTS")
    if folder:
        shoot(page, studio.url, Path(folder), fake, ssn_relay)


def shoot(page: Any, url: str, folder: Path, fake: FakeGraph, relay: FakeSsn) -> None:
    """Photograph the tab: both sources live, then the Facebook one silent (the alert)."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("vi", "ar"):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{url}/studio?lang={lang}#live")
            page.wait_for_selector("body[data-ready=true]", timeout=WAIT_MS)
            for number in range(3):
                relay.say(f"v{number}", "còn hàng không shop")
            page.wait_for_selector("li.source >> nth=1", timeout=WAIT_MS)
            page.wait_for_timeout(2500)  # one more poll: what the seller sees
            page.screenshot(path=str(folder / f"go-live-{lang}-{width}.png"), full_page=True)
            page.goto(f"{url}/host")
            page.evaluate(f"localStorage.setItem('livestall.lang', '{lang}')")
            page.reload()
            page.wait_for_selector(".source-chip >> nth=1", timeout=WAIT_MS)
            page.screenshot(path=str(folder / f"host-{lang}-{width}.png"))


def test_missed_comments_are_listed_and_taken_in_one_click(
    studio: RunningServer, page: Any, graph: tuple[FakeGraph, Served], tmp_path: Path
) -> None:
    fake = graph[0]
    page.goto(f"{studio.url}/studio?lang=vi#live")
    page.wait_for_selector("body[data-ready=true]", timeout=WAIT_MS)
    page.fill("#fb-page-id", PAGE_ID)
    page.fill("#fb-token", TOKEN)
    page.click("#fb-form button[type=submit]")
    page.wait_for_selector("#fb-lives-list button", timeout=WAIT_MS)
    page.click("#fb-lives-list button")
    page.wait_for_selector("li.source[data-state=live]", timeout=WAIT_MS)
    fake.write("Lan", "chốt SP01")
    fake.write("An", "chốt B3 x2", is_streamed=False)  # Facebook never streamed it
    page.wait_for_selector("li.source:has-text('1 bình luận')", timeout=WAIT_MS)
    page.click("li.source button:has-text('Tìm bình luận bị sót')")
    row = page.wait_for_selector("#reconcile-table tbody tr", timeout=WAIT_MS)
    assert "chốt B3 x2" in row.inner_text() and "B3 x2" in row.inner_text()
    assert "bị sót 1" in page.inner_text("#reconcile-summary")
    page.click("#reconcile-take")
    page.wait_for_selector("#reconcile-summary:has-text('bị sót 0')", timeout=WAIT_MS)
    assert page.locator("#reconcile-table").is_hidden()
    # The host console's header chip opens the same check: nothing is missing any more.
    page.goto(f"{studio.url}/host")
    page.fill("#token", HOST_TOKEN)
    page.click("#login button[type=submit]")
    page.click("#sources-health .source-chip", timeout=WAIT_MS)
    page.click("#sources-panel button:has-text('Tìm bình luận bị sót')", timeout=WAIT_MS)
    page.wait_for_selector("#sources-summary:has-text('đã nhận 2, bị sót 0')", timeout=WAIT_MS)
    with sqlite3.connect(tmp_path / "data" / "live.sqlite") as conn:
        taken = conn.execute("SELECT sku, qty FROM orders WHERE sku = 'B3'").fetchall()
    assert taken == [("B3", 2)]
