"""Moving carts (and their lines) through the after-live states inside one transaction.

`move_cart` is the one way the host API, payment matching and the CLI change a cart's state: it
checks the table in ``states.py``, moves every line that holds stock (or left with the parcel)
to the same state with history (``order_queries.set_order_status``), routes cancellation
through the existing cancel path (stock back, waitlist served) and emits ``order_update`` for
the host console. `move_order` keeps the per-line endpoints working: cancelling a line cancels
that line only; any other move is its cart's.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection

from server.events import EventLog
from server.orders.states import AWAITS_PAYMENT, check_transition
from server.services import buyers
from server.services.ingest import announce_order, cancel_and_announce
from server.store import cart_queries, order_queries
from server.store.rows import LINE_NOT_COUNTED, CartRow, OrderRow


def move_cart(
    conn: Connection, log: EventLog, cart: CartRow, wanted: str, *, actor: str
) -> CartRow:
    """Move ``cart`` (one parcel) to the ``wanted`` state.

    Cancelling cancels every line still held or waiting: their stock goes back and serves the
    waitlist. Any other move takes the cart's counted lines along; waiting lines stay waiting.
    ``returned`` applies the seller's buyer-book rules (`server.services.buyers.apply_rules`).

    Returns:
        The cart as stored afterwards (unchanged when it already was in ``wanted``).

    Raises:
        OrderRejected: the state table does not allow the move.
    """
    if cart.status == wanted:
        return cart
    check_transition(cart.code, cart.status, wanted)
    lines = order_queries.cart_lines(conn, cart.id)
    if wanted == "cancelled":
        for line in lines:
            if line.status != "cancelled":
                cancel_and_announce(conn, log, line, actor=actor)
    else:
        cart_queries.set_status(conn, cart.id, wanted, now=log.now)
        for line in lines:
            if line.status in LINE_NOT_COUNTED or line.status == wanted:
                continue
            order_queries.set_order_status(conn, line.id, wanted, now=log.now, actor=actor)
            moved = order_queries.get_order(conn, line.id)
            assert moved is not None
            announce_order(conn, log, moved)
    cart_queries.set_status(conn, cart.id, wanted, now=log.now)
    # the seller's rules (buyer book): a returned parcel may ask for a deposit, or block
    newly = buyers.apply_rules(conn, cart.viewer_id) if wanted == "returned" else []
    if "blocked" in newly and not cart.is_test:
        for viewer_id in buyers.viewer_ids_of_viewer(conn, cart.viewer_id):
            log.emit("viewer_blocked", {"viewer_id": viewer_id})
    updated = cart_queries.get_cart(conn, cart.id)
    assert updated is not None
    return updated


def move_order(
    conn: Connection, log: EventLog, order: OrderRow, wanted: str, *, actor: str
) -> OrderRow:
    """Move one line: ``cancelled`` cancels the line alone; any other state moves its cart.

    Returns:
        The line as stored afterwards (unchanged when it already was in ``wanted``).

    Raises:
        OrderRejected: the state table does not allow the move from the line's state.
    """
    if order.status == wanted:
        return order
    check_transition(order.id, order.status, wanted)
    cart = cart_queries.get_cart(conn, order.cart_id) if order.cart_id is not None else None
    if wanted == "cancelled":
        cancel_and_announce(conn, log, order, actor=actor)
    elif cart is not None:
        move_cart(conn, log, cart, wanted, actor=actor)
    else:  # a line outside any cart (none is made so since 0006; kept for safety)
        order_queries.set_order_status(conn, order.id, wanted, now=log.now, actor=actor)
        moved = order_queries.get_order(conn, order.id)
        assert moved is not None
        announce_order(conn, log, moved)
    updated = order_queries.get_order(conn, order.id)
    assert updated is not None
    return updated


def apply_payment(
    conn: Connection, log: EventLog, cart: CartRow, amount: Decimal, *, actor: str
) -> CartRow:
    """Count money received for a cart; mark it paid once its total is covered.

    Returns:
        The cart as stored afterwards.
    """
    received = cart_queries.add_received(conn, cart.id, amount)
    current = cart_queries.get_cart(conn, cart.id)
    assert current is not None
    if received >= current.total and current.status in AWAITS_PAYMENT:
        return move_cart(conn, log, current, "paid", actor=actor)
    return current
