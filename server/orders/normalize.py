"""Comment text as the order rules read it: folded, tokenised, phone numbers taken out.

Pure functions, no I/O. The steps, in order:

1. `fold`: NFKC (full-width ``Ａ１２`` becomes ``a12``), case-fold, Arabic-Indic and Persian digits to
   ASCII, Arabic tashkeel and tatweel removed, alef forms and ``ى``/``ة`` unified.
2. `find_phones` and blanking: phone numbers are kept for the seller and removed from the text, so
   their digits are never read as a product code or a quantity.
3. `tokenize`: words, numbers, ``?`` and clause breaks, each with its `Token.key`: the word with
   Vietnamese diacritics stripped (``"chốt"`` -> ``"chot"``, ``"đ"`` -> ``"d"``), and teen-code
   expanded (``"ko"`` -> ``"không"``, ``"e"`` -> ``"em"``; table in `server.orders.rules`).

`mask_contacts` hides phone numbers and e-mail addresses of a comment shown on the overlay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from server.orders.rules import ABBREVIATIONS

TokenKind = Literal["word", "number", "qmark", "break", "times"]

_DIGITS: Final[dict[int, str]] = {
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic
    **{0x06F0 + i: str(i) for i in range(10)},  # Extended Arabic-Indic (Persian, Urdu)
}
_ARABIC: Final[dict[int, str | None]] = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ـ"): None,  # tatweel, a stretching stroke
    ord("\u2019"): "'",  # typographic apostrophe: "I’ll" = "I'll"
}
_FOLD_TABLE: Final = str.maketrans({**_DIGITS, **_ARABIC})
_TO_FOLD_RE: Final = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD_TABLE) + "]")


def _marks_pattern() -> re.Pattern[str]:
    """A character class of the non-spacing marks (category Mn), as code-point ranges."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x0300, 0x10000):  # the Basic Multilingual Plane holds the ones in use
        if unicodedata.category(chr(code)) == "Mn":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


_MARKS_RE: Final = _marks_pattern()


