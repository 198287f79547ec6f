"""Live events: what each type carries, and how an event is numbered, stored and serialised once.

Every event is ``{"seq": int, "type": str, ...}``. `EventLog.emit` allocates the next ``seq`` of
the session and stores the JSON text in the caller's transaction; the text is published on the bus
only after the transaction commits, so a client never sees an event the database could lose.
The types and their fields are the contract documented in ``docs/live.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Literal, get_args

from sqlalchemy import Connection

from server.bus import Event
from server.store import session_queries
from server.store.rows import OrderRow, ProductRow

EventType = Literal[
    "comment",
    "order",
    "order_update",
    "pin",
    "stock",
    "product",
    "countdown",
    "viewer_blocked",
    "session",
    "capture",
]
# The same names as a tuple, for checks at run time (one list: the Literal above).
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
# Events that are history rather than state: a snapshot carries the products, pin and countdown
# as they are now, and only the last few of these (the chat feed, order toasts, blocks).
FEED_EVENT_TYPES: tuple[EventType, ...] = ("comment", "order", "order_update", "viewer_blocked")

JsonValue = str | int | float | bool | None | list["JsonValue"] | Mapping[str, "JsonValue"]


def dump_json(value: Mapping[str, JsonValue]) -> str:
    """Serialise compactly, keeping Vietnamese and Arabic text readable."""
    return dump_json_value(value)


def dump_json_value(value: object) -> str:
    """Serialise any JSON value (a list of answers, say) like `dump_json`."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class EventLog:
    """Numbers, stores and collects the events of one transaction.

    Args:
        conn: the open transaction.
        session_id: the live session the events belong to.
        now: the transaction's clock reading (epoch seconds).
    """

    def __init__(self, conn: Connection, session_id: int, *, now: float) -> None:
        self.conn = conn
        self.session_id = session_id
        self.now = now
        self.events: list[Event] = []

    def emit(self, event_type: EventType, data: Mapping[str, JsonValue]) -> Event:
        """Allocate a seq, store the event and queue it for publication after commit."""
        seq = session_queries.next_seq(self.conn, self.session_id)
        text = dump_json({"seq": seq, "type": event_type, **data})
        session_queries.insert_event(
            self.conn, self.session_id, seq, event_type, text, now=self.now
        )
        event = Event(seq=seq, type=event_type, text=text, session_id=self.session_id)
        self.events.append(event)
        return event


def product_card(product: ProductRow) -> dict[str, JsonValue]:
    """The public view of a product: what the overlay and viewer page show."""
    return {
        "sku": product.sku,
        "name": product.name,
        "price": str(product.price),
        "sale_price": None if product.sale_price is None else str(product.sale_price),
        "currency": product.currency,
        "stock": product.stock,
        "variants": [
            {"size": line.size, "color": line.color, "stock": line.qty}
            for line in product.lines
            if line.variant
        ],
        "photo_url": f"/api/products/{product.sku}/photo" if product.photo else None,
    }


def stock_data(product: ProductRow) -> dict[str, JsonValue]:
    """Fields of a ``stock`` event: units left, in total and per variant."""
    return {
        "sku": product.sku,
        "stock": product.stock,
        "variants": [
            {"size": line.size, "color": line.color, "stock": line.qty}
            for line in product.lines
            if line.variant
        ],
    }


def order_data(
    order: OrderRow, *, user_name: str, product_name: str, position: int | None
) -> dict[str, JsonValue]:
    """Fields of ``order`` and ``order_update`` events (never the buyer's phone)."""
    return {
        "id": order.id,
        "status": order.status,
        "sku": order.sku,
        "product_name": product_name,
        "qty": order.qty,
        "size": order.size,
        "color": order.color,
        "user_name": user_name,
        "viewer_id": order.viewer_id,
        "waitlist_position": position,
        "is_test": order.is_test,
        "review": order.review,  # "pending": placed on the parser's guess, the seller looks
    }


def countdown_data(ends_at: float | None, label: str, *, now: float) -> dict[str, JsonValue]:
    """Fields of a ``countdown`` event; ``ends_at`` None means no countdown."""
    seconds_left = None if ends_at is None else max(0, math.ceil(ends_at - now))
    return {"ends_at": ends_at, "seconds_left": seconds_left, "label": label}
