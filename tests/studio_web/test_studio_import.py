"""Importing a catalog into the web studio over real HTTP: a preview first, nothing written until
the seller confirms, merge by SKU by default, "replace all" only when asked; Excel's files load;
a bad row, cell or photo is named, never a crash or a leaked file."""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from studio_web_helpers import SHOP_YAML, STUDIO_HEADERS

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir

# What Excel on a Vietnamese Windows saves as "CSV UTF-8": a BOM, `;` between cells, CRLF,
# the seller's own column names, a price written with dots, an extra column nobody reads.
EXCEL_CSV = (
    "Mã SP;Tên sản phẩm;Giá bán;Giá KM;Tồn kho;Ghi chú\r\n"
    "A12;Cốc sứ cà phê;199.000;179.000;6;giao nhanh\r\n"
    "D9;Khăn lụa Hà Đông;150.000;;30;\r\n"
)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[httpx.Client, Path]]:
    """A studio on 127.0.0.1 over a fresh copy of SHOP_YAML; yields a client and its catalog."""
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", tmp_path / "coffee-cup.jpg")
    (tmp_path / "catalog.yaml").write_text(SHOP_YAML, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tokens.json").write_text('{"host": "secret"}', encoding="utf-8")
    app = build_studio_app(
        tmp_path / "catalog.yaml",
        data_dir=tmp_path / "data",
        host_token="import-host-token",
        ingest_token="import-ingest-token",
    )
    running: RunningServer = start_in_thread(app)
    headers = {**STUDIO_HEADERS, "X-Livestall-Lang": "vi"}
    try:
        with httpx.Client(base_url=running.url, headers=headers, timeout=60) as client:
            yield client, tmp_path / "data" / "studio" / "catalog.yaml"
    finally:
        running.stop()


def upload(name: str, data: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "text/csv")}


def saved(catalog: Path) -> dict[str, dict[str, Any]]:
    products = yaml.safe_load(catalog.read_text(encoding="utf-8"))["products"]
    return {str(p["sku"]): p for p in products}


def test_preview_writes_nothing_then_confirm_merges_by_sku(
    shop: tuple[httpx.Client, Path],
) -> None:
    client, catalog = shop
    before = catalog.read_bytes()
    data = codecs.BOM_UTF8 + EXCEL_CSV.encode("utf-8")

    preview = client.post("/studio/api/products/import/preview", files=upload("shop.csv", data))
    assert preview.status_code == 200, preview.text
    plan = preview.json()
    assert catalog.read_bytes() == before  # a preview writes nothing
    assert [p["sku"] for p in plan["added"]] == ["D9"]
    [changed] = plan["changed"]
    assert changed["sku"] == "A12"
    assert changed["changes"] == [
        {"field": "sale_price", "before": "", "after": "179.000\xa0₫"},
    ]
    assert [p["sku"] for p in plan["kept"]] == ["B3", "C7"] and plan["removed"] == []
    assert plan["columns"]["price"] == "Giá bán" and plan["ignored_columns"] == ["Ghi chú"]

    done = client.post(
        "/studio/api/products/import",
        params={"base": plan["base"], "mode": "merge"},
        files=upload("shop.csv", data),
    )
    assert done.status_code == 200, done.text
    rows = saved(catalog)
    assert list(rows) == ["A12", "B3", "C7", "D9"]  # kept in place, the new one last
    assert rows["A12"]["sale_price"] == 179000 and rows["A12"]["stock"] == 6
    assert rows["D9"] == {
        "sku": "D9",
        "name": "Khăn lụa Hà Đông",
        "price": 150000,
        "currency": "VND",
        "stock": 30,
    }
    assert str(rows["A12"]["photos"][0]).endswith("coffee-cup.jpg")  # the sheet had no photos


def test_replace_all_is_asked_for_and_removes_what_the_file_lacks(
    shop: tuple[httpx.Client, Path],
) -> None:
    client, catalog = shop
    data = EXCEL_CSV.encode("utf-8")
    plan = client.post(
        "/studio/api/products/import/preview",
        params={"mode": "replace"},
        files=upload("shop.csv", data),
    ).json()
    assert [p["sku"] for p in plan["removed"]] == ["B3", "C7"] and plan["kept"] == []
    client.post(
        "/studio/api/products/import",
        params={"base": plan["base"], "mode": "replace"},
        files=upload("shop.csv", data),
    ).raise_for_status()
    assert list(saved(catalog)) == ["A12", "D9"]


