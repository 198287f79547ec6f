"""The web studio on a phone (issue 18), in Chromium with mobile emulation (390x844, touch):
every tab in vi and ar fits the screen without sideways scrolling, the product list is a list of
cards with each value under its name, and what a thumb presses is at least 44 px tall."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from studio_web_helpers import BrowserThread

from server.serve import RunningServer
from studio.paths import sample_photos_dir

pytestmark = [pytest.mark.browser]

TABS = ("products", "photos", "clips", "post", "live")
OVERFLOW = """() => [...document.querySelectorAll('body *')].filter((node) => {
  const box = node.getBoundingClientRect();
  if (!box.width || node.closest('.skip, dialog:not([open])')) return false;
  return box.right > window.innerWidth + 1 || box.left < -1;
}).map((node) => `${node.tagName}#${node.id}.${node.className}`)"""
SMALL_TARGETS = """(panel) => [...document.querySelectorAll(
  `nav.tabs [role=tab], #${panel} button, #${panel} .button, #${panel} select`)]
  .filter((node) => node.getBoundingClientRect().height > 0)
  .filter((node) => node.getBoundingClientRect().height < 43.5)
  .map((node) => `${node.tagName}#${node.id} ${node.textContent.trim().slice(0, 20)}`)"""


@pytest.fixture(scope="module")
def phone(browser_thread: BrowserThread) -> Iterator[Any]:
    def open_page() -> Any:
        context = browser_thread.browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda e: opened.errors.append(str(e)))
        return opened

    opened = browser_thread.run(open_page)
    yield opened
    browser_thread.run(opened.context.close)


def _walk(page: Any, server: RunningServer, lang: str) -> dict[str, Any]:
    page.goto(f"{server.url}/studio?lang={lang}")
    page.wait_for_selector("body[data-ready=true]")
    found: dict[str, Any] = {}
    for tab in TABS:
        page.click(f"#tab-{tab}")
        page.wait_for_selector(f"#panel-{tab}:not([hidden])")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        found[tab] = {
            "widths": widths,
            "outside": page.evaluate(OVERFLOW),
            "small": page.evaluate(SMALL_TARGETS, f"panel-{tab}"),
        }
    page.click("#tab-products")
    found["card"] = page.evaluate(
        """() => { const row = document.querySelector('#products tbody tr');
        const name = row.querySelector('input[name=name]').closest('td');
        return [getComputedStyle(document.querySelector('#products thead')).display,
                getComputedStyle(row).display, name.dataset.label,
                row.getBoundingClientRect().width]; }"""
    )
    found["errors"] = list(page.errors)
    return found


@pytest.mark.parametrize(("lang", "name_label"), [("vi", "Tên"), ("ar", "الاسم")])
def test_every_tab_fits_a_phone_in_vi_and_ar(
    browser_thread: BrowserThread,
    phone: Any,
    studio_server: RunningServer,
    lang: str,
    name_label: str,
) -> None:
    found = browser_thread.run(_walk, phone, studio_server, lang)
    for tab in TABS:
        scroll_width, inner_width = found[tab]["widths"]
        assert scroll_width <= inner_width, (tab, found[tab])
        assert found[tab]["outside"] == [], (tab, found[tab]["outside"])
        assert found[tab]["small"] == [], (tab, found[tab]["small"])
    thead, row, label, width = found["card"]
    assert (thead, row, label) == ("none", "grid", name_label)
    assert width <= 390
    assert found["errors"] == []


def _shoot(page: Any, server: RunningServer) -> tuple[str, bool, str | None]:
    page.goto(f"{server.url}/studio?lang=vi")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#tab-photos")
    camera = page.locator("#photo-camera")
    capture = camera.get_attribute("capture")
    camera.set_input_files(str(sample_photos_dir() / "coffee-cup.jpg"))
    page.wait_for_selector("#photo-start:not([disabled])")
    return page.text_content("#upload-info") or "", page.is_enabled("#photo-start"), capture


def test_a_photo_taken_with_the_phone_camera_is_uploaded(
    browser_thread: BrowserThread, phone: Any, studio_server: RunningServer
) -> None:
    info, is_ready, capture = browser_thread.run(_shoot, phone, studio_server)
    assert capture == "environment"  # the phone opens its back camera
    assert is_ready and "1" in info


def _variants_by_thumb(page: Any, server: RunningServer) -> None:
    page.goto(f"{server.url}/studio?lang=vi")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#add-product")
    row = page.locator("#products tbody tr").last
    row.locator("input[name=sku]").fill("AO9")
    row.locator("input[name=name]").fill("Áo bà ba lụa")
    row.locator("input[name=price]").fill("250000")
    for size, colour, stock in (("M", "đỏ", "3"), ("L", "đỏ", "2"), ("XL", "đen", "1")):
        row.locator(".add-variant").click()
        chip = row.locator(".variant-chip").last
        chip.locator("input").nth(0).fill(size)
        chip.locator("input").nth(1).fill(colour)
        chip.locator("input").nth(2).fill(stock)
    row.locator(".variant-chip").last.locator("button").click()  # XL was a mistake
    row.locator("button.primary").click()
    page.wait_for_selector("#products tbody tr[data-sku=AO9] .variant-chip")


def test_variants_are_edited_as_chips_on_a_phone(
    browser_thread: BrowserThread, phone: Any, studio_server: RunningServer, client: Any
) -> None:
    browser_thread.run(_variants_by_thumb, phone, studio_server)
    saved = next(
        p for p in client.get("/studio/api/products").json()["products"] if p["sku"] == "AO9"
    )
    assert (saved["variants"], saved["stock"]) == ("M/đỏ:3; L/đỏ:2", 5)
    client.delete("/studio/api/products/AO9")
