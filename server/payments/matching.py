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

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from server.payments.transaction import Transaction

Outcome = Literal["paid", "partial", "overpaid", "ambiguous", "currency", "unmatched"]
_SEPARATORS = r"[\s\-_.,:/#\u2013\u2014]*"


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


def code_pattern(code: str) -> re.Pattern[str]:
    """A regex finding ``code`` in a memo with any case, spacing or dashes between characters.

    ``LS-0042`` matches "ls0042", "LS 0042", "Ls-00-42" but not "LS00421" (a longer number) nor
    "ALS0042" (a longer word).
    """
    chars = [ch for ch in _plain_upper(code) if ch.isalnum()]
    if not chars:
        raise ValueError(f"order code {code!r} has no letters or digits")
    before = r"(?<![0-9])" if chars[0].isdigit() else r"(?<![A-Z])"
    after = r"(?![0-9])" if chars[-1].isdigit() else r"(?![A-Z])"
    return re.compile(before + _SEPARATORS.join(re.escape(ch) for ch in chars) + after)


def find_order_codes(memo: str, patterns: dict[str, re.Pattern[str]]) -> tuple[str, ...]:
    """Return the order codes whose pattern occurs in ``memo``, in ``patterns`` order."""
    text = _plain_upper(memo)
    return tuple(code for code, pattern in patterns.items() if pattern.search(text))


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

    Transactions are taken in date order; money out is counted and ignored. A second transaction
    for the same order sees what the first one brought (so two halves end as "partial").

    Args:
        transactions: from ``read_statement`` or a webhook; ids must be stable.
        orders: the orders that may receive money (unpaid or partly paid).
        seen_ids: ids recorded before; those transactions change nothing.

    Returns:
        A ``MatchReport``; only its ``paid`` items may be applied without asking.
    """
    by_code = {order.code: order for order in orders}
    patterns = {order.code: code_pattern(order.code) for order in orders}
    received = {order.code: order.received for order in orders}
    seen = set(seen_ids)
    paid: list[Match] = []
    review: list[Match] = []
    unmatched: list[Match] = []
    already_seen: list[str] = []
    money_out = 0
    for txn in sorted(transactions, key=lambda t: (t.posted, t.id)):
        if txn.id in seen:
            already_seen.append(txn.id)
            continue
        seen.add(txn.id)
        if txn.amount <= 0:
            money_out += 1
            continue
        codes = find_order_codes(txn.memo, patterns)
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
