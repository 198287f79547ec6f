"""The keyword tables stay consistent (server/orders/rules.py is data; these are its checks)."""

from __future__ import annotations

from collections import Counter

import pytest

from server.orders import rules
from server.orders.normalize import fold, tokenize

INTENT_TABLES = {
    "order": rules.ORDER,
    "cancel": rules.CANCEL,
    "ask": rules.ASK,
    "query": rules.QUERY,
    "void": rules.VOID,
}
# Tables whose words are read wherever they stand (units and prefixes are read glued to digits).
FREE_STANDING = {
    **{
        f"{name}.{lang}": words
        for name, table in INTENT_TABLES.items()
        for lang, words in table.items()
    },
    "FILLER": rules.FILLER,
    "SIZE_PREFIXES": rules.SIZE_PREFIXES,
    "COLOR_PREFIXES": rules.COLOR_PREFIXES,
    "NUMBERS": tuple(rules.NUMBERS),
}


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(fold(phrase), expand=False) if t.kind == "word")


def test_every_language_has_order_cancel_and_question_words() -> None:
    for table in (rules.ORDER, rules.CANCEL, rules.ASK):
        assert set(table) == {"vi", "en", "ar"}


def test_no_phrase_is_in_two_intent_tables() -> None:
    owners: dict[tuple[str, ...], set[str]] = {}
    for name, table in INTENT_TABLES.items():
        for phrases in table.values():
            for phrase in phrases:
                owners.setdefault(_words(phrase), set()).add(name)
    assert {words: names for words, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize(("table", "phrases"), FREE_STANDING.items())
def test_phrases_are_words_never_rewritten_as_teen_code(
    table: str, phrases: tuple[str, ...]
) -> None:
    short_forms = {fold(short) for short in rules.ABBREVIATIONS}
    for phrase in phrases:
        words = _words(phrase)
        assert words, f"{table}: {phrase!r} has no word"
        assert not short_forms & set(words), f"{table}: {phrase!r} is rewritten before lookup"


def test_numbers_are_small_counts() -> None:
    assert set(rules.NUMBERS.values()) <= set(range(1, 11))


def test_a_colour_name_belongs_to_one_colour() -> None:
    names = Counter(fold(name) for group in rules.COLOR_SYNONYMS for name in group)
    assert [name for name, count in names.items() if count > 1] == []


def test_a_size_spelling_belongs_to_one_size() -> None:
    names = Counter(fold(name) for group in rules.SIZE_EQUIVALENTS for name in group)
    assert [name for name, count in names.items() if count > 1] == []


def test_no_table_lists_one_phrase_twice() -> None:
    tables: dict[str, list[str]] = {
        **{name: [p for ps in table.values() for p in ps] for name, table in INTENT_TABLES.items()},
        "NUMBERS": list(rules.NUMBERS),
        "FILLER": list(rules.FILLER),
        "UNITS": list(rules.UNITS),
        "ABBREVIATIONS": list(rules.ABBREVIATIONS),
    }
    for name, phrases in tables.items():
        counts = Counter(fold(phrase) for phrase in phrases)
        assert [p for p, n in counts.items() if n > 1] == [], name
