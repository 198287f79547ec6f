"""The catalog import dialog in real headless Chromium, in Vietnamese: choosing an Excel CSV shows
what would be added, changed and kept before anything is written; "replace all" needs its own
tick; confirming writes the catalog; a bad cell is named by row and column."""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from studio_web_helpers import SHOP_YAML, BrowserThread

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXCEL_CSV = (
    codecs.BOM_UTF8
    + (
        "Mã SP;Tên sản phẩm;Giá bán;Giá KM;Tồn kho\r\n"
        "A12;Cốc sứ cà phê;199.000;179.000;6\r\n"
        "D9;Khăn lụa Hà Đông;150.000;;30\r\n"
    ).encode()
)
BAD_CSV = "Mã SP;Tên sản phẩm;Giá bán\r\nA1;Áo;1\r\nA2;Quần;hai trăm\r\n".encode()
DEADLINE_MS = 20_000


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Path]]:
    folder = tmp_path_factory.mktemp("import-page")
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", folder / "coffee-cup.jpg")
    (folder / "catalog.yaml").write_text(SHOP_YAML, encoding="utf-8")
    app = build_studio_app(
        folder / "catalog.yaml",
        data_dir=folder / "data",
        host_token="import-page-host",
        ingest_token="import-page-ingest",
    )
    running = start_in_thread(app)
    try:
        yield running, folder / "data" / "studio" / "catalog.yaml"
    finally:
        running.stop()


def skus_on_disk(catalog: Path) -> list[str]:
    return [str(p["sku"]) for p in yaml.safe_load(catalog.read_text("utf-8"))["products"]]


def choose(page: Any, name: str, data: bytes) -> None:
    page.set_input_files(
        "#import-file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def _preview_then_confirm(browser: Any, server: RunningServer, catalog: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/studio?lang=vi#products")
    page.wait_for_selector("body[data-ready=true]")

    choose(page, "cua-hang.csv", EXCEL_CSV)
    page.wait_for_selector("#import-dialog[open] #import-summary h4", timeout=DEADLINE_MS)
    summary = page.inner_text("#import-summary")
    assert "Thêm mới (1)" in summary and "D9 — Khăn lụa Hà Đông — 150.000\xa0₫" in summary
    assert "Thay đổi (1)" in summary and "Giá KM: — → 179.000\xa0₫" in summary
    assert "Không có trong tệp, vẫn giữ (2)" in summary and "B3" in summary
    assert page.inner_text("#import-file-name") == "Tệp: cua-hang.csv"
    assert page.inner_text("#import-confirm") == "Nhập danh mục"
    assert skus_on_disk(catalog) == ["A12", "B3", "C7"]  # the preview wrote nothing

    page.check("#import-replace")
    page.wait_for_selector(
        "#import-summary h4:has-text('Sẽ bị xoá khỏi danh mục (2)')", timeout=DEADLINE_MS
    )
    assert page.inner_text("#import-confirm") == "Thay toàn bộ danh mục"
    assert page.is_disabled("#import-confirm")  # removing needs its own tick
    assert "Tôi đồng ý xoá 2 sản phẩm" in page.inner_text("#import-replace-ok-wrap")
    page.check("#import-merge")
    page.wait_for_selector("#import-summary h4:has-text('vẫn giữ (2)')", timeout=DEADLINE_MS)
    page.click("#import-confirm")
    page.wait_for_selector("#import-dialog:not([open])", state="attached", timeout=DEADLINE_MS)
    page.wait_for_selector("#products tr[data-sku=D9]", timeout=DEADLINE_MS)
    page.wait_for_selector("#toast:has-text('Đã nhập: 1 mới, 1 thay đổi, 0 xoá')")
    assert skus_on_disk(catalog) == ["A12", "B3", "C7", "D9"]

    choose(page, "loi.csv", BAD_CSV)
    page.wait_for_selector("#import-error:not(:empty)", timeout=DEADLINE_MS)
    error = page.inner_text("#import-error")
    assert "Dòng 3" in error and "Giá bán" in error
    assert page.is_disabled("#import-confirm")
    page.click("#import-cancel")
    assert errors == []
    page.close()


def test_import_preview_dialog_in_vietnamese(
    browser_thread: BrowserThread, shop: tuple[RunningServer, Path]
) -> None:
    server, catalog = shop
    browser_thread.run(_preview_then_confirm, browser_thread.browser, server, catalog)