def _strip_table() -> dict[int, str]:
    """Map each precomposed Latin letter to its base letter (one character for one)."""
    table: dict[int, str] = {ord("đ"): "d"}
    for code in range(0x00C0, 0x0250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base.lower()
    for code in range(0x1E00, 0x1F00):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii():
            table[code] = base.lower()
    return table


_STRIP_TABLE: Final = str.maketrans(_strip_table())


def fold(text: str) -> str:
    """Return `text` in the form every rule compares: see the module docstring, step 1.

    Vietnamese diacritics are kept here (they tell ``"mưa"`` from ``"mua"``); `strip_marks`
    removes them. Combining marks left after NFKC (Arabic tashkeel, stray accents) are dropped.
    """
    if text.isascii():  # NFKC and the tables below leave ASCII as it is
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _TO_FOLD_RE.search(folded) is not None:
        folded = folded.translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    return _MARKS_RE.sub("", folded)


def strip_marks(folded: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics from folded text: ``"đỏ"`` -> ``"do"``.

    One character in, one character out, so offsets in both strings agree.
    """
    return folded if folded.isascii() else folded.translate(_STRIP_TABLE)


# Phone numbers: groups of 2+ digits with single separators ("0912 345 678", "+84-912-345-678").
_PHONE_RE: Final = re.compile(r"(?<![0-9])\+?\d{2,}(?:[ .\-]\d{2,})*(?![0-9])", re.ASCII)
_TWO_DIGITS_RE: Final = re.compile(r"[0-9][0-9]")
_PHONE_LENGTHS: Final[tuple[tuple[str, int, int], ...]] = (
    ("+", 10, 15),  # international with "+": +84 912 345 678, +966 55 123 4567
    ("00", 11, 15),  # international with 00
    ("0", 10, 11),  # national: Vietnam 10 digits, Egypt 11, Saudi 10
    ("84", 11, 11),  # Vietnam without "+"
    ("966", 12, 12),
    ("971", 12, 12),
    ("20", 12, 12),
)


@dataclass(frozen=True, slots=True)
class PhoneSpan:
    """A phone number found in folded text: where, and its digits (``"+"`` kept)."""

    start: int
    end: int
    number: str


def find_phones(folded: str) -> list[PhoneSpan]:
    """Find phone numbers in folded text (ASCII digits).

    A run of digit groups is tried longest first, then cut group by group from either end until
    its digit count fits a known numbering plan: in ``"sp01 0912345678 22"`` the phone is the
    middle group, and the code and the quantity stay.
    """
    spans: list[PhoneSpan] = []
    if _TWO_DIGITS_RE.search(folded) is None:
        return spans  # most comments: one scan for two digits in a row
    for match in _PHONE_RE.finditer(folded):
        groups = [(g.start(), g.group()) for g in _GROUP_RE.finditer(match.group())]
        found = _phone_in(groups)
        if found is not None:
            first, last, number = found
            start = match.start() + groups[first][0]
            end = match.start() + groups[last][0] + len(groups[last][1])
            spans.append(PhoneSpan(start, end, number))
    return spans


_GROUP_RE: Final = re.compile(r"\+?\d+")
_MAX_GROUPS: Final = 8
_MIN_DIGITS: Final = min(
    low for _, low, _ in _PHONE_LENGTHS
)  # 15 digits at most, in groups of two or more


def _phone_in(groups: list[tuple[int, str]]) -> tuple[int, int, str] | None:
    """(first group, last group, digits) of the widest run of groups that is a phone number."""
    if sum(len(text) for _, text in groups) < _MIN_DIGITS:
        return None  # too few digits for any numbering plan
    for width in range(min(len(groups), _MAX_GROUPS), 0, -1):
        for first in range(len(groups) - width + 1):
            number = "".join(text for _, text in groups[first : first + width])
            if _is_phone(number):
                return first, first + width - 1, number
    return None


def _is_phone(number: str) -> bool:
    digits = len(number) - number.startswith("+")
    return any(
        number.startswith(prefix) and low <= digits <= high for prefix, low, high in _PHONE_LENGTHS
    )


_EMAIL_RE: Final = re.compile(r"([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
_RAW_PHONE_RE: Final = re.compile(r"(?<!\d)\+?\d{2,}(?:[ .\-]\d{2,})*(?!\d)")


def mask_contacts(text: str) -> str:
    """Mask phone numbers and e-mail addresses for the overlay (viewers see the feed).

    ``"0912 345 678"`` -> ``"091****678"``; ``"lan.nguyen@gmail.com"`` -> ``"l***@gmail.com"``.
    Digits of any script are recognised; a masked phone is written with ASCII digits.
    """
    masked = _EMAIL_RE.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return _RAW_PHONE_RE.sub(_mask_phone, masked)


def _mask_phone(match: re.Match[str]) -> str:
    folded = fold(match.group())
    phones = find_phones(folded)
    if not phones or phones[0].start != 0:
        return match.group()
    number = phones[0].number
    head = 4 if number.startswith("+") else 3
    rest = folded[phones[0].end :]
    return number[:head] + "*" * (len(number) - head - 3) + number[-3:] + rest


def blank(text: str, spans: Iterable[PhoneSpan]) -> str:
    """Replace each span with spaces (offsets stay valid)."""
    for span in spans:
        text = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
    return text


class Token:
    """One word, number or mark of a comment.

    ``text`` is folded (diacritics kept), ``key`` has them stripped; ``bare`` says the viewer
    wrote no diacritics, so the word may stand for any accented spelling. ``glued`` says nothing
    separated it from the previous token (``"x2"``, ``"a12"``); ``joinable`` says only spaces,
    ``-``, ``_`` or ``.`` did (``"sp 01"``, ``"sp-01"``), as inside a product code.
    """

    __slots__ = (
        "kind",
        "text",
        "key",
        "stem",
        "bare",
        "start",
        "glued",
        "joinable",
        "value",
        "used",
    )

    def __init__(
        self,
        kind: TokenKind,
        text: str,
        key: str,
        start: int,
        glued: bool,
        joinable: bool,
        value: int = -1,
        stem: str = "",
    ) -> None:
        self.kind = kind
        self.text = text
        self.key = key
        self.bare = text == key
        self.start = start
        self.glued = glued
        self.joinable = joinable
        self.value = value  # a number's value (below a million), else -1
        self.stem = stem  # an Arabic word without its leading clitics, else ""
        self.used = False  # set by the parser when a rule has consumed the token

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r})"


# Arabic clitics written onto a word: "and", "so", "with", "for" and the article ("بالأسود").
_ARABIC_PREFIXES: Final = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب")


def _arabic_stem(word: str) -> str:
    """The word without its leading clitics, if at least three letters are left; else ""."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return ""


_TOKEN_RE: Final = re.compile(
    r"(?P<number>[0-9]+(?:[.,][0-9]{3})+|[0-9]+)"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)?)"
    r"|(?P<qmark>[?？؟]+)"
    r"|(?P<break>[,.!;:\n、،؛…]+)"
    r"|(?P<times>[*×])"
)
_JOINERS: Final = " -_.\t"
_ELONGATED: Final = re.compile(r"([^\W\dx_])\1{2,}")  # three or more of a letter; "xxxl" stays
_ABBREVIATIONS: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    fold(short): tuple((fold(w), strip_marks(fold(w)), "") for w in long.split())
    for short, long in ABBREVIATIONS.items()
}


