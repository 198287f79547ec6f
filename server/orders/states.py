"""Order states after the live, as data: which moves are allowed, and which states hold stock.

::

    waitlisted ──(stock comes back)──▶ accepted ──▶ confirmed ──▶ paid ─┐
                                          │             │               ├─▶ packed ──▶ shipped ──▶ delivered
                                          │             └─────▶ cod ────┘
                                          └──▶ paid / cod (the buyer paid, or chose COD, before the seller confirmed)

    any state before ``shipped`` ──▶ cancelled (held stock goes back and serves the waitlist)
    shipped / delivered ──▶ returned (the parcel came back: refused, "bom hàng", or sent back)

These are the states of a cart (one buyer's lines in one live, one parcel). Its lines keep
``accepted`` / ``waitlisted`` / ``cancelled`` for stock, and take the cart's after-live state
when the cart moves (``server.services.progress.move_cart``).

A ``cod`` order may still become ``paid`` (the buyer transferred after all). ``waitlisted`` →
``accepted`` happens only when stock is freed (``server.services.book.serve_waitlist``), never by
hand. Pure: no I/O.
"""

from __future__ import annotations

from typing import Literal, get_args

from studio.errors import OrderRejected

OrderState = Literal[
    "waitlisted",
    "accepted",
    "confirmed",
    "paid",
    "cod",
    "packed",
    "shipped",
    "delivered",
    "returned",
    "cancelled",
]

# The same names in order, for checks and listings at run time (one list: the Literal above).
STATES: tuple[OrderState, ...] = get_args(OrderState)

TRANSITIONS: dict[str, frozenset[str]] = {
    "waitlisted": frozenset({"cancelled"}),
    "accepted": frozenset({"confirmed", "paid", "cod", "cancelled"}),
    "confirmed": frozenset({"paid", "cod", "cancelled"}),
    "paid": frozenset({"packed", "cancelled"}),
    "cod": frozenset({"paid", "packed", "cancelled"}),
    "packed": frozenset({"shipped", "cancelled"}),
    "shipped": frozenset({"delivered", "returned"}),
    "delivered": frozenset({"returned"}),
    "returned": frozenset(),
    "cancelled": frozenset(),
}

HOLDS_STOCK: tuple[str, ...] = ("accepted", "confirmed", "paid", "cod", "packed")
"""States whose units are set aside for the buyer: cancelling them gives the stock back."""

AWAITS_PAYMENT: tuple[str, ...] = ("accepted", "confirmed", "cod")
"""States in which a bank transfer for the order is expected (matching looks at these)."""

READY_TO_SHIP: tuple[str, ...] = ("paid", "cod", "packed")
"""States exported for the carrier and printed as packing slips by default."""


def check_transition(order_id: int | str, current: str, wanted: str) -> None:
    """Refuse a move the table does not allow (``order_id``: a line's id or a cart's code).

    Raises:
        OrderRejected: the order cannot go from ``current`` to ``wanted``; the hint lists what can.
    """
    if wanted not in TRANSITIONS:
        raise OrderRejected(
            f"{wanted!r} is not an order state", hint=f"choose one of {', '.join(STATES)}"
        )
    allowed = TRANSITIONS.get(current, frozenset())
    if wanted in allowed:
        return
    choices = ", ".join(s for s in STATES if s in allowed) or "nothing (it is final)"
    raise OrderRejected(
        f"order {order_id} is {current}; it cannot become {wanted}",
        hint=f"from {current} it can become: {choices}",
        params={"order": order_id, "from_state": current, "to_state": wanted},
    )
