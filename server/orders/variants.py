"""Quantities, sizes and colours written after a product code (or after ``"chốt"``).

Pure. `read_lines` walks the tokens of one item ("A12 size M x2", "SP01 1 đỏ 1 xanh") and returns
order lines as (qty, size, colour) with the product's own variant names. Tables: `server.orders.rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from server.orders import rules
from server.orders.normalize import PhraseTable, Token, fold, strip_marks

NUMBER_WORDS: Final = PhraseTable(rules.NUMBERS.items())
UNITS: Final = PhraseTable((word, True) for word in rules.UNITS)
_QTY_PREFIXES: Final = PhraseTable((word, True) for word in rules.QTY_PREFIXES)
_NOT_QTY: Final = PhraseTable((word, True) for word in rules.NOT_QTY_UNITS)
_SIZE_PREFIXES: Final = PhraseTable((word, True) for word in rules.SIZE_PREFIXES)
_SIZE_PREFIX_KEYS: Final = _SIZE_PREFIXES.first_keys
_COLOR_PREFIXES: Final = PhraseTable((word, True) for word in rules.COLOR_PREFIXES)
FILLER: Final = PhraseTable((word, True) for word in rules.FILLER)
_WEIGHT: Final = PhraseTable((word, True) for word in rules.WEIGHT_UNITS)
_BODY: Final = PhraseTable(
    [(word, "weight") for word in rules.BODY_WEIGHT]
    + [(word, "height") for word in rules.BODY_HEIGHT]
)
_BODY_KEYS: Final = _BODY.first_keys
_ANY_COLOR: Final = PhraseTable((name, True) for group in rules.COLOR_SYNONYMS for name in group)
# Tables whose words give a comment a meaning: a comment with none of their words (and no code,
# name or number) is chatter (server.orders.parse._is_chatter).
SIGNAL_TABLES: Final = (
    NUMBER_WORDS,
    UNITS,
    _QTY_PREFIXES,
    _SIZE_PREFIXES,
    _COLOR_PREFIXES,
    _WEIGHT,
    _ANY_COLOR,
)
MAX_BARE_QTY: Final = 99
MAX_COUNT_BEFORE_VARIANT: Final = (
    10  # a bare number above this is a price, a weight or a year, not a count
)
MAX_QTY: Final = 999


def size_key(text: str) -> str:
    """Compare form of a size: ``"2XL"`` and ``"xxl"`` -> ``"xxl"``, ``"Free size"`` -> ``"freesize"``."""
    key = strip_marks(fold(text)).replace(" ", "").replace("-", "")
    return SIZE_CANONICAL.get(key, key)


SIZE_CANONICAL: Final[dict[str, str]] = {
    strip_marks(fold(name)).replace(" ", ""): group[0]
    for group in rules.SIZE_EQUIVALENTS
    for name in group
}
GENERIC_SIZES: Final = frozenset(size_key(size) for size in rules.GENERIC_SIZES)
VARIANT_WORDS: Final = frozenset().union(
    *(t.first_keys for t in (_SIZE_PREFIXES, _COLOR_PREFIXES, _ANY_COLOR, _QTY_PREFIXES)),
    NUMBER_WORDS.first_keys,
    _BODY.first_keys,
    SIZE_CANONICAL,
    GENERIC_SIZES,
)


class ProductIndex:
    """One product's sizes by compare form, and a phrase table of its colours (with synonyms)."""

    __slots__ = ("color_count", "colors", "reads", "size_chart", "sizes", "sku")

    def __init__(
        self,
        sku: str,
        sizes: Sequence[str],
        colors: Sequence[str],
        *,
        size_chart: Sequence[tuple[float, str]] = (),
    ) -> None:
        self.sku = sku
        self.size_chart = tuple(size_chart)  # (max kg, size), lightest first
        self.color_count = len(set(colors))
        self.sizes = {size_key(size): size for size in reversed(sizes)}
        entries: list[tuple[str, object]] = []
        for color in colors:
            entries.append((color, color))
            group = next((g for g in rules.COLOR_SYNONYMS if _in_group(color, g)), ())
            entries.extend((name, color) for name in group)
        self.colors = PhraseTable(entries)
        # word keys a size, colour or count of this product can start with (`read_lines` skips
        # other words without trying each reader)
        self.reads = (
            VARIANT_WORDS
            | self.colors.first_keys
            | set(self.sizes)
            | {key for key, size in SIZE_CANONICAL.items() if size in self.sizes}
        )

    def is_size_word(self, key: str) -> bool:
        """True if `key` (a token key, folded already) names one of this product's sizes."""
        return SIZE_CANONICAL.get(key, key) in self.sizes