def tokenize(folded: str, *, expand: bool = True) -> list[Token]:
    """Split folded text (phones already blanked) into tokens; see `Token`.

    Words and numbers glued together are separate tokens (``"a12x2"`` -> ``a``, ``12``, ``x``,
    ``2``), which is how a product code is never found inside another word or number.
    With `expand`, teen-code words are rewritten, unless a digit touches them (``"e5"`` and
    ``"2c"`` are a code and a count, not "em" and "chị").

    No token holds a space, so the text is read space-separated piece by piece, and each piece
    (``"chốt"``, ``"a12x2"``) is scanned once and remembered: comments repeat their words.
    """
    if not expand:
        return _scan(folded, expand=False)
    tokens: list[Token] = []
    gap_ok = True  # only joiners (spaces, "-", "_", ".") since the last token
    base = 0
    pieces = _PIECES
    for piece in folded.split(" "):
        if piece:
            form = pieces.get(piece)
            if form is None:
                form = _read_piece(piece)
            entries, lead_ok, trail_ok = form
            if entries:
                joined = bool(tokens) and gap_ok and lead_ok
                for kind, text, key, value, stem, glued, joinable, offset, leading in entries:
                    if leading:  # a space before it: not glued; joinable if only joiners
                        glued, joinable = False, joined
                    tokens.append(
                        Token(kind, text, key, base + offset, glued, joinable, value, stem)
                    )
                gap_ok = trail_ok
            else:
                gap_ok = gap_ok and lead_ok
        base += len(piece) + 1
    return tokens


# A space-free piece of text as tokens read alone: (kind, text, key, value, stem, glued,
# joinable, offset, leading: of its first token), whether the text before its first token (all of
# it, when it has none) and after its last one holds only joiners. Bounded like `_WORDS`.
_PieceToken = tuple[TokenKind, str, str, int, str, bool, bool, int, bool]
_Piece = tuple[tuple[_PieceToken, ...], bool, bool]
_PIECES: Final[dict[str, _Piece]] = {}


def _read_piece(piece: str) -> _Piece:
    tokens = _scan(piece, expand=True)
    first = tokens[0].start if tokens else len(piece)
    last = _scan_end(piece) if tokens else len(piece)
    entries = tuple(
        (t.kind, t.text, t.key, t.value, t.stem, t.glued, t.joinable, t.start, t.start == first)
        for t in tokens
    )
    form = (
        entries,
        not piece[:first].strip(_JOINERS),
        not piece[last:].strip(_JOINERS),
    )
    if len(piece) <= _MAX_PIECE:  # a pasted run of digits or emoji is read, not kept
        if len(_PIECES) >= _MAX_WORDS:
            _PIECES.clear()
        _PIECES[piece] = form
    return form


def _scan_end(text: str) -> int:
    """Where the last token of `text` ends."""
    end = 0
    for match in _TOKEN_RE.finditer(text):
        end = match.end()
    return end


def _scan(folded: str, *, expand: bool) -> list[Token]:
    """The tokens of `folded`, read with one regular expression (see `tokenize`)."""
    tokens: list[Token] = []
    end = 0
    words = _WORDS
    for match in _TOKEN_RE.finditer(folded):
        kind: TokenKind = match.lastgroup  # type: ignore[assignment]
        start, stop = match.span()
        glued = start == end and end > 0
        joinable = glued or (end > 0 and not folded[end:start].strip(_JOINERS))
        text = match.group()
        if kind == "word":
            word = words.get(text)
            if word is None:
                word = _read_word(text)
            expansion = word[3] if expand else None
            if expansion is not None and not _touches_digit(folded, start, stop):
                for part, part_key, part_stem in expansion:
                    tokens.append(
                        Token(kind, part, part_key, start, glued, joinable, -1, part_stem)
                    )
            else:
                tokens.append(Token(kind, word[0], word[1], start, glued, joinable, -1, word[2]))
        elif kind == "number":
            key = text.replace(",", "").replace(".", "") if len(text) > 3 else text
            value = int(key) if len(key) < 7 else -1
            tokens.append(Token(kind, text, key, start, glued, joinable, value))
        else:
            tokens.append(Token(kind, text, text, start, glued, joinable))  # no letters in it
        end = stop
    return tokens


