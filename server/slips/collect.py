"""Read the orders to print or ship from the database into slip and shipment values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Connection

from server.carriers.export import Carrier, Shipment, export_csv
from server.orders.states import READY_TO_SHIP
from server.slips.render import Paper, SlipItem, SlipOrder, render_slips
from server.store import payment_queries, queries
from server.store.rows import OrderRow
from studio.paths import fonts_dir

SLIP_FONTS = ("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf")


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


def slips_document(
    conn: Connection,
    *,
    states: Sequence[str] = READY_TO_SHIP,
    order_ids: Sequence[int] = (),
    paper: Paper = "a6",
    is_for_pdf: bool = False,
    session_id: int | None = None,
) -> str:
    """The packing-slip HTML for the chosen orders: what the host route and the CLI print.

    Args:
        is_for_pdf: embed the bundled Noto fonts by file URL (Chromium prints from a file);
            a browser preview uses the system's fonts instead.
        session_id: only this live's orders (every live's when None).
    """
    orders = select_orders(
        conn, states=states or READY_TO_SHIP, order_ids=order_ids, session_id=session_id
    )
    fonts = [(fonts_dir() / name).as_uri() for name in SLIP_FONTS] if is_for_pdf else []
    return render_slips(slip_orders(conn, orders), paper=paper, font_urls=fonts)


def carrier_file(
    conn: Connection,
    carrier: Carrier,
    *,
    states: Sequence[str] = READY_TO_SHIP,
    weight_g: int = 500,
    session_id: int | None = None,
) -> bytes:
    """The carrier export of the chosen orders (of one live when ``session_id`` is given)."""
    orders = select_orders(conn, states=states or READY_TO_SHIP, session_id=session_id)
    return export_csv(carrier, shipments(conn, orders, weight_g=weight_g))
