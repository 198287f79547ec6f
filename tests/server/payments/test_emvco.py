"""EMVCo ID-length-value encoding and CRC-16/CCITT-FALSE (server/payments/emvco.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from server.payments.emvco import (
    DataObject,
    build_payload,
    crc16_ccitt_false,
    encode_objects,
    has_valid_crc,
    parse_objects,
    parse_payload,
)
from studio.errors import PaymentFieldInvalid, PaymentPayloadInvalid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The check value of CRC-16/CCITT-FALSE in the catalogue of parametrised CRC algorithms.
        ("123456789", 0x29B1),
        ("", 0xFFFF),
        # NAPAS QR format v1.5.2, example 6.1.1 (static QR to an account), CRC F4E5.
        (
            "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304",
            0xF4E5,
        ),
    ],
)
def test_crc_matches_published_check_values(text: str, expected: int) -> None:
    assert crc16_ccitt_false(text) == expected


def test_object_encodes_tag_length_value() -> None:
    assert DataObject("58", "VN").encode() == "5802VN"


def test_nested_template_encodes_inner_objects_first() -> None:
    inner = (DataObject("00", "970436"), DataObject("01", "0011"))
    assert DataObject("01", inner).encode() == "0118" + "0006970436" + "01040011"


def test_value_over_99_characters_is_refused() -> None:
    with pytest.raises(PaymentFieldInvalid, match="limit is 99"):
        DataObject("62", "x" * 100).encode()


def test_empty_value_is_refused() -> None:
    with pytest.raises(PaymentFieldInvalid, match="empty"):
        DataObject("08", "").encode()


def test_build_payload_ends_with_crc_over_everything_before_it() -> None:
    payload = build_payload([DataObject("00", "01"), DataObject("58", "VN")])
    assert payload.startswith("0002015802VN6304")
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4]):04X}"
    assert has_valid_crc(payload)


def _flip_last_digit(payload: str) -> str:
    return payload[:-1] + ("1" if payload[-1] != "1" else "2")


def _change_country(payload: str) -> str:
    return payload.replace("VN", "TH")


@pytest.mark.parametrize("mangle", [_flip_last_digit, _change_country])
def test_changed_payload_fails_the_crc(mangle: Callable[[str], str]) -> None:
    payload = build_payload([DataObject("00", "01"), DataObject("58", "VN")])
    changed = mangle(payload)
    assert changed != payload
    assert not has_valid_crc(changed)
    with pytest.raises(PaymentPayloadInvalid, match="CRC"):
        parse_payload(changed)


def test_parse_objects_is_the_inverse_of_encode() -> None:
    objects = [DataObject("00", "01"), DataObject("53", "704"), DataObject("08", "LS-0042")]
    assert parse_objects(encode_objects(objects)) == (
        ("00", "01"),
        ("53", "704"),
        ("08", "LS-0042"),
    )


@pytest.mark.parametrize("text", ["0005ab", "00", "0a02VN"])
def test_parse_objects_reports_cut_or_corrupt_text(text: str) -> None:
    with pytest.raises(PaymentPayloadInvalid):
        parse_objects(text)
