"""Spreadsheets as sellers save them: Vietnamese and English headers, Excel's encodings and
separators, and a cell the csv module refuses named by its row."""

from __future__ import annotations

import codecs
import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from studio.catalog import load_catalog, read_catalog_file
from studio.catalog_sheet import HEADER_ALIASES_FILE, fold_header, header_aliases
from studio.errors import CatalogError, CatalogRowInvalid


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("Mã SP", "sku"),
        ("MÃ SẢN PHẨM", "sku"),
        ("ma sp", "sku"),
        ("Tên sản phẩm", "name"),
        ("Giá bán", "price"),
        ("Giá", "price"),
        ("gia_km", "sale_price"),
        ("Giá KM", "sale_price"),
        ("Tồn kho", "stock"),
        ("Số lượng", "stock"),
        ("SL", "stock"),
        ("Size", "size"),
        ("Màu", "color"),
        ("Màu sắc", "color"),
        ("Hình ảnh", "photos"),
        ("sale_price", "sale_price"),
        (" Price ", "price"),
        ("Đơn giá", "price"),
    ],
)
def test_header_aliases_match_without_case_or_accents(written: str, field: str) -> None:
    assert header_aliases()[fold_header(written)] == field


def test_no_alias_names_two_fields() -> None:
    table = json.loads(HEADER_ALIASES_FILE.read_text(encoding="utf-8"))
    fields: dict[str, set[str]] = {}
    for field, names in table.items():
        for alias in names if field[0] != "_" else ():
            fields.setdefault(fold_header(alias), set()).add(field)
    assert {alias: f for alias, f in fields.items() if len(f) > 1} == {}


EXCEL_ROWS = [
    ["Mã SP", "Tên sản phẩm", "Giá bán", "Giá KM", "Tồn kho", "Size", "Màu", "Ghi chú"],
    ["A12", "Áo thun cotton", "199.000", "179.000", "10", "M", "Đỏ", "hàng mới"],
    ["A12", "Áo thun cotton", "199.000", "179.000", "8", "L", "Đỏ", ""],
    ["B3", "Chả mực Hạ Long", "250.000", "", "25", "", "", ""],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "prefix"),
    [
        ("utf-8-sig", ";", ""),  # Excel "CSV UTF-8" with Vietnamese regional settings
        ("utf-8-sig", ",", ""),
        ("utf-8", ";", "sep=;\r\n"),  # Excel's own separator hint
        ("utf-16", "\t", ""),  # Excel "Unicode Text": UTF-16 with a BOM, tabs
    ],
)
def test_excel_saved_sheets_load(
    tmp_path: Path, encoding: str, delimiter: str, prefix: str
) -> None:
    path = tmp_path / ("sheet.txt" if encoding == "utf-16" else "sheet.csv")
    with path.open("w", encoding=encoding, newline="") as file:
        file.write(prefix)
        csv.writer(file, delimiter=delimiter, lineterminator="\r\n").writerows(EXCEL_ROWS)
    catalog = load_catalog(path)
    a12, b3 = catalog.products
    assert (a12.sku, a12.price, a12.sale_price, a12.stock) == (
        "A12",
        Decimal(199000),
        Decimal(179000),
        18,
    )
    assert [(v.size, v.color, v.stock) for v in a12.variants] == [("M", "Đỏ", 10), ("L", "Đỏ", 8)]
    assert (b3.name, b3.sale_price, b3.stock) == ("Chả mực Hạ Long", None, 25)


def test_the_file_says_which_fields_it_sets_and_what_it_ignored() -> None:
    text = "\ufeffMã SP;Tên sản phẩm;Giá bán;Ghi chú\r\nA1;Áo;1;x\r\n"
    read = read_catalog_file(text.encode("utf-8"), name="shop.csv")
    assert read.fields == {"sku", "name", "price"}
    assert read.columns == {"sku": "Mã SP", "name": "Tên sản phẩm", "price": "Giá bán"}
    assert read.ignored == ("Ghi chú",)


@pytest.mark.parametrize(
    ("sheet", "row", "column", "problem"),
    [
        ("Mã SP;Tên;Giá bán\r\nA1;Áo;1\r\nA2;Quần;free\r\n", 3, "Giá bán", "field.not_a_number"),
        ("Mã SP;Tên;Giá bán;Tồn kho\r\nA1;Áo;1;-2\r\n", 2, "Tồn kho", "field.negative"),
        ("Mã SP;Tên;Giá bán;Giá KM\r\nA1;Áo;1;2\r\n", 2, "Giá KM", "field.sale_above_price"),
        ("Mã SP;Tên;Giá bán\r\n;Áo;1\r\n", 2, "Mã SP", "field.empty"),
        ("Mã SP;Tên;Giá bán\r\nA1;Áo;1\r\nA1;Quần;1\r\n", 3, "Mã SP", "field.sku_taken"),
    ],
)
def test_a_bad_cell_names_its_row_and_the_column_as_written(
    sheet: str, row: int, column: str, problem: str
) -> None:
    with pytest.raises(CatalogRowInvalid) as info:
        read_catalog_file(sheet.encode("utf-8"), name="shop.csv")
    assert info.value.params["row"] == row
    assert info.value.params["column"] == column
    assert info.value.params["problem"] == problem
    assert f"row {row}, column {column!r}" in info.value.message


def test_a_cell_over_the_csv_field_limit_is_a_row_error_with_exit_2(tmp_path: Path) -> None:
    long_cell = "x" * (csv.field_size_limit() + 10)
    path = tmp_path / "c.csv"
    path.write_text(f"sku,name,price\nA1,Áo,1\nA2,{long_cell},2\n", encoding="utf-8")
    with pytest.raises(CatalogRowInvalid) as info:
        load_catalog(path)
    assert (info.value.params["row"], info.value.params["column"]) == (3, "name")
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Tên;Giá\r\n", "missing sku"),
        ("Mã SP;Mã sản phẩm;Tên;Giá\r\n", "both mean 'sku'"),
        ("", "missing sku, name, price"),
    ],
)
def test_a_header_that_cannot_work_says_why(header: str, expected: str) -> None:
    with pytest.raises(CatalogError, match=expected):
        read_catalog_file(header.encode("utf-8"), name="shop.csv")


def test_bytes_that_are_not_text_ask_for_csv_utf8() -> None:
    with pytest.raises(CatalogError, match="CSV UTF-8"):
        read_catalog_file("sku,name,price\nA1,Café,1\n".encode("cp1258"), name="shop.csv")
    with pytest.raises(CatalogError, match="CSV UTF-8"):
        read_catalog_file(codecs.BOM_UTF8 + b"sku,name\n\xff\xfe", name="shop.csv")
