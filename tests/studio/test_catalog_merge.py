"""`plan_import`: what an import would add, change, keep or remove, as tables of cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from studio.catalog import Catalog, Product
from studio.catalog_merge import FieldChange, catalog_fingerprint, plan_import
from studio.errors import CatalogRowInvalid

ALL_FIELDS = frozenset({"sku", "name", "price", "sale_price", "currency", "stock", "variants"})


def product(sku: str, **fields: Any) -> Product:
    return Product.model_validate({"sku": sku, "name": f"SP {sku}", "price": 100, **fields})


def catalog(*products: Product) -> Catalog:
    return Catalog(products=products)


SHOP = catalog(
    product("A1", price=199000, stock=5, photos=("/shop/a1.jpg",), description="cotton"),
    product("B2", price=50000, sale_price=45000, stock=3),
    product("C3", variants=({"size": "M", "stock": 2}, {"size": "L", "stock": 4})),
)

# name -> (file's products, fields the file sets, mode, added, changed {sku: changes}, kept, removed)
CASES: dict[
    str,
    tuple[
        list[Product],
        frozenset[str],
        str,
        list[str],
        dict[str, list[FieldChange]],
        list[str],
        list[str],
    ],
] = {  # noqa: E501
    "a new code is added, the others kept": (
        [product("D4", price=10)],
        ALL_FIELDS,
        "merge",
        ["D4"],
        {},
        ["A1", "B2", "C3"],
        [],
    ),
    "a new price is a change with before and after": (
        [product("A1", name="SP A1", price=179000, stock=5)],
        frozenset({"sku", "name", "price", "stock"}),
        "merge",
        [],
        {"A1": [FieldChange("price", Decimal(199000), Decimal(179000))]},
        ["B2", "C3"],
        [],
    ),
    "a column the file lacks keeps the catalog's value": (
        [product("B2", price=50000)],  # no stock, no sale price columns
        frozenset({"sku", "name", "price"}),
        "merge",
        [],
        {},
        ["A1", "C3"],
        [],
    ),
    "an empty sale-price cell removes the sale price": (
        [product("B2", price=50000, stock=3)],
        frozenset({"sku", "name", "price", "sale_price", "stock"}),
        "merge",
        [],
        {"B2": [FieldChange("sale_price", Decimal(45000), None)]},
        ["A1", "C3"],
        [],
    ),
    "variant rows change the variants and the total": (
        [product("C3", variants=({"size": "M", "stock": 7},))],
        ALL_FIELDS,
        "merge",
        [],
        {
            "C3": [
                FieldChange("stock", 6, 7),
                FieldChange("variants", "M: 2; L: 4", "M: 7"),
            ]
        },
        ["A1", "B2"],
        [],
    ),
    "replace removes what the file does not name": (
        [product("B2", price=50000, sale_price=45000, stock=3), product("D4")],
        ALL_FIELDS,
        "replace",
        ["D4"],
        {},
        [],
        ["A1", "C3"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_import(case: str) -> None:
    incoming, fields, mode, added, changed, kept, removed = CASES[case]
    plan = plan_import(SHOP, incoming, fields=fields, mode=mode)  # type: ignore[arg-type]
    assert [p.sku for p in plan.added] == added
    assert {c.after.sku: list(c.changes) for c in plan.changed} == changed
    assert [p.sku for p in plan.kept] == kept
    assert [p.sku for p in plan.removed] == removed
    expected_skus = (
        [p.sku for p in incoming] if mode == "replace" else [p.sku for p in SHOP.products] + added
    )
    assert [p.sku for p in plan.result.products] == expected_skus


def test_merge_keeps_photos_and_description_the_sheet_does_not_have() -> None:
    plan = plan_import(SHOP, [product("A1", price=1)], fields=frozenset({"sku", "name", "price"}))
    a1 = plan.result.get("A1")
    assert a1 is not None
    assert (a1.price, a1.photos, a1.description, a1.stock) == (
        Decimal(1),
        ("/shop/a1.jpg",),
        "cotton",
        5,
    )


def test_variant_rows_without_a_stock_column_keep_each_variants_stock() -> None:
    incoming = [product("C3", variants=({"size": "M"}, {"size": "XL"}))]
    plan = plan_import(SHOP, incoming, fields=frozenset({"sku", "name", "price", "variants"}))
    c3 = plan.result.get("C3")
    assert c3 is not None
    assert [(v.size, v.stock) for v in c3.variants] == [("M", 2), ("XL", 0)]


def test_same_file_twice_changes_nothing_the_second_time() -> None:
    first = plan_import(SHOP, [product("D4"), product("A1", price=5)], fields=ALL_FIELDS)
    again = plan_import(first.result, [product("D4"), product("A1", price=5)], fields=ALL_FIELDS)
    assert not again.has_changes
    assert [p.sku for p in again.unchanged] == ["D4", "A1"]
    assert catalog_fingerprint(again.result) == catalog_fingerprint(first.result)


def test_a_price_below_the_kept_sale_price_names_the_sku() -> None:
    with pytest.raises(CatalogRowInvalid, match="B2") as info:
        plan_import(SHOP, [product("B2", price=40000)], fields=frozenset({"sku", "name", "price"}))
    assert info.value.params["sku"] == "B2"


def test_the_plan_never_changes_the_catalog_it_was_given() -> None:
    before = catalog_fingerprint(SHOP)
    plan_import(SHOP, [product("A1", price=1)], fields=ALL_FIELDS, mode="replace")
    assert catalog_fingerprint(SHOP) == before
