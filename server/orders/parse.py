"""Read one viewer comment as an order, a cancel, a question or nothing.

Pure and deterministic: no I/O, no clock, no database. The rules, in the order they are tried
(docs/orders.md explains each with examples):

1. The text is folded and tokenised (`server.orders.normalize`); phone numbers are taken out.
2. Product codes of the live catalog are found, case- and space-insensitive (``"a 12"`` = ``A12``),
   never inside another word or number (``B30`` is not ``B3``).
3. Keywords of `server.orders.rules` are found, longest phrase first, and each clause (split at
   ``, . ! ? ;`` and new lines) is classed: cancel, question (an ``ask`` word, or a ``query`` word
   or ``?`` without an order keyword), order (an order keyword), or plain.
4. The comment is then: ``cancel`` if a clause cancels; ``order`` if a clause orders (the products
   named outside question clauses, else the pinned product: ``"chốt"`` alone, in a short comment;
   not a past purchase told among other words: ``"bạn em mua D15 rồi khen lắm"``); ``order`` without a
   keyword when a plain clause names a product with a quantity (``"A12 x2"``) or the comment is only
   product codes, variants, quantities, a phone and politeness (``"A12 size M nha"``); else
   ``question`` if a clause asks; else ``none``.

Variants are matched to the product's own sizes and colours. A size or colour word the product
does not have leaves the variant None and adds ``;variant-unmatched`` to the rule, so the seller
confirms it with the buyer rather than losing the order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from server.orders import rules
from server.orders.normalize import (
    PhraseTable,
    Token,
    blank,
    find_phones,
    fold,
    mask_contacts,
    strip_marks,
    tokenize,
)
from server.orders.variants import FILLER, NUMBER_WORDS, UNITS, ProductIndex, read_lines
from studio.catalog import normalize_sku

if TYPE_CHECKING:
    from studio.catalog import Catalog

__all__ = [
    "CatalogView",
    "OrderLine",
    "ParseResult",
    "ProductView",
    "mask_contacts",
    "parse_comment",
]

Intent = Literal["order", "cancel", "question", "none"]
MAX_CHARS: Final = 1000  # longer comments are read up to here (the server caps length anyway)

_OPENERS: Final = PhraseTable((word, True) for word in rules.QUERY_OPENERS)
_INTENT_WORDS: Final = PhraseTable(
    (phrase, category)
    for category, table in (
        ("void", rules.VOID),
        ("cancel", rules.CANCEL),
        ("ask", rules.ASK),
        ("order", rules.ORDER),
        ("query", rules.QUERY),
        ("past", rules.PAST),
    )
    for phrases in table.values()
    for phrase in phrases
)


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One product a comment asks for."""

    sku: str  # canonical (studio.catalog.normalize_sku)
    qty: int
    size: str | None = None  # as written in the catalog variant
    color: str | None = None


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a comment means, and which rule said so (shown on the host console)."""

    intent: Intent
    items: tuple[OrderLine, ...]
    rule: str  # e.g. "keyword+sku", "bare-keyword-pinned", "question-mark"
    phone: str | None = None  # digits as written, separators removed ("0912345678")


@dataclass(frozen=True, slots=True)
class ProductView:
    """The part of a product the parser needs: its code and variant names."""

    sku: str
    sizes: tuple[str, ...]
    colors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CatalogView:
    """The live catalog as the parser sees it; lookup tables are built once, here."""

    products: Mapping[str, ProductView]  # sku -> sizes/colours
    _index: _CatalogIndex = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _CatalogIndex(self.products.values()))

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> CatalogView:
        """Build the view of a loaded `studio.catalog.Catalog`."""
        return cls(
            products={p.sku: ProductView(p.sku, p.sizes, p.colors) for p in catalog.products}
        )


class _CatalogIndex:
    """Product codes split into letter and digit runs (``"SP-01"`` -> ``sp``, ``01``)."""

    __slots__ = ("by_first", "products", "variant_phrases")

    def __init__(self, products: Iterable[ProductView]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.products: dict[str, ProductIndex] = {}
        names: list[str] = []
        for product in products:
            sku = normalize_sku(product.sku)
            parts = tuple(re.findall(r"[a-z]+|[0-9]+", strip_marks(fold(sku))))
            if not parts or sku in self.products:
                continue  # a code of only signs, or one already listed: first one wins
            self.products[sku] = ProductIndex(sku, product.sizes, product.colors)
            self.by_first.setdefault(parts[0], []).append((parts, sku))
            names.extend(name for name in (*product.sizes, *product.colors) if " " in name.strip())
        # "hồng đất" is a colour before "đất"/"đặt" is a keyword
        self.variant_phrases = PhraseTable((name, True) for name in names)
        for candidates in self.by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))


@dataclass(slots=True)
class _Mention:
    sku: str
    start: int  # token index of the code's first token
    end: int  # token index after its last token
    clause: int


@dataclass(slots=True)
class _Clause:
    words: set[str] = field(default_factory=set)  # categories of the keywords in it
    has_qmark: bool = False

    @property
    def kind(self) -> str:
        if "cancel" in self.words:
            return "cancel"
        if "ask" in self.words:
            return "question"
        if "order" in self.words:
            return "order"
        if "query" in self.words or self.has_qmark:
            return "question"
        return "plain"


def parse_comment(text: str, catalog: CatalogView, *, pinned: str | None) -> ParseResult:
    """Turn one viewer comment into an intent with its items. No I/O, no clock, no database.

    Args:
        text: the comment as the viewer wrote it (any language, any characters).
        catalog: the live catalog (`CatalogView.from_catalog`).
        pinned: SKU of the product on screen, meant by a bare ``"chốt"``; None if none is.

    Returns:
        The intent, the order lines (empty unless ordering or cancelling named products), the rule
        that decided, and the first phone number in the comment. Never raises on any text.
    """
    folded = fold(text[:MAX_CHARS])
    phones = find_phones(folded)
    phone = phones[0].number if phones else None
    tokens = tokenize(blank(folded, phones))
    index = catalog._index
    mentions = _find_skus(tokens, index)
    clauses, roles = _read_clauses(tokens, index.variant_phrases)
    for mention in mentions:
        mention.clause = roles[mention.start][1]
    kinds = [clause.kind for clause in clauses]
    by_word = any(clause.words & {"ask", "query"} for clause in clauses)
    asks = (
        "question-word" if by_word else "question-mark" if any(c.has_qmark for c in clauses) else ""
    )
    past = any("past" in c.words and c.kind == "order" for c in clauses)
    intent, items, rule = _decide(
        tokens, kinds, roles, mentions, index, pinned, asks=asks, past=past
    )
    return ParseResult(intent, items, rule, phone)


def _decide(
    tokens: list[Token],
    kinds: list[str],
    roles: list[tuple[str, int]],
    mentions: list[_Mention],
    index: _CatalogIndex,
    pinned: str | None,
    *,
    asks: str,
    past: bool,
) -> tuple[Intent, tuple[OrderLine, ...], str]:
    """Apply the intent rules in order (module docstring, step 4).

    `asks` is the question rule if some clause asks ("" if none); `past` says an ordering clause
    speaks of the past ("bạn em mua D15 rồi"): then it orders only if the comment is short.
    """
    if "cancel" in kinds:
        chosen = [m for m in mentions if kinds[m.clause] == "cancel"] or mentions
        lines, _, note = _read_mentions(tokens, roles, chosen, index)
        return "cancel", lines, ("cancel+sku" if lines else "cancel") + note
    if "order" in kinds:
        chosen = [m for m in mentions if kinds[m.clause] != "question"] or mentions
        if chosen:
            lines, _, note = _read_mentions(tokens, roles, chosen, index)
            if not past or _only_filler(tokens, roles, None):
                return "order", lines, "keyword+sku" + note
            return ("question", (), asks) if asks else ("none", (), "keyword-past")
        # a bare keyword means the pinned product, when the comment says nothing else
        product = index.products.get(normalize_sku(pinned)) if pinned else None
        allowed = [kind != "question" for kind in kinds]
        if product is not None:
            found = read_lines(
                tokens, roles, 0, len(tokens), product, pre_qty=None, allowed=allowed
            )
            if _only_filler(tokens, roles, allowed):
                lines = _to_lines(product.sku, found.lines)
                return "order", lines, "bare-keyword-pinned" + found.note
        if asks:
            return "question", (), asks
        return "none", (), "keyword-among-words" if product else "keyword-unpinned"
    plain = [m for m in mentions if kinds[m.clause] == "plain"]
    if plain:
        lines, explicit, note = _read_mentions(tokens, roles, plain, index)
        if explicit:
            return "order", lines, "sku+qty" + note
        if "question" not in kinds and _only_filler(tokens, roles, None):
            return "order", lines, "sku-only" + note
    if "question" in kinds:
        return "question", (), asks or "question-mark"
    return "none", (), "no-match" if tokens else "empty"


def _find_skus(tokens: list[Token], index: _CatalogIndex) -> list[_Mention]:
    mentions: list[_Mention] = []
    count = len(tokens)
    i = 0
    while i < count:
        token = tokens[i]
        candidates = index.by_first.get(token.key) if token.kind in ("word", "number") else None
        found = None
        if candidates and not (token.glued and tokens[i - 1].kind == token.kind == "word"):
            for parts, sku in candidates:
                end = i + len(parts)
                if (
                    end <= count
                    and all(
                        tokens[i + k].key == parts[k] and tokens[i + k].joinable
                        for k in range(1, len(parts))
                    )
                    and _ends_cleanly(tokens, end, index.products[sku])
                ):
                    found = _Mention(sku, i, end, 0)
                    break
        if found is None:
            i += 1
            continue
        for k in range(found.start, found.end):
            tokens[k].used = True
        mentions.append(found)
        i = found.end
    return mentions


def _ends_cleanly(tokens: list[Token], end: int, product: ProductIndex) -> bool:
    """A code may be glued to what follows only when that is "x2", a size or a unit."""
    if end >= len(tokens) or not tokens[end].glued:
        return True
    after = tokens[end]
    if after.kind != "word":
        return after.kind != "number"
    return after.key == "x" or product.is_size_word(after.key) or after.key in ("c", "cai")


def _read_clauses(
    tokens: list[Token], variant_phrases: PhraseTable
) -> tuple[list[_Clause], list[tuple[str, int]]]:
    """Class every clause by its keywords; return the clauses and each token's (role, clause)."""
    clauses = [_Clause()]
    roles: list[tuple[str, int]] = []
    i = 0
    count = len(tokens)
    while i < count:
        token = tokens[i]
        number = len(clauses) - 1
        if token.kind == "break" or token.kind == "qmark":
            roles.append(("break", number))
            clauses[-1].has_qmark |= token.kind == "qmark"
            clauses.append(_Clause())
            i += 1
            continue
        opens_clause = i == 0 or roles[-1][0] == "break"
        if token.kind == "word" and opens_clause and _OPENERS.match(tokens, i) is not None:
            clauses[-1].words.add("query")
        variant = variant_phrases.match(tokens, i) if token.kind == "word" else None
        if variant is not None:
            roles.extend(("", number) for _ in range(variant[0]))
            i += variant[0]
            continue
        hit = _INTENT_WORDS.match(tokens, i) if token.kind == "word" else None
        if hit is None:
            roles.append(("sku" if token.used else "", number))
            i += 1
            continue
        length, category = hit
        clauses[-1].words.add(str(category))
        for k in range(i, i + length):
            tokens[k].used = True
            roles.append((str(category), number))
        i += length
    return clauses, roles


