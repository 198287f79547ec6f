"""SQL of the buyer book: buyers, the platform accounts (viewers) that are theirs, and what
their carts and lines did in every live. `server.services.buyers` decides and shapes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from server.store.tables import buyers, carts, orders, viewers


@dataclass(frozen=True, slots=True)
class BuyerRow:
    """The seller's flags and note on one buyer."""

    id: int
    note: str
    is_deposit: bool
    is_blocked: bool
    created_at: float


def _buyer(row: Row[Any]) -> BuyerRow:
    return BuyerRow(
        id=row.id,
        note=row.note or "",
        is_deposit=bool(row.is_deposit),
        is_blocked=bool(row.is_blocked),
        created_at=row.created_at,
    )


def get_buyer(conn: Connection, buyer_id: int) -> BuyerRow | None:
    """Return one buyer, or None."""
    row = conn.execute(select(buyers).where(buyers.c.id == buyer_id)).first()
    return _buyer(row) if row else None


def buyers_by_id(conn: Connection, buyer_ids: Iterable[int]) -> dict[int, BuyerRow]:
    """Return buyers by id."""
    wanted = sorted(set(buyer_ids))
    found: dict[int, BuyerRow] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(buyers).where(buyers.c.id.in_(wanted[start : start + 500])))
        found.update((int(r.id), _buyer(r)) for r in rows)
    return found


def buyer_of_account(conn: Connection, platform: str, user_id: str) -> int | None:
    """Return the buyer id of a platform account, or None when it never commented."""
    value = conn.execute(
        select(viewers.c.buyer_id).where(
            viewers.c.platform == platform, viewers.c.user_id == user_id
        )
    ).scalar_one_or_none()
    return None if value is None else int(value)


def buyer_of_viewer(conn: Connection, viewer_id: int) -> int | None:
    """Return the buyer id of a viewer, or None."""
    value = conn.execute(
        select(viewers.c.buyer_id).where(viewers.c.id == viewer_id)
    ).scalar_one_or_none()
    return None if value is None else int(value)


def accounts(conn: Connection, buyer_ids: Iterable[int]) -> list[Any]:
    """Return the viewers (platform accounts) of these buyers."""
    wanted = sorted(set(buyer_ids))
    return list(
        conn.execute(
            select(viewers).where(viewers.c.buyer_id.in_(wanted)).order_by(viewers.c.id)
        ).all()
    )


def cart_rows(conn: Connection, buyer_ids: Iterable[int]) -> list[Any]:
    """Return every real cart of these buyers (every live): buyer id, id, live, state, code,
    contact and money, oldest first."""
    wanted = sorted(set(buyer_ids))
    return list(
        conn.execute(
            select(
                viewers.c.buyer_id,
                carts.c.id,
                carts.c.session_id,
                carts.c.status,
                carts.c.code,
                carts.c.buyer_name,
                carts.c.phone,
                carts.c.address,
                carts.c.received,
                carts.c.currency,
                carts.c.created_at,
            )
            .join(viewers, viewers.c.id == carts.c.viewer_id)
            .where(viewers.c.buyer_id.in_(wanted), carts.c.is_test.is_(False))
            .order_by(carts.c.id)
        ).all()
    )


def cart_states(conn: Connection, buyer_ids: Iterable[int]) -> list[Any]:
    """Return (buyer_id, session_id, status) of every real cart of these buyers (the badge)."""
    wanted = sorted(set(buyer_ids))
    found: list[Any] = []
    for start in range(0, len(wanted), 500):
        found += conn.execute(
            select(viewers.c.buyer_id, carts.c.session_id, carts.c.status)
            .join(viewers, viewers.c.id == carts.c.viewer_id)
            .where(
                viewers.c.buyer_id.in_(wanted[start : start + 500]),
                carts.c.is_test.is_(False),
            )
        ).all()
    return found


def line_counts(conn: Connection, buyer_id: int) -> tuple[int, list[str]]:
    """Return how many real lines of this buyer were cancelled, and the phones their comments
    gave."""
    mine = select(viewers.c.id).where(viewers.c.buyer_id == buyer_id)
    cancelled = conn.execute(
        select(func.count()).where(
            orders.c.viewer_id.in_(mine),
            orders.c.status == "cancelled",
            orders.c.is_test.is_(False),
        )
    ).scalar_one()
    phones = [
        str(p)
        for p in conn.execute(
            select(orders.c.phone)
            .where(orders.c.viewer_id.in_(mine), orders.c.phone.is_not(None))
            .distinct()
        ).scalars()
    ]
    return int(cancelled), phones


