"""The studio in real headless Chromium: photos to a Shopee zip, a clip preview, a live test
order on the overlay, Arabic right-to-left; no request leaves 127.0.0.1, no console error."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np
import pytest
from PIL import Image
from shots import shots_dir
from studio_web_helpers import BrowserThread

from server.serve import RunningServer
from studio.paths import sample_photos_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.model]

SCREENSHOTS = shots_dir("studio")  # docs/img/studio with `make screenshots`
PHOTO = sample_photos_dir() / "coffee-cup.jpg"


class Watched:
    """A page plus everything it did that a test must see empty: outside requests, errors."""

    def __init__(self, page: Any, outside: list[str]) -> None:
        self.page = page
        self.outside = outside
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_clean(self) -> None:
        assert self.outside == []
        assert self.errors == []


@pytest.fixture(scope="module")
def context(browser_thread: BrowserThread) -> Iterator[tuple[Any, list[str]]]:
    """A browser context that refuses (and records) every request not to 127.0.0.1."""
    outside: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def make() -> Any:
        ctx = browser_thread.browser.new_context(
            viewport={"width": 1100, "height": 820}, accept_downloads=True
        )
        ctx.route("**/*", route)
        return ctx

    ctx = browser_thread.run(make)
    yield ctx, outside
    browser_thread.run(ctx.close)


def open_studio(
    context: tuple[Any, list[str]], server: RunningServer, tab: str, lang: str = "en"
) -> Watched:
    ctx, outside = context
    watched = Watched(ctx.new_page(), outside)
    watched.page.goto(f"{server.url}/studio?lang={lang}#{tab}")
    watched.page.wait_for_selector("body[data-ready=true]")
    return watched


def screenshot(page: Any, name: str) -> None:
    """A small PNG for docs/studio.md (quantised; each stays under 150 KB)."""
    raw = page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.quantize(colors=96).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 150_000
    target = SCREENSHOTS / f"{name}.png"
    if target.is_file():  # rewrite only a real change, not a port number or a video frame
        old = np.asarray(Image.open(target).convert("RGB"), dtype=np.int16)
        new = np.asarray(image, dtype=np.int16)
        if old.shape == new.shape and np.abs(old - new).mean() < 2.0:
            return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.write_bytes(out.getvalue())


def product_width(jpeg: bytes) -> int:
    """Width in px of what differs from the background (the corner colour) of a product photo."""
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).astype(np.int16)
    distance = np.abs(pixels - pixels[3, 3]).sum(axis=2)
    columns = np.where((distance > 40).any(axis=0))[0]
    return int(columns[-1] - columns[0] + 1)


def download_zip(watched: Watched) -> zipfile.ZipFile:
    with watched.page.expect_download() as info:
        watched.page.click("#photo-zip")
    return zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))


def _photos_upload_export_shopee_zip_and_fix_one(
    context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    watched = open_studio(context, studio_server, "photos")
    page = watched.page
    page.set_input_files("#photo-files", str(PHOTO))
    page.wait_for_selector("#photo-start:not([disabled])")
    assert page.is_checked("#preset-shopee") and not page.is_checked("#preset-amazon")
    page.click("#photo-start")
    page.wait_for_selector("#photo-results li.status-ok .compare img.after", timeout=90_000)
    page.wait_for_selector("#photo-zip:not([hidden])")

    archive = download_zip(watched)
    assert sorted(archive.namelist()) == ["report.json", "shopee/coffee-cup.jpg"]
    first = archive.read("shopee/coffee-cup.jpg")
    image = Image.open(io.BytesIO(first))
    assert image.format == "JPEG" and image.size == (1024, 1024)
    assert min(image.convert("RGB").getpixel((3, 3))) >= 250  # Shopee: white background
    report = json.loads(archive.read("report.json"))
    assert report["counts"] == {"ok": 1, "failed": 0, "skipped": 0}
    page.locator("#photo-results .compare input[type=range]").fill("30")
    screenshot(page, "photos")

    # Fix one photo: a smaller fill re-exports it, and the batch's zip has the new file.
    page.locator("#photo-results .fix input[type=range]").fill("55")
    page.locator("#photo-results .fix select").select_option("custom")
    assert page.locator("#photo-results .fix input[type=color]").input_value() == "#f5e6d3"
    page.click("#photo-results .fix button[type=submit]")
    page.wait_for_selector("#toast:not([hidden])", timeout=90_000)
    page.wait_for_function(
        "() => document.getElementById('toast').textContent === 'Saved'", timeout=90_000
    )
    fixed = download_zip(watched).read("shopee/coffee-cup.jpg")
    assert product_width(fixed) < product_width(first) * 0.75
    corner = Image.open(io.BytesIO(fixed)).convert("RGB").getpixel((3, 3))
    assert all(abs(a - b) <= 6 for a, b in zip(corner, (0xF5, 0xE6, 0xD3), strict=True))

    # The batch survives a reload: the page finds its job again by the id it kept.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#photo-results li.status-ok .compare img.after")
    assert page.is_visible("#photo-zip")
    watched.assert_clean()
    page.close()


def _clip_preview_is_rendered_and_playable(
    context: tuple[Any, list[str]], studio_server: RunningServer, tmp_path: Path
) -> None:
    watched = open_studio(context, studio_server, "clips")
    page = watched.page
    assert page.is_checked("#clip-sku-A12")
    page.fill("#clip-title", "Cốc sứ — giá test")
    page.fill("#clip-cta", "Comment A12")
    page.click("#clip-preview")
    page.wait_for_selector("#clip-result:not([hidden])", timeout=90_000)

    src = page.get_attribute("#clip-video", "src")
    assert src is not None
    video = httpx.get(f"{studio_server.url}{src}", timeout=30)
    assert video.status_code == 200
    (tmp_path / "preview.mp4").write_bytes(video.content)
    stream = probe(tmp_path / "preview.mp4")
    assert stream["codec_name"] == "h264" and stream["pix_fmt"] == "yuv420p"
    assert (stream["width"], stream["height"]) == (360, 640)
    # The sidecar is the studio's record, not a file it hands out: read it from the folder.
    root = Path(studio_server.server.config.app.state.studio.root)
    sidecar_path = root / f"{src.removeprefix('/studio/files/').removesuffix('.mp4')}.json"
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    assert int(stream["nb_frames"]) == sidecar["frames"] and sidecar["fps"] == 15
    assert abs(float(stream["duration"]) - sidecar["duration_s"]) < 0.1
    assert 2.0 <= sidecar["duration_s"] <= 10.0
    page.wait_for_function("() => document.getElementById('clip-video').readyState >= 1")
    screenshot(page, "clips")
    watched.assert_clean()
    page.close()


def probe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_streams", "-of", "json", path],
        capture_output=True,
        check=True,
        timeout=30,
    )
    streams: list[dict[str, Any]] = json.loads(result.stdout)["streams"]
    return streams[0]


def _go_live_test_order_arrives_on_the_overlay(
    context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    watched = open_studio(context, studio_server, "live")
    page = watched.page
    page.fill("#live-title", "Evening sale")
    page.click("#live-start")
    page.click("#live-confirm-yes")  # a new live asks first (test_studio_lives_page.py)
    page.wait_for_function(
        "() => document.getElementById('live-session').textContent.includes('pinned: A12')"
    )
    overlay_url = page.input_value("#overlay-url")
    assert overlay_url == f"{studio_server.url}/overlay"

    overlay = Watched(context[0].new_page(), context[1])
    overlay.page.goto(overlay_url)
    overlay.page.wait_for_selector("#card:not([hidden])")
    assert overlay.page.text_content("#card-sku") == "A12"
    page.click("#live-test")
    overlay.page.wait_for_selector(".toast", timeout=15_000)
    assert "Livestall" in (overlay.page.text_content(".toast") or "")
    page.wait_for_selector("#orders tbody tr.status-accepted")
    assert page.locator("#orders tbody tr").count() == 1
    screenshot(page, "live")
    overlay.page.wait_for_selector(".comment.is-order")

    # a new live while OBS keeps the overlay open: it follows by itself, no reload
    page.fill("#live-title", "Second sale")
    page.click("#live-start")
    page.click("#live-confirm-yes")
    page.wait_for_selector("#orders tbody tr", state="detached")
    overlay.page.wait_for_selector(".comment", state="detached", timeout=15_000)
    assert overlay.page.locator(".toast").count() == 0  # cleared with the feed, not timed out
    page.click("#live-test")
    overlay.page.wait_for_selector(".toast", timeout=15_000)
    overlay.page.wait_for_selector(".comment.is-order")
    assert overlay.page.text_content("#card-sku") == "A12"
    watched.assert_clean()
    overlay.assert_clean()
    overlay.page.close()
    page.close()


def _arabic_is_right_to_left_and_post_captions_are_arabic(
    context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    watched = open_studio(context, studio_server, "products", lang="vi")
    page = watched.page
    assert page.evaluate("document.documentElement.dir") == "ltr"
    page.select_option("#lang", "ar")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.text_content("#tab-products") == "المنتجات"
    screenshot(page, "products-ar")

    # Keyboard: in right-to-left, the left arrow moves to the next tab (Photos).
    page.focus("#tab-products")
    page.keyboard.press("ArrowLeft")
    assert page.get_attribute("#tab-photos", "aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "tab-photos"
    assert page.is_visible("#panel-photos") and not page.is_visible("#panel-products")
    page.click("#tab-post")
    page.click("#post-captions")
    page.wait_for_selector("#caption-A12-facebook")
    caption = page.input_value("#caption-A12-facebook")
    assert 'اكتب "A12" في التعليقات للطلب' in caption
    assert "129" in caption
    shopee = page.locator(".caption[data-platform=shopee] textarea").first.input_value()
    assert "رمز المنتج: A12" in shopee
    screenshot(page, "post-ar")
    watched.assert_clean()
    page.close()


def _products_table_shows_errors_beside_the_field(
    context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    watched = open_studio(context, studio_server, "products")
    page = watched.page
    page.fill("#B3-price", "abc")
    page.locator("tr[data-sku=B3] button.primary").click()
    page.wait_for_selector("#B3-price[aria-invalid=true]")
    assert "not a number" in (page.text_content("#B3-price-error") or "")
    page.set_viewport_size({"width": 1100, "height": 560})
    screenshot(page, "products")
    page.fill("#B3-price", "240000")
    page.locator("tr[data-sku=B3] button.primary").click()
    page.wait_for_function(
        "() => document.getElementById('B3-price').value === '240000'"
        " && !document.getElementById('B3-price').hasAttribute('aria-invalid')"
    )
    page.set_viewport_size({"width": 390, "height": 760})  # a phone: nothing wider than it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    watched.assert_clean()
    page.close()


def test_photos_upload_export_shopee_zip_and_fix_one(
    browser_thread: BrowserThread, context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    browser_thread.run(_photos_upload_export_shopee_zip_and_fix_one, context, studio_server)


def test_clip_preview_is_rendered_and_playable(
    browser_thread: BrowserThread,
    context: tuple[Any, list[str]],
    studio_server: RunningServer,
    tmp_path: Path,
) -> None:
    browser_thread.run(_clip_preview_is_rendered_and_playable, context, studio_server, tmp_path)


def test_go_live_test_order_arrives_on_the_overlay(
    browser_thread: BrowserThread, context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    browser_thread.run(_go_live_test_order_arrives_on_the_overlay, context, studio_server)


def test_arabic_is_right_to_left_and_post_captions_are_arabic(
    browser_thread: BrowserThread, context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    browser_thread.run(
        _arabic_is_right_to_left_and_post_captions_are_arabic, context, studio_server
    )


def test_products_table_shows_errors_beside_the_field(
    browser_thread: BrowserThread, context: tuple[Any, list[str]], studio_server: RunningServer
) -> None:
    browser_thread.run(_products_table_shows_errors_beside_the_field, context, studio_server)
