"""Read the orders to print or ship from the database into slip and shipment values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Connection

from server.carriers.export import Shipment
from server.orders.states import READY_TO_SHIP
from server.slips.render import SlipItem, SlipOrder
from server.store import payment_queries, queries
from server.store.rows import OrderRow


def cod_amount(order: OrderRow) -> Decimal:
    """What the courier collects: the unpaid rest of a COD order, else nothing."""
    if order.status != "cod":
        return Decimal(0)
    return max(order.total - order.received, Decimal(0))


def _variant(order: OrderRow) -> str:
    return " / ".join(part for part in (order.size, order.color) if part)


def _names(conn: Connection, orders: Sequence[OrderRow]) -> tuple[dict[int, str], dict[str, str]]:
    buyers = payment_queries.viewer_names(conn, {o.viewer_id for o in orders})
    products: dict[str, str] = {}
    for order in orders:
        key = f"{order.session_id}:{order.sku}"
        if key not in products:
            product = queries.get_product(conn, order.session_id, order.sku)
            products[key] = product.name if product else order.sku
    return buyers, products


def select_orders(
    conn: Connection,
    *,
    states: Sequence[str] = READY_TO_SHIP,
    session_id: int | None = None,
    order_ids: Sequence[int] = (),
) -> list[OrderRow]:
    """Return the orders in ``states`` (only ``order_ids`` when given), oldest first."""
    found = payment_queries.orders_in_states(conn, states, session_id=session_id)
    return [o for o in found if o.id in order_ids] if order_ids else found


def slip_orders(conn: Connection, orders: Sequence[OrderRow]) -> list[SlipOrder]:
    """Turn order rows into slips (buyer name: the one the host typed, else the chat name)."""
    buyers, products = _names(conn, orders)
    return [
        SlipOrder(
            code=o.code,
            buyer=o.buyer_name or buyers.get(o.viewer_id, ""),
            phone=o.phone or "",
            address=o.address or "",
            items=(SlipItem(products[f"{o.session_id}:{o.sku}"], _variant(o), o.qty),),
            total=o.total,
            cod_amount=cod_amount(o),
            currency=o.currency,
        )
        for o in orders
    ]


def shipments(conn: Connection, orders: Sequence[OrderRow], *, weight_g: int) -> list[Shipment]:
    """Turn order rows into carrier shipments."""
    buyers, products = _names(conn, orders)
    result = []
    for o in orders:
        variant = _variant(o)
        item = products[f"{o.session_id}:{o.sku}"] + (f" ({variant})" if variant else "")
        result.append(
            Shipment(
                code=o.code,
                state=o.status,
                buyer=o.buyer_name or buyers.get(o.viewer_id, ""),
                phone=o.phone or "",
                address=o.address or "",
                items=f"{item} x{o.qty}",
                total=o.total,
                cod_amount=cod_amount(o),
                currency=o.currency,
                weight_g=weight_g,
            )
        )
    return result
