"""Carts as the seller and the buyer see them: lines with product names, who the buyer is, and
the one message a buyer gets (items, total, how to pay, the page link).

Read-only helpers over the store, used by the host API (``server/api/carts.py``), the per-line
endpoints kept for old clients (``server/api/fulfilment.py``), slips and the carrier export.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from server.payments.banks import bank_by_bin
from server.payments.message import BankTransfer, BuyerOrder, MessageLine, buyer_message
from server.store import cart_queries, payment_queries
from server.store.order_queries import order_row, waitlist_position
from server.store.rows import LINE_NOT_COUNTED, CartLine, CartRow, CartView, OrderRow
from server.store.tables import orders, products, viewers
from studio.errors import OrderNotFound

PAYMENT_WINDOW = timedelta(hours=24)


def variant_text(order: OrderRow) -> str:
    """``"M / trắng"``, ``"M"`` or ``""``."""
    return " / ".join(part for part in (order.size, order.color) if part)


def views(conn: Connection, carts: Sequence[CartRow]) -> list[CartView]:
    """Return the carts with their lines (oldest first), product names and buyers."""
    if not carts:
        return []
    ids = [c.id for c in carts]
    by_cart: dict[int, list[OrderRow]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(orders)
            .where(orders.c.cart_id.in_(ids[start : start + 500]))
            .order_by(orders.c.id)
        )
        for row in rows:
            by_cart[row.cart_id].append(order_row(row))
    sessions = {c.session_id for c in carts}
    names: dict[tuple[int, str], str] = {
        (int(r.session_id), str(r.sku)): str(r.name)
        for r in conn.execute(
            select(products.c.session_id, products.c.sku, products.c.name).where(
                products.c.session_id.in_(sessions)
            )
        )
    }
    people = {
        int(r.id): r
        for r in conn.execute(
            select(
                viewers.c.id,
                viewers.c.user_name,
                viewers.c.platform,
                viewers.c.user_id,
                viewers.c.buyer_id,
            ).where(viewers.c.id.in_({c.viewer_id for c in carts}))
        )
    }
    result = []
    for cart in carts:
        person = people.get(cart.viewer_id)
        lines = tuple(
            CartLine(
                order=line,
                product_name=names.get((line.session_id, line.sku), line.sku),
                waitlist_position=(
                    waitlist_position(conn, line.id) if line.status == "waitlisted" else None
                ),
            )
            for line in by_cart[cart.id]
        )
        result.append(
            CartView(
                cart=cart,
                lines=lines,
                user_name=str(person.user_name) if person else "",
                platform=str(person.platform) if person else "",
                user_id=str(person.user_id) if person else "",
                buyer_id=int(person.buyer_id) if person and person.buyer_id else None,
            )
        )
    return result


def view(conn: Connection, cart: CartRow) -> CartView:
    """One cart with its lines."""
    return views(conn, [cart])[0]


def need_cart(conn: Connection, code: str) -> CartRow:
    """Return the cart with ``code``.

    Raises:
        OrderNotFound: no cart has this code.
    """
    cart = cart_queries.cart_by_code(conn, code.strip().upper())
    if cart is None:
        raise OrderNotFound(
            f"no cart {code!r}", hint="carts are listed by GET /api/carts; refresh the orders table"
        )
    return cart


def counted_lines(cart_view: CartView) -> list[CartLine]:
    """The lines the buyer pays for and the parcel carries (not waiting, not cancelled)."""
    return [line for line in cart_view.lines if line.order.status not in LINE_NOT_COUNTED]


def message_for(
    conn: Connection, cart: CartRow, *, base_url: str, locale: str, deposit: bool = False
) -> tuple[str, str]:
    """The message to paste into the buyer's chat, and the cart page it links to.

    ``deposit``: the buyer book asks this buyer to transfer before the parcel ships, so the
    message asks for a transfer even when the cart is cash on delivery.

    Returns:
        (text, url)
    """
    cart_view = view(conn, cart)
    url = f"{base_url.rstrip('/')}/o/{cart.public_id}"
    payee = payment_queries.load_payee(conn)
    lines = tuple(
        MessageLine(
            f"{line.product_name} ({variant_text(line.order)})"
            if variant_text(line.order)
            else line.product_name,
            line.order.qty,
            line.order.unit_price,
        )
        for line in counted_lines(cart_view)
    )
    buyer = BuyerOrder(
        code=cart.code,
        buyer=cart.buyer_name or cart_view.user_name,
        lines=lines,
        total=cart.left_to_pay if cart.received else cart.total,
        currency=cart.currency,
    )
    payment = None
    if payee is not None and (cart.status != "cod" or deposit):
        bank = bank_by_bin(payee.bin)
        payment = BankTransfer(
            bank=bank.short_name if bank else payee.bin,
            account=payee.account,
            holder=payee.name,
            note=cart.code,
            url=url,
        )
    deadline = datetime.fromtimestamp(cart.created_at) + PAYMENT_WINDOW
    text = buyer_message(buyer, payment, deadline=deadline, locale=locale, deposit=deposit)
    return text, url
