"""A seller who reads Vietnamese (or Arabic) sees Vietnamese (or Arabic): every page and state
Chromium can reach (studio tabs, host console, viewer page, overlay, buyer's order page), errors
included, shows no raw key (``status_paid``) and no English sentence; destructive buttons ask
first, in the page's language. The English pages are walked too, for raw keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from language_check import page_problems, problems
from studio_web_helpers import HOST_TOKEN, BrowserThread

from server.serve import RunningServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
TABS = ("products", "photos", "clips", "post", "live")
SEND_UNTIL_SENT = """() => {
  if (document.getElementById("text").value === "") return true;
  document.querySelector("#comment-form button[type=submit]").click();
  return false;
}"""
LOCALES = {"vi": "vi-VN", "ar": "ar", "en": "en-US"}


def _studio(browser: Any, url: str, tmp_path: Path, lang: str) -> list[str]:
    found: list[str] = []
    context = browser.new_context(locale=LOCALES[lang])
    page = context.new_page()
    page.goto(f"{url}/studio?lang={lang}#products")
    page.wait_for_selector("body[data-ready=true]")
    for tab in TABS:
        page.click(f"#tab-{tab}")
        page.wait_for_selector(f"#panel-{tab}:not([hidden])")
        if tab == "live":
            page.wait_for_function("() => document.getElementById('host-token').value !== ''")
        found += page_problems(page, f"studio #{tab}", lang=lang)

    # Captions for the post tab: labels, counts and listing titles.
    page.click("#tab-post")
    page.click("#post-captions")
    page.wait_for_selector("#post-results .caption")
    found += page_problems(page, "studio #post with captions", lang=lang)

    # A new live asks first and says what stays.
    page.click("#tab-live")
    page.click("#live-start")
    page.wait_for_selector("#live-confirm[open]")
    found += page_problems(page, "studio new-live question", lang=lang)
    page.click("#live-confirm-no")

    # A test order from the live tab: its answer and the order's state.
    page.click("#live-test")
    page.wait_for_selector("#live-test-result:not(:empty)")
    page.wait_for_selector("#orders tbody tr")
    found += page_problems(page, "studio #live after a test order", lang=lang)

    # A product row with a wrong price and no name: errors beside the fields.
    page.click("#tab-products")
    page.click("#add-product")
    row = page.locator("#products tbody tr:last-child")
    row.locator("[name=sku]").fill("C9")
    row.locator("[name=price]").fill("250k")
    row.locator("button.primary").click()
    page.wait_for_selector("#products tbody tr:last-child .field-error:not(:empty)")
    found += page_problems(page, "studio #products with field errors", lang=lang)

    # An import: the preview of what the file adds and changes, then going back.
    sheet = tmp_path / "danh-muc.csv"
    sheet.write_text("Mã SP,Tên sản phẩm,Giá bán,Tồn kho\nA12,Cốc sứ,199000,3\nD1,Đĩa,50000,2\n")
    page.set_input_files("#import-file", str(sheet))
    page.wait_for_selector("#import-dialog[open] #import-summary:not(:empty)")
    found += page_problems(page, "studio import preview", lang=lang)
    page.click("#import-cancel")
    bad_sheet = tmp_path / "sai.csv"
    bad_sheet.write_text("Mã SP,Tên sản phẩm,Giá bán\nA12,Cốc sứ,250k\n")
    page.set_input_files("#import-file", str(bad_sheet))
    page.wait_for_selector("#import-dialog[open] #import-error:not(:empty)")
    found += page_problems(page, "studio import error", lang=lang)
    page.click("#import-cancel")

    # An upload the server refuses: the error toast.
    not_a_photo = tmp_path / "ghi-chu.jpg"
    not_a_photo.write_text("đây không phải là ảnh", encoding="utf-8")
    page.locator("#products tbody tr:first-child input[type=file]").set_input_files(
        str(not_a_photo)
    )
    page.wait_for_selector("#toast.is-error:not([hidden])")
    found += page_problems(page, "studio error toast", lang=lang)
    context.close()
    return found


def _host(browser: Any, url: str, tmp_path: Path, lang: str) -> tuple[list[str], list[str]]:
    found: list[str] = []
    dialogs: list[str] = []
    context = browser.new_context(locale=LOCALES[lang])
    page = context.new_page()
    page.goto(f"{url}/host")
    page.evaluate(f"() => localStorage.setItem('livestall.lang', '{lang}')")
    page.reload()
    page.wait_for_selector("#login:not([hidden])")
    found += page_problems(page, "host login", lang=lang)
    page.fill("#token", HOST_TOKEN)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#console:not([hidden])")
    page.wait_for_selector("#orders tbody tr")
    page.locator("#payee-state:not(:empty)").wait_for()
    found += page_problems(page, "host console", lang=lang)

    # Cancel and block ask first; dismissing leaves the order as it was.
    def answer(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    # an order line (under its cart's head row) has the cancel and block buttons
    first = page.locator("#orders tbody tr:has(button[data-action=cancel])").first
    status_before = first.locator("td.status").text_content()
    for action in ("cancel", "block"):
        with page.expect_event("dialog", timeout=5_000):
            first.locator(f"button[data-action={action}]").click()
    assert first.locator("td.status").text_content() == status_before

    # A bank statement: its toast keeps its numbers, the transfer to decide is described.
    statement = tmp_path / f"sao-ke-{lang}.csv"
    statement.write_text(
        f"Date,Description,Amount,Reference\n2026-11-24,tien nha thang 11,5000000,FT-{lang}\n",
        encoding="utf-8",
    )
    page.set_input_files("#statement-file", str(statement))
    page.click("#statement-form button[type=submit]")
    page.wait_for_function("() => /1/.test(document.getElementById('message').textContent)")
    page.wait_for_selector("#pending tbody tr")
    found += page_problems(page, "host console after a bank statement", lang=lang)

    # An error from the server: a bank the list does not know.
    page.fill("#payee-bank", "không có ngân hàng này")
    page.fill("#payee-account", "0011001234567")
    page.fill("#payee-name", "NGUYEN VAN A")
    page.click("#payee-form button[type=submit]")
    page.wait_for_selector("#message:not(:empty)")
    found += page_problems(page, "host console error", lang=lang)
    context.close()
    return found, dialogs


def _viewer_overlay_order(browser: Any, url: str, public_id: str, lang: str) -> list[str]:
    found: list[str] = []
    context = browser.new_context(locale=LOCALES[lang])
    page = context.new_page()
    page.goto(f"{url}/viewer?lang={lang}")
    page.wait_for_selector("#name-form:not([hidden])")
    page.wait_for_selector("#card:not([hidden])")
    found += page_problems(page, "viewer", lang=lang)
    page.fill("#name", "Chị Lan")
    page.click("#name-form button[type=submit]")
    page.wait_for_selector("#comment-form:not([hidden])")
    page.fill("#text", "chốt B3")
    # The form shows before the new socket opens; the page keeps the text until it is sent.
    page.wait_for_function(SEND_UNTIL_SENT, polling=300, timeout=30_000)
    page.wait_for_selector("#reply:not(:empty)")
    found += page_problems(page, "viewer after an order", lang=lang)

    page.goto(f"{url}/overlay?lang={lang}")
    page.wait_for_selector("#card:not([hidden])")
    found += page_problems(page, "overlay", lang=lang)

    for path in (f"/o/{public_id}?lang={lang}", f"/o/khong-co-don-nay-1234?lang={lang}"):
        page.goto(f"{url}{path}")
        found += page_problems(page, f"order page {path}", lang=lang)
    context.close()
    return found


@pytest.mark.parametrize("lang", ["vi", "ar", "en"])
def test_pages_show_no_raw_key_and_no_english(
    browser_thread: BrowserThread, studio_server: RunningServer, tmp_path: Path, lang: str
) -> None:
    browser = browser_thread.browser
    found = browser_thread.run(_studio, browser, studio_server.url, tmp_path, lang)
    host_found, dialogs = browser_thread.run(_host, browser, studio_server.url, tmp_path, lang)
    orders = httpx.get(f"{studio_server.url}/api/orders", headers=HOST, timeout=10).json()
    public_id = orders[0]["public_id"]
    pin = httpx.post(f"{studio_server.url}/api/products/A12/pin", headers=HOST, timeout=10)
    assert pin.status_code == 200
    found += host_found
    found += browser_thread.run(_viewer_overlay_order, browser, studio_server.url, public_id, lang)
    found += [
        f"dialog {text!r}: {problems(text, lang=lang)}"
        for text in dialogs
        if problems(text, lang=lang)
    ]
    assert not found, "\n".join(found)
