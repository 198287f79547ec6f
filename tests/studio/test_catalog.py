"""Catalog loading: the YAML form other tools write, spreadsheet CSVs, and each bad-input error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from studio.catalog import load_catalog, save_catalog
from studio.errors import CatalogError, CatalogRowInvalid
from studio.paths import sample_catalog_path

DOCUMENTED_YAML = """\
products:
  - {sku: A12, name: "Áo thun cotton", price: 159000, sale_price: 129000, currency: VND, stock: 60,
     photos: [photos/a12.jpg],
     variants: [{size: M, color: "đỏ", stock: 10}, {size: L, color: "đỏ", stock: 8}]}
"""


def write(tmp_path: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_documented_yaml_form_loads_with_variant_stock_summed(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, "c.yaml", DOCUMENTED_YAML))
    product = catalog.get("a 12")
    assert product is not None
    assert product.name == "Áo thun cotton"
    assert product.price == Decimal(159000) and product.sale_price == Decimal(129000)
    assert product.stock == 18  # sum of the variants, not the 60 written
    assert product.sizes == ("M", "L") and product.colors == ("đỏ",)
    assert catalog.photo_path(product) == tmp_path / "photos" / "a12.jpg"


def test_bundled_sample_catalog_loads_and_its_photos_exist() -> None:
    catalog = load_catalog(sample_catalog_path())
    assert {p.sku for p in catalog.products} >= {"A12", "B3", "SP01"}
    for product in catalog.products:
        path = catalog.photo_path(product)
        assert path is not None and path.is_file(), product.sku


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_round_trip_keeps_every_field(tmp_path: Path, suffix: str) -> None:
    original = load_catalog(sample_catalog_path())
    copy = load_catalog(save_catalog(original, tmp_path / f"copy{suffix}"))
    assert [p.model_dump() for p in copy.products] == [p.model_dump() for p in original.products]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-8-sig", ";"), ("utf-8", "\t")],
)
def test_spreadsheet_exports_load_as_is(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [
        ["sku", "name", "price", "sale_price", "currency", "stock", "size", "color", "photos"],
        ["A12", "Áo thun cotton", "159.000", "129000", "VND", "10", "M", "đỏ", "a12.jpg"],
        ["A12", "Áo thun cotton", "159.000", "129000", "VND", "8", "L", "đỏ", ""],
        ["B3", "Chả mực Hạ Long", "250000", "", "", "25", "", "", ""],
        ["", "", "", "", "", "", "", "", ""],
    ]
    text = "\r\n".join(delimiter.join(row) for row in rows)
    catalog = load_catalog(write(tmp_path, "sheet.csv", text, encoding=encoding))
    a12, b3 = catalog.products
    assert (a12.sku, a12.price, a12.stock, len(a12.variants)) == ("A12", Decimal(159000), 18, 2)
    assert a12.photos == ("a12.jpg",)
    assert (b3.currency, b3.stock, b3.sale_price) == ("VND", 25, None)


BAD_YAML = {
    "unknown currency": ("{sku: A1, name: X, price: 10, currency: XYZ}", "currency"),
    "negative price": ("{sku: A1, name: X, price: -5}", "negative"),
    "price not a number": ("{sku: A1, name: X, price: abc}", "not a number"),
    "sale above price": ("{sku: A1, name: X, price: 10, sale_price: 20}", "sale_price"),
    "empty name": ("{sku: A1, name: '  ', price: 10}", "name"),
    "bad sku": ("{sku: 'A 1/2', name: X, price: 10}", "sku"),
    "negative stock": ("{sku: A1, name: X, price: 10, stock: -1}", "stock"),
    "unknown field": ("{sku: A1, name: X, price: 10, colour: red}", "colour"),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_yaml_row_names_line_and_column(tmp_path: Path, case: str) -> None:
    product, expected = BAD_YAML[case]
    text = f"products:\n  - {{sku: OK1, name: Fine, price: 1}}\n  - {product}\n"
    with pytest.raises(CatalogRowInvalid) as info:
        load_catalog(write(tmp_path, "c.yaml", text))
    message = str(info.value)
    assert "products[1] (line 3)" in message
    assert expected in message


def test_duplicate_sku_in_yaml_is_an_error(tmp_path: Path) -> None:
    text = "products:\n  - {sku: a12, name: X, price: 1}\n  - {sku: A12, name: Y, price: 2}\n"
    with pytest.raises(CatalogError, match="duplicate SKU 'A12'"):
        load_catalog(write(tmp_path, "c.yaml", text))


def test_duplicate_sku_in_csv_without_variant_names_the_row(tmp_path: Path) -> None:
    text = "sku,name,price\nA12,X,1\nB3,Y,2\nA12,Z,3\n"
    with pytest.raises(CatalogRowInvalid, match=r"row 4, column 'sku': duplicate SKU"):
        load_catalog(write(tmp_path, "c.csv", text))


def test_csv_bad_cell_names_row_and_column(tmp_path: Path) -> None:
    text = "sku,name,price,stock\nA12,X,1,3\nB3,Y,2,lots\n"
    with pytest.raises(CatalogRowInvalid, match=r"row 3, column 'stock'"):
        load_catalog(write(tmp_path, "c.csv", text))


def test_csv_price_error_names_the_products_row(tmp_path: Path) -> None:
    text = "sku,name,price\nA12,X,1\nB3,Y,free\n"
    with pytest.raises(CatalogRowInvalid, match=r"row 3, column 'price'"):
        load_catalog(write(tmp_path, "c.csv", text))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("c.yaml", "just: text", "'products' list"),
        ("c.yaml", "products: [", "not valid YAML"),
        ("c.csv", "a,b,c\n1,2,3\n", "first row must name the columns"),
        ("c.xls", "x", "unknown catalog format"),
    ],
)
def test_unusable_files_say_why(tmp_path: Path, name: str, content: str, expected: str) -> None:
    with pytest.raises(CatalogError, match=expected):
        load_catalog(write(tmp_path, name, content))


def test_latin1_file_asks_for_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("sku,name,price\nA1,Café,1\n".encode("latin-1"))
    with pytest.raises(CatalogError, match="CSV UTF-8"):
        load_catalog(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such catalog file"):
        load_catalog(tmp_path / "nope.yaml")
