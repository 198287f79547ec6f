"""VietQR: the NAPAS bank-transfer QR every Vietnamese banking app scans.

A VietQR payload is an EMVCo merchant-presented payload (see ``emvco.py``) with, in this order:

====  ==========================================  ==============================================
 ID   content                                     our value
====  ==========================================  ==============================================
 00   payload format indicator                    ``01``
 01   point of initiation                         ``11`` static (no amount), ``12`` with amount
 38   NAPAS template: 00 GUID ``A000000727``,     01 = (00 BIN, 01 account or card number),
      01 beneficiary, 02 service code             02 = ``QRIBFTTA`` (account) / ``QRIBFTTC``
 53   currency (ISO 4217 numeric)                 ``704`` (VND)
 54   amount                                      whole đồng, digits only
 58   country                                     ``VN``
 62   additional data: 01 bill number,            08 = the order code, so the seller's
      08 purpose of transaction                   statement shows it
 63   CRC-16/CCITT-FALSE                          4 upper-case hex digits
====  ==========================================  ==============================================

Field limits follow the NAPAS "QR Format" specification (v1.5.2): account up to 19 characters,
purpose and bill number up to 25, amount up to 13 digits. Tests reproduce the specification's
worked examples byte for byte (tests/server/payments/test_vietqr.py names them).

Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from server.payments.emvco import DataObject, build_payload, parse_objects, parse_payload
from studio.errors import PaymentFieldInvalid, PaymentPayloadInvalid

Service = Literal["account", "card"]

NAPAS_GUID = "A000000727"
SERVICE_CODES: dict[Service, str] = {"account": "QRIBFTTA", "card": "QRIBFTTC"}
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MAX_ACCOUNT_LEN = 19
MAX_NOTE_LEN = 25
MAX_AMOUNT_DIGITS = 13

_ACCOUNT_RE = re.compile(r"[A-Za-z0-9]{1,19}")
_NOTE_KEEP_RE = re.compile(r"[^A-Za-z0-9 .,\-_/]")


@dataclass(frozen=True, slots=True)
class Payee:
    """Where the money goes: set once by the seller.

    Attributes:
        bin: the bank's 6-digit NAPAS BIN (``banks.BANKS``).
        account: the account number (or the card number when ``service`` is "card").
        name: the account holder's name, shown beside the QR; not written into the payload
            (banking apps look the name up from BIN + account and show the bank's own record).
        service: "account" (QRIBFTTA) or "card" (QRIBFTTC).
    """

    bin: str
    account: str
    name: str = ""
    service: Service = "account"


@dataclass(frozen=True, slots=True)
class VietQr:
    """A VietQR payload read back into its fields (``parse_vietqr``)."""

    bin: str
    account: str
    service: Service
    amount: int | None
    purpose: str
    bill_number: str
    is_dynamic: bool


def transfer_note(text: str) -> str:
    """Turn free text into a transfer note every bank accepts: ASCII, no diacritics, one space.

    ``"Đơn LS-0042 áo"`` becomes ``"Don LS-0042 ao"``. Banks drop or mangle accented letters in
    the transfer content, so the note the buyer sends must already be plain.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOTE_KEEP_RE.sub(" ", plain).split())


def _check_payee(payee: Payee) -> None:
    if not (len(payee.bin) == 6 and payee.bin.isdigit()):
        raise PaymentFieldInvalid(
            f"bank BIN {payee.bin!r} is not 6 digits",
            hint="use the NAPAS BIN of your bank, e.g. 970436 for Vietcombank",
        )
    if not _ACCOUNT_RE.fullmatch(payee.account):
        raise PaymentFieldInvalid(
            f"account number {payee.account!r} must be 1 to {MAX_ACCOUNT_LEN} letters or digits",
            hint="copy it from your banking app without spaces or dashes",
        )
    if payee.service == "card" and not (len(payee.account) >= 16 and payee.account.isdigit()):
        raise PaymentFieldInvalid(
            f"card number {payee.account!r} must be 16 to 19 digits",
            hint="or transfer to the account number instead of the card",
        )


