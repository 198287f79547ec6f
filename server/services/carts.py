"""Carts as the seller and the buyer see them: lines with product names, who the buyer is, and
the one message a buyer gets (items, total, how to pay, the page link).

Read-only helpers over the store, used by the host API (``server/api/carts.py``), the per-line
endpoints kept for old clients (``server/api/fulfilment.py``), slips and the carrier export.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, select
from sqlalchemy.exc import OperationalError

from server.events import EventLog
from server.live import Live
from server.payments.banks import bank_by_bin
from server.payments.message import (
    BankTransfer,
    BuyerOrder,
    MessageLine,
    buyer_message,
    release_message,
    reminder_line,
)
from server.services.ingest import cancel_and_announce
from server.store import cart_queries, payment_queries, session_queries
from server.store.order_queries import order_row, waitlist_position
from server.store.rows import LINE_NOT_COUNTED, CartLine, CartRow, CartView, OrderRow
from server.store.tables import carts, order_events, orders, products, viewers
from studio.errors import InputError, OrderNotFound, StoreUnavailable

PAYMENT_WINDOW = timedelta(hours=24)
logger = logging.getLogger(__name__)


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


MessageKind = Literal["order", "reminder", "released"]


def message_for(
    conn: Connection,
    cart: CartRow,
    *,
    base_url: str,
    locale: str,
    deposit: bool = False,
    kind: MessageKind = "order",
) -> tuple[str, str]:
    """The message to paste into the buyer's chat, and the cart page it links to.

    ``deposit``: the buyer book asks this buyer to transfer before the parcel ships, so the
    message asks for a transfer even when the cart is cash on delivery. ``kind``: ``order``
    (items, total, how to pay; the deadline is the hold's when one is set), ``reminder`` (the
    same, opened by "the shop holds your order until …") or ``released`` (the lines the hold
    released, and whether the rest is still held).

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
    hold_s = load_hold(conn)
    due = hold_deadlines(conn, cart.session_id, hold_s).get(cart.id)
    deadline = (
        datetime.fromtimestamp(due)
        if due is not None
        else datetime.fromtimestamp(cart.created_at) + PAYMENT_WINDOW
    )
    if kind == "released":
        gone = tuple(
            MessageLine(_line_name(line), line.order.qty, line.order.unit_price)
            for line in released_lines(conn, cart.id)
        )
        if gone:
            return release_message(cart.code, gone, has_rest=bool(lines), locale=locale), url
    text = buyer_message(buyer, payment, deadline=deadline, locale=locale, deposit=deposit)
    if kind == "reminder":
        text = reminder_line(cart.code, deadline, locale) + "\n" + text
    return text, url


def _line_name(line: CartLine) -> str:
    variant = variant_text(line.order)
    return f"{line.product_name} ({variant})" if variant else line.product_name


# --- hold with a deadline ----------------------------------------------------------------------
#
# A line that is neither paid nor confirmed by the host when its hold ends is released: it is
# cancelled through the cancel path (stock back, the waitlist served first come first served),
# with ``hold`` as the actor of its history row. The hold runs from the moment the line took
# its stock (placed, or served from the waitlist). Everything is read from the database in the
# releasing transaction, so a restart neither loses a release nor makes one twice.

HOLD_KEY = "hold_seconds"
HOLD_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", re.IGNORECASE)
HOLD_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}
MAX_HOLD_S = 7 * 24 * 3600
REMIND_SHARE = 0.5  # a cart shows under "nhắc thanh toán" once half its hold has run


def parse_hold(text: str) -> int:
    """Read ``90s``, ``30m``, ``2h`` or plain seconds (``0``: no deadline) as whole seconds.

    Raises:
        InputError: not a duration, or longer than a week.
    """
    match = HOLD_RE.fullmatch(text or "")
    if match is None:
        raise InputError(f"hold {text!r} is not a duration", hint="write 90s, 30m or 2h; 0 = none")
    seconds = round(float(match.group(1)) * HOLD_UNITS[match.group(2).lower()])
    if seconds > MAX_HOLD_S:
        raise InputError(f"hold {text!r} is longer than a week", hint="write at most 168h")
    return seconds


def load_hold(conn: Connection) -> int:
    """The hold in seconds the seller chose (0: no deadline)."""
    value = session_queries.get_setting(conn, HOLD_KEY)
    return int(value) if value and value.isdigit() else 0


def save_hold(conn: Connection, seconds: int) -> None:
    """Store the hold (0 turns deadlines off)."""
    session_queries.put_setting(conn, HOLD_KEY, str(max(0, seconds)))


