"""Money: parsing sellers' price text and formatting per currency and locale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from studio.errors import InputError, UnknownCurrency
from studio.money import discount_percent, format_price, parse_amount

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        (199000, "VND", "vi", f"199.000{NBSP}₫"),
        (199000, "VND", "en", "₫199,000"),
        (Decimal("19.99"), "USD", "en", "$19.99"),
        (Decimal("19.99"), "USD", "vi", f"19,99{NBSP}US$"),
    ],
)
def test_format_price_per_locale(
    amount: Decimal, currency: str, locale: str, expected: str
) -> None:
    assert format_price(amount, currency, locale) == expected


def test_arabic_price_uses_arabic_locale_rules() -> None:
    text = format_price(199000, "VND", "ar")
    assert "199" in text and "₫" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("159000", Decimal(159000)),
        ("159.000", Decimal(159000)),
        ("1.250.000 ₫", Decimal(1250000)),
        ("159,000", Decimal(159000)),
        ("19.99", Decimal("19.99")),
        ("19,99", Decimal("19.99")),
        (129000, Decimal(129000)),
    ],
)
def test_parse_amount_accepts_how_sellers_write_prices(text: object, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("bad", ["abc", "-5", True, "nan", ""])
def test_parse_amount_rejects_non_prices(bad: object) -> None:
    with pytest.raises(InputError):
        parse_amount(bad)


def test_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency, match="ISO 4217"):
        format_price(1, "XYZ")


@pytest.mark.parametrize(
    ("price", "sale", "percent"), [(199000, 139300, 30), (100, 100, 0), (100, 120, 0)]
)
def test_discount_percent(price: int, sale: int, percent: int) -> None:
    assert discount_percent(Decimal(price), Decimal(sale)) == percent
