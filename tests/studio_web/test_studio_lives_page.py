"""The go-live tab in real headless Chromium: a new live asks first (in the seller's language)
and says what stays; the earlier live stays listed with its orders, CSV and packing slips; the
test order shows as a test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from studio_web_helpers import HOST_TOKEN, BrowserThread

from server.serve import RunningServer

pytestmark = [pytest.mark.browser]

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
INGEST = {"Authorization": "Bearer studio-ingest-token"}


@pytest.fixture(scope="module")
def page(browser_thread: BrowserThread, studio_server: RunningServer) -> Iterator[Any]:
    def open_page() -> Any:
        context = browser_thread.browser.new_context(viewport={"width": 1100, "height": 900})
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda e: opened.errors.append(str(e)))
        opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        return opened

    opened = browser_thread.run(open_page)
    yield opened
    browser_thread.run(opened.context.close)


def _place_cod_order(client: httpx.Client) -> str:
    comment = {"platform": "youtube", "comment_id": "p1", "user_id": "lan", "user_name": "Lan"}
    answer = client.post("/api/comments", json={**comment, "text": "chốt B3"}, headers=INGEST)
    order_id = answer.json()["order"]["id"]
    moved = client.post(f"/api/orders/{order_id}/state", json={"state": "cod"}, headers=HOST)
    assert moved.status_code == 200, moved.text
    return str(moved.json()["code"])


def _new_live_asks_first_and_the_earlier_live_stays(
    page: Any, server: RunningServer, client: httpx.Client
) -> None:
    first = client.get("/studio/api/live").json()["session_id"]
    code = _place_cod_order(client)
    page.goto(f"{server.url}/studio?lang=vi#live")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(f"#orders tbody tr:has-text('{code}')")

    # The dialog says, in Vietnamese, what stays; "Quay lại" changes nothing.
    page.fill("#live-title", "Live tối")
    page.click("#live-start")
    page.wait_for_selector("#live-confirm[open]")
    text = page.text_content("#live-confirm-text") or ""
    assert "Các đơn của live trước vẫn được giữ: 1 đơn, 1 đơn chưa thanh toán" in text
    assert page.text_content("#live-confirm-yes") == "Bắt đầu live mới"
    page.click("#live-confirm-no")
    page.wait_for_selector("#live-confirm", state="hidden")
    assert client.get("/studio/api/live").json()["session_id"] == first

    page.click("#live-start")
    page.wait_for_selector("#live-confirm[open]")
    page.click("#live-confirm-yes")
    page.wait_for_function(
        "first => document.querySelector('#lives tbody tr').dataset.live !== String(first)",
        arg=first,
    )
    assert client.get("/studio/api/live").json()["session_id"] != first
    page.wait_for_selector("#orders tbody tr", state="detached")  # the new live has no orders

    # The earlier live is still there: its order, its CSV and its packing slips.
    page.click(f"#lives tbody tr[data-live='{first}'] button.show-orders")
    page.wait_for_selector(f"#orders tbody tr:has-text('{code}')")
    assert "Đơn hàng của" in (page.text_content("#orders-heading") or "")
    csv_href = page.get_attribute("#orders-csv", "href")
    slips_href = page.get_attribute("#orders-slips", "href")
    assert csv_href == f"/studio/api/live/orders.csv?live={first}"
    assert code in client.get(csv_href).content.decode("utf-8-sig")
    assert code in client.get(slips_href).text

    # The test order is shown as one, in the current live.
    page.click("#live-test")
    page.wait_for_selector("#orders tbody tr.is-test .badge")
    assert page.text_content("#orders tbody tr.is-test .badge") == "Đơn thử"
    assert page.errors == []


def test_new_live_asks_first_and_the_earlier_live_stays(
    browser_thread: BrowserThread,
    page: Any,
    studio_server: RunningServer,
    client: httpx.Client,
) -> None:
    browser_thread.run(_new_live_asks_first_and_the_earlier_live_stays, page, studio_server, client)
