"""Moving orders through their after-live states inside one transaction, with history.

`move_order` is the one way the host API, payment matching and the CLI change a state: it checks
the table in ``states.py``, records who did it (``order_queries.set_order_status``), routes
cancellation through the existing cancel path (stock back, waitlist served) and emits
``order_update`` for the host console.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection

from server.events import EventLog
from server.ingest import announce_order, cancel_and_announce
from server.orders.states import AWAITS_PAYMENT, check_transition
from server.store import order_queries, payment_queries
from server.store.rows import OrderRow


def move_order(
    conn: Connection, log: EventLog, order: OrderRow, wanted: str, *, actor: str
) -> OrderRow:
    """Move ``order`` to the ``wanted`` state.

    Returns:
        The order as stored afterwards (unchanged when it already was in ``wanted``).

    Raises:
        OrderRejected: the state table does not allow the move.
    """
    if order.status == wanted:
        return order
    check_transition(order.id, order.status, wanted)
    if wanted == "cancelled":
        cancel_and_announce(conn, log, order, actor=actor)
    else:
        order_queries.set_order_status(conn, order.id, wanted, now=log.now, actor=actor)
        moved = order_queries.get_order(conn, order.id)
        assert moved is not None
        announce_order(conn, log, moved)
    updated = order_queries.get_order(conn, order.id)
    assert updated is not None
    return updated


def apply_payment(
    conn: Connection, log: EventLog, order: OrderRow, amount: Decimal, *, actor: str
) -> OrderRow:
    """Count money received for an order; mark it paid once the total is covered.

    Returns:
        The order as stored afterwards.
    """
    received = payment_queries.add_received(conn, order.id, amount)
    current = order_queries.get_order(conn, order.id)
    assert current is not None
    if received >= order.total and current.status in AWAITS_PAYMENT:
        return move_order(conn, log, current, "paid", actor=actor)
    return current
