"""The pages in real headless Chromium: overlay card, order toast, XSS suite, host and viewer."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from browser_helpers import HOST_TOKEN, INGEST_TOKEN
from PIL import Image
from shots import shots_dir

from server.serve import RunningServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = shots_dir("live") / "overlay.png"  # docs/img/live with `make screenshots`
HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
INGEST = {"Authorization": f"Bearer {INGEST_TOKEN}"}

ATTACKS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    "<svg/onload=window.__pwned=1>",
    '"><img src=x onerror=alert(1)>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click me</a>',
    "<body onload=alert(1)>",
    "</span></div><script>alert(1)</script>",
    "&lt;b&gt;already escaped&lt;/b&gt;",
    "<style>*{display:none!important}</style>",
    "<details open ontoggle=window.__pwned=1>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${alert(1)} `${window.__pwned=1}`",
    "<input autofocus onfocus=window.__pwned=1>",
    "<object data=javascript:alert(1)></object>",
    "\u202egnp.exe <b>bold</b>",
]

WATCH_FEED = """() => {
  window.__seen = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.classList && node.classList.contains('comment')) {
        window.__seen.push([node.querySelector('.user').textContent,
                            node.querySelector('.text').textContent]);
      }
    }
  }).observe(document.getElementById('feed'), {childList: true});
}"""


def send(server: RunningServer, bodies: list[dict[str, object]]) -> list[dict[str, Any]]:
    response = httpx.post(f"{server.url}/api/comments", json=bodies, headers=INGEST, timeout=20)
    response.raise_for_status()
    answers: list[dict[str, Any]] = response.json()
    return answers


def body(comment_id: str, text: str, *, user: str, name: str) -> dict[str, object]:
    return {
        "platform": "test",
        "comment_id": comment_id,
        "user_id": user,
        "user_name": name,
        "text": text,
    }


def test_overlay_shows_pinned_product_and_incoming_order(
    browser: Any, page_server: RunningServer
) -> None:
    httpx.post(f"{page_server.url}/api/products/A12/pin", headers=HOST).raise_for_status()
    httpx.post(
        f"{page_server.url}/api/countdown",
        json={"seconds": 300, "label": "Flash sale"},
        headers=HOST,
    ).raise_for_status()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{page_server.url}/overlay?layout=landscape&theme=dark&lang=vi")
    page.wait_for_selector("#card:not([hidden])")

    assert page.text_content("#card-sku") == "A12"
    assert page.text_content("#card-stock") == "Còn 6 sản phẩm"
    assert "129.000" in (page.text_content("#card-price") or "")
    send(page_server, [body("o1", "chốt A12 nha shop 0912345678", user="v1", name="Chị Hoa")])
    page.wait_for_selector(".toast")
    page.wait_for_function(
        "() => document.getElementById('card-stock').textContent === 'Còn 5 sản phẩm'"
    )

    assert "Chị Hoa" in (page.text_content(".toast") or "")
    order_row = page.locator(".comment.is-order")
    assert order_row.count() == 1
    assert "091****678" in order_row.inner_text() and "0912345678" not in order_row.inner_text()
    send(page_server, [body("q1", "A12 còn không ạ?", user="v2", name="Minh")])
    page.wait_for_function("() => document.querySelectorAll('#feed .comment').length === 2")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"

    page.wait_for_timeout(600)  # let the entry animations finish
    png = _screenshot(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.write_bytes(png)
    assert len(png) < 200_000
    page.close()


def _screenshot(page: Any) -> bytes:
    """A half-size screenshot over a plain backdrop (the overlay itself is transparent)."""
    raw = page.screenshot(omit_background=True)
    overlay = Image.open(io.BytesIO(raw)).convert("RGBA")
    backdrop = Image.new("RGBA", overlay.size, (58, 74, 96, 255))
    composed = Image.alpha_composite(backdrop, overlay).convert("RGB")
    composed = composed.resize((overlay.width // 2, overlay.height // 2), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    composed.quantize(colors=128).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_portrait_layout_is_1080_by_1920(browser: Any, page_server: RunningServer) -> None:
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    page.goto(f"{page_server.url}/overlay?layout=portrait&theme=light&lang=ar")
    page.wait_for_selector("#card:not([hidden])")

    box = page.locator("#stage").bounding_box()
    card = page.locator("#card").bounding_box()
    assert (box["width"], box["height"]) == (1080, 1920)
    assert card["x"] >= 0 and card["x"] + card["width"] <= 1080
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.close()


def test_attack_strings_are_shown_as_text_and_never_run(
    browser: Any, page_server: RunningServer
) -> None:
    # CSP off for this page: textContent alone must keep viewer text inert.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{page_server.url}/overlay")
    page.wait_for_selector("#card:not([hidden])")
    page.evaluate(WATCH_FEED)

    bodies = [
        body(f"x{i}", attack, user=f"attacker{i}", name=attack[:60])
        for i, attack in enumerate(ATTACKS)
    ]
    bodies.append(body("x-order", "SOLD B3", user="attacker-order", name=ATTACKS[1]))
    send(page_server, bodies)
    page.wait_for_function(f"() => window.__seen.length === {len(bodies)}")
    page.wait_for_selector(".toast")
    page.wait_for_timeout(300)

    seen = page.evaluate("window.__seen")
    assert seen[: len(ATTACKS)] == [[a[:60], a] for a in ATTACKS]
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    tags = page.evaluate("[...document.querySelectorAll('#feed *, #toasts *')].map(n => n.tagName)")
    assert set(tags) <= {"DIV", "SPAN"}
    assert ATTACKS[1] in (page.text_content(".toast") or "")
    context.close()


def test_host_console_keeps_the_token_out_of_the_url(
    browser: Any, page_server: RunningServer
) -> None:
    answer = send(page_server, [body("h1", "B3 x2", user="host-test", name="Bảo")])[0]
    order_id = answer["order"]["id"]
    page = browser.new_page()
    page.goto(f"{page_server.url}/host")
    page.fill("#token", HOST_TOKEN)
    page.click("#login button[type=submit]")
    page.wait_for_selector(f"#orders tr[data-order='{order_id}']")

    assert HOST_TOKEN not in page.url
    assert page.evaluate("sessionStorage.getItem('livestall.hostToken')") == HOST_TOKEN
    assert page.evaluate("localStorage.length") == 0 or HOST_TOKEN not in json.dumps(
        page.evaluate("Object.assign({}, localStorage)")
    )
    row = page.locator(f"#orders tr[data-order='{order_id}']")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="Huỷ đơn").click()  # asks first; the seller says yes
    page.wait_for_selector(f"#orders tr.status-cancelled[data-order='{order_id}']")
    status = httpx.get(f"{page_server.url}/api/orders", headers=HOST).json()
    assert {o["id"]: o["status"] for o in status}[order_id] == "cancelled"
    assert len(asked) == 1 and "Bảo" in asked[0]

    product_row = page.locator("#products tr[data-sku='B3']")
    product_row.locator("input").nth(1).fill("199000")  # sale price
    product_row.get_by_role("button", name="Lưu").click()
    product_row.get_by_role("button", name="Ghim").click()
    page.wait_for_selector("#products tr.is-pinned[data-sku='B3']")
    products = httpx.get(f"{page_server.url}/api/products").json()
    assert products["pinned_sku"] == "B3"
    assert {p["sku"]: p["sale_price"] for p in products["products"]}["B3"] == "199000"
    page.close()


def test_viewer_page_sends_an_order(browser: Any, page_server: RunningServer) -> None:
    page = browser.new_page()
    page.goto(f"{page_server.url}/viewer?lang=en")
    page.fill("#name", "Web buyer")
    page.click("#name-form button")
    page.wait_for_selector("#comment-form:not([hidden])")
    page.wait_for_selector("#card:not([hidden])")
    page.fill("#text", "SOLD B3")
    page.click("#comment-form button")
    page.wait_for_function(
        "() => document.getElementById('reply').textContent.startsWith('Order #')"
    )

    orders = httpx.get(f"{page_server.url}/api/orders", headers=HOST).json()
    assert any(o["user_name"] == "Web buyer" and o["platform"] == "web" for o in orders)
    page.close()
