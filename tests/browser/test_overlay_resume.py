"""The overlay and viewer pages after a drop too long to replay: the server sends a snapshot with
the recent events, and the page rebuilds to what a page connected all along shows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_helpers import HOST_TOKEN, INGEST_TOKEN, page_catalog_server

from server.serve import RunningServer
from server.ws import RESUME_MAX_EVENTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
INGEST = {"Authorization": f"Bearer {INGEST_TOKEN}"}
FEED = """() => [...document.querySelectorAll('#feed .comment')].map(
  (row) => [row.querySelector('.user').textContent, row.querySelector('.text').textContent])"""


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[RunningServer]:
    with page_catalog_server(tmp_path) as running:
        yield running


def post_comments(server: RunningServer, ids: range) -> None:
    with httpx.Client(base_url=server.url, headers=INGEST, timeout=60) as client:
        for start in range(ids.start, ids.stop, 200):
            bodies = [
                {
                    "platform": "test",
                    "comment_id": f"c{i}",
                    "user_id": f"u{i}",
                    "user_name": f"Khách {i}",
                    "text": "B3 x1" if i % 50 == 0 else f"đẹp quá {i}",
                }
                for i in range(start, min(start + 200, ids.stop))
            ]
            client.post("/api/comments", json=bodies).raise_for_status()


def test_pages_rebuild_from_the_snapshot_after_a_long_drop(
    browser: Any, fresh_server: RunningServer, tmp_path: Path
) -> None:
    httpx.post(f"{fresh_server.url}/api/products/A12/pin", headers=HOST).raise_for_status()
    overlay = f"{fresh_server.url}/overlay?lang=vi"
    along = browser.new_page(viewport={"width": 1920, "height": 1080})
    along.goto(overlay)
    viewer_along = browser.new_page()
    viewer_along.goto(f"{fresh_server.url}/viewer?lang=vi")
    dropped = browser.new_page(viewport={"width": 1920, "height": 1080})
    sockets: list[Any] = []
    is_held = [False]

    def route(socket: Any) -> None:
        sockets.append(socket)
        if not is_held[0]:
            socket.connect_to_server()  # held: the page's socket stays open and silent

    dropped.route_web_socket("**/ws/overlay*", route)
    dropped.goto(overlay)
    for page in (along, dropped):
        page.wait_for_selector("#card:not([hidden])")
    # no order before the drop: a toast it raised would still be up when a fast run ends
    post_comments(fresh_server, range(1, 4))
    dropped.wait_for_function("() => document.querySelectorAll('#feed .comment').length === 3")

    is_held[0] = True
    sockets[-1].close()  # the connection drops; the page reconnects into a silent socket
    dropped.wait_for_function("() => document.body.dataset.socket === 'open'")
    post_comments(fresh_server, range(4, RESUME_MAX_EVENTS + 300))
    with sqlite3.connect(tmp_path / "live.sqlite") as db:
        last_seq = str(db.execute("SELECT max(seq) FROM events").fetchone()[0])
    seq_before_drop = dropped.evaluate("document.body.dataset.seq")
    along.wait_for_function(f"() => document.body.dataset.seq === '{last_seq}'", timeout=60_000)
    assert int(last_seq) - int(seq_before_drop) > RESUME_MAX_EVENTS
    is_held[0] = False
    sockets[-1].close()  # back: it resumes with ?since=<seq before>, too far to replay
    dropped.wait_for_function(f"() => document.body.dataset.seq === '{last_seq}'")
    viewer_late = browser.new_page()
    viewer_late.goto(f"{fresh_server.url}/viewer?lang=vi")
    viewer_late.wait_for_function("() => document.querySelectorAll('#feed .comment').length > 0")

    assert dropped.evaluate(FEED) == along.evaluate(FEED)
    assert len(along.evaluate(FEED)) == 8 and along.evaluate(FEED)[-1][1].startswith("đẹp quá")
    assert dropped.locator(".toast").count() == 0  # past orders raise no toast
    for selector in ("#card-sku", "#card-stock"):
        assert dropped.text_content(selector) == along.text_content(selector)
    assert viewer_late.evaluate(FEED) == viewer_along.evaluate(FEED)
    assert len(viewer_late.evaluate(FEED)) == 50
    for page in (along, viewer_along, dropped, viewer_late):
        page.close()
