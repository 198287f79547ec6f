"""Quantities, sizes, colours and several items in one comment (server/orders/variants.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.orders import CatalogView, parse_comment
from server.orders.variants import size_key
from studio.catalog import load_catalog

CATALOG_FILE = Path(__file__).resolve().parents[2] / "data" / "live_catalog.yaml"
CATALOG = CatalogView.from_catalog(load_catalog(CATALOG_FILE))


def lines(text: str, pinned: str | None = "A12") -> list[tuple[str, int, str | None, str | None]]:
    result = parse_comment(text, CATALOG, pinned=pinned)
    return [(line.sku, line.qty, line.size, line.color) for line in result.items]


@pytest.mark.parametrize(
    ("size", "key"),
    [
        ("XXL", "xxl"),
        ("2XL", "xxl"),
        ("3xl", "xxxl"),
        ("Free size", "freesize"),
        ("M", "m"),
        ("medium", "m"),
        ("38", "38"),
    ],
)
def test_size_key_makes_spellings_of_one_size_equal(size: str, key: str) -> None:
    assert size_key(size) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chốt A12 x2", ("A12", 2, None, None)),
        ("chốt A12 x 3", ("A12", 3, None, None)),
        ("chốt A12 *2", ("A12", 2, None, None)),
        ("chốt A12 ×2", ("A12", 2, None, None)),
        ("chốt A12 2x", ("A12", 2, None, None)),
        ("chốt A12 2 cái", ("A12", 2, None, None)),
        ("chốt A12 2c", ("A12", 2, None, None)),
        ("chốt A12 sl 4", ("A12", 4, None, None)),
        ("chốt A12 sl:4", ("A12", 4, None, None)),
        ("chốt A12 số lượng 5", ("A12", 5, None, None)),
        ("chốt A12 qty 2", ("A12", 2, None, None)),
        ("chốt 2 A12", ("A12", 2, None, None)),
        ("chốt 2 cái A12", ("A12", 2, None, None)),
        ("chốt hai cái A12", ("A12", 2, None, None)),
        ("chốt A12 hai", ("A12", 2, None, None)),
        ("chốt A12 ba cái", ("A12", 3, None, None)),
        ("sold A12 two", ("A12", 2, None, None)),
        ("I'll take 3 pcs of A12", ("A12", 3, None, None)),
        ("أريد A12 اثنين", ("A12", 2, None, None)),
        ("أريد ٣ A12", ("A12", 3, None, None)),
        ("أريد A12 ۲ حبة", ("A12", 2, None, None)),
        ("chốt A12 129k", ("A12", 1, None, None)),  # money is not a count
        ("chốt A12 em 50kg", ("A12", 1, None, None)),  # nor a weight
        ("chốt A12, em cao 1m6", ("A12", 1, None, None)),  # nor a height
        ("chốt A12 nặng 50", ("A12", 1, None, None)),  # a number far from the code
    ],
)
def test_quantities(text: str, expected: tuple[str, int, str | None, str | None]) -> None:
    assert lines(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chốt A12 size M", ("A12", 1, "M", None)),
        ("chốt A12 sz m", ("A12", 1, "M", None)),
        ("chốt A12 sai L", ("A12", 1, "L", None)),
        ("chốt A12 cỡ xl", ("A12", 1, "XL", None)),
        ("chốt A12 xl", ("A12", 1, "XL", None)),
        ("chốt A12 màu đỏ", ("A12", 1, None, "đỏ")),
        ("chốt A12 mau do", ("A12", 1, None, "đỏ")),  # no diacritics
        ("chốt A12 đồ đẹp", ("A12", 1, None, None)),  # "đồ" (clothes) is not "đỏ"
        ("chốt A12 red", ("A12", 1, None, "đỏ")),  # colour names in other languages
        ("أريد A12 أحمر", ("A12", 1, None, "đỏ")),
        ("chốt AB2 đen", ("AB2", 1, None, "Black")),
        ("chốt C7 xanh lá M", ("C7", 1, "M", "xanh lá")),
        ("chốt D15 hong dat", ("D15", 1, None, "hồng đất")),  # "đất" before "đặt" (a keyword)
        ("chốt G5 size 38", ("G5", 1, "38", None)),
        ("chốt G5 38 x2", ("G5", 2, "38", None)),
        ("chốt CH20 xxl", ("CH20", 1, "2XL", None)),  # one size, two spellings
        ("chốt CH20 freesize", ("CH20", 1, "Free size", None)),
        ("chốt K9 مقاس ٥٤", ("K9", 1, "54", None)),
        ("chốt K9 لون كحلي", ("K9", 1, None, "كحلي")),
    ],
)
def test_variants_match_the_products_own(
    text: str, expected: tuple[str, int, str | None, str | None]
) -> None:
    assert lines(text) == [expected]


@pytest.mark.parametrize(
    "text",
    ["chốt A12 size XXL", "chốt A12 màu tím", "chốt B3 size M", "chốt G5 size 41", "chốt A12 2xl"],
)
def test_unknown_variant_keeps_the_order_and_says_so(text: str) -> None:
    result = parse_comment(text, CATALOG, pinned="A12")
    assert result.intent == "order"
    assert (result.items[0].size, result.items[0].color) == (None, None)
    assert result.rule.endswith(";variant-unmatched")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A12 x2, B3 x1", [("A12", 2, None, None), ("B3", 1, None, None)]),
        ("A12 2 B3", [("A12", 2, None, None), ("B3", 1, None, None)]),
        ("2 B3 1 N100", [("B3", 2, None, None), ("N100", 1, None, None)]),
        ("B3 x2 N100 x1", [("B3", 2, None, None), ("N100", 1, None, None)]),
        ("chốt A12 M, A12 L", [("A12", 1, "M", None), ("A12", 1, "L", None)]),
        ("chốt A12 1M 1L", [("A12", 1, "M", None), ("A12", 1, "L", None)]),
        ("chốt A12 M x1, L x2", [("A12", 1, "M", None), ("A12", 2, "L", None)]),
        ("chốt A12 M đen L trắng", [("A12", 1, "M", "đen"), ("A12", 1, "L", "trắng")]),
        ("chốt B3, B3", [("B3", 2, None, None)]),  # the same line twice adds up
    ],
)
def test_several_items_in_one_comment(
    text: str, expected: list[tuple[str, int, str | None, str | None]]
) -> None:
    assert lines(text) == expected
