"""SQL of the order book: order rows and waitlists (used inside `server.orders.book`'s transaction).

`queries.take_stock` is the conditional decrement; this module keeps what happens around it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from server.orders.states import HOLDS_STOCK
from server.store.rows import OrderRow
from server.store.tables import counters, order_events, orders, waitlist

ACTIVE_STATUSES = (*HOLDS_STOCK, "waitlisted")
ORDER_CODE_COUNTER = "order_code"


def _new_id(conn: Connection, statement: Any) -> int:
    key = conn.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_order(conn: Connection, values: Mapping[str, object]) -> int:
    """Store an order line with a random page id and an order code; return its id.

    The code (``LS-0042``) is what buyers write in a transfer note; real orders take the next
    number of one counter, so a test order (``is_test``, code ``TEST-<id>``) never leaves a gap
    in the codes buyers get. The page id (``secrets.token_urlsafe``) is the only key of the
    buyer's page and is never derived from either.
    """
    order_id = _new_id(conn, insert(orders).values(**values, public_id=secrets.token_urlsafe(16)))
    code = f"TEST-{order_id:04d}" if values.get("is_test") else f"LS-{next_order_code(conn):04d}"
    conn.execute(update(orders).where(orders.c.id == order_id).values(code=code))
    record_state(
        conn,
        order_id,
        None,
        str(values["status"]),
        actor="buyer",
        now=float(str(values["created_at"])),
    )
    return order_id


def next_order_code(conn: Connection) -> int:
    """Allocate the next real order code number (in the caller's transaction).

    One conditional ``UPDATE ... RETURNING`` on the counter row: two processes cannot get the
    same number. A database made before the counter existed starts after its highest order id.
    """
    number = conn.execute(
        update(counters)
        .where(counters.c.name == ORDER_CODE_COUNTER)
        .values(value=counters.c.value + 1)
        .returning(counters.c.value)
    ).scalar_one_or_none()
    if number is not None:
        return int(number)
    highest = conn.execute(
        select(func.coalesce(func.max(orders.c.id), 0)).where(orders.c.is_test.is_(False))
    ).scalar_one()
    conn.execute(insert(counters).values(name=ORDER_CODE_COUNTER, value=int(highest)))
    return next_order_code(conn)


def record_state(
    conn: Connection, order_id: int, old: str | None, new: str, *, actor: str, now: float
) -> None:
    """Write one line of an order's history: who moved it from ``old`` to ``new``, and when."""
    conn.execute(
        insert(order_events).values(
            order_id=order_id, from_status=old, to_status=new, actor=actor, at=now
        )
    )


def get_order(conn: Connection, order_id: int) -> OrderRow | None:
    """Return one order, or None."""
    row = conn.execute(select(orders).where(orders.c.id == order_id)).first()
    return order_row(row) if row else None


def set_order_status(
    conn: Connection, order_id: int, status: str, *, now: float, actor: str = "system"
) -> None:
    """Change an order's status and record the change in its history."""
    old = conn.execute(select(orders.c.status).where(orders.c.id == order_id)).scalar_one()
    conn.execute(
        update(orders).where(orders.c.id == order_id).values(status=status, updated_at=now)
    )
    record_state(conn, order_id, old, status, actor=actor, now=now)


def recent_same_order(
    conn: Connection,
    session_id: int,
    viewer_id: int,
    sku: str,
    variant: str,
    qty: int,
    *,
    since: float,
) -> OrderRow | None:
    """Return the viewer's active order of the same line placed after `since`, if any."""
    row = conn.execute(
        select(orders)
        .where(
            orders.c.session_id == session_id,
            orders.c.viewer_id == viewer_id,
            orders.c.sku == sku,
            orders.c.variant == variant,
            orders.c.qty == qty,
            orders.c.status.in_(ACTIVE_STATUSES),
            orders.c.created_at >= since,
        )
        .order_by(orders.c.id.desc())
        .limit(1)
    ).first()
    return order_row(row) if row else None


def viewer_qty(conn: Connection, session_id: int, viewer_id: int, sku: str) -> int:
    """Return the units of `sku` a viewer holds or waits for (for the per-viewer limit)."""
    total = conn.execute(
        select(func.coalesce(func.sum(orders.c.qty), 0)).where(
            orders.c.session_id == session_id,
            orders.c.viewer_id == viewer_id,
            orders.c.sku == sku,
            orders.c.status.in_(ACTIVE_STATUSES),
        )
    ).scalar_one()
    return int(total)


def active_orders_of_viewer(
    conn: Connection, session_id: int, viewer_id: int, sku: str | None
) -> list[OrderRow]:
    """Return a viewer's accepted or waitlisted orders (of one SKU when given), newest first."""
    query = select(orders).where(
        orders.c.session_id == session_id,
        orders.c.viewer_id == viewer_id,
        orders.c.status.in_(("accepted", "waitlisted")),
    )
    if sku is not None:
        query = query.where(orders.c.sku == sku)
    return [order_row(r) for r in conn.execute(query.order_by(orders.c.id.desc()))]


def add_to_waitlist(conn: Connection, order: OrderRow, *, now: float) -> int:
    """Put an order at the end of its line's waitlist; return its 1-based position."""
    conn.execute(
        insert(waitlist).values(
            order_id=order.id,
            session_id=order.session_id,
            sku=order.sku,
            variant=order.variant,
            joined_at=now,
        )
    )
    return waitlist_position(conn, order.id) or 1


def waitlist_position(conn: Connection, order_id: int) -> int | None:
    """Return the 1-based waitlist position of an order, or None when it is not waiting."""
    row = conn.execute(select(waitlist).where(waitlist.c.order_id == order_id)).first()
    if row is None:
        return None
    ahead = conn.execute(
        select(func.count()).where(
            waitlist.c.session_id == row.session_id,
            waitlist.c.sku == row.sku,
            waitlist.c.variant == row.variant,
            waitlist.c.order_id < order_id,
        )
    ).scalar_one()
    return int(ahead) + 1


def waitlist_line(conn: Connection, session_id: int, sku: str, variant: str) -> list[OrderRow]:
    """Return the orders waiting for a stock line, first come first."""
    rows = conn.execute(
        select(orders)
        .join(waitlist, waitlist.c.order_id == orders.c.id)
        .where(
            waitlist.c.session_id == session_id,
            waitlist.c.sku == sku,
            waitlist.c.variant == variant,
        )
        .order_by(waitlist.c.order_id)
    )
    return [order_row(r) for r in rows]


def remove_from_waitlist(conn: Connection, order_id: int) -> None:
    """Take an order off its waitlist."""
    conn.execute(delete(waitlist).where(waitlist.c.order_id == order_id))


def order_row(row: Row[Any]) -> OrderRow:
    """Build an `OrderRow` from a row of the orders table."""
    return OrderRow(
        id=row.id,
        session_id=row.session_id,
        viewer_id=row.viewer_id,
        sku=row.sku,
        variant=row.variant,
        size=row.size,
        color=row.color,
        qty=row.qty,
        unit_price=Decimal(row.unit_price),
        currency=row.currency,
        status=row.status,
        phone=row.phone,
        created_at=row.created_at,
        updated_at=row.updated_at,
        public_id=row.public_id or "",
        code=row.code or "",
        buyer_name=row.buyer_name,
        address=row.address,
        received=Decimal(row.received or "0"),
        is_test=bool(row.is_test),
        review=row.review,
    )
