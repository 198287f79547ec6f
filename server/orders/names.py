"""What buyers call the products of a live: aliases, name keys, kind words, prices.

Pure. Built once per catalog (`NameIndex`), looked up per comment. Sources of a name, strongest
first (docs/orders.md):

- ``alias``: the seller's own words for the product (catalog ``aliases``), e.g. "set kẻ xanh";
- ``name``: the first two to five words of its name, up to a number or a bracket
  (``Chả mực Hạ Long giã tay 500g`` -> "chả mực", "chả mực hạ", ...);
- ``kind``: the kind its name starts with (áo, váy, chả, nước mắm; `rules.KINDS`), which names
  it only when no other product of the live is of that kind, or when it is the pinned one;
- ``price``: its price in thousands ("váy 350", "mẫu 285k") when exactly one product costs that.

A phrase that points to more than one product names none of them (unless one is pinned).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from server.orders import rules
from server.orders.normalize import PhraseTable, Token, fold, strip_marks, tokenize

_STRENGTH: Final = {"alias": 0, "name": 1, "kind": 2}
_KIND_FIRST: Final = PhraseTable((group[0], group) for group in rules.KINDS)
_ENGLISH_KINDS: Final = frozenset(
    strip_marks(fold(group[0])) for group in rules.KINDS if group[0].isascii()
)
_UNITS: Final = tuple(rules.NAME_UNITS)


@dataclass(frozen=True, slots=True)
class NamedProduct:
    """The naming facts of one product: its code, name, aliases, unit and price."""

    sku: str
    name: str
    aliases: tuple[str, ...] = ()
    unit: str = ""
    price_k: int = 0  # price in thousands (350000 VND -> 350), 0 if not whole thousands


@dataclass(frozen=True, slots=True)
class NameHit:
    """A name found in a comment: how many tokens, which products, how it was named."""

    length: int
    skus: tuple[str, ...]
    how: str  # "alias" | "name" | "kind"


def guess_unit(name: str) -> str:
    """The unit a product is counted in, from its name: ``"Tương ớt lọ 250g"`` -> ``"lọ"``."""
    words = re.findall(r"\w+", strip_marks(fold(name)))
    for unit in _UNITS:
        if strip_marks(fold(unit)) in words:
            return unit
    return ""


def name_phrases(name: str) -> list[str]:
    """Prefixes of a product name buyers say: 2 to 5 words, stopping at a number or bracket."""
    head = re.split(r"[\d(\[{,/]", fold(name), maxsplit=1)[0]
    words = [t.text for t in tokenize(head, expand=False) if t.kind == "word"]
    return [" ".join(words[:n]) for n in range(2, min(5, len(words)) + 1)]


def name_pairs(name: str) -> list[str]:
    """The name's first word with one later word ("Quần short kaki nam" -> "quần kaki", "quần
    nam"): buyers skip words. Colours, sizes and words shorter than three letters are left out
    (a colour after the kind is the variant: "quần be 29")."""
    head = re.split(r"[\d(\[{,/]", fold(name), maxsplit=1)[0]
    words = [t for t in tokenize(head, expand=False) if t.kind == "word"]
    if len(words) < 3 or words[0].key not in _ONE_WORD_KINDS:
        return []  # "Nước mắm Cái Rồng": the kind is two words, "nước" alone names nothing
    first = words[0].text
    return [
        f"{first} {word.text}"
        for word in words[2:]
        if len(word.key) >= 3 and word.key not in _NOT_IN_PAIRS
    ]


_NOT_IN_PAIRS: Final = (
    frozenset(
        strip_marks(fold(word))
        for group in (*rules.COLOR_SYNONYMS, *rules.SIZE_EQUIVALENTS, rules.GENERIC_SIZES)
        for phrase in group
        for word in phrase.split()
    )
    | {strip_marks(fold(word)) for word in (*rules.UNITS, *rules.NAME_UNITS)}
    | {"loai"}
)
_ONE_WORD_KINDS: Final = frozenset(
    strip_marks(fold(group[0])) for group in rules.KINDS if " " not in group[0]
)


def kinds_of(name: str) -> tuple[str, ...]:
    """The kind words of a product name (the kind it starts with, and its other words)."""
    tokens = [t for t in tokenize(fold(name), expand=False) if t.kind == "word"]
    found: list[str] = []
    if tokens:
        hit = _KIND_FIRST.match(tokens, 0)
        if hit is not None:
            found.extend(hit[1])  # type: ignore[arg-type]
    for group in rules.KINDS:  # English names put the kind last: "Pearl drop earrings"
        if strip_marks(fold(group[0])) in _ENGLISH_KINDS and any(
            t.key == strip_marks(fold(group[0])) for t in tokens[1:]
        ):
            found.extend(group)
    return tuple(dict.fromkeys(found))


class NameIndex:
    """Phrases naming the products of one catalog, and prices in thousands."""

    __slots__ = ("by_price", "phrases")

    def __init__(self, products: Iterable[NamedProduct]) -> None:
        table: dict[str, tuple[str, set[str]]] = {}  # folded phrase -> (how, skus)
        by_price: dict[int, set[str]] = {}
        for product in products:
            entries = [(alias, "alias") for alias in product.aliases]
            entries += [(phrase, "name") for phrase in name_phrases(product.name)]
            entries += [(phrase, "name") for phrase in name_pairs(product.name)]
            entries += [(kind, "kind") for kind in kinds_of(product.name)]
            for phrase, how in entries:
                key = fold(phrase).strip()
                if not key:
                    continue
                old = table.get(key)
                if old is None or _STRENGTH[how] < _STRENGTH[old[0]]:
                    table[key] = (how, {product.sku} | (old[1] if old else set()))
                else:
                    old[1].add(product.sku)
            if product.price_k:
                by_price.setdefault(product.price_k, set()).add(product.sku)
        self.phrases = PhraseTable(
            (phrase, NameHit(0, tuple(sorted(skus)), how)) for phrase, (how, skus) in table.items()
        )
        self.by_price = {price: tuple(sorted(skus)) for price, skus in by_price.items()}

    def match(self, tokens: Sequence[Token], index: int, pinned: str | None) -> NameHit | None:
        """The product named at `index`, if the phrase there points to one (or to the pinned)."""
        hit = self.phrases.match(tokens, index)
        if hit is None:
            return None
        length, value = hit
        assert isinstance(value, NameHit)
        skus = value.skus
        if len(skus) > 1:
            if pinned not in skus:
                return None
            skus = (pinned,)
        return NameHit(length, skus, value.how)

    def by_price_k(self, price_k: int, among: Sequence[str] | None = None) -> str | None:
        """The one product costing `price_k` thousand (among `among`, if given), or None."""
        skus = self.by_price.get(price_k, ())
        if among is not None:
            skus = tuple(sku for sku in skus if sku in among)
        return skus[0] if len(skus) == 1 else None