def _read_mentions(
    tokens: list[Token],
    roles: list[tuple[str, int]],
    mentions: list[_Mention],
    index: _CatalogIndex,
) -> tuple[tuple[OrderLine, ...], bool, str]:
    """Read quantity and variants after each code (and a count just before it)."""
    lines: list[OrderLine] = []
    explicit = False
    note = ""
    pre_starts: list[tuple[int, int | None]] = []
    for k, mention in enumerate(mentions):
        # "A12 2 B3": the 2 is A12's; "2 B3 1 N100": counts come first, the 1 is N100's
        previous_end = -1
        if k and pre_starts[k - 1][1] is None:
            previous_end = mentions[k - 1].end
        pre_starts.append(_pre_qty(tokens, mention.start, previous_end))
    for k, mention in enumerate(mentions):
        end = pre_starts[k + 1][0] if k + 1 < len(mentions) else len(tokens)
        product = index.products[mention.sku]
        start, pre_qty = pre_starts[k]
        found = read_lines(tokens, roles, mention.end, end, product, pre_qty=pre_qty, allowed=None)
        lines.extend(_to_lines(mention.sku, found.lines))
        explicit |= found.explicit or pre_qty is not None
        note = note or found.note
        for j in range(start, mention.start):
            tokens[j].used = True
    return _merge(lines), explicit, note


