"""The photos tab in real headless Chromium: a bad file is reported beside the upload while the
good photo is cleaned, the result comes back after a reload (from the server, not the
browser's storage), a re-export shows the new image, and the original photo is one tap away."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from studio_web_helpers import BrowserThread

from server.serve import RunningServer
from studio.paths import sample_photos_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.model]

PHOTO = sample_photos_dir() / "coffee-cup.jpg"
CARD = "#photo-results li[data-sku=A12].status-ok"
# Set LIVESTALL_SCREENSHOTS to a folder to keep the photos tab at 1366 and 390 px for a look.
SHOTS = os.environ.get("LIVESTALL_SCREENSHOTS", "")


@pytest.fixture(scope="module")
def page_errors(browser_thread: BrowserThread) -> Iterator[tuple[Any, list[str]]]:
    """A browser context and the list of console errors of its pages."""
    errors: list[str] = []
    ctx = browser_thread.run(
        lambda: browser_thread.browser.new_context(viewport={"width": 1366, "height": 900})
    )
    yield ctx, errors
    browser_thread.run(ctx.close)


def after_src(page: Any) -> str:
    return str(page.get_attribute(f"{CARD} img.after", "src"))


def _photos_survive_a_reload_and_re_export_shows_the_new_image(
    page_errors: tuple[Any, list[str]], server: RunningServer
) -> None:
    ctx, errors = page_errors
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/studio?lang=en#photos")
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#photo-product", "A12")
    text_as_jpeg = {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo\n" * 9}
    photo = {"name": PHOTO.name, "mimeType": "image/jpeg", "buffer": PHOTO.read_bytes()}
    page.set_input_files("#photo-files", [photo, text_as_jpeg])
    page.wait_for_selector("#upload-rejected li")
    assert page.text_content("#upload-rejected li") == (
        "notes.jpg: not a photo (JPEG, PNG, WebP or HEIC). "
        "Export it again from your phone or camera as JPEG."
    )
    assert page.text_content("#upload-info") == (
        "Photos uploaded: 1. Files not used: 1 (see below)"
    )
    page.click("#photo-start")
    page.wait_for_selector(f"{CARD} .in-use", timeout=120_000)
    assert "A12" in (page.text_content(f"{CARD} .owner") or "")
    assert not page.is_visible("#photo-cancel") and page.is_visible("#photo-zip")
    first = after_src(page)
    first_bytes = httpx.get(f"{server.url}{first}", timeout=30).content
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "photos-1366.png"), full_page=True)

    # A reload with the browser's storage wiped: the server still has the product's photo.
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(f"{CARD} .in-use")
    assert after_src(page) == first

    # Re-export: a new file at a new URL, shown in place of the old one.
    page.locator(f"{CARD} .fix input[type=range]").fill("55")
    page.click(f"{CARD} .fix button[type=submit]")
    page.wait_for_function(
        "(old) => { const img = document.querySelector("
        "'#photo-results li[data-sku=A12].status-ok img.after');"
        " return img && img.getAttribute('src') !== old && img.complete; }",
        arg=first,
        timeout=120_000,
    )
    second = after_src(page)
    second_bytes = httpx.get(f"{server.url}{second}", timeout=30).content
    assert second_bytes != first_bytes
    assert page.evaluate(f"document.querySelector('{CARD} img.after').naturalWidth") == 1024

    # The cleaned photo is the product's photo; the original is one tap away, and back.
    assert page.get_attribute("#products tr[data-sku=A12] img.thumb", "src") == second
    page.click(f"{CARD} .use-original")
    page.wait_for_selector(f"{CARD} .use-cleaned")
    thumb = page.get_attribute("#products tr[data-sku=A12] img.thumb", "src") or ""
    assert thumb.startswith("/studio/files/uploads/")
    page.click(f"{CARD} .use-cleaned")
    page.wait_for_selector(f"{CARD} .use-original")
    assert page.get_attribute("#products tr[data-sku=A12] img.thumb", "src") == second

    page.set_viewport_size({"width": 390, "height": 800})  # a phone: nothing wider than it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        page.select_option("#lang", "vi")
        page.wait_for_function("() => document.documentElement.lang === 'vi'")
        page.screenshot(path=str(Path(SHOTS) / "photos-390-vi.png"), full_page=True)
    assert errors == []
    page.close()


def test_photos_survive_a_reload_and_re_export_shows_the_new_image(
    browser_thread: BrowserThread,
    page_errors: tuple[Any, list[str]],
    studio_server: RunningServer,
) -> None:
    browser_thread.run(
        _photos_survive_a_reload_and_re_export_shows_the_new_image, page_errors, studio_server
    )
