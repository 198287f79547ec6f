"""Hold with a deadline in the host console (real Chromium): the cart shows under "Nhắc thanh
toán" with its reminder ready, then its line is released and the row says so."""

from __future__ import annotations

from typing import Any

import httpx
from browser_helpers import HOST_TOKEN, INGEST_TOKEN

from server.serve import RunningServer

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
HOLD_S = 8


def test_reminder_then_release_in_the_console(browser: Any, page_server: RunningServer) -> None:
    saved = httpx.put(
        f"{page_server.url}/api/carts/hold", json={"hold": f"{HOLD_S}s"}, headers=HOST
    )
    assert saved.status_code == 200, saved.text
    answer = httpx.post(
        f"{page_server.url}/api/comments",
        json={
            "platform": "tiktok",
            "comment_id": "hold-1",
            "user_id": "hold-u1",
            "user_name": "Đỗ Thu",
            "text": "chốt A12",
        },
        headers={"Authorization": f"Bearer {INGEST_TOKEN}"},
        timeout=10,
    ).json()
    code = answer["cart"]["code"]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{page_server.url}/host")
        page.fill("#token", HOST_TOKEN)
        page.click("#login button[type=submit]")
        page.wait_for_selector("#console:not([hidden])")
        page.locator("#hold-state", has_text=f"đang giữ {HOLD_S}s").wait_for()
        reminder = page.locator(f"#reminders li[data-cart='{code}']")
        reminder.wait_for(timeout=HOLD_S * 1000)
        assert reminder.locator("[data-action=copy-reminder]").count() == 1
        head = page.locator(f"#orders tr.cart-head[data-cart='{code}']")
        head.locator(".released", has_text="đã nhả 1 món").wait_for(timeout=HOLD_S * 2000)
        page.locator(
            f"#orders tr.status-cancelled[data-order='{answer['order']['id']}']"
        ).wait_for()
        assert page.locator(f"#reminders li[data-cart='{code}']").count() == 0
        assert errors == []
    finally:
        page.close()
        httpx.put(f"{page_server.url}/api/carts/hold", json={"hold": "0"}, headers=HOST)
