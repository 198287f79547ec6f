"""The order book: take stock or join the waitlist, cancel and serve the waitlist.

Every function runs inside the caller's transaction and decides with one conditional UPDATE
(`product_queries.take_stock`), never "read the stock, then write it": two buyers racing for the last unit
cannot both win, whatever the number of server processes. Decisions that need no database
(`resolve_variant`) are pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from server.orders.states import HOLDS_STOCK
from server.store import cart_queries, order_queries, product_queries
from server.store.rows import OrderRow, ProductRow, StockLine


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """One line a viewer asked for."""

    sku: str
    qty: int
    size: str | None
    color: str | None


@dataclass(frozen=True, slots=True)
class Placed:
    """An order taken: ``accepted`` (stock held) or ``waitlisted`` (at ``position``).

    ``is_repeat`` means the viewer already had this same order within the dedupe window and
    no new order was made.
    """

    order: OrderRow
    position: int | None
    is_repeat: bool


@dataclass(frozen=True, slots=True)
class Refused:
    """No order made; ``reason`` is a stable code (``variant.missing``, ``limit``, ...)."""

    reason: str
    message: str


def resolve_variant(
    product: ProductRow, size: str | None, color: str | None
) -> StockLine | Refused:
    """Pick the stock line a viewer means, matching size and colour case-insensitively.

    A product without variants has one line and any size/colour given is ignored. With variants,
    exactly one line must match what the viewer said, else the order is refused with a reason
    the host can read out ("which size?").
    """
    if len(product.lines) == 1 and not product.lines[0].variant:
        return product.lines[0]
    candidates = [
        line for line in product.lines if _same(line.size, size) and _same(line.color, color)
    ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        asked = " / ".join(part for part in (size, color) if part)
        return Refused("variant.unknown", f"{product.sku} has no variant {asked!r}")
    choices = ", ".join(
        " / ".join(part for part in (line.size, line.color) if part) for line in candidates
    )
    return Refused("variant.missing", f"{product.sku}: which one? {choices}")


def _same(have: str | None, wanted: str | None) -> bool:
    return wanted is None or (have or "").casefold() == wanted.casefold()


def place_order(
    conn: Connection,
    product: ProductRow,
    request: OrderRequest,
    *,
    session_id: int,
    viewer_id: int,
    comment_ref: int | None,
    phone: str | None,
    now: float,
    dedupe_window_s: float,
    default_limit: int | None,
    is_test: bool = False,
    review: str | None = None,
    address: str | None = None,
) -> Placed | Refused:
    """Take stock for one line, or put it on the waitlist when sold out.

    Args:
        conn: the open transaction (the caller commits before acknowledging).
        product: the product as stored in this session.
        request: what the viewer asked for.
        session_id: the live session.
        viewer_id: the buyer.
        comment_ref: the comment row the order came from (None for orders typed by the host).
        phone: a phone number found in the comment, kept for the seller.
        now: clock reading, epoch seconds.
        dedupe_window_s: the same viewer repeating the same line within this window is one order.
        default_limit: units one viewer may hold of a product, unless the product sets its own.
        is_test: the go-live tab's test order: accepted without taking stock, its own code
            (``TEST-…``), left out of exports and totals.
        review: ``"pending"`` for an order placed on the parser's guess: it holds its place and
            its stock like any other, and waits in the seller's review queue.
        address: a delivery address written in the comment, kept for the seller.

    Returns:
        `Placed` (accepted, waitlisted or a repeat) or `Refused` (variant, limit, quantity).
    """
    if request.qty < 1:
        return Refused("qty.invalid", f"quantity {request.qty} is not a positive number")
    line = resolve_variant(product, request.size, request.color)
    if isinstance(line, Refused):
        return line
    repeat = order_queries.recent_same_order(
        conn,
        session_id,
        viewer_id,
        product.sku,
        line.variant,
        request.qty,
        since=now - dedupe_window_s,
    )
    if repeat is not None:
        return Placed(repeat, order_queries.waitlist_position(conn, repeat.id), is_repeat=True)
    limit = product.limit_per_viewer or default_limit
    if limit is not None:
        held = order_queries.viewer_qty(conn, session_id, viewer_id, product.sku)
        if held + request.qty > limit:
            return Refused("limit", f"{product.sku}: at most {limit} per viewer (holds {held})")
    is_taken = is_test or product_queries.take_stock(
        conn, session_id, product.sku, line.variant, request.qty
    )
    order_id = order_queries.insert_order(
        conn,
        {
            "session_id": session_id,
            "comment_ref": comment_ref,
            "viewer_id": viewer_id,
            "sku": product.sku,
            "variant": line.variant,
            "size": line.size,
            "color": line.color,
            "qty": request.qty,
            "unit_price": str(product.current_price),
            "currency": product.currency,
            "status": "accepted" if is_taken else "waitlisted",
            "phone": phone,
            "created_at": now,
            "updated_at": now,
            "is_test": is_test,
            "review": review,
            "address": address,
        },
    )
    order = order_queries.get_order(conn, order_id)
    assert order is not None
    if is_taken:
        return Placed(order, None, is_repeat=False)
    return Placed(order, order_queries.add_to_waitlist(conn, order, now=now), is_repeat=False)


def cancel_order(
    conn: Connection, order: OrderRow, *, now: float, actor: str = "buyer"
) -> list[OrderRow]:
    """Cancel an order; held stock goes back and is offered to the waitlist.

    Returns:
        The waitlisted orders that became ``accepted`` because of the returned stock.
    """
    order_queries.set_order_status(conn, order.id, "cancelled", now=now, actor=actor)
    if order.status == "waitlisted":
        order_queries.remove_from_waitlist(conn, order.id)
        return []
    if order.status not in HOLDS_STOCK or order.is_test:  # a test order took no stock
        return []
    product_queries.return_stock(conn, order.session_id, order.sku, order.variant, order.qty)
    return serve_waitlist(conn, order.session_id, order.sku, order.variant, now=now)


def serve_waitlist(
    conn: Connection, session_id: int, sku: str, variant: str, *, now: float
) -> list[OrderRow]:
    """Give free stock of one line to waiting orders, first come first served.

    An order asking for more units than are free is skipped (it keeps its place) so a smaller
    order behind it can still be served.

    Returns:
        The orders now ``accepted``.
    """
    served = []
    for waiting in order_queries.waitlist_line(conn, session_id, sku, variant):
        if product_queries.take_stock(conn, session_id, sku, variant, waiting.qty):
            order_queries.remove_from_waitlist(conn, waiting.id)
            _join_open_cart(conn, waiting, now=now)
            order_queries.set_order_status(conn, waiting.id, "accepted", now=now)
            updated = order_queries.get_order(conn, waiting.id)
            assert updated is not None
            served.append(updated)
    return served


def _join_open_cart(conn: Connection, line: OrderRow, *, now: float) -> None:
    """A served line joins its cart; when that cart was paid or shipped meanwhile, the line
    goes to the buyer's open cart of the live (a new one, with its own code, if none is)."""
    cart = cart_queries.get_cart(conn, line.cart_id) if line.cart_id is not None else None
    if cart is not None and cart.status in cart_queries.OPEN_STATES:
        return
    target = cart_queries.open_cart(
        conn, line.session_id, line.viewer_id, is_test=line.is_test, currency=line.currency, now=now
    )
    cart_queries.move_line(conn, line.id, target)
    if cart is not None:
        cart_queries.refresh_status(conn, cart.id, now=now)


def confirm_order(conn: Connection, order: OrderRow, *, now: float) -> OrderRow:
    """Mark an accepted order as confirmed by the seller (paid or agreed).

    Only the line: `server.services.progress.move_cart` confirms a whole cart.
    """
    order_queries.set_order_status(conn, order.id, "confirmed", now=now, actor="host")
    confirmed = order_queries.get_order(conn, order.id)
    assert confirmed is not None
    return confirmed
