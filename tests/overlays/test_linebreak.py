"""Balanced lines between units; clusters never cut. Widths are counted characters here."""

from __future__ import annotations

import pytest

from overlays.linebreak import break_lines, break_word


def chars(line: str) -> float:
    return float(len(line))


def test_fewest_lines_then_the_shortest_longest_line() -> None:
    units = ["Chả mực", "Hạ Long", "loại", "1", "đặc sản", "Quảng Ninh"]
    lines = break_lines(units, chars, 30)
    assert len(lines) == 2
    widths = [len(" ".join(line)) for line in lines]
    assert max(widths) - min(widths) <= 8, lines  # greedy would give 29 and 10
    assert [u for line in lines for u in line] == units


def test_a_unit_is_never_split_when_it_fits_a_line() -> None:
    lines = break_lines(["Chả mực", "Hạ Long"], chars, 9)
    assert lines == [["Chả mực"], ["Hạ Long"]]


def test_a_unit_wider_than_the_line_breaks_between_its_syllables() -> None:
    assert break_lines(["Thừa Thiên Huế"], chars, 8) == [["Thừa"], ["Thiên"], ["Huế"]]


@pytest.mark.parametrize("word", ["Ẫ̀Ẫ̀Ẫ̀Ẫ̀", "🇻🇳🇻🇳🇻🇳", "👩‍👩‍👧👩‍👩‍👧"])
def test_over_long_word_splits_only_between_clusters(word: str) -> None:
    head, rest = break_word(word, chars, 3)
    assert head and rest and head + rest == word
    assert head[-1] != "\u200d" and not rest[0].isspace()


def test_empty_text_has_no_lines() -> None:
    assert break_lines([], chars, 10) == []
