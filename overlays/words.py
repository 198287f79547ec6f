"""Which words a line may not be broken inside: a Vietnamese word list, place names, shop names.

Vietnamese writes every syllable apart ("cà phê", "Hạ Long"), so a space is not a word boundary.
`segment` groups a text's space-separated syllables into *units* a line break must not split:
multi-syllable words of the list (longest match first), proper names (a run of capitalised
syllables in a sentence-case text), a number with its unit ("500 g") and a list of product
codes ("B3, A12"). Arabic and English units are their words.

Sources (see docs/clips.md, tests/data/SOURCES.md): ``build/words/vi-words.txt`` is derived at
`make` time by ``scripts/vi_words.py`` from the Viet74K list in the underthesea 9.5.0 wheel
(Apache-2.0; the list descends from Hồ Ngọc Đức's GPL word list, so it is built, not
committed); ``assets/words/vi-places.txt`` and ``vi-shop.txt`` ("chốt đơn", "flash sale") are
ours (MIT); a catalog adds the proper names in its product names (`WordList.with_names`).
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from studio.paths import assets_dir

logger = logging.getLogger(__name__)

MAX_NAME_SYLLABLES = 4
_CODE = re.compile(r"^[A-Z]{1,5}-?\d{1,5}[A-Z]?,?$")  # a product code: A12, SP01, CM-01, B3,
UNITS_OF_MEASURE = frozenset(
    {"g", "gr", "kg", "mg", "ml", "l", "lít", "cm", "mm", "m", "k", "đ", "₫", "cái", "hộp", "gói"}
)


@dataclass(frozen=True, slots=True)
class WordList:
    """Multi-syllable words and names, lower-case NFC, syllables joined by one space."""

    phrases: frozenset[str]
    max_syllables: int = MAX_NAME_SYLLABLES

    def with_names(self, names: Iterable[str]) -> WordList:
        """Return this list plus the proper names found in `names` (catalog product names).

        A name is a run of 2-4 capitalised syllables after the name's first ("Chả mực Hạ Long"
        and "Tỏi Lý Sơn" give "hạ long" and "lý sơn"); a name all in capitals gives nothing.
        """
        found = set(self.phrases)
        for name in names:
            for unit in _capital_runs(name.split(), skip_first=True):
                if len(unit) >= 2:
                    found.add(" ".join(_key(t) for t in unit))
        return WordList(frozenset(found), self.max_syllables)

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and phrase in self.phrases


def read_word_file(path: Path) -> frozenset[str]:
    """Read one phrase per line (``#`` comments skipped), normalised like `WordList` keys."""
    phrases = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            phrases.add(" ".join(_key(t) for t in text.split()))
    return frozenset(p for p in phrases if " " in p)


def built_word_list() -> Path:
    """Where `make words` puts the derived list: ``$LIVESTALL_WORDS``, else the checkout's
    ``build/words/vi-words.txt`` (outside ``assets/``, so no wheel ever ships it)."""
    explicit = os.environ.get("LIVESTALL_WORDS")
    if explicit:
        return Path(explicit).expanduser()
    return assets_dir().parent / "build" / "words" / "vi-words.txt"


@cache
def vietnamese_words() -> WordList:
    """Return the bundled Vietnamese list (built word list, our place names and live-selling
    phrases), read once.

    Without the built list (``make`` not run) only the place names and the name rule are left;
    that is logged once.
    """
    folder = assets_dir() / "words"
    phrases = read_word_file(folder / "vi-places.txt") | read_word_file(folder / "vi-shop.txt")
    built = built_word_list()
    if built.is_file():
        phrases |= read_word_file(built)
    else:
        logger.warning("%s missing: run `make` (scripts/vi_words.py) to build it", built)
    return WordList(phrases)


def segment(text: str, words: WordList, *, language: str) -> list[str]:
    """Split a one-space-separated text into units a line break must not split.

    >>> segment("Chả mực Hạ Long", WordList(frozenset({"chả mực"})), language="vi")
    ['Chả mực', 'Hạ Long']
    """
    tokens = [t for t in text.split(" ") if t]
    if language != "vi":
        return tokens
    is_names_marked = _is_sentence_case(tokens)
    units: list[str] = []
    index = 0
    while index < len(tokens):
        size = _unit_size(tokens, index, words, is_names_marked=is_names_marked)
        unit = " ".join(tokens[index : index + size])
        if units and all(_is_punct(c) for c in unit):
            units[-1] += " " + unit  # a lone "·" or "–" never starts a line
        else:
            units.append(unit)
        index += size
    return units


def _unit_size(tokens: list[str], index: int, words: WordList, *, is_names_marked: bool) -> int:
    longest = min(words.max_syllables, len(tokens) - index)
    for size in range(longest, 1, -1):
        part = tokens[index : index + size]
        if _is_joinable(part) and " ".join(_key(t) for t in part) in words:
            return size
    if is_names_marked:
        run = 0
        while (
            index + run < len(tokens)
            and run < MAX_NAME_SYLLABLES
            and _is_capitalised(tokens[index + run])
            and (run == 0 or _is_joinable(tokens[index + run - 1 : index + run + 1]))
        ):
            run += 1
        if run >= 2:
            return run
    is_amount = index + 1 < len(tokens) and _is_number(tokens[index])
    if is_amount and _key(tokens[index + 1]) in UNITS_OF_MEASURE:
        return 2
    codes = 1  # a list of product codes ("B3, A12, SP01") reads as one
    while tokens[index + codes - 1].endswith(",") and index + codes < len(tokens):
        if not (_CODE.match(tokens[index + codes - 1]) and _CODE.match(tokens[index + codes])):
            break
        codes += 1
    return codes


def _is_joinable(part: list[str]) -> bool:
    """No punctuation between the syllables (``Hạ, Long`` is two units)."""
    return all(t and not _is_punct(t[-1]) for t in part[:-1]) and all(
        t and not _is_punct(t[0]) for t in part[1:]
    )


def _capital_runs(tokens: list[str], *, skip_first: bool) -> list[list[str]]:
    runs: list[list[str]] = []
    current: list[str] = []
    if all(_key_raw(t).isupper() or not _key_raw(t) for t in tokens):
        return runs  # all capitals: nothing marks a name
    for position, token in enumerate(tokens):
        is_start = skip_first and position == 0
        if (
            _is_capitalised(token)
            and not is_start
            and (not current or _is_joinable([current[-1], token]))
        ):
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return [run[:MAX_NAME_SYLLABLES] for run in runs]


def _is_sentence_case(tokens: list[str]) -> bool:
    """Capitals mark names only when most syllables after the first are lower-case (not Title
    Case or CAPS)."""
    letters = [t for t in tokens[1:] if any(c.isalpha() for c in t)]  # the first starts a sentence
    capitals = sum(1 for t in letters if _is_capitalised(t))
    return bool(letters) and capitals * 2 <= len(letters)


def _is_capitalised(token: str) -> bool:
    word = _key_raw(token)
    return bool(word) and word[0].isupper() and word[0].isalpha()


def _is_number(token: str) -> bool:
    stripped = token.replace(".", "").replace(",", "")
    return stripped.isdigit()


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _key_raw(token: str) -> str:
    start, end = 0, len(token)
    while start < end and _is_punct(token[start]):
        start += 1
    while end > start and _is_punct(token[end - 1]):
        end -= 1
    return unicodedata.normalize("NFC", token[start:end])


def _key(token: str) -> str:
    key = _key_raw(token).lower()
    return key if key else token.lower()
