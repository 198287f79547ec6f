"""SQL of the after-live work: history, buyer details, transactions, the shop's bank.

Carts (one code, one page id, the money received) are in `cart_queries`. Nothing here decides
anything: `server.services.progress` and `server.api.payments` do, inside one transaction each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from server.payments.matching import Match
from server.payments.vietqr import Payee
from server.store.session_queries import get_setting, put_setting
from server.store.tables import order_events, orders, payment_transactions, viewers


@dataclass(frozen=True, slots=True)
class StateChange:
    """One line of an order's history."""

    from_status: str | None
    to_status: str
    actor: str
    at: float


@dataclass(frozen=True, slots=True)
class StoredPayment:
    """A bank transaction as stored, with the matcher's verdict and the seller's decision."""

    id: str
    source: str
    posted: str
    amount: Decimal
    currency: str
    memo: str
    reference: str
    outcome: str
    order_codes: tuple[str, ...]
    note: str
    status: str
    decided_by: str | None
    decided_at: float | None


def viewer_names(conn: Connection, viewer_ids: Iterable[int]) -> dict[int, str]:
    """Return display names of viewers, by id."""
    rows = conn.execute(
        select(viewers.c.id, viewers.c.user_name).where(viewers.c.id.in_(list(viewer_ids)))
    )
    return {int(r.id): str(r.user_name) for r in rows}


def set_buyer(
    conn: Connection,
    order_id: int,
    *,
    buyer_name: str | None,
    phone: str | None,
    address: str | None,
    now: float,
) -> None:
    """Store where an order ships (the host types what the buyer sent in chat)."""
    conn.execute(
        update(orders)
        .where(orders.c.id == order_id)
        .values(buyer_name=buyer_name, phone=phone, address=address, updated_at=now)
    )


def order_history(conn: Connection, order_id: int) -> list[StateChange]:
    """Return an order's state changes, oldest first."""
    rows = conn.execute(
        select(order_events).where(order_events.c.order_id == order_id).order_by(order_events.c.id)
    )
    return [StateChange(r.from_status, r.to_status, r.actor, r.at) for r in rows]


def seen_transaction_ids(conn: Connection, ids: Iterable[str]) -> frozenset[str]:
    """Return which of ``ids`` are already stored."""
    wanted = list(ids)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # stay under SQLite's parameter limit
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(payment_transactions.c.id).where(payment_transactions.c.id.in_(chunk))
        )
        found.update(str(r.id) for r in rows)
    return frozenset(found)


def insert_transaction(conn: Connection, match: Match, *, status: str, now: float) -> None:
    """Store one transaction with the matcher's verdict (``status``: applied or pending)."""
    txn = match.transaction
    conn.execute(
        insert(payment_transactions).values(
            id=txn.id,
            source=txn.source,
            posted=txn.posted.isoformat(),
            amount=str(txn.amount),
            currency=txn.currency,
            memo=txn.memo,
            reference=txn.reference,
            outcome=match.outcome,
            order_codes=json.dumps(list(match.orders)),
            note=match.note,
            status=status,
            decided_by="matcher" if status == "applied" else None,
            decided_at=now if status == "applied" else None,
            created_at=now,
        )
    )


def _payment(row: Row[Any]) -> StoredPayment:
    return StoredPayment(
        id=row.id,
        source=row.source,
        posted=row.posted,
        amount=Decimal(row.amount),
        currency=row.currency,
        memo=row.memo,
        reference=row.reference,
        outcome=row.outcome,
        order_codes=tuple(json.loads(row.order_codes)),
        note=row.note,
        status=row.status,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def get_transaction(conn: Connection, txn_id: str) -> StoredPayment | None:
    """Return one stored transaction, or None."""
    row = conn.execute(
        select(payment_transactions).where(payment_transactions.c.id == txn_id)
    ).first()
    return _payment(row) if row else None


def list_transactions(conn: Connection, *, status: str | None = None) -> list[StoredPayment]:
    """Return stored transactions (with one status when given), oldest first."""
    query = select(payment_transactions)
    if status is not None:
        query = query.where(payment_transactions.c.status == status)
    rows = conn.execute(
        query.order_by(payment_transactions.c.created_at, payment_transactions.c.id)
    )
    return [_payment(r) for r in rows]


def decide_transaction(
    conn: Connection, txn_id: str, *, status: str, actor: str, now: float
) -> None:
    """Record the seller's decision on a pending transaction."""
    conn.execute(
        update(payment_transactions)
        .where(payment_transactions.c.id == txn_id)
        .values(status=status, decided_by=actor, decided_at=now)
    )


PAYEE_KEY = "payee"
SEPAY_KEY = "sepay_api_key"


def load_payee(conn: Connection) -> Payee | None:
    """Return the seller's bank account for VietQR, or None when not set yet."""
    text = get_setting(conn, PAYEE_KEY)
    if text is None:
        return None
    data = json.loads(text)
    return Payee(bin=data["bin"], account=data["account"], name=data.get("name", ""))


def save_payee(conn: Connection, payee: Payee) -> None:
    """Store the seller's bank account."""
    value = {"bin": payee.bin, "account": payee.account, "name": payee.name}
    put_setting(conn, PAYEE_KEY, json.dumps(value, ensure_ascii=False))


def load_sepay_key(conn: Connection) -> str:
    """Return the SePay webhook API key, "" when none is set."""
    return get_setting(conn, SEPAY_KEY) or ""


def save_sepay_key(conn: Connection, api_key: str) -> None:
    """Store the SePay webhook API key ("" turns webhooks off)."""
    put_setting(conn, SEPAY_KEY, api_key)
