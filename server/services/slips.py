"""Read the carts to print or ship from the database into slip and shipment values.

One buyer's lines in one live are one cart: one slip, one carrier row, one code. A cart is
printed with the lines it counts (waiting and cancelled lines stay out); the amount the
courier collects is what is left to pay of a COD cart.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Connection

from server.carriers.export import Carrier, Shipment, export_csv
from server.orders.states import READY_TO_SHIP
from server.services import carts as cart_service
from server.slips.render import Paper, SlipItem, SlipOrder, render_slips
from server.store import cart_queries, order_queries
from server.store.rows import CartRow, CartView
from studio.paths import fonts_dir

SLIP_FONTS = ("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf")


def cod_amount(cart: CartRow) -> Decimal:
    """What the courier collects: what is left to pay of a COD cart, else nothing."""
    if cart.status != "cod":
        return Decimal(0)
    return cart.left_to_pay


def select_carts(
    conn: Connection,
    *,
    states: Sequence[str] = READY_TO_SHIP,
    session_id: int | None = None,
    order_ids: Sequence[int] = (),
) -> list[CartView]:
    """Return the real carts in ``states`` (only the carts of the lines ``order_ids`` when
    given), oldest first, with their lines."""
    cart_ids: list[int] = []
    for order_id in order_ids:
        line = order_queries.get_order(conn, order_id)
        if line is not None and line.cart_id is not None and line.cart_id not in cart_ids:
            cart_ids.append(line.cart_id)
    if order_ids and not cart_ids:
        return []
    found = cart_queries.carts_in_states(conn, states, session_id=session_id, cart_ids=cart_ids)
    return cart_service.views(conn, found)


def _buyer(cart_view: CartView) -> str:
    return cart_view.cart.buyer_name or cart_view.user_name


def _phone(cart_view: CartView) -> str:
    if cart_view.cart.phone:
        return cart_view.cart.phone
    return next((line.order.phone for line in cart_view.lines if line.order.phone), "") or ""


def slip_orders(cart_views: Sequence[CartView]) -> list[SlipOrder]:
    """Turn carts into slips (buyer name: the one the host typed, else the chat name)."""
    return [
        SlipOrder(
            code=v.cart.code,
            buyer=_buyer(v),
            phone=_phone(v),
            address=v.cart.address or "",
            items=tuple(
                SlipItem(line.product_name, cart_service.variant_text(line.order), line.order.qty)
                for line in cart_service.counted_lines(v)
            ),
            total=v.cart.total,
            cod_amount=cod_amount(v.cart),
            currency=v.cart.currency,
        )
        for v in cart_views
    ]


def shipments(cart_views: Sequence[CartView], *, weight_g: int) -> list[Shipment]:
    """Turn carts into carrier shipments, one parcel each."""
    result = []
    for v in cart_views:
        items = []
        for line in cart_service.counted_lines(v):
            variant = cart_service.variant_text(line.order)
            name = line.product_name + (f" ({variant})" if variant else "")
            items.append(f"{name} x{line.order.qty}")
        result.append(
            Shipment(
                code=v.cart.code,
                state=v.cart.status,
                buyer=_buyer(v),
                phone=_phone(v),
                address=v.cart.address or "",
                items="; ".join(items),
                total=v.cart.total,
                cod_amount=cod_amount(v.cart),
                currency=v.cart.currency,
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
    """The packing-slip HTML for the chosen carts: what the host route and the CLI print.

    Args:
        is_for_pdf: embed the bundled Noto fonts by file URL (Chromium prints from a file);
            a browser preview uses the system's fonts instead.
        order_ids: only the carts of these lines.
        session_id: only this live's carts (every live's when None).
    """
    chosen = select_carts(
        conn, states=states or READY_TO_SHIP, order_ids=order_ids, session_id=session_id
    )
    fonts = [(fonts_dir() / name).as_uri() for name in SLIP_FONTS] if is_for_pdf else []
    return render_slips(slip_orders(chosen), paper=paper, font_urls=fonts)


def carrier_file(
    conn: Connection,
    carrier: Carrier,
    *,
    states: Sequence[str] = READY_TO_SHIP,
    weight_g: int = 500,
    session_id: int | None = None,
) -> bytes:
    """The carrier export of the chosen carts (of one live when ``session_id`` is given)."""
    chosen = select_carts(conn, states=states or READY_TO_SHIP, session_id=session_id)
    return export_csv(carrier, shipments(chosen, weight_g=weight_g))
