"""PromptPay payloads (server/payments/promptpay.py) against dtinth/promptpay-qr: index.test.js."""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.payments.emvco import has_valid_crc, parse_payload
from server.payments.promptpay import promptpay_payload
from studio.errors import PaymentFieldInvalid


@pytest.mark.parametrize(
    ("target", "amount", "expected"),
    [
        (
            "0801234567",
            None,
            "00020101021129370016A000000677010111011300668012345675802TH530376463046197",
        ),
        (
            "080-123-4567",
            None,
            "00020101021129370016A000000677010111011300668012345675802TH530376463046197",
        ),
        (
            "+66-89-123-4567",
            None,
            "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1",
        ),
        (
            "1111111111111",
            None,
            "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A",
        ),
        (
            "1-1111-11111-11-1",
            None,
            "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A",
        ),
        (
            "0123456789012",
            None,
            "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD",
        ),
        (
            "000-000-0000",
            Decimal("4.22"),
            "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469",
        ),
    ],
)
def test_reference_payloads_byte_for_byte(
    target: str, amount: Decimal | None, expected: str
) -> None:
    assert promptpay_payload(target, amount=amount) == expected


def test_e_wallet_id_uses_field_03() -> None:
    payload = promptpay_payload("123456789012345")
    assert "0315123456789012345" in payload
    assert has_valid_crc(payload)
    assert parse_payload(payload)["58"] == "TH"


@pytest.mark.parametrize("target", ["12345", "0812345", "abc"])
def test_unusable_target_is_refused(target: str) -> None:
    with pytest.raises(PaymentFieldInvalid, match="PromptPay ID"):
        promptpay_payload(target)
