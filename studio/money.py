"""Prices: parsing amounts and formatting them per currency and locale (through Babel)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, is_currency

from studio.error_texts import field_problem
from studio.errors import InputError, UnknownCurrency

SUPPORTED_LOCALES = ("vi", "en", "ar")
DEFAULT_CURRENCY = "VND"


def check_currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise `UnknownCurrency`."""
    upper = code.strip().upper()
    if len(upper) != 3 or not is_currency(upper):
        raise UnknownCurrency(
            f"unknown currency {code!r}", hint="use an ISO 4217 code such as VND, USD or EUR"
        )
    return upper


def parse_amount(value: object, *, field: str = "price") -> Decimal:
    """Turn a number or numeric text (``159000``, ``"159.000"``, ``"19.99"``) into a Decimal.

    Dots used as thousands separators (``159.000`` as written in Vietnam) are accepted when every
    group after the first has exactly three digits.

    Raises:
        InputError: when the value is not a non-negative number.
    """
    if isinstance(value, bool):
        raise InputError(f"{field}: {value!r} is not a number")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        amount = _parse_amount_text(str(value), field=field)
    if not amount.is_finite():
        raise InputError(f"{field}: {value!r} is not a number")
    if amount < 0:
        raise InputError(
            f"{field}: {value!r} is negative",
            hint="prices must be 0 or more",
            params={"reason": "negative"},
        )
    return amount


def _parse_amount_text(text: str, *, field: str) -> Decimal:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
    for symbol in ("₫", "đ", "VND", "vnd", "$", "€"):
        cleaned = cleaned.replace(symbol, "")
    groups = cleaned.split(".")
    if len(groups) > 1 and all(len(g) == 3 and g.isdigit() for g in groups[1:]):
        cleaned = "".join(groups)
    elif "," in cleaned and "." not in cleaned:
        parts = cleaned.split(",")
        if all(len(p) == 3 and p.isdigit() for p in parts[1:]):
            cleaned = "".join(parts)
        else:
            cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise InputError(
            f"{field}: {text!r} is not a number", hint="write the price as digits, e.g. 159000"
        ) from None


def price_field(value: object) -> Decimal | None:
    """Parse an optional price for a pydantic field validator: blank is None.

    Raises:
        ValueError: the value is not a non-negative number (pydantic shows it on the field).
    """
    if value is None or value == "":
        return None
    try:
        return parse_amount(value)
    except InputError as exc:
        if exc.params.get("reason") == "negative":
            raise field_problem(
                "field.negative", "'{value}' is negative", value=str(value)
            ) from None
        raise field_problem(
            "field.not_a_number", "'{value}' is not a number", value=str(value)
        ) from None


def currency_digits(currency: str) -> int:
    """Return how many decimals a currency uses (VND 0, USD 2)."""
    return int(get_currency_precision(check_currency(currency)))


def format_price(amount: Decimal | int | float, currency: str, locale: str = "vi") -> str:
    """Format a price for a seller or viewer: ``199.000 ₫`` (vi), ``₫199,000`` (en), ``$19.99``.

    The non-breaking space Babel puts between number and symbol is kept so the price never wraps.
    """
    code = check_currency(currency)
    return str(format_currency(Decimal(str(amount)), code, locale=locale))


def discount_percent(price: Decimal, sale_price: Decimal) -> int:
    """Return the rounded discount of a sale price, e.g. 30 for 199000 -> 139300."""
    if price <= 0 or sale_price >= price:
        return 0
    return int(((price - sale_price) * 100 / price).to_integral_value())
