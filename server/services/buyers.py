"""The buyer book: one person across platforms and lives, what they did, and the seller's flags.

A buyer is linked to platform accounts (viewers) by platform id; two buyers become one when the
seller confirms it (`merge`, e.g. the same phone on Facebook and TikTok). Names, phones and
addresses are gathered from their comments, carts and the host's edits; history is counted
from their carts (every live, test carts left out):

- ``carts``: carts that were orders (not cancelled, not only waiting);
- ``paid``: carts paid (or beyond: packed, shipped, delivered);
- ``delivered`` / ``returned``: parcels that arrived / came back (refused, "bom hàng");
- ``cancelled_lines``: lines the buyer or the seller cancelled;
- ``owed``: what carts waiting for money still owe.

The badge beside a new order in the host console counts *earlier* lives only: ``blocked``,
``returned`` (``2 lần hoàn hàng``), ``regular`` (``khách quen · 5 đơn``) or ``new`` (``mới``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import Connection

from server.orders.states import AWAITS_PAYMENT
from server.store import buyer_queries, session_queries
from server.store.buyer_queries import BuyerRow
from studio.errors import InputError, ViewerNotFound
from studio.sheets import Cell, read_cell

BadgeKind = Literal["new", "regular", "returned", "blocked"]
NOT_AN_ORDER = ("cancelled", "waitlisted")
PAID_OR_LATER = ("paid", "packed", "shipped", "delivered", "returned")


@dataclass(frozen=True, slots=True)
class Badge:
    """What the console shows beside a buyer's order."""

    kind: BadgeKind
    carts: int  # carts in earlier lives
    returned: int  # parcels that came back, every live
    is_deposit: bool


@dataclass(frozen=True, slots=True)
class CartHistory:
    """One cart in a buyer's history."""

    code: str
    live_id: int
    state: str
    total: Decimal
    received: Decimal
    currency: str
    created_at: float


@dataclass(frozen=True, slots=True)
class BuyerCard:
    """Everything the book knows about one buyer."""

    buyer_id: int
    names: tuple[str, ...]
    phones: tuple[str, ...]
    addresses: tuple[str, ...]
    accounts: tuple[tuple[str, str, str], ...]  # (platform, user_id, user_name)
    lives: int
    carts: int
    paid: int
    delivered: int
    returned: int
    cancelled_lines: int
    owed: Decimal
    is_deposit: bool
    is_blocked: bool
    note: str
    history: tuple[CartHistory, ...]
    same_phone: tuple[tuple[int, str], ...] = ()  # other buyers with one of these phones

    @property
    def flags(self) -> list[str]:
        """The seller's flags that are set: ``deposit``, ``blocked``."""
        return [
            name for name, on in (("deposit", self.is_deposit), ("blocked", self.is_blocked)) if on
        ]


def badges(conn: Connection, current: Mapping[int, int]) -> dict[int, Badge]:
    """Badges of buyers, each counted against the live its order is in.

    Args:
        current: buyer id -> the live (session id) whose carts do not count as "earlier".
    """
    if not current:
        return {}
    earlier: dict[int, int] = dict.fromkeys(current, 0)
    returned: dict[int, int] = dict.fromkeys(current, 0)
    for row in buyer_queries.cart_states(conn, current):
        buyer_id = int(row.buyer_id)
        if row.status == "returned":
            returned[buyer_id] += 1
        if row.session_id != current[buyer_id] and row.status not in NOT_AN_ORDER:
            earlier[buyer_id] += 1
    flags = buyer_queries.buyers_by_id(conn, current)
    result = {}
    for buyer_id in current:
        buyer = flags.get(buyer_id)
        blocked = bool(buyer and buyer.is_blocked)
        kind: BadgeKind
        if blocked:
            kind = "blocked"
        elif returned[buyer_id]:
            kind = "returned"
        elif earlier[buyer_id]:
            kind = "regular"
        else:
            kind = "new"
        result[buyer_id] = Badge(
            kind, earlier[buyer_id], returned[buyer_id], bool(buyer and buyer.is_deposit)
        )
    return result


