"""The host console's after-live part in the real Chromium: bank form, state moves, slips."""

from __future__ import annotations

from typing import Any

import httpx
from browser_helpers import HOST_TOKEN, INGEST_TOKEN

from server.serve import RunningServer

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}


def test_host_sets_the_bank_and_moves_an_order_through_states(
    browser: Any, page_server: RunningServer
) -> None:
    answer = httpx.post(
        f"{page_server.url}/api/comments",
        json={
            "platform": "youtube",
            "comment_id": "after-1",
            "user_id": "after-u1",
            "user_name": "Ngô Thị Mai",
            "text": "chốt B3",
        },
        headers={"Authorization": f"Bearer {INGEST_TOKEN}"},
        timeout=10,
    ).json()
    order_id = answer["order"]["id"]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{page_server.url}/host")
        page.fill("#token", HOST_TOKEN)
        page.click("#login button[type=submit]")
        page.wait_for_selector("#console:not([hidden])")
        # The console loads the saved bank details after login and fills the form with them;
        # typing before that answer arrives would be overwritten.
        page.locator("#payee-state:not(:empty)").wait_for()

        page.fill("#payee-bank", "VCB")
        page.fill("#payee-account", "0011001234567")
        page.fill("#payee-name", "NGUYEN VAN A")
        page.click("#payee-form button[type=submit]")
        page.locator("#payee-state", has_text="Vietcombank · 0011001234567").wait_for()

        # The state is the cart's (one code, one parcel): its head row moves it, its line follows
        code = answer["cart"]["code"]
        row = page.locator(f"#orders tr[data-cart='{code}']")
        row.locator("select[data-action=cart-state]").select_option("cod")
        page.locator(f"#orders tr.cart-head.status-cod[data-cart='{code}']").wait_for()
        page.locator(f"#orders tr.status-cod[data-order='{order_id}']").wait_for()
        assert errors == []
    finally:
        page.close()

    settings = httpx.get(f"{page_server.url}/api/payments/settings", headers=HOST).json()
    assert (settings["bin"], settings["account"]) == ("970436", "0011001234567")
    history = httpx.get(f"{page_server.url}/api/orders/{order_id}/history", headers=HOST).json()
    assert [(h["from_state"], h["to_state"], h["actor"]) for h in history][-1] == (
        "accepted",
        "cod",
        "host",
    )
