"""SQL of the list of lives: every live session with its order counts, newest first.

An "order" here is a buyer's cart (one code, one parcel): ``orders``, ``unpaid``,
``unshipped`` and ``tests`` count carts by their state; ``totals`` add up the lines that hold
stock.

Starting a new live only ends the current session (``session_queries.end_session``); nothing is deleted,
so an earlier live's orders stay here to browse, export and print.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, select

from server.orders.states import AWAITS_PAYMENT, HOLDS_STOCK
from server.store.rows import LiveSummary
from server.store.tables import carts, live_sessions, orders

NOT_SOLD = ("cancelled", "waitlisted")


def list_lives(conn: Connection, *, session_id: int | None = None) -> list[LiveSummary]:
    """Return every live (or only ``session_id``), newest first, with its order counts."""
    sessions = select(live_sessions).order_by(live_sessions.c.id.desc())
    order_rows = select(
        orders.c.session_id,
        orders.c.status,
        orders.c.qty,
        orders.c.unit_price,
        orders.c.currency,
        orders.c.is_test,
    )
    cart_rows = select(carts.c.session_id, carts.c.status, carts.c.is_test)
    if session_id is not None:
        sessions = sessions.where(live_sessions.c.id == session_id)
        order_rows = order_rows.where(orders.c.session_id == session_id)
        cart_rows = cart_rows.where(carts.c.session_id == session_id)
    counts: dict[int, dict[str, int]] = {}
    totals: dict[int, dict[str, Decimal]] = {}
    for cart in conn.execute(cart_rows):
        count = counts.setdefault(
            cart.session_id, dict.fromkeys(("orders", "unpaid", "unshipped", "tests"), 0)
        )
        if cart.is_test:
            count["tests"] += 1
            continue
        if cart.status in NOT_SOLD:
            continue
        count["orders"] += 1
        count["unpaid"] += cart.status in AWAITS_PAYMENT
        count["unshipped"] += cart.status in HOLDS_STOCK
    for row in conn.execute(order_rows):
        if row.is_test or row.status in NOT_SOLD:
            continue
        money = totals.setdefault(row.session_id, {})
        money[row.currency] = (
            money.get(row.currency, Decimal(0)) + Decimal(row.unit_price) * row.qty
        )
    result = []
    for row in conn.execute(sessions):
        count = counts.get(row.id, {})
        result.append(
            LiveSummary(
                id=row.id,
                title=row.title,
                started_at=row.started_at,
                ended_at=row.ended_at,
                orders=count.get("orders", 0),
                unpaid=count.get("unpaid", 0),
                unshipped=count.get("unshipped", 0),
                tests=count.get("tests", 0),
                totals=tuple(sorted(totals.get(row.id, {}).items())),
            )
        )
    return result
