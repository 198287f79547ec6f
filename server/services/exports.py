"""Spreadsheets of a live for the seller's Excel: every real order line, one row each.

The host API (``GET /api/orders.csv``) and the web studio's lives list answer the same file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.responses import Response

from server.live import Live
from server.store import order_queries
from server.store.rows import OrderListRow
from studio.sheets import Cell, excel_csv

CSV_COLUMNS = (
    "order_id",
    "created_at_utc",
    "status",
    "sku",
    "product",
    "size",
    "color",
    "qty",
    "unit_price",
    "currency",
    "buyer",
    "platform",
    "buyer_id",
    "phone",
    "comment",
    "waitlist_position",
    "order_code",
    "buyer_name",
    "address",
    "cart_state",
    "cart_total",
    "cart_received",
)


async def orders_csv(live: Live, session_id: int) -> Response:
    """Every real order line of a live as CSV (UTF-8 with a BOM for Excel), one row per line
    with its cart's code, state, total and money received; test orders are left out."""
    rows = await live.read(
        lambda conn: order_queries.list_orders(conn, session_id, limit=1_000_000, is_test=False)
    )
    body = excel_csv(CSV_COLUMNS, [_csv_row(row) for row in rows])
    return Response(
        content=body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="orders-{session_id}.csv"'},
    )


def _csv_row(row: OrderListRow) -> list[Cell]:
    # Every text cell (comment, names, address, even the platform's user id) is the viewer's or
    # the seller's writing; `excel_csv` keeps each one text, numbers stay numbers.
    order = row.order
    cart = row.cart
    return [
        order.id,
        datetime.fromtimestamp(order.created_at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S"),
        order.status,
        order.sku,
        row.product_name,
        order.size,
        order.color,
        order.qty,
        order.unit_price,
        order.currency,
        row.user_name,
        row.platform,
        row.user_id,
        (cart.phone if cart else None) or order.phone,
        row.comment_text,
        row.waitlist_position,
        cart.code if cart else order.code,
        cart.buyer_name if cart else order.buyer_name,
        cart.address if cart else order.address,
        cart.status if cart else None,
        cart.total if cart else None,
        cart.received if cart else None,
    ]
