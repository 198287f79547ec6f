"""The NAPAS bank list (server/payments/banks.py)."""

from __future__ import annotations

import pytest

from server.payments.banks import BANKS, bank_by_bin, find_bank
from studio.errors import UnknownBank


@pytest.mark.parametrize(
    ("bin_code", "short_name"),
    [
        # The common banks, as listed by vietqr.io and xuannghia/vietnam-qr-pay (docs/payments.md).
        ("970436", "Vietcombank"),
        ("970415", "VietinBank"),
        ("970418", "BIDV"),
        ("970405", "Agribank"),
        ("970422", "MB"),
        ("970407", "Techcombank"),
        ("970416", "ACB"),
        ("970432", "VPBank"),
        ("970423", "TPBank"),
        ("970403", "Sacombank"),
        ("970425", "ABBANK"),
    ],
)
def test_common_banks_have_their_napas_bin(bin_code: str, short_name: str) -> None:
    bank = bank_by_bin(bin_code)
    assert bank is not None
    assert bank.short_name == short_name


def test_bins_are_unique_six_digit_numbers() -> None:
    bins = [bank.bin for bank in BANKS]
    assert len(bins) == len(set(bins))
    assert all(len(b) == 6 and b.isdigit() for b in bins)


@pytest.mark.parametrize("text", ["970436", "Vietcombank", "vcb", " VietComBank "])
def test_find_bank_by_bin_name_or_alias(text: str) -> None:
    assert find_bank(text).bin == "970436"


def test_unknown_bank_names_the_input_and_hints_at_the_bin() -> None:
    with pytest.raises(UnknownBank, match="'Banco Falso'") as info:
        find_bank("Banco Falso")
    assert "BIN" in info.value.hint
