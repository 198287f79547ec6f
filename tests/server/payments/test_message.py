"""Buyer messages (server/payments/message.py) in vi, en and ar."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from babel.dates import format_skeleton

from server.payments.message import (
    FIRST_STRONG_ISOLATE,
    POP_DIRECTIONAL_ISOLATE,
    TEMPLATES,
    BankTransfer,
    BuyerOrder,
    MessageLine,
    buyer_message,
)
from studio.money import format_price

ORDER = BuyerOrder(
    code="LS-0042",
    buyer="Nguyễn Thị Hạnh",
    lines=(
        MessageLine("Áo thun A12 size M", 2, Decimal(89000)),
        MessageLine("Cốc sứ SP01", 1, Decimal(45000)),
    ),
    total=Decimal(223000),
    currency="VND",
)
PAYMENT = BankTransfer(
    bank="Vietcombank",
    account="1012345678",
    holder="NGUYEN THI HANH",
    note="LS-0042",
    url="https://shop.example/o/Zq4k7XbP2mNwR8sT",
)
DEADLINE = datetime(2026, 11, 25, 20, 0)


def test_vietnamese_message_lists_items_total_payment_and_deadline() -> None:
    text = buyer_message(ORDER, PAYMENT, deadline=DEADLINE, locale="vi")
    assert text.splitlines() == [
        "Chào Nguyễn Thị Hạnh! Đơn LS-0042 của bạn:",
        "- Áo thun A12 size M x2: 178.000\xa0₫",
        "- Cốc sứ SP01 x1: 45.000\xa0₫",
        "Tổng cộng: 223.000\xa0₫",
        "Chuyển khoản: Vietcombank · STK 1012345678 · NGUYEN THI HANH",
        "Nội dung chuyển khoản (ghi đúng): LS-0042",
        "Quét mã QR hoặc mở: https://shop.example/o/Zq4k7XbP2mNwR8sT",
        f"Vui lòng thanh toán trước 20:00, {vi_day(DEADLINE)}. Cảm ơn bạn!",
    ]


def vi_day(when: datetime) -> str:
    """The short weekday, day and month in Vietnamese, as the locale's data spells them.

    CLDR releases differ on the weekday ("Th 4" in Babel 2.17, "Thứ 4" in 2.19), so the test takes
    the weekday from the formatter and checks the parts every release agrees on: the day number
    and "thg <month>".
    """
    text = format_skeleton("MMMEd", when, locale="vi")
    assert text.endswith(f", {when.day} thg {when.month}"), text
    assert text.startswith("Th"), text  # "Th 4" or "Thứ 4": Wednesday is the fourth day
    assert "4" in text.split(",")[0], text
    return text


def test_english_message_formats_prices_the_english_way() -> None:
    text = buyer_message(ORDER, PAYMENT, deadline=DEADLINE, locale="en")
    assert "Total: ₫223,000" in text
    assert "Please pay before 8:00\u202fPM, Wed, Nov 25. Thank you!" in text


def test_arabic_message_isolates_left_to_right_values() -> None:
    text = buyer_message(ORDER, PAYMENT, deadline=DEADLINE, locale="ar")
    for value in ("LS-0042", "1012345678", PAYMENT.url):
        assert f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}" in text
    assert format_price(Decimal(223000), "VND", "ar") in text
    assert text.count(FIRST_STRONG_ISOLATE) == text.count(POP_DIRECTIONAL_ISOLATE)
    assert "المجموع" in text


def test_cash_on_delivery_has_no_bank_lines() -> None:
    text = buyer_message(ORDER, None, deadline=DEADLINE, locale="vi")
    assert "Thanh toán khi nhận hàng (COD): 223.000\xa0₫" in text
    assert "STK" not in text and "QR" not in text


def test_other_currencies_get_a_plain_transfer_text_in_the_buyers_locale() -> None:
    order = BuyerOrder(
        "LS-7", "Sam", (MessageLine("Mug", 1, Decimal("12.50")),), Decimal("12.50"), "USD"
    )
    payment = BankTransfer("Chase", "000123456789", "Hanh Shop LLC", "LS-7")
    text = buyer_message(order, payment, deadline=DEADLINE, locale="en")
    assert "Total: $12.50" in text
    assert "Scan the QR" not in text  # no order page given, no QR line


def test_every_locale_has_every_template_key() -> None:
    keys = set(TEMPLATES["en"])
    assert all(set(t) == keys for t in TEMPLATES.values())


def test_unknown_locale_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="locale"):
        buyer_message(ORDER, PAYMENT, deadline=DEADLINE, locale="fr")
