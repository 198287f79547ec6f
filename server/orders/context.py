"""Addresses in a comment: found, kept for the seller, and taken out before codes are read.

Pure. Vietnamese addresses are written with a trigger (``ship về``, ``giao``, ``đc:``, ``địa
chỉ``, ``ship to``) or with their parts (số nhà, ngõ/ngách/hẻm/kiệt N, phường/quận N, ``P.5``,
``Q.3``, ``TX.``, ``TP.``, xã/huyện/tỉnh). Their numbers are house numbers and districts, never a
product code or a count, even when the catalog has ``27`` or ``Q3``. A part word counts only as
written bare (``quan``) or with its own diacritics (``quận``, not ``quần``, trousers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from server.orders import rules
from server.orders.normalize import fold, strip_marks

# Part words with the diacritics they must carry when they carry any.
_PARTS_NUMBERED: Final = ("ngõ", "ngách", "hẻm", "kiệt", "phường", "quận", "số nhà", "tổ", "ấp")
_PARTS_NAMED: Final = ("phường", "xã", "huyện", "tỉnh", "thành phố", "thị xã", "đường", "phố")
_TRIGGERS: Final = (
    r"(?:ship|sip|giao|gui|gửi)\s+(?:ve|den|toi|tai)\b",
    r"dia chi\s*:?",
    r"d/c\s*:?",
    r"dc\s*:",
    r"ship to\b",
    r"deliver to\b",
    # Arabic: the address, delivery to, district, street, and the big Gulf / Egyptian cities
    r"(?:العنوان|عنواني|التوصيل|توصيل|حي|شارع)(?!\w)\s*:?",
    r"(?=(?:الرياض|جده|مكه|المدينه|الدمام|الخبر|دبي|ابوظبي|الشارقه|الكويت|الدوحه|المنامه|مسقط"
    r"|القاهره|الاسكندريه|الجيزه)(?!\w))",
)
_TRIGGER_RE: Final = re.compile(r"(?<!\w)(?:" + "|".join(_TRIGGERS) + r")")
# "giao 27 Trần Hưng Đạo", "dc 15 ngo 27", "ship 27/5 ...": a trigger word, then a house number
# that is not a count ("giao 2 hộp" is not an address).
_SOFT_TRIGGER_RE: Final = re.compile(
    r"(?<!\w)(?:giao|ship|sip|dc|ve)\s+"
    r"(?=(?:so\s+)?\d+(?:/\d+)*(?P<time>h\b)?[a-z]?\s+(?P<after>[^\W\d_]+))"
)
_SHORT_RE: Final = re.compile(r"(?<!\w)(?:p|q|tp|tx)\.\s?[^\W_]|(?<!\w)(?:ship|giao)\s+q\d{1,2}\b")
_NOT_STREET: Final = frozenset(
    [
        "cai",
        "hop",
        "chai",
        "goi",
        "tui",
        "lo",
        "hu",
        "cay",
        "thoi",
        "doi",
        "bo",
        "bich",
        "x",
        "c",
        "size",
        "sz",
        "mau",
        "k",
        "kg",
        # times: "giao 8 giờ tối", "giao 8h tối" (the "h" is caught by the pattern)
        "gio",
        "phut",
        "sang",
        "trua",
        "chieu",
        "toi",
        "ngay",
    ]
)
_PART_START_RE: Final = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(strip_marks(w)) for w in (*_PARTS_NUMBERED, *_PARTS_NAMED))
    + r"|p\.|q\.|tp\.|tx\.|ship\s|giao\s)"
)
# Every trigger, soft trigger and part word starts with one of these: a comment without any
# has no address (one scan instead of three).
_ANY_START_RE: Final = re.compile(
    r"(?<!\w)(?:p\.|q\.|tp\.|tx\.|d/c|(?:ship|sip|giao|gui|ve|dia chi|dc|deliver|"
    r"العنوان|عنواني|التوصيل|توصيل|حي|شارع|الرياض|جده|مكه|المدينه|الدمام|الخبر|دبي|ابوظبي"
    r"|الشارقه|الكويت|الدوحه|المنامه|مسقط|القاهره|الاسكندريه|الجيزه|"
    + "|".join(re.escape(strip_marks(w)) for w in (*_PARTS_NUMBERED, *_PARTS_NAMED))
    + r")(?![^\W\d_]))"  # a whole word: "tôi" is not "tổ", "shipper" not "ship"
)
# Capitalised words after a number that are what is bought, not a street ("2 Hộp Chả Mực").
# (folded with diacritics, without): "Lý" (a street) is not "ly" (a glass), "Sơn" not "son".
_GOODS_WORDS: Final = {
    strip_marks(folded): folded
    for folded in (
        fold(word).split()[0]
        for table in (
            rules.UNITS,
            rules.NAME_UNITS,
            rules.GENERIC_SIZES,
            *rules.KINDS,
            *rules.COLOR_SYNONYMS,
            *rules.SIZE_EQUIVALENTS,
        )
        for word in table
    )
}


def _is_goods_word(folded_word: str) -> bool:
    """True if a unit, kind, colour or size word is written here, its diacritics agreeing."""
    wanted = _GOODS_WORDS.get(strip_marks(folded_word))
    return wanted is not None and _accent_ok(folded_word, wanted)


# Words that end an address: what follows is the order, a question or politeness.
_STOPS: Final = (
    "chốt",
    "lấy",
    "mua",
    "cho",
    "sđt",
    "sdt",
    "số điện thoại",
    "mất",
    "mấy",
    "bao",
    "không",
    "ko",
    "nhé",
    "nha",
    "ạ",
    "shop",
    "hả",
    "được",
    "please",
    "thanks",
    "phone",
    "với",
    "em",
    "giúp",
    "giùm",
    "dùm",
)


MAX_ADDRESS_WORDS: Final = 14  # "hẻm 27 Cách Mạng Tháng 8, P.15, Q.Tân Bình" has 9


@dataclass(frozen=True, slots=True)
class AddressSpan:
    """An address in folded text: the span to blank (trigger included) and the address text."""

    start: int
    end: int
    text_start: int  # where the address itself starts (after its trigger)


def _accent_ok(folded_word: str, wanted: str) -> bool:
    return folded_word == wanted or folded_word == strip_marks(folded_word)


# (word, its key without diacritics, takes a number, takes a name), built once
_PART_WORDS: Final = tuple(
    (word, strip_marks(word), word in _PARTS_NUMBERED, word in _PARTS_NAMED)
    for word in _PARTS_NUMBERED + _PARTS_NAMED
)
_STOP_WORDS: Final = tuple((stop, strip_marks(stop)) for stop in _STOPS)


def _part_at(folded: str, plain: str, pos: int) -> bool:
    """True if an address part word starts at `pos` (followed by a number, or by a name)."""
    for word, key, numbered, named in _PART_WORDS:
        end = pos + len(key)
        if not plain.startswith(key, pos) or (end < len(plain) and plain[end].isalnum()):
            continue
        if not _accent_ok(folded[pos:end], word):
            continue
        rest = plain[end:].lstrip(" .:")
        if numbered and rest[:1].isdigit():
            return True
        if named and folded[pos:end] == word and rest[:1].isalpha():
            return True  # a named part must carry its diacritics: "xã Tân Lập", not "xa"
    return bool(_SHORT_RE.match(plain, pos))


def find_addresses(folded: str, original: str = "") -> list[AddressSpan]:
    """Find the (first) address of a folded comment; [] if none.

    Args:
        folded: `server.orders.normalize.fold` output, phones already blanked.
        original: the comment as written, when folding kept its length: a house number before
            a capitalised street name ("27 Hàng Bông") is an address without any trigger.

    Returns:
        At most one span: from its trigger (or first part, or the house number before it) to the
        first stop word, question mark or clause that starts ordering again.
    """
    plain = strip_marks(folded)
    if _ANY_START_RE.search(plain) is None:
        street = _street_at(folded, plain, original) if original else -1
        if street < 0:
            return []  # no trigger, no part word, no street name: most comments
        return _span(folded, plain, street, street, original)
    start = text_start = -1
    match = _TRIGGER_RE.search(plain)
    if match is None:
        soft = _SOFT_TRIGGER_RE.search(plain)
        if soft is not None and soft.group("after") not in _NOT_STREET and not soft.group("time"):
            match = soft
    if match is not None:
        start, text_start = match.start(), match.end()
    else:
        for word in _PART_START_RE.finditer(plain):
            if _part_at(folded, plain, word.start()):
                text_start = _house_number_before(plain, word.start())
                lead = _LEAD_RE.search(plain[:text_start])
                start = lead.start() if lead else text_start
                if plain.startswith(("ship ", "giao "), text_start):
                    text_start += 5
                break
    if start < 0:
        street = _street_at(folded, plain, original) if original else -1
        if street < 0:
            return []
        start = text_start = street
    return _span(folded, plain, start, text_start, original)


def _span(folded: str, plain: str, start: int, text_start: int, original: str) -> list[AddressSpan]:
    cased = original if len(original) == len(folded) else ""
    end = _address_end(folded, plain, text_start, cased)
    words = plain[text_start:end].split()
    if not "".join(words).strip(" ,.:") or len(words) > MAX_ADDRESS_WORDS:
        return []  # a part word alone, or a whole story after "dc" (= "được")
    return [AddressSpan(start, end, text_start)]


# "27 Hàng Bông", "12/3 Nguyễn Trãi": a house number, then two or more capitalised words
_STREET_RE: Final = re.compile(r"(?<![\w/.,])\d{1,4}(?:/\d{1,4})*[a-zA-Z]?[ ]+(?=[^\W\d_])")


def _street_at(folded: str, plain: str, original: str) -> int:
    """Where a house number before a capitalised street name starts, or -1."""
    if len(original) != len(folded) or original.islower():
        return -1  # no capital letter, no street name
    for number in _STREET_RE.finditer(original):
        if not folded[number.start()].isdigit():
            continue  # a phone number, blanked already
        if any(word[0].isupper() for word in original[: number.start()].split()[1:]):
            return -1  # Title Case Written Throughout: a street name cannot be told apart
        names = original[number.end() :].split()[:2]
        if len(names) == 2 and all(
            word[0].isupper() and word.rstrip(",.").isalpha() and not word.isupper()
            for word in names
        ):
            first = folded[number.end() :].split()[0].strip(",.")
            if not _is_goods_word(first):
                return number.start()
    return -1


_HOUSE_NUMBER_RE: Final = re.compile(r"(?:(?<!\w)so\s+)?(?<![\w/])\d+(?:/\d+)*[a-z]?\s+$")
_LEAD_RE: Final = re.compile(r"(?<!\w)(?:giao|ship|sip|gui|ve)\s+$")


def _house_number_before(plain: str, pos: int) -> int:
    """Back up over "số 27 " / "12/3 " written just before the first part word."""
    found = _HOUSE_NUMBER_RE.search(plain[:pos])
    return found.start() if found else pos


def _address_end(folded: str, plain: str, pos: int, cased: str = "") -> int:
    """Where the address starting at `pos` ends; `cased` is the comment as written (or "")."""
    for word in _WORD_OR_QMARK_RE.finditer(plain, pos):
        at = word.start()
        if word.group() == "?":
            return at
        street = bool(cased) and cased[at].isupper()  # "12 Phan Đình Phùng", not "12 phần"
        if not street and _is_goods_word(folded[at : word.end()]):
            count = _COUNT_BEFORE_RE.search(plain, pos, at)
            if count is not None:
                return count.start()  # "15 Lê Lợi, 2 hộp chả mực": the order starts at "2 hộp"
            if _FIELD_BEFORE_RE.search(plain, pos, at) is not None:
                return at  # "số 5 ngõ 10 Trần Duy Hưng - chả mực 2 hộp": a new field
        for stop, key in _STOP_WORDS:
            end = at + len(key)
            if (
                plain.startswith(key, at)
                and (end >= len(plain) or not plain[end].isalnum())
                and _accent_ok(folded[at:end], stop)
            ):
                return at
    return len(plain)


_WORD_OR_QMARK_RE: Final = re.compile(r"[^\W\d_]+|\?")
_COUNT_BEFORE_RE: Final = re.compile(r"(?<![\w/.])\d{1,3}[ ]?$")  # a count just before a word
_FIELD_BEFORE_RE: Final = re.compile(r"[-,;][ ]*$")  # a field separator just before a word


def address_text(original: str, folded: str, span: AddressSpan) -> str:
    """The address as the buyer wrote it (original characters when the folding kept offsets)."""
    source = original if len(original) == len(folded) else folded
    text = " ".join(source[span.text_start : span.end].split())
    return text.strip(" ,.;:-")
