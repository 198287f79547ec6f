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

Guards against what is not an order: an address (with a trigger, a part word, or a house number
before a capitalised street: ``"27 Hàng Bông"``) is taken out before codes are read; a numeric
code counts only where a code is written (first, after a keyword, ``mã``, ``và``, a finished item,
or a count in its own unit: ``"2 hộp 15"``); the host confirming to a named buyer (``"chốt cho
chị Mai ..."``) is the seller's; a kind word alone (``"dép"``, or ``"đẹp"`` typed ``"dep"``) is
not an order; a change that names nothing new is not one; and a long text (over
`MAX_ORDER_WORDS` words) with no code and no phone is a review, not an order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from server.orders import rules
from server.orders.context import address_text, find_addresses
from server.orders.names import NamedProduct, NameIndex, guess_unit
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
from server.orders.variants import (
    FILLER,
    GENERIC_SIZES,
    NUMBER_WORDS,
    SIGNAL_TABLES,
    SIZE_CANONICAL,
    UNITS,
    Found,
    ProductIndex,
    names_a_variant,
    read_lines,
)
from studio.catalog import normalize_sku

if TYPE_CHECKING:
    from studio.catalog import Catalog, Product

__all__ = [
    "CatalogView",
    "OrderLine",
    "ParseResult",
    "ProductView",
    "mask_contacts",
    "parse_comment",
]

Intent = Literal["order", "cancel", "change", "question", "none"]
Confidence = Literal["sure", "review"]
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
        ("change", rules.CHANGE),
        ("seller", rules.SELLER),
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
    confidence: Confidence = "sure"  # "review": placed, but the seller confirms the guess
    address: str | None = None  # the delivery address written in the comment, as written


@dataclass(frozen=True, slots=True)
class ProductView:
    """The part of a product the parser needs: its code and variant names."""

    sku: str
    sizes: tuple[str, ...]
    colors: tuple[str, ...]
    name: str = ""
    aliases: tuple[str, ...] = ()
    unit: str = ""  # how it is counted ("hộp"); guessed from the name when empty
    price_k: int = 0  # price in thousands, a pointer buyers use ("váy 350")
    size_chart: tuple[tuple[float, str], ...] = ()  # (max kg, size), lightest first


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
        return cls(products={p.sku: _view_of(p) for p in catalog.products})


def _view_of(product: Product) -> ProductView:
    price = int(product.current_price)
    chart = tuple(sorted((step.max_kg, step.size) for step in product.size_chart))
    return ProductView(
        product.sku,
        product.sizes,
        product.colors,
        name=product.name,
        aliases=product.aliases,
        unit=product.unit or guess_unit(product.name),
        price_k=price // 1000 if price % 1000 == 0 else 0,
        size_chart=chart,
    )


class _CatalogIndex:
    """Product codes split into letter and digit runs (``"SP-01"`` -> ``sp``, ``01``)."""

    __slots__ = ("by_first", "names", "pins", "products", "signals", "units", "variant_phrases")

    def __init__(self, products: Iterable[ProductView]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.products: dict[str, ProductIndex] = {}
        self.units: dict[str, str] = {}  # sku -> its unit's key ("hop"), when it has one
        names: list[str] = []
        named: list[NamedProduct] = []
        for product in products:
            sku = normalize_sku(product.sku)
            parts = tuple(re.findall(r"[a-z]+|[0-9]+", strip_marks(fold(sku))))
            if not parts or sku in self.products:
                continue  # a code of only signs, or one already listed: first one wins
            self.products[sku] = ProductIndex(
                sku, product.sizes, product.colors, size_chart=product.size_chart
            )
            named.append(
                NamedProduct(sku, product.name, product.aliases, product.unit, product.price_k)
            )
            self.by_first.setdefault(parts[0], []).append((parts, sku))
            if product.unit:
                self.units[sku] = strip_marks(fold(product.unit))
            names.extend(name for name in (*product.sizes, *product.colors) if " " in name.strip())
        # "hồng đất" is a colour before "đất"/"đặt" is a keyword
        self.variant_phrases = PhraseTable((name, True) for name in names)
        self.names = NameIndex(named)
        for candidates in self.by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self.pins: dict[str, str] = {}  # pinned code as given -> canonical
        # words that can make a comment more than chatter (see `_is_chatter`)
        signals = set(_SIGNAL_KEYS) | set(self.by_first) | self.variant_phrases.first_keys
        signals |= self.names.phrases.first_keys
        for item in self.products.values():
            signals |= item.colors.first_keys | set(item.sizes)
        self.signals = frozenset(signals)

    def pin(self, pinned: str | None) -> str | None:
        """The canonical code of the pinned product (normalised once per code)."""
        if not pinned:
            return None
        canonical = self.pins.get(pinned)
        if canonical is None:
            if len(self.pins) > 1000:
                self.pins.clear()
            canonical = self.pins[pinned] = normalize_sku(pinned)
        return canonical


@dataclass(slots=True)
class _Mention:
    sku: str
    start: int  # token index of the code's first token
    end: int  # token index after its last token
    clause: int
    how: str = "code"  # "code" | "alias" | "name" | "kind" | "price"


@dataclass(slots=True)
class _Clause:
    words: set[str] = field(default_factory=set)  # categories of the keywords in it
    has_qmark: bool = False

    @property
    def kind(self) -> str:
        if "seller" in self.words:
            return "seller"
        if "cancel" in self.words:
            return "cancel"
        if "ask" in self.words:
            return "question"
        if "change" in self.words:  # like an order: "đổi size L được không" asks politely
            return "change"
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
    original = text[:MAX_CHARS]
    folded = fold(original)
    phones = find_phones(folded)
    phone = phones[0].number if phones else None
    clean = blank(folded, phones)
    spans = find_addresses(clean, original)
    address = address_text(original, folded, spans[0]) if spans else None
    clean, shorthand = _rewrite_shorthand(_blank_spans(clean, spans))
    tokens = tokenize(clean)
    index = catalog._index
    if phone is None and _is_chatter(tokens, index.signals):
        return ParseResult("none", (), "no-match" if tokens else "empty", address=address)
    mentions = _find_skus(tokens, index, pinned)
    clauses, roles = _read_clauses(tokens, index.variant_phrases)
    for mention in mentions:
        mention.clause = roles[mention.start][1]
    kinds: list[str] = []
    by_word = qmark = past = False
    for clause in clauses:
        kind = clause.kind
        kinds.append(kind)
        qmark |= clause.has_qmark
        if clause.words:
            by_word |= "ask" in clause.words or "query" in clause.words
            past |= kind == "order" and "past" in clause.words
    asks = "question-word" if by_word else "question-mark" if qmark else ""
    named = not original.islower() and _SELLER_TO_NAME_RE.search(original) is not None
    if "seller" in kinds or named:
        return ParseResult("none", (), "seller-words", phone, address=address)
    intent, items, rule = _decide(
        tokens, kinds, roles, mentions, index, pinned, asks=asks, past=past, text=original
    )
    if intent == "none" and len(index.products) == 1 and phone and not tokens:
        product = next(iter(index.products.values()))
        if product is not None:  # AhaChat: a phone alone orders what is on screen
            intent, items, rule = "order", (OrderLine(product.sku, 1),), "phone-only-product"
    if intent in ("order", "change") and _is_review_length(tokens, mentions, phone):
        intent, items, rule = ("question", (), asks) if asks else ("none", (), "long-text")
    if shorthand and intent in ("order", "change"):
        rule = f"{shorthand}+{rule}"
    hows = sorted({m.how for m in mentions if m.how != "code"})
    if hows and intent != "none":
        rule += ";by-" + "-".join(hows)
    moves = intent == "order" or intent == "change"
    fuzzy = moves and any(t.text in _FUZZY for t in tokens)
    sure = not moves or _is_sure(intent, items, rule, mentions, index, fuzzy=fuzzy)
    return ParseResult(intent, items, rule, phone, "sure" if sure else "review", address=address)


# "M trắng", "2 cái: 1 M đen, 1 L trắng"; not emotes (":S", "S:")
_PLAIN_RE: Final = re.compile(r"(?:[\w\s.,!+/×*-]|:(?=\s+\w|\d))*")
_FUZZY: Final = frozenset(fold(word) for word in rules.FUZZY)
# The host confirming to a named buyer: "Chốt đơn cho chị Mai 1 váy", "giữ cho bạn Linh 1 áo"
# (a buyer writes "chốt cho em 1 áo": no name follows).
_SELLER_TO_NAME_RE: Final = re.compile(
    r"(?:(?i:chốt|chot|lên|len|giữ|giu|ghi nhận|ghi nhan)(?i: đơn| don)? (?i:cho)"
    r"|(?i:xác nhận|xac nhan):?(?i: cho)?) "
    r"(?i:chị|chi|anh|bạn|ban|em|c|a|cô|co|chú|chu|bé|be|khách|khach) [A-ZĐ][^\W\d_]"
)
_PLUS_RE: Final = re.compile(r"(?<![\w+])\+(\d{1,2})(?!\d)|(?<=\w)\+(\d{1,2})(?!\d)")
_LONE_C_RE: Final = re.compile(r"^\s*c(?=\s*$|\s+\d)")
_STRONG: Final = frozenset({"code", "alias", "name"})


MAX_ORDER_WORDS: Final = 25  # the longest order comments in the labelled sets have 17


def _is_review_length(tokens: list[Token], mentions: list[_Mention], phone: str | None) -> bool:
    """A long text naming no code and giving no phone is a review or a story told ("Mình đã
    mua 6 màu chỗ shop ... đường may ẩu"), not an order placed in a live. An address is not
    counted: it was taken out of `tokens` already."""
    if len(tokens) <= MAX_ORDER_WORDS or phone or any(m.how == "code" for m in mentions):
        return False
    return sum(t.kind == "word" or t.kind == "number" for t in tokens) > MAX_ORDER_WORDS


def _is_chatter(tokens: list[Token], signals: frozenset[str]) -> bool:
    """True if no word can name a product, a variant, a unit or an intent, and no number or
    question mark is written: the rules would find nothing ("xinh quá", "shop ơi đẹp ghê")."""
    for token in tokens:
        if token.kind == "word":
            if token.key in signals or (token.stem and token.stem in signals):
                return False
        elif token.kind != "break":
            return False
    return True


def _blank_spans(text: str, spans: Sequence[object]) -> str:
    for span in spans:
        start, end = span.start, span.end  # type: ignore[attr-defined]
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _rewrite_shorthand(text: str) -> tuple[str, str]:
    """ "+2" -> "chốt x2" ("A1+2" -> "A1 x2"); a lone "c" before a count or at the end -> "chốt".

    Returns the text and the shorthand used ("plus", "c" or "").
    """
    used = ""
    if _LONE_C_RE.match(text):
        text, used = _LONE_C_RE.sub("chốt", text, count=1), "c"
    if "+" in text:
        rewritten = _PLUS_RE.sub(
            lambda m: f" chốt x{m.group(1)} " if m.group(1) else f" x{m.group(2)} ", text
        )
        if rewritten != text:
            text, used = rewritten, used or "plus"
    return text, used


def _is_sure(
    intent: str,
    items: Sequence[OrderLine],
    rule: str,
    mentions: Sequence[_Mention],
    index: _CatalogIndex,
    *,
    fuzzy: bool,
) -> bool:
    """Sure: read by a strong rule (a code or one product's own name, or the pinned product
    with a keyword) with every variant the product needs; else the seller confirms."""
    if intent not in ("order", "change"):
        return True
    weak = rule.startswith(("c+", "pinned-")) or "variant-unmatched" in rule or "by-variant" in rule
    if weak or fuzzy or any(m.how not in _STRONG for m in mentions):
        return False
    for line in items:
        product = index.products[line.sku]
        if (len(product.sizes) > 1 and line.size is None) or (
            product.color_count > 1 and line.color is None
        ):
            return False
    return True


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
    text: str = "",
) -> tuple[Intent, tuple[OrderLine, ...], str]:
    """Apply the intent rules in order (module docstring, step 4).

    `asks` is the question rule if some clause asks ("" if none); `past` says an ordering clause
    speaks of the past ("bạn em mua D15 rồi"): then it orders only if the comment is short.
    """
    pin = index.pin(pinned)
    product = index.products.get(pin) if pin else None
    if "change" in kinds and "cancel" not in kinds:
        return _change(tokens, kinds, roles, mentions, index, product, asks)
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
        # a kind word alone ("dép", or "đẹp" typed "dep") needs a size, colour or count
        named = any(m.how != "kind" for m in plain) or any(x.size or x.color for x in lines)
        if named and "question" not in kinds and _only_filler(tokens, roles, None):
            return "order", lines, "sku-only" + note
    if "question" in kinds:
        return "question", (), asks or "question-mark"
    # "M trắng", "size 40", "1 hũ": the pinned one; ":S" and emotes are not
    if product is not None and not mentions and _PLAIN_RE.fullmatch(text) is not None:
        found = read_lines(tokens, roles, 0, len(tokens), product, pre_qty=None, allowed=None)
        has_variant = any(size or color for _, size, color in found.lines)
        has_unit = any(token.key in _UNIT_KEYS for token in tokens)
        if (has_variant or has_unit) and _only_filler(tokens, roles, None):
            return "order", _to_lines(product.sku, found.lines), "pinned-variants" + found.note
    return "none", (), "no-match" if tokens else "empty"


def _change(
    tokens: list[Token],
    kinds: list[str],
    roles: list[tuple[str, int]],
    mentions: list[_Mention],
    index: _CatalogIndex,
    product: ProductIndex | None,
    asks: str = "",
) -> tuple[Intent, tuple[OrderLine, ...], str]:
    """ "đổi sang màu trắng": the new line (what comes after "sang"), of the named or pinned one.

    Naming nothing new, it is a question if it asks ("đổi được không shop?"), else nothing."""
    if mentions:
        product = index.products[mentions[0].sku]
    if product is None:
        return "none", (), "change-unpinned"
    start, end = 0, len(tokens)
    for k, token in enumerate(tokens):
        if roles[k][0] == "change" and token.key in _INSTEAD:
            end = k  # "lấy L thay vì M": the new line comes before "thay vì"
            break
        if roles[k][0] == "change" or token.key in _CHANGE_TO:
            start = k + 1
    saved = [token.used for token in tokens]
    found = read_lines(tokens, roles, start, end, product, pre_qty=None, allowed=None)
    if not mentions and _lacks_variant(tokens, start, end, found):
        # "đổi sang 41" with the shirt on screen: the change is of what has size 41 (the sandals)
        owner = _variant_owner(tokens, roles, start, end, index, product.sku, saved)
        if owner is not None:
            product, found = owner
            found.note = found.note or ";by-variant"
    new = found.lines[-1:]
    said = found.explicit or found.note == ";variant-unmatched"
    said = said or names_a_variant(tokens)
    if not said and not any(size or color for _, size, color in new):
        if asks:
            return "question", (), asks
        return "none", (), "change-nothing-new"  # "mới chuyển qua C3i": nothing to change to
    note = found.note
    if new and new[0][0] > MAX_CHANGE_COUNT and not _counted(tokens, start, end, new[0][0]):
        # "đổi sang 41" for a product without size 41: a size it lacks, not 41 of it
        new, note = [(1, new[0][1], new[0][2])], ";variant-unmatched"
    return "change", _to_lines(product.sku, new), "change" + note


MAX_CHANGE_COUNT: Final = 10


def _lacks_variant(tokens: list[Token], start: int, end: int, found: Found) -> bool:
    """The pinned product has not the size or colour asked for (or read a size as a count)."""
    if found.note == ";variant-unmatched":
        return True
    new = found.lines[-1:]
    big = bool(new) and new[0][0] > MAX_CHANGE_COUNT and not _counted(tokens, start, end, new[0][0])
    return big and not any(size or color for _, size, color in new)


def _variant_owner(
    tokens: list[Token],
    roles: list[tuple[str, int]],
    start: int,
    end: int,
    index: _CatalogIndex,
    pinned: str,
    saved: list[bool],
) -> tuple[ProductIndex, Found] | None:
    """The one other product of the live whose own sizes and colours read the change fully."""
    owners: list[ProductIndex] = []
    for other in index.products.values():
        if other.sku == pinned:
            continue
        _restore(tokens, saved)
        found = read_lines(tokens, roles, start, end, other, pre_qty=None, allowed=None)
        new = found.lines[-1:]
        if found.note or not any(size or color for _, size, color in new):
            continue
        if new[0][0] > MAX_CHANGE_COUNT and not _counted(tokens, start, end, new[0][0]):
            continue
        owners.append(other)
    _restore(tokens, saved)
    if len(owners) != 1:
        read_lines(tokens, roles, start, end, index.products[pinned], pre_qty=None, allowed=None)
        return None
    owner = owners[0]
    return owner, read_lines(tokens, roles, start, end, owner, pre_qty=None, allowed=None)


def _restore(tokens: list[Token], saved: list[bool]) -> None:
    for token, used in zip(tokens, saved, strict=True):
        token.used = used


def _counted(tokens: list[Token], start: int, end: int, qty: int) -> bool:
    """True if `qty` is written with a unit ("đổi thành 12 hộp") between `start` and `end`."""
    return any(
        tokens[k].kind == "number"
        and tokens[k].value == qty
        and k + 1 < end
        and tokens[k + 1].key in UNITS.first_keys  # read (and used) already
        for k in range(start, end)
    )


_UNIT_KEYS: Final = frozenset(
    strip_marks(fold(w)) for w in (*rules.NAME_UNITS, "chiếc", "set", "pcs", "pair", "bottle")
)
# Words of the rule tables that give a comment a meaning (intents, units, variants, counts);
# politeness (`FILLER`) is not among them. The catalog's own words are added per catalog.
_SIGNAL_KEYS: Final = frozenset().union(
    *(table.first_keys for table in SIGNAL_TABLES),
    _OPENERS.first_keys,
    _INTENT_WORDS.first_keys,
    _UNIT_KEYS,
    _FUZZY,
    SIZE_CANONICAL,
    GENERIC_SIZES,
)
_CHANGE_TO: Final = frozenset(strip_marks(fold(word)) for word in rules.CHANGE_TO)
_INSTEAD: Final = frozenset(strip_marks(fold(phrase)).split()[0] for phrase in rules.CHANGE_INSTEAD)


def _find_skus(tokens: list[Token], index: _CatalogIndex, pinned: str | None) -> list[_Mention]:
    mentions: list[_Mention] = []
    count = len(tokens)
    i = 0
    pin = index.pin(pinned)
    by_first = index.by_first
    while i < count:
        token = tokens[i]
        candidates = by_first.get(token.key)
        if candidates is None or token.kind not in ("word", "number"):
            i += 1
            continue
        found = None
        if token.kind == "number" and candidates and not _ordering_position(tokens, i):
            # "15 phút", "27 chai", "is 15": a number, not the code 15; but "2 hộp 15": a count
            # in the product's own unit, then its code
            unit = _counted_unit(tokens, i)
            candidates = [c for c in candidates if unit and index.units.get(c[1]) == unit] or None
        if candidates and not (token.glued and tokens[i - 1].kind == token.kind == "word"):
            for parts, sku in candidates:
                end = i + len(parts)
                if (
                    end <= count
                    and all(
                        _same_part(tokens[i + k], parts[k]) and tokens[i + k].joinable
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
    return _find_names(tokens, index, pin, mentions)


def _find_names(
    tokens: list[Token], index: _CatalogIndex, pin: str | None, mentions: list[_Mention]
) -> list[_Mention]:
    """Second pass: products named by words or a price, unless their code is written too."""
    by_code = {m.sku: m.start for m in mentions}
    name_keys = index.names.phrases.first_keys
    i = 0
    while i < len(tokens):
        token = tokens[i]
        found = None
        if token.used:
            pass
        elif token.kind == "word":
            if token.key in name_keys or (token.stem and token.stem in name_keys):
                found = _name_at(tokens, i, index, pin)
        elif token.kind == "number":
            found = _price_at(tokens, i, index)
        if found is None:
            i += 1
            continue
        if found.sku in by_code:  # the code's own product, named again
            if found.start > by_code[found.sku]:  # "27 nước mắm" (before it: "2 hộp chả mực B3")
                for k in range(found.start, found.end):
                    tokens[k].used = True
            i = found.end
            continue
        for k in range(found.start, found.end):
            tokens[k].used = True
        mentions.append(found)
        i = found.end
    mentions.sort(key=lambda m: m.start)
    return mentions


_NOT_QTY_WORDS: Final = PhraseTable((word, True) for word in rules.NOT_QTY_UNITS)
_ORDER_TAILS: Final = frozenset(
    strip_marks(fold(phrase)).split()[-1]
    for table in (rules.ORDER, rules.CANCEL, rules.CHANGE)
    for phrases in table.values()
    for phrase in phrases
) | {"ma", "sp", "code", "so"}
_PRICE_WORDS: Final = PhraseTable((word, True) for word in rules.PRICE_POINTERS)
_AND_WORDS: Final = frozenset({"va", "voi", "vs", "and", "و"})  # "203 x1 và 27 x2"


def _ordering_position(tokens: list[Token], i: int) -> bool:
    """A numeric code counts where a code is written: first, or after a keyword or "mã"."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if (
        nxt is not None
        and nxt.kind == "word"
        and (
            UNITS.match(tokens, i + 1) is not None
            or _NOT_QTY_WORDS.match(tokens, i + 1) is not None
        )
    ):
        return False  # "27 chai", "15 phút": a count or a measure
    if i == 0 or tokens[i - 1].kind in ("break", "qmark"):
        return True
    before = tokens[i - 1]
    if before.kind == "number" and i >= 2:
        # "15 2 27 1", "15 x2 27 x1": a count closed the item before, a code opens the next
        closer = tokens[i - 2]
        return closer.used or closer.key == "x" or closer.kind == "times"
    return before.kind == "word" and (before.key in _ORDER_TAILS or before.key in _AND_WORDS)


def _same_part(token: Token, part: str) -> bool:
    """A token spells a part of a code; digits as numbers ("ts1" and "ab-09" for TS-01, AB-9)."""
    if token.key == part:
        return True
    return token.kind == "number" and part.isdigit() and token.value == int(part)


def _counted_unit(tokens: list[Token], i: int) -> str:
    """The unit of a count written just before token `i` ("2 hộp 15" -> "hop"), else ""."""
    if i < 2 or tokens[i - 1].kind != "word" or tokens[i].glued:
        return ""
    if _count_at(tokens, i - 2) is None or not _is_unit(tokens, i - 1):
        return ""
    if i + 1 < len(tokens) and tokens[i + 1].kind == "word" and _is_unit(tokens, i + 1):
        return ""  # "2 hộp 15 chai": not a code
    return tokens[i - 1].key


def _name_at(tokens: list[Token], i: int, index: _CatalogIndex, pin: str | None) -> _Mention | None:
    """A product named by an alias, its name or its kind ("váy 350": a price confirms it)."""
    hit = index.names.match(tokens, i, pin)
    if hit is None:
        return None
    end = i + hit.length
    sku = hit.skus[0]
    price = _price_span(tokens, end) if end < len(tokens) and tokens[end].kind == "number" else None
    # "váy 350", "dép 149k", "váy 350.000đ": the price says the same product
    if price is not None and index.names.by_price_k(price[0], among=(sku,)) == sku:
        end = price[1]
    return _Mention(sku, i, end, 0, hit.how)


def _price_at(tokens: list[Token], i: int, index: _CatalogIndex) -> _Mention | None:
    """ "mẫu 285k", "cái 220k", "1 lọ 45k", "túi 1tr250": the one product at that price.

    A price written as money ("k", "nghìn", "đ", "tr", "350.000") points anywhere; a bare number
    only after a pointer word ("mẫu 285"). Two products at one price: the one whose size, colour
    or unit follows ("mẫu 350k size M": the dress, not the 350k fish cake).
    """
    price = _price_span(tokens, i)
    if price is None:
        return None
    price_k, end, money = price
    after_pointer = i > 0 and _PRICE_WORDS.match(tokens, i - 1) is not None
    if not money and not after_pointer:
        return None
    if money and i > 0 and tokens[i - 1].kind == "word" and tokens[i - 1].key in _NOT_POINTER:
        return None
    sku = index.names.by_price_k(price_k)
    if sku is None:
        sku = _by_variant(tokens, end, index.names.by_price.get(price_k, ()), index)
    if sku is None:
        return None
    return _Mention(sku, i - after_pointer, end, 0, "price")  # "loại 285k": the pointer too


# Words before an amount that make it a total, a fee or a payment, not a pointer ("ck 350k").
_NOT_POINTER: Final = frozenset(
    {"don", "tong", "gia", "ship", "phi", "ck", "coc", "giam", "bot", "thieu", "du", "freeship"}
)
_MONEY: Final = frozenset(strip_marks(fold(word)) for word in rules.MONEY_UNITS)


def _price_span(tokens: list[Token], i: int) -> tuple[int, int, bool] | None:
    """A price at number token `i`: (thousands, end, written as money).

    "350" and "350000" -> (350, i+1, False); "350k", "350 nghìn", "350.000đ" -> (350, ..., True);
    "1tr250" / "1tr25" / "1tr" -> (1250 / 1250 / 1000, ..., True).
    """
    value = tokens[i].value
    if value < 1:
        return None
    end, money, count = i + 1, False, len(tokens)
    if value >= 1000:  # "350.000", "350000": written in full
        if value % 1000:
            return None
        # grouped ("350.000") it is money; bare ("350000") only with a unit or a pointer word
        value, money = value // 1000, tokens[i].text != tokens[i].key
    elif end < count and tokens[end].key == "tr" and tokens[end].glued:
        value, end, money = value * 1000, end + 1, True  # millions: "1tr250"
        if end < count and tokens[end].kind == "number" and tokens[end].glued:
            digits = tokens[end].key[:3]
            value += int(digits.ljust(3, "0"))
            end += 1
        return value, end, money
    if end < count and tokens[end].key in _MONEY and tokens[end].kind == "word":
        glued_k = tokens[end].glued or tokens[end].key != "k"
        if glued_k:
            end, money = end + 1, True
    return value, end, money


def _by_variant(
    tokens: list[Token], start: int, skus: Sequence[str], index: _CatalogIndex
) -> str | None:
    """Of products sharing a price, the one a size, colour or unit just after it fits."""
    fits: set[str] = set()
    for k in range(start, min(start + 4, len(tokens))):
        token = tokens[k]
        if token.kind in ("break", "qmark"):
            break
        for sku in skus:
            product = index.products.get(sku)
            if product is None:
                continue
            if (
                product.is_size_word(token.key)
                or (token.kind == "word" and product.colors.match(tokens, k) is not None)
                or (token.key and token.key == index.units.get(sku))
            ):
                fits.add(sku)
    return fits.pop() if len(fits) == 1 else None


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
    opener_keys, intent_keys = _OPENERS.first_keys, _INTENT_WORDS.first_keys
    variant_keys = variant_phrases.first_keys
    while i < count:
        token = tokens[i]
        number = len(clauses) - 1
        if token.kind == "break" or token.kind == "qmark":
            roles.append(("break", number))
            clauses[-1].has_qmark |= token.kind == "qmark"
            clauses.append(_Clause())
            i += 1
            continue
        key, stem = token.key, token.stem
        if token.kind != "word" or token.used:
            variant = hit = None
        else:
            opens = i == 0 or roles[-1][0] == "break"
            if (
                opens
                and (key in opener_keys or stem in opener_keys)
                and _OPENERS.match(tokens, i) is not None
            ):
                clauses[-1].words.add("query")
            variant = (
                variant_phrases.match(tokens, i)
                if key in variant_keys or stem in variant_keys
                else None
            )
            hit = (
                _INTENT_WORDS.match(tokens, i)
                if variant is None and (key in intent_keys or stem in intent_keys)
                else None
            )
        if variant is not None:
            roles.extend(("", number) for _ in range(variant[0]))
            i += variant[0]
            continue
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
    if len(lines) < 2:
        return tuple(lines)  # most comments: one line, nothing to add up
    totals: dict[tuple[str, str | None, str | None], int] = {}
    for line in lines:
        key = (line.sku, line.size, line.color)
        totals[key] = totals.get(key, 0) + line.qty
    return tuple(OrderLine(sku, qty, size, color) for (sku, size, color), qty in totals.items())