def _amount_text(amount: int | Decimal) -> str:
    value = Decimal(amount)
    if value <= 0 or value != value.to_integral_value():
        raise PaymentFieldInvalid(
            f"amount {amount} is not a whole number of đồng above 0",
            hint="VND has no decimals; round the order total",
        )
    text = str(int(value))
    if len(text) > MAX_AMOUNT_DIGITS:
        raise PaymentFieldInvalid(f"amount {amount} is longer than {MAX_AMOUNT_DIGITS} digits")
    return text


def _check_note(label: str, note: str) -> None:
    if len(note) > MAX_NOTE_LEN:
        raise PaymentFieldInvalid(
            f"{label} {note!r} is {len(note)} characters; VietQR allows {MAX_NOTE_LEN}",
            hint="keep the order code and drop the rest",
        )


def vietqr_payload(
    payee: Payee,
    *,
    amount: int | Decimal | None = None,
    purpose: str = "",
    bill_number: str = "",
) -> str:
    """Build the VietQR payload text for one transfer.

    Args:
        payee: the seller's bank account.
        amount: whole đồng; None leaves the amount for the buyer to type (a static QR).
        purpose: the transfer note (field 62/08), normally the order code; made plain ASCII.
        bill_number: optional bill number (field 62/01).

    Returns:
        The payload string, CRC included, ready to be drawn as a QR code.

    Raises:
        PaymentFieldInvalid: when the BIN, account, amount or a note breaks the specification.
    """
    _check_payee(payee)
    note = transfer_note(purpose)
    bill = transfer_note(bill_number)
    _check_note("transfer note", note)
    _check_note("bill number", bill)
    beneficiary = (DataObject("00", payee.bin), DataObject("01", payee.account))
    napas = (
        DataObject("00", NAPAS_GUID),
        DataObject("01", beneficiary),
        DataObject("02", SERVICE_CODES[payee.service]),
    )
    objects = [
        DataObject("00", "01"),
        DataObject("01", "11" if amount is None else "12"),
        DataObject("38", napas),
        DataObject("53", CURRENCY_VND),
    ]
    if amount is not None:
        objects.append(DataObject("54", _amount_text(amount)))
    objects.append(DataObject("58", COUNTRY_VN))
    extra = [DataObject("01", bill)] if bill else []
    extra += [DataObject("08", note)] if note else []
    if extra:
        objects.append(DataObject("62", tuple(extra)))
    return build_payload(objects)


def parse_vietqr(payload: str) -> VietQr:
    """Read a VietQR payload back (CRC checked), e.g. one scanned from a seller's printed QR.

    Raises:
        PaymentPayloadInvalid: when the CRC is wrong or it is not a NAPAS transfer QR.
    """
    root = parse_payload(payload)
    napas = dict(parse_objects(root.get("38", "")))
    if napas.get("00") != NAPAS_GUID:
        raise PaymentPayloadInvalid("this QR is not a VietQR (no NAPAS field 38)")
    beneficiary = dict(parse_objects(napas.get("01", "")))
    services = {code: name for name, code in SERVICE_CODES.items()}
    service = services.get(napas.get("02", ""))
    if service is None or "00" not in beneficiary or "01" not in beneficiary:
        raise PaymentPayloadInvalid("this VietQR is not a transfer to an account or a card")
    extra = dict(parse_objects(root.get("62", "")))
    amount_text = root.get("54")
    return VietQr(
        bin=beneficiary["00"],
        account=beneficiary["01"],
        service=service,
        amount=int(Decimal(amount_text)) if amount_text else None,
        purpose=extra.get("08", ""),
        bill_number=extra.get("01", ""),
        is_dynamic=root.get("01") == "12",
    )


def order_payload(payee: Payee, *, code: str, total: Decimal, currency: str) -> str | None:
    """The VietQR payload for one order: its total as the amount, its code as the note.

    Returns:
        The payload, or None when the order is not in VND (VietQR carries đồng only; the buyer
        message then gives plain bank-transfer text instead).

    Raises:
        PaymentFieldInvalid: as ``vietqr_payload`` (e.g. a code longer than 25 characters).
    """
    if currency.upper() != "VND":
        return None
    return vietqr_payload(payee, amount=total, purpose=code)
