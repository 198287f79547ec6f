"""The host console shows carts in the real Chromium: one head row per buyer with the buyer
book's badge, the lines under it, the buyer's card one click away; vi and ar, desktop and phone.

Set ``LIVESTALL_SHOTS=<folder>`` to keep the screenshots for a look.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_helpers import HOST_TOKEN, INGEST_TOKEN

from server.serve import RunningServer

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
INGEST = {"Authorization": f"Bearer {INGEST_TOKEN}"}


def _say(server: RunningServer, comment_id: str, text: str, user: str, name: str) -> Any:
    return httpx.post(
        f"{server.url}/api/comments",
        json={
            "platform": "facebook",
            "comment_id": comment_id,
            "user_id": user,
            "user_name": name,
            "text": text,
        },
        headers=INGEST,
        timeout=10,
    ).json()


@pytest.fixture(scope="module")
def two_lives(page_server: RunningServer) -> dict[str, str]:
    """Lan's parcel came back in the first live; in the second she, Minh and Hoa order."""
    first = _say(page_server, "k1", "chốt B3", "fb-lan", "Trần Thị Lan")
    code = first["cart"]["code"]
    for state in ("cod", "packed", "shipped", "returned"):
        httpx.post(f"{page_server.url}/api/carts/{code}/state", json={"state": state}, headers=HOST)
    minh = _say(page_server, "k2", "chốt A12", "fb-minh", "Phạm Văn Minh")["cart"]["code"]
    for state in ("paid", "packed", "shipped", "delivered"):
        httpx.post(f"{page_server.url}/api/carts/{minh}/state", json={"state": state}, headers=HOST)
    started = httpx.post(f"{page_server.url}/api/sessions", json={"title": "Buổi 2"}, headers=HOST)
    assert started.status_code == 201
    lan = _say(page_server, "k3", "chốt B3", "fb-lan", "Trần Thị Lan")
    _say(page_server, "k4", "chốt A12 x2", "fb-lan", "Trần Thị Lan")
    _say(page_server, "k5", "chốt A12", "fb-minh", "Phạm Văn Minh")
    hoa = _say(page_server, "k6", "chốt B3", "fb-hoa", "Lê Hoa")
    return {"lan": lan["cart"]["code"], "hoa": hoa["cart"]["code"]}


def _open(browser: Any, server: RunningServer, lang: str, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.add_init_script(f"localStorage.setItem('livestall.lang', '{lang}')")
    page.goto(f"{server.url}/host")
    page.fill("#token", HOST_TOKEN)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#console:not([hidden])")
    return page


def test_carts_with_badges_and_the_buyer_card(
    browser: Any, page_server: RunningServer, two_lives: dict[str, str]
) -> None:
    page = _open(browser, page_server, "vi", 1366)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        lan = page.locator(f"#orders tr.cart-head[data-cart='{two_lives['lan']}']")
        lan.wait_for()
        assert lan.locator("[data-badge=returned]").inner_text() == "1 lần hoàn hàng"
        assert "2 món" in lan.inner_text()
        assert (
            page.locator(f"#orders tr.cart-line[data-cart-code='{two_lives['lan']}']").count() == 2
        )
        hoa = page.locator(f"#orders tr.cart-head[data-cart='{two_lives['hoa']}']")
        assert hoa.locator("[data-badge=new]").inner_text() == "mới"
        assert page.locator("#orders [data-badge=regular]").inner_text() == "khách quen · 1 đơn"

        lan.locator("[data-action=buyer-card]").click()
        card = page.locator("#buyer-card[open]")
        card.wait_for()
        assert "1 hoàn hàng" in card.inner_text()
        card.locator("#card-deposit").check()
        card.locator("#card-note").fill("gọi trước khi gửi")
        card.locator("[data-action=card-save]").click()
        page.locator("#buyer-card").wait_for(state="hidden")
        lan.locator(".buyer-badge.is-deposit").wait_for()
        assert errors == []
    finally:
        page.close()
    saved = httpx.get(f"{page_server.url}/api/buyers/facebook/fb-lan", headers=HOST).json()
    assert (saved["flags"], saved["note"]) == (["deposit"], "gọi trước khi gửi")


@pytest.mark.parametrize(("lang", "width"), [("vi", 1366), ("vi", 390), ("ar", 1366), ("ar", 390)])
def test_orders_part_fits_in_both_directions(
    browser: Any, page_server: RunningServer, two_lives: dict[str, str], lang: str, width: int
) -> None:
    page = _open(browser, page_server, lang, width)
    try:
        head = page.locator(f"#orders tr.cart-head[data-cart='{two_lives['lan']}']")
        head.wait_for()
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        badge = head.locator("[data-badge=returned]")
        assert badge.inner_text() == ("1 lần hoàn hàng" if lang == "vi" else "مُرتجع: 1")
        # the page itself never scrolls sideways: wide tables scroll inside their section
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        shots = os.environ.get("LIVESTALL_SHOTS")
        if shots:
            section = page.locator("#orders").locator("xpath=ancestor::section")
            section.screenshot(path=str(Path(shots) / f"host-carts-{lang}-{width}.png"))
    finally:
        page.close()
