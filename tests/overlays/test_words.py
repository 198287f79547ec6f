"""Vietnamese units a line must not split: the built word list, place names, shop names."""

from __future__ import annotations

import pytest

from overlays.words import WordList, built_word_list, read_word_file, segment, vietnamese_words


def test_built_word_list_is_there_and_holds_multi_syllable_words() -> None:
    built = built_word_list()
    assert built.is_file(), "run `make` (scripts/vi_words.py) to build the Vietnamese word list"
    phrases = read_word_file(built)
    assert len(phrases) > 50_000
    assert {"cà phê", "chả mực", "áo thun", "đặc sản", "gia vị"} <= phrases


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Chả mực Hạ Long loại 1", ["Chả mực", "Hạ Long", "loại", "1"]),
        ("Cá khô Cô Tô tẩm gia vị", ["Cá khô", "Cô Tô", "tẩm", "gia vị"]),
        ("Đặc sản Quảng Ninh 500 g", ["Đặc sản", "Quảng Ninh", "500 g"]),
        ("CHẢ MỰC HẠ LONG", ["CHẢ MỰC", "HẠ LONG"]),
        ("Chả Mực Hạ Long", ["Chả Mực", "Hạ Long"]),
        ("Cốc sứ cà phê Bát Tràng", ["Cốc", "sứ", "cà phê", "Bát Tràng"]),
        ("hàng về Quảng, Ninh ơi", ["hàng", "về", "Quảng,", "Ninh", "ơi"]),
        ("Live 20:00 · @shop", ["Live", "20:00 ·", "@shop"]),
        ("Bình luận B3, A12, SP01 để chốt đơn", ["Bình luận", "B3, A12, SP01", "để", "chốt đơn"]),
    ],
)
def test_segment_keeps_words_and_names_whole(text: str, units: list[str]) -> None:
    assert segment(text, vietnamese_words(), language="vi") == units


def test_capitalised_run_in_sentence_case_is_a_name() -> None:
    # "Mường Khương" is in neither list: the capitals in a sentence-case title mark the name
    assert segment("Gạo nương Mường Khương mới", WordList(frozenset()), language="vi") == [
        "Gạo", "nương", "Mường Khương", "mới",
    ]  # fmt: skip


def test_catalog_names_add_their_proper_names() -> None:
    words = WordList(frozenset()).with_names(["Nước mắm Lý Sơn Quảng Ngãi", "Tỏi Lý Sơn"])
    assert "lý sơn quảng ngãi" in words and "lý sơn" in words
    # in capitals the rule cannot see the name; the catalog's name still keeps it whole
    assert segment("TỎI LÝ SƠN LOẠI 1", words, language="vi") == ["TỎI", "LÝ SƠN", "LOẠI", "1"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_other_languages_break_at_every_space(language: str) -> None:
    text = "عرض خاص اليوم" if language == "ar" else "Ha Long squid cakes"
    assert segment(text, vietnamese_words(), language=language) == text.split(" ")