def _in_group(color: str, group: Sequence[str]) -> bool:
    wanted = fold(color)
    return any(fold(name) == wanted for name in group)


@dataclass(slots=True)
class Found:
    """What `read_lines` found: lines (qty, size, colour), whether a count was written, notes."""

    lines: list[tuple[int, str | None, str | None]] = field(default_factory=list)
    explicit: bool = False
    note: str = ""


class _Event(NamedTuple):
    kind: str  # "size", "color", "qty", "weight"
    value: str | int


def read_lines(
    tokens: list[Token],
    roles: Sequence[tuple[str, int]],
    lo: int,
    hi: int,
    product: ProductIndex,
    *,
    pre_qty: int | None,
    allowed: Sequence[bool] | None,
) -> Found:
    """Read the quantity and variants in ``tokens[lo:hi]`` for `product`.

    Args:
        tokens: the comment's tokens; the ones read here are marked used.
        roles: (keyword category, clause number) of each token.
        lo: first token after the product code (0 for the pinned product).
        hi: end of this item (the next code, or the end of the comment).
        product: the product being ordered.
        pre_qty: a count written before the code ("2 A12"), if any.
        allowed: per clause, whether to read it (None: all, right after a code).

    Returns:
        Lines: a new one each time a size, colour or count repeats ("1 M 1 L"), else one.
    """
    found = Found()
    events: list[_Event] = []
    after_item = allowed is None  # a bare number right after a code or keyword is a count
    reads = product.reads
    j = lo
    while j < hi:
        token = tokens[j]
        role, clause = roles[j]
        if allowed is not None and not allowed[clause]:
            j += 1
            continue
        if token.used or token.kind in ("break", "qmark"):
            after_item = role == "order" or (after_item and role != "break")
            j += 1
            continue
        if (
            token.kind == "word"
            and token.key not in reads
            and (not token.stem or token.stem not in reads)
            and not (j + 1 < hi and tokens[j + 1].glued)
        ):
            step = 0  # no size, colour or count starts here
        else:
            step = _read_one(
                tokens, j, hi, product, after_item=after_item, found=found, events=events
            )
        if step:
            after_item = step > 0
            j += abs(step)
            continue
        word = token.kind == "word"
        maybe_body = word and (token.key in _BODY_KEYS or token.stem in _BODY_KEYS)
        body = _BODY.match(tokens, j) if maybe_body else None
        if body is not None:  # "e nặng 56", "cao 1m60": the buyer's measures, not a count
            j = _read_body(tokens, j, j + body[0], hi, product, str(body[1]), events, found)
            after_item = False
            continue
        filler = FILLER.match(tokens, j) if word else None
        after_item = after_item and filler is not None
        j += filler[0] if filler else 1
    found.lines = _assemble(events, pre_qty)
    found.explicit |= any(e.kind == "qty" for e in events)
    return found


def _read_one(
    tokens: list[Token],
    j: int,
    hi: int,
    product: ProductIndex,
    *,
    after_item: bool,
    found: Found,
    events: list[_Event],
) -> int:
    """Read a size, colour or count at `j`; record it and return the tokens it took.

    0: nothing here; negative: a number that is money, a weight or a height, to step over.
    """
    for reader in (_size_at, _color_at):
        hit = reader(tokens, j, hi, product)
        if hit is not None:
            length, value = hit
            if value is None:
                found.note = ";variant-unmatched"
            else:
                events.append(_Event("size" if reader is _size_at else "color", value))
            _use(tokens, j, j + length)
            return length
    weight = _weight_size(tokens, j, hi, product)
    if weight is not None:
        events.append(_Event("weight", weight))
        found.note = found.note or ";size-chart"
        _use(tokens, j, j + 2)
        return 2
    qty = _qty_at(tokens, j, hi, product, after_item=after_item)
    if qty is None:
        return 0
    if qty[1] is None:
        if product.size_chart and _is_body_measure(tokens, j, hi):
            _use(tokens, j, j + qty[0])  # "1m60", "50kg": the buyer's size, said with the order
        return -qty[0]
    events.append(_Event("qty", qty[1]))
    _use(tokens, j, j + qty[0])
    return qty[0]


def _weight_size(tokens: list[Token], j: int, hi: int, product: ProductIndex) -> str | None:
    """The size a body weight reads as ("58kg" -> M) through the product's size chart."""
    if not product.size_chart or tokens[j].kind != "number" or j + 1 >= hi:
        return None
    if _WEIGHT.match(tokens, j + 1) is None or not 20 <= tokens[j].value <= 200:
        return None
    for max_kg, size in product.size_chart:
        if tokens[j].value <= max_kg:
            return product.sizes.get(size_key(size), size)
    return None


