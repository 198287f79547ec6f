"""Orders for the host: list with filters, confirm, cancel, CSV export (host token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.lives import LiveQuery, session_of
from server.api.schemas import OrderOut, OrderStatus
from server.events import EventLog
from server.live import Live
from server.services import book, exports
from server.services.ingest import announce_order, cancel_and_announce
from server.services.progress import move_cart
from server.store import cart_queries, order_queries
from server.store.rows import OrderListRow, OrderRow
from studio.catalog import normalize_sku
from studio.errors import OrderNotFound, OrderRejected

router = APIRouter(prefix="/api", tags=["orders"], dependencies=[HostAuth])


def _out(row: OrderListRow) -> OrderOut:
    order = row.order
    cart = row.cart
    return OrderOut(
        id=order.id,
        status=order.status,
        sku=order.sku,
        product_name=row.product_name,
        size=order.size,
        color=order.color,
        qty=order.qty,
        unit_price=str(order.unit_price),
        currency=order.currency,
        viewer_id=order.viewer_id,
        user_name=row.user_name,
        platform=row.platform,
        user_id=row.user_id,
        phone=(cart.phone if cart else None) or order.phone,
        comment_text=row.comment_text,
        waitlist_position=row.waitlist_position,
        created_at=order.created_at,
        updated_at=order.updated_at,
        code=cart.code if cart else order.code,
        public_id=cart.public_id if cart else order.public_id,
        buyer_name=cart.buyer_name if cart else order.buyer_name,
        address=cart.address if cart else order.address,
        received=str(cart.received if cart else order.received),
        is_test=order.is_test,
        review=order.review,
        rule=row.rule,
        cart_state=cart.status if cart else None,
        cart_total=str(cart.total) if cart else None,
    )


@router.get("/orders", response_model=list[OrderOut])
async def list_orders(
    live: LiveDep,
    status: OrderStatus | None = None,
    sku: str | None = None,
    viewer_id: int | None = None,
    after_id: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    live_id: LiveQuery = None,
    review: bool = False,
) -> list[OrderOut]:
    """Orders of this live (or of ``?live=<id>``), oldest first; page with ``after_id``.

    ``?review=1`` keeps the review queue: orders placed on the parser's guess that the seller
    has not confirmed, fixed or rejected yet.
    """
    session_id = await session_of(live, live_id)
    rows = await live.read(
        lambda conn: order_queries.list_orders(
            conn,
            session_id,
            status=status,
            sku=normalize_sku(sku) if sku else None,
            viewer_id=viewer_id,
            after_id=after_id,
            limit=limit,
            review="pending" if review else None,
        )
    )
    return [_out(row) for row in rows]


@router.get("/orders.csv", response_class=Response)
async def export_orders(live: LiveDep, live_id: LiveQuery = None) -> Response:
    """Every real order line of this live (or of ``?live=<id>``) as CSV (UTF-8 with a BOM for
    Excel), one row per line with its cart's code, state, total and money received.

    Test orders are left out.
    """
    return await exports.orders_csv(live, await session_of(live, live_id))


@router.post("/orders/{order_id}/confirm", response_model=OrderOut)
async def confirm_order(order_id: int, live: LiveDep) -> OrderOut:
    """Confirm an accepted line's cart (the buyer agreed or paid): one code, one state, so the
    buyer's other lines are confirmed with it (``POST /api/carts/{code}/state`` does the same).
    """

    def work(conn: Connection, log: EventLog) -> None:
        order = _need(conn, log.session_id, order_id)
        if order.status == "confirmed":
            return
        if order.status != "accepted":
            raise OrderRejected(
                f"order {order_id} is {order.status}; only accepted orders can be confirmed",
                hint="waitlisted orders become accepted when stock comes back",
            )
        cart = cart_queries.get_cart(conn, order.cart_id) if order.cart_id else None
        if cart is not None and cart.status == "accepted":
            move_cart(conn, log, cart, "confirmed", actor="host")
        else:
            announce_order(conn, log, book.confirm_order(conn, order, now=log.now))

    await live.write(work)
    return await order_out(live, order_id)


@router.post("/orders/{order_id}/cancel", response_model=OrderOut)
async def cancel_order(order_id: int, live: LiveDep) -> OrderOut:
    """Cancel an order: its stock goes back and the waitlist is served."""

    def work(conn: Connection, log: EventLog) -> None:
        order = _need(conn, log.session_id, order_id)
        if order.status != "cancelled":
            cancel_and_announce(conn, log, order, actor="host")

    await live.write(work)
    return await order_out(live, order_id)


def _need(conn: Connection, session_id: int, order_id: int) -> OrderRow:
    order = order_queries.get_order(conn, order_id)
    if order is None or order.session_id != session_id:
        raise OrderNotFound(f"no order {order_id} in this live", hint="refresh the orders table")
    return order


async def order_out(live: Live, order_id: int) -> OrderOut:
    """One order of the current live as the host sees it."""
    rows = await live.read(
        lambda conn: order_queries.list_orders(
            conn, live.session_id, after_id=order_id - 1, limit=1
        )
    )
    return _out(rows[0])