# A word's (text, key, stem, teen-code expansion), by the word as written: a live's comments use
# a few hundred words, so each is read once. Bounded: cleared when full (any text may come in).
_WordForm = tuple[str, str, str, tuple[tuple[str, str, str], ...] | None]
_WORDS: Final[dict[str, _WordForm]] = {}
_MAX_WORDS: Final = 20_000
_MAX_PIECE: Final = 40


def _read_word(written: str) -> _WordForm:
    text, key = written, strip_marks(written).replace("'", "")
    if _ELONGATED.search(key):  # "chốttt", "nhaaaa": typed with feeling
        text, key = _ELONGATED.sub(r"\1", text), _ELONGATED.sub(r"\1", key)
    form = (text, key, _stem_of(key), _ABBREVIATIONS.get(text))
    if len(written) <= _MAX_PIECE:
        if len(_WORDS) >= _MAX_WORDS:
            _WORDS.clear()
        _WORDS[written] = form
    return form


def _stem_of(key: str) -> str:
    return _arabic_stem(key) if "\u0600" <= key[0] <= "\u06ff" else ""


def _touches_digit(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())


class PhraseTable:
    """Phrases (one or more words) looked up at a position in a token list, longest first.

    A comment word matches a phrase word when their stripped keys agree and either the comment
    word carries no diacritics or it carries exactly the phrase word's; an Arabic word may also
    match without its leading clitics (``"والمقاس"`` is ``"مقاس"``). A phrase written with a
    leading ``=`` (``"=mấy"``) needs its diacritics written: bare ``may`` is not ``mấy``; nor does
    it match with clitics (``"=بلاش"``, forget it, is not ``"ببلاش"``, for free).
    """

    __slots__ = ("_by_first", "first_keys")

    def __init__(self, entries: Iterable[tuple[str, object]]) -> None:
        by_first: dict[str, list[_Phrase]] = {}
        for phrase, value in entries:
            words = tuple(
                (t.text, t.key) for t in tokenize(fold(phrase), expand=False) if t.kind == "word"
            )
            if words:
                entry = (words, phrase.startswith("="), value)
                by_first.setdefault(words[0][1], []).append(entry)
        # by first key: longer phrases by their second key (longest first), then one-word ones
        self._by_first: dict[str, tuple[dict[str, list[_Phrase]], list[_Phrase]]] = {}
        for first, candidates in by_first.items():
            candidates.sort(key=lambda item: -len(item[0]))
            longer: dict[str, list[_Phrase]] = {}
            for entry in candidates:
                if len(entry[0]) > 1:
                    longer.setdefault(entry[0][1][1], []).append(entry)
            single = [entry for entry in candidates if len(entry[0]) == 1]
            self._by_first[first] = (longer, single)
        # the stripped keys a phrase can start with: callers in hot loops test a token's key
        # (or stem) here before calling `match`
        self.first_keys = frozenset(by_first)

    def match(self, tokens: Sequence[Token], index: int) -> tuple[int, object] | None:
        """Return (number of tokens, value) of the longest phrase starting at `index`, or None."""
        token = tokens[index]
        found = self._by_first.get(token.key)
        if found is None:
            if not token.stem:
                return None
            found = self._by_first.get(token.stem)
            if found is None:
                return None
        if token.kind != "word" or token.used:
            return None
        longer, single = found
        if longer and index + 1 < len(tokens):
            second = tokens[index + 1]
            candidates = longer.get(second.key)
            if second.stem and second.stem in longer:
                both = (candidates or []) + longer[second.stem]
                candidates = sorted(both, key=lambda item: -len(item[0]))
            if candidates:
                hit = _longest(tokens, index, candidates)
                if hit is not None:
                    return hit
        for words, exact, value in single:
            text, key = words[0]
            by_stem = not exact and token.stem == key  # "=" phrases: the word itself only
            if (token.key == key or by_stem) and (
                token.text == text or (token.bare and not exact) or by_stem
            ):
                return 1, value
        return None


_Phrase = tuple[tuple[tuple[str, str], ...], bool, object]  # (text, key) per word, exact, value


def _longest(
    tokens: Sequence[Token], index: int, candidates: list[_Phrase]
) -> tuple[int, object] | None:
    """The first phrase of `candidates` (longest first) that the tokens at `index` spell."""
    count = len(tokens)
    for words, exact, value in candidates:
        size = len(words)
        if index + size > count:
            continue
        for offset, (text, key) in enumerate(words):
            other = tokens[index + offset]
            by_stem = not exact and other.stem == key
            if not (
                other.kind == "word"
                and not other.used
                and (other.key == key or by_stem)
                and (other.text == text or (other.bare and not exact) or by_stem)
            ):
                break
        else:
            return size, value
    return None
