"""SQL of the order book: order rows and waitlists (used inside `server.services.book`'s transaction).

`product_queries.take_stock` is the conditional decrement; this module keeps what happens around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, select, update

from server.orders.states import HOLDS_STOCK
from server.store import cart_queries
from server.store.rows import OrderListRow, OrderRow
from server.store.tables import comments, order_events, orders, products, viewers, waitlist

ACTIVE_STATUSES = (*HOLDS_STOCK, "waitlisted")


def _new_id(conn: Connection, statement: Any) -> int:
    key = conn.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_order(conn: Connection, values: Mapping[str, object]) -> int:
    """Store an order line in the buyer's open cart of this live; return the line's id.

    The cart (`cart_queries.open_cart`) is made with the buyer's first line: it holds the code
    buyers write in a transfer (``LS-0042``, the next number of one counter, so a test cart's
    ``TEST-<id>`` never leaves a gap) and the random page id, the only key of the buyer's page.
    Every line of the cart carries copies of both.
    """
    now = float(str(values["created_at"]))
    status = str(values["status"])
    cart = cart_queries.open_cart(
        conn,
        int(str(values["session_id"])),
        int(str(values["viewer_id"])),
        is_test=bool(values.get("is_test")),
        currency=str(values["currency"]),
        now=now,
        status="accepted" if status not in ("waitlisted", "cancelled") else "waitlisted",
    )
    order_id = _new_id(
        conn,
        insert(orders).values(**values, cart_id=cart.id, code=cart.code, public_id=cart.public_id),
    )
    record_state(conn, order_id, None, status, actor="buyer", now=now)
    if values.get("phone") or values.get("address"):
        cart_queries.fill_contact(
            conn,
            cart.id,
            phone=_text(values.get("phone")),
            address=_text(values.get("address")),
        )
    new_status = cart_queries.status_with_new_line(cart, status)
    if new_status is not None:
        cart_queries.set_status(conn, cart.id, new_status, now=now)
    return order_id


def _text(value: object) -> str | None:
    return str(value) if value else None


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
    old, cart_id = conn.execute(
        select(orders.c.status, orders.c.cart_id).where(orders.c.id == order_id)
    ).one()
    conn.execute(
        update(orders).where(orders.c.id == order_id).values(status=status, updated_at=now)
    )
    record_state(conn, order_id, old, status, actor=actor, now=now)
    if cart_id is not None:
        cart_queries.refresh_status(conn, cart_id, now=now)


def cart_lines(conn: Connection, cart_id: int) -> list[OrderRow]:
    """Return a cart's lines, oldest first (every state)."""
    rows = conn.execute(select(orders).where(orders.c.cart_id == cart_id).order_by(orders.c.id))
    return [order_row(r) for r in rows]


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
        cart_id=row.cart_id,
    )


# --- orders (list for the host console; writes are in order_queries) ---------------------


def list_orders(
    conn: Connection,
    session_id: int,
    *,
    status: str | None = None,
    sku: str | None = None,
    viewer_id: int | None = None,
    after_id: int = 0,
    limit: int = 500,
    is_test: bool | None = None,
    review: str | None = None,
) -> list[OrderListRow]:
    """Return orders with buyer, product and comment, oldest first (filters optional).

    ``is_test=False`` leaves the go-live tab's test orders out (exports do); ``review="pending"``
    keeps the orders placed on a guess the seller has not looked at yet.
    """
    conditions = [orders.c.session_id == session_id, orders.c.id > after_id]
    if review is not None:
        conditions.append(orders.c.review == review)
    if is_test is not None:
        conditions.append(orders.c.is_test.is_(is_test))
    if status is not None:
        conditions.append(orders.c.status == status)
    if sku is not None:
        conditions.append(orders.c.sku == sku)
    if viewer_id is not None:
        conditions.append(orders.c.viewer_id == viewer_id)
    query = (
        select(
            orders,
            viewers.c.user_name,
            viewers.c.platform,
            viewers.c.user_id,
            products.c.name.label("product_name"),
            comments.c.text.label("comment_text"),
            comments.c.rule.label("comment_rule"),
        )
        .join(viewers, viewers.c.id == orders.c.viewer_id)
        .join(
            products,
            and_(products.c.session_id == orders.c.session_id, products.c.sku == orders.c.sku),
        )
        .outerjoin(comments, comments.c.id == orders.c.comment_ref)
        .where(*conditions)
        .order_by(orders.c.id)
        .limit(limit)
    )
    result = []
    found = conn.execute(query).all()
    in_carts = cart_queries.carts_by_id(conn, (r.cart_id for r in found if r.cart_id is not None))
    for row in found:
        order = order_row(row)
        position = waitlist_position(conn, order.id) if order.status == "waitlisted" else None
        result.append(
            OrderListRow(
                order=order,
                user_name=row.user_name,
                platform=row.platform,
                user_id=row.user_id,
                product_name=row.product_name,
                comment_text=row.comment_text or "",
                waitlist_position=position,
                rule=row.comment_rule or "",
                cart=in_carts.get(order.cart_id) if order.cart_id is not None else None,
            )
        )
    return result
