"""Match incoming transfers to orders by the order code in the memo and the amount.

The rule is conservative: a transfer marks an order paid on its own only when its memo names
exactly one order, in the order's currency, and the amount is exactly what that order still
owes with nothing received before. Everything else — partial or extra money, two codes in one
memo, a transfer without a code, a second payment — goes to the seller to decide.

Idempotent: a transaction whose id is in ``seen_ids`` (recorded by an earlier import or
webhook) is reported as already seen and changes nothing, so importing the same statement twice
is harmless. Orders come in as plain ``OrderDue`` values, so this module does not know tables.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from server.payments.transaction import Transaction

Outcome = Literal["paid", "partial", "overpaid", "ambiguous", "currency", "unmatched"]


@dataclass(frozen=True, slots=True)
class OrderDue:
    """An order waiting for money.

    Attributes:
        code: the order code the buyer writes in the transfer note ("LS-0042").
        total: what the buyer owes in all.
        currency: ISO 4217 code.
        received: what earlier, already recorded transactions brought for this order.
    """

    code: str
    total: Decimal
    currency: str = "VND"
    received: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Match:
    """What to do with one transaction.

    Attributes:
        transaction: the money movement.
        outcome: "paid" (safe to mark the order paid) or a reason to ask the seller.
        orders: order codes named in the memo; for "unmatched", orders owing exactly this amount
            (suggestions only).
        owed: what the single named order still owed before this transaction, else None.
        note: one line for the seller.
    """

    transaction: Transaction
    outcome: Outcome
    orders: tuple[str, ...]
    owed: Decimal | None
    note: str


@dataclass(frozen=True, slots=True)
class MatchReport:
    """The result of matching one batch of transactions."""

    paid: tuple[Match, ...]
    review: tuple[Match, ...]
    unmatched: tuple[Match, ...]
    already_seen: tuple[str, ...]
    money_out: int

    @property
    def new_transaction_ids(self) -> tuple[str, ...]:
        """Ids to record as seen, so the next import of the same rows changes nothing."""
        return tuple(m.transaction.id for m in (*self.paid, *self.review, *self.unmatched))


def _plain_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


SEPARATORS = frozenset(" \t\n\r\xa0-_.,:/#\u2013\u2014")


def _touches(neighbour: str, edge: str) -> bool:
    """True when ``neighbour`` would make the code longer: a digit next to a digit, a letter
    next to a letter (so LS-0042 is not found in LS-00421 or ALS-0042)."""
    if edge.isdigit():
        return "0" <= neighbour <= "9"
    return "A" <= neighbour <= "Z"


def _is_whole(text: str, indices: Sequence[int]) -> bool:
    between = (text[a + 1 : b] for a, b in zip(indices, indices[1:], strict=False))
    if any(ch not in SEPARATORS for gap in between for ch in gap):
        return False
    first, last = indices[0], indices[-1]
    if first > 0 and _touches(text[first - 1], text[first]):
        return False
    return not (last + 1 < len(text) and _touches(text[last + 1], text[last]))


@dataclass(frozen=True, slots=True)
class CodeFinder:
    """Finds order codes in memos whatever the case, accents, spaces or dashes; built once.

    ``LS-0042`` is found in "ls0042", "LS 0042", "Ls-00-42", "Đơn LS.0042" but not in
    "LS-00421" (a longer number) nor "ALS-0042" (a longer word). Every substring of the memo's
    letters and digits is looked up in a table of codes (by length), and a hit counts only if
    just separators (``SEPARATORS``) stand between its characters in the memo.
    """

    rank: dict[str, int]
    by_length: dict[int, dict[str, tuple[str, ...]]]

    @classmethod
    def for_codes(cls, codes: Iterable[str]) -> CodeFinder:
        """Index the given order codes (in the order they should be reported).

        Raises:
            ValueError: a code without any letter or digit.
        """
        rank: dict[str, int] = {}
        by_length: dict[int, dict[str, tuple[str, ...]]] = {}
        for code in codes:
            compact = "".join(ch for ch in _plain_upper(code) if ch.isalnum())
            if not compact:
                raise ValueError(f"order code {code!r} has no letters or digits")
            rank.setdefault(code, len(rank))
            table = by_length.setdefault(len(compact), {})
            table[compact] = (*table.get(compact, ()), code)
        return cls(rank, by_length)

    def find(self, memo: str) -> tuple[str, ...]:
        """Return the order codes written in ``memo``, in the order they were indexed."""
        text = _plain_upper(memo)
        positions = [i for i, ch in enumerate(text) if ch.isalnum()]
        compact = "".join(text[i] for i in positions)
        hits: set[str] = set()
        for length, table in self.by_length.items():
            for start in range(len(compact) - length + 1):
                codes = table.get(compact[start : start + length])
                if codes and _is_whole(text, positions[start : start + length]):
                    hits.update(codes)
        return tuple(sorted(hits, key=self.rank.__getitem__))


def _money(amount: Decimal) -> str:
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,}"


def _single(txn: Transaction, order: OrderDue, received: Decimal) -> Match:
    owed = order.total - received
    codes = (order.code,)
    if txn.currency != order.currency:
        note = f"{txn.currency} transfer for a {order.currency} order"
        return Match(txn, "currency", codes, owed, note)
    if owed <= 0:
        note = f"{order.code} is already paid; this looks like a second payment"
        return Match(txn, "overpaid", codes, owed, note)
    if txn.amount == owed and received == 0:
        return Match(txn, "paid", codes, owed, f"{order.code} paid in full")
    if txn.amount == owed:
        note = f"with earlier transfers {order.code} is now paid in full; confirm"
        return Match(txn, "partial", codes, owed, note)
    if txn.amount < owed:
        note = f"{_money(txn.amount)} of {_money(owed)} owed for {order.code}"
        return Match(txn, "partial", codes, owed, note)
    note = f"{_money(txn.amount)} for {order.code}, which owed {_money(owed)}"
    return Match(txn, "overpaid", codes, owed, note)


def _several(txn: Transaction, codes: tuple[str, ...], owed_total: Decimal) -> Match:
    listed = " + ".join(codes)
    if txn.amount == owed_total:
        note = f"one transfer for {listed} together (the sum matches)"
    else:
        note = f"memo names {listed}; {_money(txn.amount)} vs {_money(owed_total)} owed"
    return Match(txn, "ambiguous", codes, None, note)


def _unmatched(txn: Transaction, orders: Sequence[OrderDue], received: dict[str, Decimal]) -> Match:
    same_amount = tuple(
        o.code
        for o in orders
        if o.currency == txn.currency and received[o.code] == 0 and o.total == txn.amount
    )
    note = "no order code in the memo"
    if same_amount:
        note += f"; {len(same_amount)} unpaid order(s) owe exactly this amount"
    return Match(txn, "unmatched", same_amount, None, note)


def match_transactions(
    transactions: Iterable[Transaction],
    orders: Sequence[OrderDue],
    *,
    seen_ids: frozenset[str] = frozenset(),
) -> MatchReport:
    """Decide, for each new incoming transaction, which order it pays or why the seller must look.

    Transactions are taken in date order (file order within a day); money out is counted and
    ignored. A second transaction for the same order sees what the first one brought (so two
    halves end as "partial").

    Args:
        transactions: from ``read_statement`` or a webhook; ids must be stable.
        orders: the orders that may receive money (unpaid or partly paid).
        seen_ids: ids recorded before; those transactions change nothing.

    Returns:
        A ``MatchReport``; only its ``paid`` items may be applied without asking.
    """
    by_code = {order.code: order for order in orders}
    finder = CodeFinder.for_codes(order.code for order in orders)
    received = {order.code: order.received for order in orders}
    seen = set(seen_ids)
    paid: list[Match] = []
    review: list[Match] = []
    unmatched: list[Match] = []
    already_seen: list[str] = []
    money_out = 0
    for txn in sorted(transactions, key=lambda t: t.posted):  # stable: file order within a day
        if txn.id in seen:
            already_seen.append(txn.id)
            continue
        seen.add(txn.id)
        if txn.amount <= 0:
            money_out += 1
            continue
        codes = finder.find(txn.memo)
        if not codes:
            unmatched.append(_unmatched(txn, orders, received))
            continue
        if len(codes) == 1:
            match = _single(txn, by_code[codes[0]], received[codes[0]])
        else:
            owed = sum((by_code[c].total - received[c] for c in codes), Decimal(0))
            match = _several(txn, codes, owed)
        (paid if match.outcome == "paid" else review).append(match)
        if len(codes) == 1:
            received[codes[0]] += txn.amount
    return MatchReport(tuple(paid), tuple(review), tuple(unmatched), tuple(already_seen), money_out)
