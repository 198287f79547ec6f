"""Folding, diacritics, tokens, teen-code and phone numbers (server/orders/normalize.py)."""

from __future__ import annotations

import unicodedata

import pytest

from server.orders.normalize import PhraseTable, find_phones, fold, strip_marks, tokenize


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("CHỐT A12", "chốt a12"),
        ("Ａ１２", "a12"),  # full-width, as some phone keyboards type
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic digits
        ("۱۲۳", "123"),  # Persian digits
        ("أريد", "اريد"),
        ("إلغاء", "الغاء"),
        ("مـــرحبا", "مرحبا"),  # tatweel
        ("أُرِيدُ", "اريد"),  # tashkeel
        ("عباية", "عبايه"),
        ("I’ll take", "i'll take"),
        (unicodedata.normalize("NFD", "chốt đơn"), "chốt đơn"),
    ],
)
def test_fold_normalises_case_width_digits_and_arabic(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("folded", "plain"),
    [("chốt", "chot"), ("đỏ", "do"), ("hủy", "huy"), ("huỷ", "huy"), ("lấy", "lay"), ("xl", "xl")],
)
def test_strip_marks_removes_vietnamese_diacritics_one_for_one(folded: str, plain: str) -> None:
    assert strip_marks(folded) == plain
    assert len(strip_marks(folded)) == len(folded)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("a12x2", ["a", "12", "x", "2"]),
        ("chốt sp01, xl!", ["chot", "sp", "01", ",", "xl", "!"]),
        ("giá 129.000đ", ["gia", "129000", "d"]),
        ("ko", ["khong"]),  # teen-code expanded
        ("e chot", ["em", "chot"]),
        ("e5", ["e", "5"]),  # a digit touches it: a product code, not "em"
        ("2c", ["2", "c"]),  # "2 cái", not "2 chị"
        ("chốttt nhaaaa", ["chot", "nha"]),  # letters typed with feeling
        ("xxxl", ["xxxl"]),  # a size keeps its x's
        ("bn", ["bao", "nhieu"]),
        ("ok?", ["ok", "?"]),
        ("كم؟", ["كم", "؟"]),
    ],
)
def test_tokenize_splits_letters_digits_and_expands_teen_code(text: str, keys: list[str]) -> None:
    assert [token.key for token in tokenize(fold(text))] == keys


def test_tokens_know_what_separated_them() -> None:
    glued, spaced, dashed, comma = (tokenize(fold(t)) for t in ("a12", "a 12", "a-12", "a, 12"))
    assert glued[1].glued and glued[1].joinable
    assert not spaced[1].glued and spaced[1].joinable
    assert dashed[1].joinable
    assert [token.key for token in comma] == ["a", ",", "12"]  # a comma is a token: no code


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("0912345678", ["0912345678"]),
        ("sdt 0912 345 678 nha", ["0912345678"]),
        ("0912.345.678", ["0912345678"]),
        ("091-234-5678", ["0912345678"]),
        ("+84 912 345 678", ["+84912345678"]),
        ("+966 55 123 4567", ["+966551234567"]),
        ("0551234567", ["0551234567"]),  # Saudi mobile
        ("01012345678", ["01012345678"]),  # Egyptian mobile
        ("sp01 0912345678 22", ["0912345678"]),  # the code and the count stay
        ("sdt0912345678", ["0912345678"]),
        ("a12 x2", []),
        ("129.000", []),
        ("12345", []),
        ("091234567890123456", []),  # too long for any plan
    ],
)
def test_find_phones_by_numbering_plan(text: str, numbers: list[str]) -> None:
    assert [span.number for span in find_phones(fold(text))] == numbers


@pytest.mark.parametrize(
    ("comment", "matches"),
    [
        ("chốt", True),
        ("chot", True),  # no diacritics written: any accented spelling
        ("CHOT", True),
        ("chọt", False),  # other diacritics written: another word
        ("mưa", False),  # rain, not buy
        ("mua", True),
        ("mua nhé", True),
    ],
)
def test_phrase_table_respects_written_diacritics(comment: str, matches: bool) -> None:
    table = PhraseTable([("chốt", "order"), ("mua", "order")])
    assert (table.match(tokenize(fold(comment)), 0) is not None) is matches


def test_phrase_table_prefers_the_longest_phrase() -> None:
    table = PhraseTable([("không", "query"), ("không lấy", "cancel")])
    assert table.match(tokenize(fold("ko lấy nữa")), 0) == (2, "cancel")
    assert table.match(tokenize(fold("ko ạ")), 0) == (1, "query")