def test_a_confirmation_without_or_after_a_changed_preview_is_refused(
    shop: tuple[httpx.Client, Path],
) -> None:
    client, catalog = shop
    data = EXCEL_CSV.encode("utf-8")
    before = catalog.read_bytes()
    blind = client.post("/studio/api/products/import", files=upload("shop.csv", data))
    assert blind.status_code == 409 and blind.json()["code"] == "catalog.changed"
    plan = client.post("/studio/api/products/import/preview", files=upload("shop.csv", data))
    client.delete("/studio/api/products/C7").raise_for_status()  # an edit after the preview
    late = client.post(
        "/studio/api/products/import",
        params={"base": plan.json()["base"]},
        files=upload("shop.csv", data),
    )
    assert late.status_code == 409 and late.json()["code"] == "catalog.changed"
    assert "D9" not in saved(catalog) and catalog.read_bytes() != before


def test_utf16_tab_separated_sheet_with_english_headers_loads(
    shop: tuple[httpx.Client, Path],
) -> None:
    """Excel's "Unicode Text" (.txt): UTF-16 LE with a BOM, tab-separated."""
    client, _catalog = shop
    text = "SKU\tProduct name\tPrice\tQty\r\nE5\tÁo dài lụa\t1.250.000\t3\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    plan = client.post("/studio/api/products/import/preview", files=upload("shop.txt", data))
    assert plan.status_code == 200, plan.text
    assert plan.json()["added"] == [{"sku": "E5", "name": "Áo dài lụa", "price": "1.250.000\xa0₫"}]


@pytest.mark.parametrize(
    ("sheet", "row", "column"),
    [
        ("Mã SP;Tên sản phẩm;Giá bán\r\nA1;Áo;199.000\r\nA2;Quần;hai trăm\r\n", 3, "Giá bán"),
        ("Mã SP;Tên sản phẩm;Giá bán;Tồn kho\r\nA1;Áo;1;nhiều\r\n", 2, "Tồn kho"),
        ("Mã SP;Tên sản phẩm;Giá bán;Giá KM\r\nA1;Áo;100;150\r\n", 2, "Giá KM"),
        ("Mã SP;Tên sản phẩm;Giá bán\r\nA1;Áo;1\r\nA1;Quần;2\r\n", 3, "Mã SP"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_in_the_pages_language(
    shop: tuple[httpx.Client, Path], sheet: str, row: int, column: str
) -> None:
    client, catalog = shop
    before = catalog.read_bytes()
    answer = client.post(
        "/studio/api/products/import/preview", files=upload("shop.csv", sheet.encode())
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "catalog.row"
    assert f"Dòng {row}" in problem["message"] and column in problem["message"]
    assert catalog.read_bytes() == before


def test_a_cell_over_the_csv_field_limit_is_a_row_error(shop: tuple[httpx.Client, Path]) -> None:
    client, _catalog = shop
    sheet = "sku,name,price\nA1,Áo,1\nA2," + "x" * 200_000 + ",2\n"
    answer = client.post(
        "/studio/api/products/import/preview", files=upload("shop.csv", sheet.encode())
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "catalog.row" and "3" in answer.json()["message"]


@pytest.mark.parametrize(
    "photo", ["../tokens.json", "../../catalog.yaml", "/etc/passwd", "catalog.yaml", "data"]
)
def test_a_photo_outside_the_folders_or_not_a_photo_is_refused_at_import(
    shop: tuple[httpx.Client, Path], photo: str
) -> None:
    client, catalog = shop
    sheet = f"sku,name,price,photos\nZ1,Áo,1,{photo}\n"
    answer = client.post(
        "/studio/api/products/import/preview", files=upload("shop.csv", sheet.encode())
    )
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == "catalog.photo"
    assert "Z1" in problem["message"] and photo in problem["message"]
    assert "secret" not in answer.text
    assert "Z1" not in saved(catalog)
