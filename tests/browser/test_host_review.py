"""The review queue in the host console, in the real Chromium (issue 23): confirm, fix with a
remembered phrase (then saved into the catalog), reject returns the stock; the seller's own
account marked from the comments list. Catalog: the labelled sets' (`tests/data/vocab`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from browser_helpers import HOST_TOKEN, INGEST_TOKEN
from vocab_shop import vocab_shop

from server.serve import RunningServer

INGEST = {"Authorization": f"Bearer {INGEST_TOKEN}"}
WAIT_MS = 20_000


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[RunningServer, Path, Path]]:
    with vocab_shop(tmp_path, host_token=HOST_TOKEN, ingest_token=INGEST_TOKEN) as running:
        yield running.running, running.catalog, running.db_path


def say(server: RunningServer, comment_id: str, text: str, user: str, name: str) -> Any:
    body = {"platform": "facebook", "comment_id": comment_id, "user_id": user, "user_name": name}
    response = httpx.post(
        f"{server.url}/api/comments", json={**body, "text": text}, headers=INGEST, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_seller_confirms_fixes_and_rejects_guesses(
    browser: Any, shop: tuple[RunningServer, Path, Path]
) -> None:
    server, catalog, db = shop
    right = say(server, "c1", "cho e cái váy 350 size M nha", "u1", "Lan")
    wrong = say(server, "c2", "lấy em cái áo sọc size XL", "u2", "Hùng")
    noise = say(server, "c3", "cho mình 1 cái áo đó size XL", "u3", "Mai")
    assert [a["confidence"] for a in (right, wrong, noise)] == ["review"] * 3
    which = say(server, "c5", "chốt đôi 105 size 40 nha", "u5", "Thu")
    assert (which["order"], which["reason"]) == (None, "variant.missing")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(f"{server.url}/host")
        page.fill("#token", HOST_TOKEN)
        page.click("#login button[type=submit]")
        page.wait_for_selector("#console:not([hidden])")
        cards = page.locator("#review-list li.review-card")
        cards.nth(2).wait_for(timeout=WAIT_MS)
        page.locator("#unplaced-list li.is-unplaced").wait_for(timeout=WAIT_MS)
        assert page.locator("#review h2").inner_text().strip() == "Cần xác nhận 4"

        # the comment that made no order: the seller picks the colour, the order is placed
        unplaced = page.locator("#unplaced-list li.is-unplaced", has_text="chốt đôi 105 size 40")
        unplaced.locator("select[name=variant]").select_option(label="40 / trắng (Tồn kho: 5)")
        unplaced.locator("[data-action=review-save-fix]").click()
        unplaced.wait_for(state="detached", timeout=WAIT_MS)
        first = page.locator(f"li[data-order='{right['order']['id']}']")
        assert "cho e cái váy 350 size M nha" in first.inner_text()
        assert "V350" in first.locator(".review-guess").inner_text()

        first.locator("[data-action=review-confirm]").click()
        first.wait_for(state="detached", timeout=WAIT_MS)

        second = page.locator(f"li[data-order='{wrong['order']['id']}']")
        second.locator("[data-action=review-fix]").click()
        form = second.locator("form.review-fix")
        form.locator("select[name=sku]").select_option("SETKE")
        form.locator("select[name=variant]").select_option(label="L / xanh (Tồn kho: 6)")
        form.locator("input[name=phrase]").fill("áo sọc")
        form.locator("[data-action=review-save-fix]").click()
        second.wait_for(state="detached", timeout=WAIT_MS)
        learned = page.locator("#learned li", has_text="áo sọc")
        learned.wait_for(timeout=WAIT_MS)
        learned.locator("[data-action=alias-save]").click()
        learned.locator(".badge").wait_for(timeout=WAIT_MS)

        third = page.locator(f"li[data-order='{noise['order']['id']}']")
        third.locator("[data-action=review-reject]").click()
        third.wait_for(state="detached", timeout=WAIT_MS)
        page.locator("#review-empty:not([hidden])").wait_for(timeout=WAIT_MS)
        assert errors == []
    finally:
        page.close()

    by_comment = {
        r[0]: r[1:]
        for r in rows(
            db,
            "SELECT c.comment_id || ':' || o.sku, o.variant, o.status, o.review "
            "FROM orders o JOIN comments c ON c.id = o.comment_ref",
        )
    }
    assert by_comment == {
        "c1:V350": ("M|be", "accepted", "confirmed"),
        "c2:TS-01": ("XL|đen", "cancelled", "replaced"),
        "c2:SETKE": ("L|xanh", "accepted", "fixed"),
        "c3:TS-01": ("XL|đen", "cancelled", "rejected"),
        "c5:105": ("40|trắng", "accepted", "fixed"),
    }
    assert rows(db, "SELECT qty FROM stock WHERE sku='TS-01' AND variant='XL|đen'") == [(8,)]
    products = yaml.safe_load(catalog.read_text(encoding="utf-8"))["products"]
    assert "áo sọc" in next(p for p in products if p["sku"] == "SETKE")["aliases"]
    # the rest of the live reads the taught words without asking
    later = say(server, "c4", "2 áo sọc size M", "u4", "Tú")
    assert (later["items"][0]["sku"], later["confidence"]) == ("SETKE", "sure")


def test_seller_marks_the_shops_account_from_the_comments(
    browser: Any, shop: tuple[RunningServer, Path, Path]
) -> None:
    server, _, db = shop
    say(server, "s1", "Shop chào cả nhà, chốt 15 x2 là được nha", "page-1", "Shop Hạ Long")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(f"{server.url}/host")
        page.fill("#token", HOST_TOKEN)
        page.click("#login button[type=submit]")
        row = page.locator("#comments tr", has_text="Shop chào cả nhà")
        row.locator("[data-action=seller-mark]").click()
        page.locator("#sellers li", has_text="Shop Hạ Long").wait_for(timeout=WAIT_MS)
    finally:
        page.close()

    after = say(server, "s2", "Shop ghi nhận: bạn Minh 1 đôi 105 size 40 đen", "page-1", "Shop")
    assert (after["intent"], after["order"]) == ("none", None)
    assert rows(db, "SELECT platform, user_id FROM seller_accounts") == [("facebook", "page-1")]


@pytest.mark.parametrize("lang", ["vi", "ar"])
def test_the_console_fits_a_phone(
    browser: Any, shop: tuple[RunningServer, Path, Path], lang: str
) -> None:
    server, _, _ = shop
    say(server, "p1", "chốt 15 x2 0912345678", "u1", "Lan")
    say(server, "p2", "cho e cái váy 350 size M nha", "u2", "Mai")
    say(server, "p3", "chốt đôi 105 size 40", "u3", "Thu")
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{server.url}/host")
        page.evaluate(f"localStorage.setItem('livestall.lang', '{lang}')")
        page.reload()
        page.fill("#token", HOST_TOKEN)
        page.click("#login button[type=submit]")
        page.locator("#unplaced-list li.is-unplaced").wait_for(timeout=WAIT_MS)
        page.locator("#comments tbody tr").nth(2).wait_for(timeout=WAIT_MS)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('section')]
                .filter((s) => s.scrollWidth > s.clientWidth + 1).map((s) => s.id || s.className)"""
        )
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        label = page.locator("#products tbody tr td").nth(1).get_attribute("data-label")
    finally:
        context.close()
    assert wide == []  # nothing scrolls sideways, not even inside a section
    assert widths[0] <= widths[1]
    assert label == {"vi": "Tên", "ar": "الاسم"}[lang]  # each value under its column's name