def _need(conn: Connection, buyer_id: int) -> BuyerRow:
    buyer = buyer_queries.get_buyer(conn, buyer_id)
    if buyer is None:
        raise ViewerNotFound(
            f"no buyer {buyer_id} in the buyer book", hint="use the buyer_id from GET /api/carts"
        )
    return buyer


def buyer_id_of(conn: Connection, platform: str, user_id: str) -> int:
    """Return the buyer of a platform account.

    Raises:
        ViewerNotFound: the account never commented on any live.
    """
    buyer_id = buyer_queries.buyer_of_account(conn, platform, user_id)
    if buyer_id is None:
        raise ViewerNotFound(
            f"no buyer for {platform} account {user_id!r}",
            hint="the buyer book knows accounts that commented on a live",
        )
    return buyer_id


def _unique(values: list[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        text = (value or "").strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def card(conn: Connection, buyer_id: int) -> BuyerCard:
    """Everything the book knows about one buyer.

    Raises:
        ViewerNotFound: no such buyer.
    """
    buyer = _need(conn, buyer_id)
    accounts = buyer_queries.accounts(conn, [buyer_id])
    rows = buyer_queries.cart_rows(conn, [buyer_id])
    money: dict[int, Decimal] = {int(r.id): Decimal(0) for r in rows}
    for line in buyer_queries.line_money(conn, money):
        money[int(line.cart_id)] += Decimal(line.unit_price) * line.qty
    cancelled_lines, line_phones = buyer_queries.line_counts(conn, buyer_id)
    history = tuple(
        CartHistory(
            code=r.code,
            live_id=int(r.session_id),
            state=r.status,
            total=money[int(r.id)],
            received=Decimal(r.received or "0"),
            currency=r.currency,
            created_at=r.created_at,
        )
        for r in rows
    )
    orders = [h for h in history if h.state not in NOT_AN_ORDER]
    owed = sum(
        (max(h.total - h.received, Decimal(0)) for h in orders if h.state in AWAITS_PAYMENT),
        Decimal(0),
    )
    return BuyerCard(
        buyer_id=buyer_id,
        names=_unique([a.user_name for a in accounts] + [r.buyer_name for r in rows]),
        phones=_unique([r.phone for r in rows] + list(line_phones)),
        addresses=_unique([r.address for r in rows]),
        accounts=tuple((a.platform, a.user_id, a.user_name) for a in accounts),
        lives=len({h.live_id for h in orders}),
        carts=len(orders),
        paid=sum(h.state in PAID_OR_LATER for h in orders),
        delivered=sum(h.state == "delivered" for h in orders),
        returned=sum(h.state == "returned" for h in orders),
        cancelled_lines=cancelled_lines,
        owed=owed,
        is_deposit=buyer.is_deposit,
        is_blocked=buyer.is_blocked or any(bool(a.is_blocked) for a in accounts),
        note=buyer.note,
        history=history,
        same_phone=tuple(
            (int(r.buyer_id), str(r.user_name))
            for r in buyer_queries.buyers_with_phones(
                conn, _unique([r.phone for r in rows] + list(line_phones)), other_than=buyer_id
            )
        ),
    )


def update(
    conn: Connection,
    buyer_id: int,
    *,
    deposit: bool | None = None,
    blocked: bool | None = None,
    note: str | None = None,
) -> BuyerCard:
    """Set the seller's flags or note (None keeps). ``blocked`` holds in every live: every
    account of the buyer stops ordering, now and in later lives.

    Raises:
        ViewerNotFound: no such buyer.
    """
    _need(conn, buyer_id)
    buyer_queries.set_flags(conn, buyer_id, is_deposit=deposit, is_blocked=blocked, note=note)
    return card(conn, buyer_id)


def merge(conn: Connection, keep_id: int, other_id: int) -> BuyerCard:
    """Make two buyers one (the seller confirmed it, e.g. by the same phone).

    Raises:
        ViewerNotFound: either buyer is missing.
    """
    _need(conn, keep_id)
    _need(conn, other_id)
    if keep_id != other_id:
        buyer_queries.merge(conn, keep_id, other_id)
    return card(conn, keep_id)


def is_deposit_viewer(conn: Connection, viewer_id: int) -> bool:
    """True when the buyer behind this account must transfer before the parcel ships."""
    buyer_id = buyer_queries.buyer_of_viewer(conn, viewer_id)
    buyer = buyer_queries.get_buyer(conn, buyer_id) if buyer_id is not None else None
    return bool(buyer and buyer.is_deposit)


CSV_COLUMNS = (
    "buyer_id",
    "names",
    "accounts",
    "phones",
    "addresses",
    "lives",
    "carts",
    "paid",
    "delivered",
    "returned",
    "cancelled_lines",
    "owed",
    "deposit",
    "blocked",
    "note",
)


def csv_rows(conn: Connection) -> list[list[Cell]]:
    """The book, one row per buyer with an account (cells through `studio.sheets`: a name or
    note that starts like a formula stays text)."""
    rows: list[list[Cell]] = []
    for buyer_id in buyer_queries.all_buyer_ids(conn):
        c = card(conn, buyer_id)
        rows.append(
            [
                c.buyer_id,
                " | ".join(c.names),
                " | ".join(f"{p}:{u}" for p, u, _ in c.accounts),
                " | ".join(c.phones),
                " | ".join(c.addresses),
                c.lives,
                c.carts,
                c.paid,
                c.delivered,
                c.returned,
                c.cancelled_lines,
                c.owed,
                "yes" if c.is_deposit else "",
                "yes" if c.is_blocked else "",
                c.note,
            ]
        )
    return rows


def viewer_ids(conn: Connection, buyer_id: int) -> list[int]:
    """Return the ids of the buyer's platform accounts."""
    return [int(a.id) for a in buyer_queries.accounts(conn, [buyer_id])]


TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x", "có", "co"})
MAX_IMPORT_ROWS = 200_000


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import of the book did."""

    rows: int
    created: int  # buyers the file brought that the book did not know
    updated: int  # buyers it knew (flags and note set from the file)
    merged: int  # buyers joined because one row named accounts of several
    skipped: tuple[str, ...]  # "line 7: no account", one per row left out


def _accounts(cell: str) -> list[tuple[str, str]]:
    found = []
    for part in read_cell(cell).split("|"):
        platform, _, user_id = part.strip().partition(":")
        if platform.strip() and user_id.strip():
            found.append((platform.strip().lower(), user_id.strip()))
    return found


def import_csv(conn: Connection, data: bytes, *, now: float) -> ImportReport:
    """Read a book exported by `csv_rows` (or written by hand with at least ``accounts``):
    each row's accounts become one buyer (joining buyers the book already has), with the
    row's ``deposit``, ``blocked`` and ``note``. History columns are not read: history comes
    from carts.

    Raises:
        InputError: not UTF-8 CSV, no ``accounts`` column, or too many rows.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the buyer book is not UTF-8 text", hint="export it as CSV UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    if "accounts" not in (reader.fieldnames or []):
        raise InputError(
            "the buyer book has no 'accounts' column",
            hint="export the book first (GET /api/buyers.csv) and keep its header row",
        )
    rows = created = updated = merged = 0
    skipped: list[str] = []
    for line_no, row in enumerate(reader, start=2):
        rows += 1
        if rows > MAX_IMPORT_ROWS:
            raise InputError(
                f"the buyer book has more than {MAX_IMPORT_ROWS} rows", hint="split the file"
            )
        accounts = _accounts(row.get("accounts") or "")
        if not accounts:
            skipped.append(f"line {line_no}: no account (platform:user_id)")
            continue
        known = [buyer_queries.buyer_of_account(conn, p, u) for p, u in accounts]
        owners = list(dict.fromkeys(b for b in known if b is not None))
        if owners:
            keep = owners[0]
            updated += 1
            for other in owners[1:]:
                buyer_queries.merge(conn, keep, other)
                merged += 1
        else:
            keep = buyer_queries.create_buyer(conn, now=now)
            created += 1
        name = read_cell(row.get("names") or "").split("|")[0].strip()
        for (platform, user_id), owner in zip(accounts, known, strict=True):
            if owner is None:
                buyer_queries.create_account(
                    conn,
                    platform=platform,
                    user_id=user_id,
                    user_name=name or user_id,
                    buyer_id=keep,
                    now=now,
                )
        buyer_queries.set_flags(
            conn,
            keep,
            is_deposit=_flag(row.get("deposit")),
            is_blocked=_flag(row.get("blocked")),
            note=read_cell(row["note"]) if row.get("note") is not None else None,
        )
    return ImportReport(rows, created, updated, merged, tuple(skipped))


def _flag(cell: str | None) -> bool | None:
    if cell is None:
        return None
    return read_cell(cell).strip().casefold() in TRUE_WORDS


# --- rules the seller chooses --------------------------------------------------------------------

RULES_KEY = "buyer_rules"


@dataclass(frozen=True, slots=True)
class Rules:
    """Flags that follow from a buyer's returned parcels (0: the rule is off).

    Applied when a cart is marked ``returned``: with ``deposit_after_returned`` 1, a buyer whose
    parcel came back once is asked for a transfer before the next one ships; with
    ``block_after_returned`` 2, the second returned parcel blocks them in every live.
    """

    deposit_after_returned: int = 0
    block_after_returned: int = 0


def load_rules(conn: Connection) -> Rules:
    """The seller's rules (all off until set)."""
    text = session_queries.get_setting(conn, RULES_KEY)
    if not text:
        return Rules()
    data = json.loads(text)
    return Rules(
        deposit_after_returned=int(data.get("deposit_after_returned", 0)),
        block_after_returned=int(data.get("block_after_returned", 0)),
    )


def save_rules(conn: Connection, rules: Rules) -> None:
    """Store the seller's rules."""
    value = {
        "deposit_after_returned": max(0, rules.deposit_after_returned),
        "block_after_returned": max(0, rules.block_after_returned),
    }
    session_queries.put_setting(conn, RULES_KEY, json.dumps(value))


def apply_rules(conn: Connection, viewer_id: int) -> list[str]:
    """Set the flags the seller's rules give the buyer behind ``viewer_id`` now (after a parcel
    of theirs was marked returned). Flags are only ever set here, never cleared.

    Returns:
        The flags newly set (``deposit``, ``blocked``).
    """
    rules = load_rules(conn)
    if not (rules.deposit_after_returned or rules.block_after_returned):
        return []
    buyer_id = buyer_queries.buyer_of_viewer(conn, viewer_id)
    buyer = buyer_queries.get_buyer(conn, buyer_id) if buyer_id is not None else None
    if buyer is None:
        return []
    returned = sum(row.status == "returned" for row in buyer_queries.cart_states(conn, [buyer.id]))
    deposit = bool(rules.deposit_after_returned) and returned >= rules.deposit_after_returned
    blocked = bool(rules.block_after_returned) and returned >= rules.block_after_returned
    newly = [
        name
        for name, due, have in (
            ("deposit", deposit, buyer.is_deposit),
            ("blocked", blocked, buyer.is_blocked),
        )
        if due and not have
    ]
    if newly:
        buyer_queries.set_flags(
            conn,
            buyer.id,
            is_deposit=True if "deposit" in newly else None,
            is_blocked=True if "blocked" in newly else None,
            note=None,
        )
    return newly


def viewer_ids_of_viewer(conn: Connection, viewer_id: int) -> list[int]:
    """Return the ids of every account of the buyer behind ``viewer_id``."""
    buyer_id = buyer_queries.buyer_of_viewer(conn, viewer_id)
    return [viewer_id] if buyer_id is None else viewer_ids(conn, buyer_id)
