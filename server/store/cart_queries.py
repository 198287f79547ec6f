"""SQL of carts: one buyer's lines in one live under one code (used inside the caller's
transaction; `server.services.book` and `server.services.progress` decide).

A cart is *open* while the buyer may still add to it (``waitlisted``, ``accepted``,
``confirmed``, ``cod``, or ``cancelled`` after every line went): a new line of the same buyer
in the same live joins it. A cart that is paid or has left (``paid``, ``packed``, ``shipped``,
``delivered``, ``returned``) is closed: a later line opens a new cart with a new code. Test
carts (the go-live tab's) are never open for real lines and the other way round.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from server.store.rows import LINE_NOT_COUNTED, CartRow
from server.store.tables import carts, counters, orders

OPEN_STATES = ("waitlisted", "accepted", "confirmed", "cod", "cancelled")
ORDER_CODE_COUNTER = "order_code"


def next_order_code(conn: Connection) -> int:
    """Allocate the next real order code number (in the caller's transaction).

    One conditional ``UPDATE ... RETURNING`` on the counter row: two processes cannot get the
    same number. A database made before the counter existed starts after its highest order id.
    """
    number = conn.execute(
        update(counters)
        .where(counters.c.name == ORDER_CODE_COUNTER)
        .values(value=counters.c.value + 1)
        .returning(counters.c.value)
    ).scalar_one_or_none()
    if number is not None:
        return int(number)
    highest = conn.execute(
        select(func.coalesce(func.max(orders.c.id), 0)).where(orders.c.is_test.is_(False))
    ).scalar_one()
    conn.execute(insert(counters).values(name=ORDER_CODE_COUNTER, value=int(highest)))
    return next_order_code(conn)


def open_cart(
    conn: Connection,
    session_id: int,
    viewer_id: int,
    *,
    is_test: bool,
    currency: str,
    now: float,
    status: str = "accepted",
) -> CartRow:
    """Return the buyer's open cart in this live, creating it (with its code) when none is.

    The code (``LS-0042``) takes the next number of the order-code counter, so codes buyers get
    have no gaps; a test cart's is ``TEST-<cart id>`` and takes no number. A new cart starts in
    ``status`` (its first line's: ``accepted`` or ``waitlisted``). The cart's ``total`` is not
    read here (0).
    """
    row = conn.execute(
        select(carts)
        .where(
            carts.c.session_id == session_id,
            carts.c.viewer_id == viewer_id,
            carts.c.is_test.is_(is_test),
            carts.c.status.in_(OPEN_STATES),
        )
        .order_by(carts.c.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return cart_row(row)
    public_id = secrets.token_urlsafe(16)
    code = f"NEW-{secrets.token_hex(8)}" if is_test else f"LS-{next_order_code(conn):04d}"
    values = {
        "session_id": session_id,
        "viewer_id": viewer_id,
        "code": code,
        "public_id": public_id,
        "status": status,
        "currency": currency,
        "is_test": is_test,
        "received": "0",
        "created_at": now,
        "updated_at": now,
    }
    key = conn.execute(insert(carts).values(**values)).inserted_primary_key
    assert key is not None
    cart_id = int(key[0])
    if is_test:
        code = f"TEST-{cart_id:04d}"
        conn.execute(update(carts).where(carts.c.id == cart_id).values(code=code))
    return CartRow(
        id=cart_id,
        session_id=session_id,
        viewer_id=viewer_id,
        code=code,
        public_id=public_id,
        status=status,
        currency=currency,
        is_test=is_test,
        buyer_name=None,
        phone=None,
        address=None,
        received=Decimal(0),
        created_at=now,
        updated_at=now,
    )


def status_with_new_line(cart: CartRow, line_status: str) -> str | None:
    """The cart's state once a line in ``line_status`` joins it, or None when it stays.

    A line holding stock reopens a waiting or cancelled cart (``accepted``); a waiting line
    makes a cancelled cart ``waitlisted``. Decided without reading the other lines.
    """
    if line_status not in LINE_NOT_COUNTED and cart.status in LINE_NOT_COUNTED:
        return "accepted"
    if line_status == "waitlisted" and cart.status == "cancelled":
        return "waitlisted"
    return None


def cart_row(row: Row[Any], total: Decimal = Decimal(0)) -> CartRow:
    """Build a `CartRow` from a row of the carts table."""
    return CartRow(
        id=row.id,
        session_id=row.session_id,
        viewer_id=row.viewer_id,
        code=row.code,
        public_id=row.public_id,
        status=row.status,
        currency=row.currency,
        is_test=bool(row.is_test),
        buyer_name=row.buyer_name,
        phone=row.phone,
        address=row.address,
        received=Decimal(row.received or "0"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        total=total,
    )


def totals(conn: Connection, cart_ids: Iterable[int]) -> dict[int, Decimal]:
    """Return what each cart's counted lines cost (waitlisted and cancelled lines left out)."""
    wanted = list(cart_ids)
    result: dict[int, Decimal] = dict.fromkeys(wanted, Decimal(0))
    for start in range(0, len(wanted), 500):  # stay under SQLite's parameter limit
        rows = conn.execute(
            select(orders.c.cart_id, orders.c.unit_price, orders.c.qty).where(
                orders.c.cart_id.in_(wanted[start : start + 500]),
                orders.c.status.not_in(LINE_NOT_COUNTED),
            )
        )
        for row in rows:
            result[row.cart_id] += Decimal(row.unit_price) * row.qty
    return result


def _with_totals(conn: Connection, rows: Sequence[Row[Any]]) -> list[CartRow]:
    money = totals(conn, (r.id for r in rows))
    return [cart_row(r, money[r.id]) for r in rows]


def get_cart(conn: Connection, cart_id: int, *, with_total: bool = True) -> CartRow | None:
    """Return one cart with its total (0 when ``with_total`` is False), or None."""
    row = conn.execute(select(carts).where(carts.c.id == cart_id)).first()
    if row is None:
        return None
    return _with_totals(conn, [row])[0] if with_total else cart_row(row)


def carts_by_id(conn: Connection, cart_ids: Iterable[int]) -> dict[int, CartRow]:
    """Return carts with their totals, by id."""
    wanted = sorted(set(cart_ids))
    found: dict[int, CartRow] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(carts).where(carts.c.id.in_(wanted[start : start + 500]))).all()
        found.update((c.id, c) for c in _with_totals(conn, rows))
    return found


def cart_by_code(conn: Connection, code: str) -> CartRow | None:
    """Return the cart with this code (exactly as written), or None."""
    row = conn.execute(select(carts).where(carts.c.code == code)).first()
    return _with_totals(conn, [row])[0] if row else None


def carts_by_code(conn: Connection, codes: Iterable[str]) -> dict[str, CartRow]:
    """Return the carts with these codes, by code."""
    rows = conn.execute(select(carts).where(carts.c.code.in_(list(codes)))).all()
    return {c.code: c for c in _with_totals(conn, rows)}


def cart_by_public_id(conn: Connection, public_id: str) -> CartRow | None:
    """Return the cart whose buyer page id is exactly ``public_id``, or None."""
    row = conn.execute(select(carts).where(carts.c.public_id == public_id)).first()
    return _with_totals(conn, [row])[0] if row else None


def carts_in_states(
    conn: Connection,
    states: Sequence[str],
    *,
    session_id: int | None = None,
    is_test: bool | None = False,
    cart_ids: Sequence[int] = (),
) -> list[CartRow]:
    """Return carts in any of ``states`` (of one live, or only ``cart_ids``), oldest first.

    Test carts are left out unless ``is_test`` is None or True.
    """
    query = select(carts).where(carts.c.status.in_(list(states)))
    if is_test is not None:
        query = query.where(carts.c.is_test.is_(is_test))
    if session_id is not None:
        query = query.where(carts.c.session_id == session_id)
    if cart_ids:
        query = query.where(carts.c.id.in_(list(cart_ids)))
    return _with_totals(conn, conn.execute(query.order_by(carts.c.id)).all())


def list_carts(
    conn: Connection,
    *,
    session_id: int | None,
    status: str | None = None,
    is_test: bool | None = None,
    viewer_ids: Sequence[int] = (),
    limit: int = 5000,
) -> list[CartRow]:
    """Return carts (of one live when given), oldest first, filtered by state, test, buyer."""
    query = select(carts)
    if session_id is not None:
        query = query.where(carts.c.session_id == session_id)
    if status is not None:
        query = query.where(carts.c.status == status)
    if is_test is not None:
        query = query.where(carts.c.is_test.is_(is_test))
    if viewer_ids:
        query = query.where(carts.c.viewer_id.in_(list(viewer_ids)))
    rows = conn.execute(query.order_by(carts.c.id).limit(limit)).all()
    return _with_totals(conn, rows)


def line_states(conn: Connection, cart_id: int) -> list[str]:
    """Return the states of a cart's lines."""
    rows = conn.execute(select(orders.c.status).where(orders.c.cart_id == cart_id)).scalars()
    return [str(s) for s in rows]


def refresh_status(conn: Connection, cart_id: int, *, now: float) -> str:
    """Bring a cart's state in line with its lines; return the state.

    No line counted (all waiting or cancelled): ``waitlisted`` when one still waits, else
    ``cancelled``. A waiting or cancelled cart that gets a counted line again is ``accepted``.
    Any other state is the seller's (or the bank's) and is kept.
    """
    current = conn.execute(select(carts.c.status).where(carts.c.id == cart_id)).scalar_one()
    states = line_states(conn, cart_id)
    counted = [s for s in states if s not in LINE_NOT_COUNTED]
    if not counted:
        wanted = "waitlisted" if "waitlisted" in states else "cancelled"
    elif current in LINE_NOT_COUNTED:
        wanted = "accepted"
    else:
        wanted = current
    if wanted != current:
        set_status(conn, cart_id, wanted, now=now)
    return str(wanted)


def set_status(conn: Connection, cart_id: int, status: str, *, now: float) -> None:
    """Store a cart's state."""
    conn.execute(update(carts).where(carts.c.id == cart_id).values(status=status, updated_at=now))


def set_buyer(
    conn: Connection,
    cart_id: int,
    *,
    buyer_name: str | None,
    phone: str | None,
    address: str | None,
    now: float,
) -> None:
    """Store where a cart ships (the host types what the buyer sent in chat)."""
    conn.execute(
        update(carts)
        .where(carts.c.id == cart_id)
        .values(buyer_name=buyer_name, phone=phone, address=address, updated_at=now)
    )


def fill_contact(conn: Connection, cart_id: int, *, phone: str | None, address: str | None) -> None:
    """Keep a phone or address written in an order comment, where the cart has none yet."""
    if phone:
        conn.execute(
            update(carts).where(carts.c.id == cart_id, carts.c.phone.is_(None)).values(phone=phone)
        )
    if address:
        conn.execute(
            update(carts)
            .where(carts.c.id == cart_id, carts.c.address.is_(None))
            .values(address=address)
        )


def add_received(conn: Connection, cart_id: int, amount: Decimal) -> Decimal:
    """Add money received for a cart; return the new total received."""
    current = conn.execute(select(carts.c.received).where(carts.c.id == cart_id)).scalar_one()
    received = Decimal(current or "0") + amount
    conn.execute(update(carts).where(carts.c.id == cart_id).values(received=str(received)))
    return received


def move_line(conn: Connection, order_id: int, cart: CartRow) -> None:
    """Put a line in another cart (a served line whose own cart has closed meanwhile)."""
    conn.execute(
        update(orders)
        .where(orders.c.id == order_id)
        .values(cart_id=cart.id, code=cart.code, public_id=cart.public_id)
    )