def _use(tokens: list[Token], start: int, end: int) -> None:
    for k in range(start, end):
        tokens[k].used = True


def _skip_colon(tokens: list[Token], k: int, hi: int) -> int:
    if k < hi and tokens[k].kind == "break" and tokens[k].text == ":":
        return k + 1
    return k


def _size_at(
    tokens: list[Token], j: int, hi: int, product: ProductIndex
) -> tuple[int, str | None] | None:
    token = tokens[j]
    maybe_prefix = token.key in _SIZE_PREFIX_KEYS or token.stem in _SIZE_PREFIX_KEYS
    prefix = _SIZE_PREFIXES.match(tokens, j) if maybe_prefix else None
    k = _skip_colon(tokens, j + prefix[0], hi) if prefix else j
    if k >= hi:
        return None
    for width in (2, 1):
        if k + width > hi or (width == 2 and not tokens[k + 1].glued):
            continue
        joined = tokens[k].key if width == 1 else tokens[k].key + tokens[k + 1].key
        key = SIZE_CANONICAL.get(joined, joined)  # token keys are folded already
        if key in product.sizes and all(tokens[k + n].kind != "break" for n in range(width)):
            if width == 1 and tokens[k].kind == "number" and _glued_word_after(tokens, k, hi):
                continue
            return k + width - j, product.sizes[key]
        if width == 2 and key in GENERIC_SIZES and tokens[k].kind == "number":
            return k + 2 - j, None  # "2xl" for a product without it
    token = tokens[k]
    generic = SIZE_CANONICAL.get(token.key, token.key) in GENERIC_SIZES
    if token.kind == "word" and generic and len(token.key) > 1:
        return k + 1 - j, None
    if prefix and (token.kind == "number" or generic):
        return k + 1 - j, None
    return None


def _glued_word_after(tokens: list[Token], k: int, hi: int) -> bool:
    return k + 1 < hi and tokens[k + 1].glued and tokens[k + 1].kind == "word"


def _color_at(
    tokens: list[Token], j: int, hi: int, product: ProductIndex
) -> tuple[int, str | None] | None:
    if tokens[j].kind != "word":
        return None
    prefix = _COLOR_PREFIXES.match(tokens, j)
    k = _skip_colon(tokens, j + prefix[0], hi) if prefix else j
    if k >= hi or tokens[k].kind != "word":
        return None
    hit = product.colors.match(tokens, k)
    if hit is not None and k + hit[0] <= hi:
        return k + hit[0] - j, str(hit[1])
    other = _ANY_COLOR.match(tokens, k)
    if other is not None:
        return k + other[0] - j, None
    return None


def _qty_at(
    tokens: list[Token], j: int, hi: int, product: ProductIndex, *, after_item: bool
) -> tuple[int, int | None] | None:
    """A count at `j`: "x2", "sl: 2", "2 cái", "2c", "hai cái", a bare "2" right after the item."""
    token = tokens[j]
    prefix = _QTY_PREFIXES.match(tokens, j) if token.kind == "word" else None
    if prefix is not None or token.kind == "times":
        k = _skip_colon(tokens, j + (prefix[0] if prefix else 1), hi)
        count = _count(tokens, k, hi)
        if count is not None:
            return k + count[0] - j, count[1]
        return None
    count = _count(tokens, j, hi)
    if count is None:
        return None
    length, value = count
    k = j + length
    if k < hi and not tokens[k].used:
        unit = UNITS.match(tokens, k)
        if unit is not None:
            return k + unit[0] - j, value
        if tokens[k].glued and tokens[k].key == "x" and token.kind == "number":
            return k + 1 - j, value
        if _is_measure(tokens, k, hi):
            return k + 2 - j, None  # "1m6": a height
        if tokens[k].glued and product.is_size_word(tokens[k].key):
            return length, value  # "1M 1L": one of size M, one of L
        if _NOT_QTY.match(tokens, k) is not None or (tokens[k].glued and tokens[k].kind == "word"):
            return k + 1 - j, None  # money, a weight, a time: not a count
    glued_to_word = token.glued and j > 0 and tokens[j - 1].kind == "word"
    if value > MAX_BARE_QTY or glued_to_word:
        return None
    if after_item:
        return length, value
    small = value <= MAX_COUNT_BEFORE_VARIANT and token.text[0] != "0"  # not "39 đen", "sp 01 s"
    if small and k < hi and _variant_starts(tokens, k, product):
        return length, value  # a count before a variant: "2 cái: 1 M đen, 1 L trắng"
    return None


