"""PromptPay (Thailand): the second EMVCo scheme, to keep ``emvco.py`` honest about reuse.

Same encoding and CRC as VietQR; only the objects differ: template ``29`` with the PromptPay
GUID ``A000000677010111`` and the receiver (``01`` mobile number as ``0066`` + 9 digits,
``02`` 13-digit national or tax ID, ``03`` 15-digit e-wallet ID), currency ``764`` (THB),
country ``TH``, and the amount with two decimals. The object order follows
dtinth/promptpay-qr (MIT), whose test strings tests/server/payments/test_promptpay.py
reproduces byte for byte.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from decimal import Decimal

from server.payments.emvco import DataObject, build_payload
from studio.errors import PaymentFieldInvalid

PROMPTPAY_GUID = "A000000677010111"
CURRENCY_THB = "764"
COUNTRY_TH = "TH"


def _receiver(target: str) -> DataObject:
    digits = "".join(ch for ch in target if ch.isdigit())
    if len(digits) == 15:
        return DataObject("03", digits)
    if len(digits) == 13:
        return DataObject("02", digits)
    if len(digits) == 10 and digits.startswith("0"):
        return DataObject("01", "0066" + digits[1:])
    if len(digits) == 11 and digits.startswith("66"):
        return DataObject("01", "00" + digits)
    raise PaymentFieldInvalid(
        f"PromptPay ID {target!r} is not a phone number, a 13-digit ID or a 15-digit e-wallet",
        hint="use the mobile number (0812345678) or ID registered with PromptPay",
    )


def promptpay_payload(target: str, *, amount: Decimal | None = None) -> str:
    """Build a PromptPay credit-transfer payload.

    Args:
        target: mobile number (dashes and +66 accepted), 13-digit ID or 15-digit e-wallet ID.
        amount: in baht; None leaves it to the payer (a static QR).

    Raises:
        PaymentFieldInvalid: an unusable target or an amount not above 0.
    """
    objects = [
        DataObject("00", "01"),
        DataObject("01", "11" if amount is None else "12"),
        DataObject("29", (DataObject("00", PROMPTPAY_GUID), _receiver(target))),
        DataObject("58", COUNTRY_TH),
        DataObject("53", CURRENCY_THB),
    ]
    if amount is not None:
        if amount <= 0:
            raise PaymentFieldInvalid(f"amount {amount} must be above 0")
        objects.append(DataObject("54", f"{Decimal(amount):.2f}"))
    return build_payload(objects)
