"""EMVCo merchant-presented QR: the ID-length-value encoding and its CRC, shared by every scheme.

Every national scheme built on the EMVCo QR Code Specification for Payment Systems (VietQR in
Vietnam, PromptPay in Thailand, DuitNow in Malaysia, ...) writes its payload the same way: a flat
string of data objects, each ``ID`` (2 digits) + ``length`` (2 digits) + ``value``, where some
values are themselves templates of nested objects, and the payload ends with ``6304`` + a
CRC-16/CCITT-FALSE over everything before it (including ``6304``). This module knows only that;
one module per scheme (``vietqr.py``) decides which objects go in.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studio.errors import PaymentFieldInvalid, PaymentPayloadInvalid

CRC_TAG = "63"
MAX_VALUE_LEN = 99


@dataclass(frozen=True, slots=True)
class DataObject:
    """One EMVCo data object: a two-digit ``tag`` and its ``value`` (text or a nested template)."""

    tag: str
    value: str | tuple[DataObject, ...]

    def encode(self) -> str:
        """Return ``tag + length + value``; nested templates are encoded first.

        Raises:
            PaymentFieldInvalid: when the value is empty or longer than 99 characters.
        """
        if len(self.tag) != 2 or not self.tag.isdigit():
            raise ValueError(f"EMVCo tags are two digits, got {self.tag!r}")
        text = self.value if isinstance(self.value, str) else encode_objects(self.value)
        if not text:
            raise PaymentFieldInvalid(f"QR field {self.tag} is empty")
        if len(text) > MAX_VALUE_LEN:
            raise PaymentFieldInvalid(
                f"QR field {self.tag} is {len(text)} characters long, the limit is {MAX_VALUE_LEN}",
                hint="shorten the transfer note or the account number",
            )
        return f"{self.tag}{len(text):02d}{text}"


def encode_objects(objects: Sequence[DataObject]) -> str:
    """Concatenate encoded data objects in the order given (schemes fix the order)."""
    return "".join(obj.encode() for obj in objects)


def crc16_ccitt_false(text: str) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) of UTF-8 text.

    The check value of the catalogue of CRC algorithms: ``crc16_ccitt_false("123456789") == 0x29B1``.
    """
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def build_payload(objects: Sequence[DataObject]) -> str:
    """Encode the root objects and append the CRC object (``63`` ``04`` + 4 upper-case hex digits).

    Raises:
        PaymentFieldInvalid: when a field is empty or too long.
    """
    body = encode_objects(objects) + CRC_TAG + "04"
    return f"{body}{crc16_ccitt_false(body):04X}"


def has_valid_crc(payload: str) -> bool:
    """Return True when the payload ends with ``6304`` + the right CRC of everything before it."""
    if len(payload) < 8 or payload[-8:-4] != CRC_TAG + "04":
        return False
    return payload[-4:].upper() == f"{crc16_ccitt_false(payload[:-4]):04X}"


def parse_objects(text: str) -> tuple[tuple[str, str], ...]:
    """Split one level of ID-length-value text into ``(tag, value)`` pairs, in order.

    Nested templates stay as text; call again on a template's value to read inside it.

    Raises:
        PaymentPayloadInvalid: when a length runs past the end or is not two digits.
    """
    pairs: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise PaymentPayloadInvalid(f"QR payload is cut or corrupt at character {pos}")
        length = int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise PaymentPayloadInvalid(
                f"QR field {head[:2]} says {length} characters but only {len(value)} follow"
            )
        pairs.append((head[:2], value))
        pos += 4 + length
    return tuple(pairs)


def parse_payload(payload: str) -> dict[str, str]:
    """Check the CRC of a whole payload and return its root objects by tag.

    Raises:
        PaymentPayloadInvalid: when the CRC is wrong or the structure is broken.
    """
    if not has_valid_crc(payload):
        raise PaymentPayloadInvalid(
            "QR payload has a wrong or missing CRC (field 63)",
            hint="the text was changed after it was made; generate the QR again",
        )
    return dict(parse_objects(payload))