def _variant_starts(tokens: list[Token], k: int, product: ProductIndex) -> bool:
    """True if one of the product's own sizes or colours is written at `k`."""
    token = tokens[k]
    if token.used or token.kind != "word":
        return False
    return product.is_size_word(token.key) or product.colors.match(tokens, k) is not None


def _read_body(
    tokens: list[Token],
    j: int,
    end: int,
    hi: int,
    product: ProductIndex,
    kind: str,
    events: list[_Event],
    found: Found,
) -> int:
    """Read "nặng 56(kg)" / "cao 1m60" from body word `j` (ending at `end`); return where next."""
    _use(tokens, j, end)
    if end >= hi or tokens[end].kind != "number" or tokens[end].used:
        return end
    value = tokens[end].value
    stop = end + 1
    if stop < hi and _is_measure(tokens, stop, hi):
        stop += 2  # "1m60"
    elif stop < hi and (_WEIGHT.match(tokens, stop) or tokens[stop].key in ("cm", "m")):
        stop += 1
    if kind == "weight" and product.size_chart and 20 <= value <= 200:
        for max_kg, size in product.size_chart:
            if value <= max_kg:
                events.append(_Event("weight", product.sizes.get(size_key(size), size)))
                found.note = found.note or ";size-chart"
                break
    _use(tokens, end, stop)
    return stop


def names_a_variant(tokens: Sequence[Token]) -> bool:
    """True if a size or colour of any shop is written ("đổi size M sang L" for a product
    without sizes): the buyer names a variant, even one the product does not have."""
    for j, token in enumerate(tokens):
        if token.kind != "word":
            continue
        if SIZE_CANONICAL.get(token.key, token.key) in GENERIC_SIZES:
            return True
        if _ANY_COLOR.match(tokens, j):  # a value: "size" or "màu" alone asks, names nothing
            return True
    return False


def _is_body_measure(tokens: list[Token], j: int, hi: int) -> bool:
    """A height ("1m60"), a weight ("50kg", "56 kí") or a length ("24cm") at number `j`."""
    k = j + 1
    if k >= hi or tokens[j].kind != "number":
        return False
    return (
        _is_measure(tokens, k, hi)
        or _WEIGHT.match(tokens, k) is not None
        or tokens[k].key in ("cm", "m")
    )


def _is_measure(tokens: list[Token], k: int, hi: int) -> bool:
    return (
        k + 1 < hi
        and tokens[k].glued
        and tokens[k].kind == "word"
        and tokens[k + 1].glued
        and tokens[k + 1].kind == "number"
    )


def _count(tokens: list[Token], k: int, hi: int) -> tuple[int, int] | None:
    if k >= hi:
        return None
    token = tokens[k]
    if token.kind == "number":
        return (1, token.value) if 1 <= token.value <= MAX_QTY else None
    if token.kind != "word":
        return None
    hit = NUMBER_WORDS.match(tokens, k)
    if hit is None or k + hit[0] > hi:
        return None
    return hit[0], int(str(hit[1]))


def _assemble(
    events: list[_Event], pre_qty: int | None
) -> list[tuple[int, str | None, str | None]]:
    """Group events into lines, left to right: a second size, colour or count starts a new line.

    "1 đỏ size S 1 xanh size XL" -> (1, S, đỏ), (1, XL, xanh); "M x1, L x2" -> (1, M), (2, L).
    A count alone followed by lines adding up to it is their total, not a line of its own.
    """
    groups: list[dict[str, str | int]] = [{}]
    for event in events:
        if event.kind == "weight":  # a weight gives the size only where none was written
            groups[-1].setdefault("size", event.value)
            continue
        if event.kind in groups[-1]:
            groups.append({})
        groups[-1][event.kind] = event.value
    if pre_qty is not None and "qty" not in groups[0]:
        groups[0]["qty"] = pre_qty
    if len(groups) > 2 and list(groups[0]) == ["qty"]:
        rest = groups[1:]  # "2 đôi: 1 đôi 36, 1 đôi 40": a total, then its parts
        if sum(int(g.get("qty", 1)) for g in rest) == groups[0]["qty"]:
            groups = rest
    return [
        (
            int(group.get("qty", 1)),
            str(group["size"]) if "size" in group else None,
            str(group["color"]) if "color" in group else None,
        )
        for group in groups
    ]