def _held_lines(conn: Connection, session_id: int) -> Any:
    return (
        select(orders)
        .join(carts, carts.c.id == orders.c.cart_id)
        .where(
            orders.c.session_id == session_id,
            orders.c.status == "accepted",
            orders.c.is_test.is_(False),
            carts.c.status == "accepted",
        )
    )


def expired_lines(conn: Connection, session_id: int, *, cutoff: float) -> list[OrderRow]:
    """Lines of this live still only ``accepted`` (cart neither confirmed nor paid) that took
    their stock at or before ``cutoff``, oldest first."""
    query = _held_lines(conn, session_id).where(orders.c.updated_at <= cutoff)
    return [order_row(r) for r in conn.execute(query.order_by(orders.c.updated_at, orders.c.id))]


def hold_deadlines(conn: Connection, session_id: int, hold_s: int) -> dict[int, float]:
    """When each cart of this live loses its first held line, by cart id (none without a hold)."""
    if hold_s <= 0:
        return {}
    deadlines: dict[int, float] = {}
    for row in conn.execute(_held_lines(conn, session_id)):
        due = float(row.updated_at) + hold_s
        deadlines[int(row.cart_id)] = min(due, deadlines.get(int(row.cart_id), due))
    return deadlines


def release_expired(conn: Connection, log: EventLog, hold_s: int) -> list[OrderRow]:
    """Release every line of the live whose hold has ended (in the caller's transaction).

    Returns:
        The released lines as they were before (the waitlist they served is announced).
    """
    if hold_s <= 0:
        return []
    due = expired_lines(conn, log.session_id, cutoff=log.now - hold_s)
    for line in due:
        cancel_and_announce(conn, log, line, actor="hold")
    return due


def released_counts(conn: Connection, cart_ids: Sequence[int]) -> dict[int, int]:
    """How many lines of each cart its hold released, by cart id (carts with none left out)."""
    counts: dict[int, int] = {}
    wanted = list(cart_ids)
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            select(orders.c.cart_id)
            .join(order_events, order_events.c.order_id == orders.c.id)
            .where(
                orders.c.cart_id.in_(wanted[start : start + 500]),
                order_events.c.to_status == "cancelled",
                order_events.c.actor == "hold",
            )
        ).scalars()
        for cart_id in rows:
            counts[int(cart_id)] = counts.get(int(cart_id), 0) + 1
    return counts


def released_lines(conn: Connection, cart_id: int) -> list[CartLine]:
    """The cart's lines its hold released (for the buyer's message)."""
    rows = conn.execute(
        select(orders.c.id)
        .join(order_events, order_events.c.order_id == orders.c.id)
        .where(
            orders.c.cart_id == cart_id,
            orders.c.status == "cancelled",
            order_events.c.to_status == "cancelled",
            order_events.c.actor == "hold",
        )
    ).scalars()
    wanted = set(rows)
    cart = cart_queries.get_cart(conn, cart_id)
    if cart is None or not wanted:
        return []
    return [line for line in view(conn, cart).lines if line.order.id in wanted]


class HoldSweeper:
    """Releases lines whose hold ended, every ``interval_s``, while the server runs.

    Several server processes may sweep at once: each release re-reads the lines inside its own
    write transaction (which takes the live's row lock first), so a line is released once.
    """

    def __init__(self, live: Live, *, interval_s: float = 0.5) -> None:
        self.live = live
        self.interval_s = interval_s
        self._initial: int | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self, initial: str = "") -> None:
        """Start sweeping; ``initial`` (``--hold``, ``LIVESTALL_HOLD``) is stored first when given.

        Raises:
            InputError: ``initial`` is not a duration (the server does not start).
        """
        self._initial = parse_hold(initial) if initial.strip() else None
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop sweeping."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        if self._initial is not None:
            seconds = self._initial
            await self.live.write(lambda conn, _log: save_hold(conn, seconds))
        while True:
            try:
                await self.sweep()
            except (StoreUnavailable, OperationalError):  # the database is away: next round
                pass
            except Exception:  # never let one bad round stop the releases
                logger.exception("releasing expired holds failed; trying again")
            await asyncio.sleep(self.interval_s)

    async def sweep(self) -> int:
        """Release what is due now; return how many lines were released."""
        hold_s = await self.live.read(load_hold)
        if hold_s <= 0:
            return 0
        session_id = self.live.session_id
        cutoff = time.time() - hold_s
        due = await self.live.read(lambda conn: expired_lines(conn, session_id, cutoff=cutoff))
        if not due:
            return 0
        released = await self.live.write(lambda conn, log: release_expired(conn, log, hold_s))
        return len(released)