def line_money(conn: Connection, cart_ids: Iterable[int]) -> list[Any]:
    """Return (cart_id, unit_price, qty) of the counted lines of these carts."""
    wanted = sorted(set(cart_ids))
    return list(
        conn.execute(
            select(orders.c.cart_id, orders.c.unit_price, orders.c.qty).where(
                orders.c.cart_id.in_(wanted),
                orders.c.status.not_in(("waitlisted", "cancelled")),
            )
        ).all()
    )


def set_flags(
    conn: Connection,
    buyer_id: int,
    *,
    is_deposit: bool | None,
    is_blocked: bool | None,
    note: str | None,
) -> None:
    """Change a buyer's flags or note (None: keep); blocking blocks every account of theirs."""
    values: dict[str, object] = {}
    if is_deposit is not None:
        values["is_deposit"] = is_deposit
    if is_blocked is not None:
        values["is_blocked"] = is_blocked
        conn.execute(
            update(viewers).where(viewers.c.buyer_id == buyer_id).values(is_blocked=is_blocked)
        )
    if note is not None:
        values["note"] = note
    if values:
        conn.execute(update(buyers).where(buyers.c.id == buyer_id).values(**values))


def merge(conn: Connection, keep_id: int, other_id: int) -> None:
    """Make ``other_id``'s accounts ``keep_id``'s (the seller confirmed they are one person).

    Flags add up (deposit or blocked on either stays), notes are joined; the other buyer row
    is left without accounts.
    """
    keep = get_buyer(conn, keep_id)
    other = get_buyer(conn, other_id)
    assert keep is not None and other is not None
    conn.execute(update(viewers).where(viewers.c.buyer_id == other_id).values(buyer_id=keep_id))
    note = "\n".join(n for n in (keep.note, other.note) if n)
    set_flags(
        conn,
        keep_id,
        is_deposit=keep.is_deposit or other.is_deposit,
        is_blocked=True if keep.is_blocked or other.is_blocked else None,
        note=note,
    )


def all_buyer_ids(conn: Connection) -> list[int]:
    """Return every buyer that has a platform account, oldest first."""
    return [
        int(i)
        for i in conn.execute(
            select(viewers.c.buyer_id)
            .where(viewers.c.buyer_id.is_not(None))
            .distinct()
            .order_by(viewers.c.buyer_id)
        ).scalars()
    ]


def create_buyer(conn: Connection, *, now: float) -> int:
    """Add an empty buyer and return its id."""
    key = conn.execute(
        insert(buyers).values(note="", is_deposit=False, is_blocked=False, created_at=now)
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def create_account(
    conn: Connection, *, platform: str, user_id: str, user_name: str, buyer_id: int, now: float
) -> None:
    """Add a platform account (a viewer not seen in any live yet) to a buyer."""
    conn.execute(
        insert(viewers).values(
            platform=platform,
            user_id=user_id,
            user_name=user_name,
            is_blocked=False,
            first_seen=now,
            buyer_id=buyer_id,
        )
    )


def buyers_with_phones(conn: Connection, phones: Iterable[str], *, other_than: int) -> list[Any]:
    """Return (buyer_id, user_name) of other buyers whose carts or comments gave one of
    ``phones``."""
    wanted = sorted(set(phones))
    if not wanted:
        return []
    by_cart = (
        select(viewers.c.buyer_id, viewers.c.user_name)
        .join(carts, carts.c.viewer_id == viewers.c.id)
        .where(carts.c.phone.in_(wanted), viewers.c.buyer_id != other_than)
    )
    by_line = (
        select(viewers.c.buyer_id, viewers.c.user_name)
        .join(orders, orders.c.viewer_id == viewers.c.id)
        .where(orders.c.phone.in_(wanted), viewers.c.buyer_id != other_than)
    )
    seen: dict[int, Any] = {}
    for row in [*conn.execute(by_cart), *conn.execute(by_line)]:
        seen.setdefault(int(row.buyer_id), row)
    return list(seen.values())
