"""The review queue in the web studio's go-live tab, in real headless Chromium (issue 23): the
seller who never opens the host console confirms one guess and fixes another there; the page
takes its words from the console's table (vi, ar)."""

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
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def page(browser_thread: BrowserThread, studio_server: RunningServer) -> Iterator[Any]:
    def open_page() -> Any:
        context = browser_thread.browser.new_context(viewport={"width": 390, "height": 844})
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda e: opened.errors.append(str(e)))
        opened.on("dialog", lambda dialog: dialog.accept())
        return opened

    opened = browser_thread.run(open_page)
    yield opened
    browser_thread.run(opened.context.close)


def say(client: httpx.Client, comment_id: str, text: str, user: str) -> Any:
    body = {"platform": "facebook", "comment_id": comment_id, "user_id": user, "user_name": user}
    answer = client.post("/api/comments", json={**body, "text": text}, headers=INGEST).json()
    assert answer["confidence"] == "review", answer
    return answer["order"]["id"]


def _confirm_and_fix(page: Any, server: RunningServer, client: httpx.Client) -> None:
    right = say(client, "r1", "lấy 2 hộp chả nha", "Lan")
    wrong = say(client, "r2", "e lấy cái ly sứ 129k", "Hùng")
    page.goto(f"{server.url}/studio?lang=vi#live")
    page.wait_for_selector("body[data-ready=true]")
    page.locator("#review-list li.review-card").nth(1).wait_for(timeout=WAIT_MS)
    assert page.locator("#review-title").inner_text().startswith("Cần xác nhận")

    card = page.locator(f"#review-list li[data-order='{right}']")
    card.locator("[data-action=review-confirm]").click()
    card.wait_for(state="detached", timeout=WAIT_MS)

    card = page.locator(f"#review-list li[data-order='{wrong}']")
    card.locator("[data-action=review-fix]").click()
    card.locator("select[name=sku]").select_option("B3")
    card.locator("input[name=qty]").fill("3")
    card.locator("[data-action=review-save-fix]").click()
    card.wait_for(state="detached", timeout=WAIT_MS)
    page.locator("#review-empty:not([hidden])").wait_for(timeout=WAIT_MS)

    page.goto(f"{server.url}/studio?lang=ar#live")
    page.wait_for_selector("body[data-ready=true]")
    page.locator("#review-title").wait_for(timeout=WAIT_MS)
    assert page.locator("#review-title").inner_text().startswith("بانتظار التأكيد")
    assert page.errors == []


def test_the_seller_reviews_guesses_in_the_studio(
    browser_thread: BrowserThread,
    page: Any,
    studio_server: RunningServer,
    client: httpx.Client,
) -> None:
    browser_thread.run(_confirm_and_fix, page, studio_server, client)
    orders = client.get("/api/orders", headers=HOST).json()
    assert [(o["sku"], o["qty"], o["status"], o["review"]) for o in orders] == [
        ("B3", 2, "accepted", "confirmed"),
        ("A12", 1, "cancelled", "replaced"),
        ("B3", 3, "accepted", "fixed"),
    ]