def _pre_qty(tokens: list[Token], start: int, previous_end: int) -> tuple[int, int | None]:
    """A count written before a code: "2 A12", "2 cái A12", "hai A12". Returns (start, qty).

    Between a count with its unit and the code, up to three words of the product's name may
    stand ("2 hộp chả mực B3"). A count at `previous_end` (right after the previous code) or
    after "x" is not one.
    """
    j = _unit_before(tokens, start)
    if j < 0 or tokens[j].used or j == previous_end:
        return start, None
    if j > 0 and (tokens[j - 1].kind == "times" or tokens[j - 1].key in _COUNT_WORDS):
        return start, None
    qty = _count_at(tokens, j)
    return (j, qty) if qty is not None else (start, None)


def _unit_before(tokens: list[Token], start: int) -> int:
    """Index of the token where a count before the code would be (after skipping its unit)."""
    j = start - 1
    for skipped in range(4):  # the unit, after up to three name words
        k = start - 1 - skipped
        if k < 1 or tokens[k].kind != "word" or tokens[k].used:
            break
        if _is_unit(tokens, k):
            j = k - 1
            if j >= 1 and tokens[j].kind == "word" and _is_unit(tokens, j):
                j -= 1  # "3 pcs of A12"
            return j
    return j


_COUNT_WORDS: Final = frozenset({"x", "sl", "qty", "luong"})


def _is_unit(tokens: list[Token], j: int) -> bool:
    hit = UNITS.match(tokens, j)
    return hit is not None and hit[0] == 1


def _count_at(tokens: list[Token], j: int) -> int | None:
    token = tokens[j]
    if token.kind == "number":
        return token.value if 1 <= token.value <= 999 else None
    hit = NUMBER_WORDS.match(tokens, j)
    return int(str(hit[1])) if hit is not None and hit[0] == 1 else None


def _only_filler(
    tokens: list[Token], roles: list[tuple[str, int]], allowed: list[bool] | None
) -> bool:
    """True if every word not read yet (in the allowed clauses) is politeness, a pronoun or a
    unit ("lấy em thỏi hồng đất")."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        skip = allowed is not None and not allowed[roles[i][1]]
        if skip or token.used or token.kind in ("break", "qmark", "times"):
            i += 1
            continue
        hit = FILLER.match(tokens, i) or UNITS.match(tokens, i) if token.kind == "word" else None
        if hit is None:
            return False
        i += hit[0]
    return True


def _to_lines(
    sku: str, found: Sequence[tuple[int, str | None, str | None]]
) -> tuple[OrderLine, ...]:
    return tuple(OrderLine(sku, qty, size, color) for qty, size, color in found)


def _merge(lines: list[OrderLine]) -> tuple[OrderLine, ...]:
    """Add up lines for the same product and variant ("A12, A12" is two of A12)."""
    totals: dict[tuple[str, str | None, str | None], int] = {}
    for line in lines:
        key = (line.sku, line.size, line.color)
        totals[key] = totals.get(key, 0) + line.qty
    return tuple(OrderLine(sku, qty, size, color) for (sku, size, color), qty in totals.items())
