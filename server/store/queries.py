"""Every SQL statement of the live server. Functions take a `Connection` inside a transaction.

The one that matters most is `take_stock`: a conditional ``UPDATE ... WHERE qty >= :qty`` that
decrements and checks in one statement, so two buyers can never both get the last unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, CursorResult, Row, and_, delete, func, insert, select, update

from server.store import cart_queries, order_queries
from server.store.rows import (
    CommentRow,
    OrderListRow,
    ProductRow,
    SessionRow,
    StockLine,
    StoredEvent,
    ViewerRow,
)
from server.store.tables import (
    buyers,
    comments,
    events,
    live_sessions,
    orders,
    products,
    settings_kv,
    stock,
    viewers,
    waitlist,
)
from studio.catalog import Catalog


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


# --- sessions and events ---------------------------------------------------------------------


def current_session(conn: Connection) -> SessionRow | None:
    """Return the newest session that has not ended."""
    row = conn.execute(
        select(live_sessions)
        .where(live_sessions.c.ended_at.is_(None))
        .order_by(live_sessions.c.id.desc())
        .limit(1)
    ).first()
    return _session(row) if row else None


def get_session(conn: Connection, session_id: int) -> SessionRow:
    """Return one session (it must exist)."""
    row = conn.execute(select(live_sessions).where(live_sessions.c.id == session_id)).one()
    return _session(row)


def create_session(conn: Connection, *, title: str, now: float) -> int:
    """Start a new live session and return its id."""
    result = conn.execute(
        insert(live_sessions).values(
            title=title, started_at=now, last_seq=0, countdown_label="", pinned_sku=None
        )
    )
    return _new_id(result)


def end_session(conn: Connection, session_id: int, *, now: float) -> None:
    """Mark a session as ended."""
    conn.execute(update(live_sessions).where(live_sessions.c.id == session_id).values(ended_at=now))


def next_seq(conn: Connection, session_id: int) -> int:
    """Allocate the next event sequence number of a session (in the caller's transaction)."""
    return int(
        conn.execute(
            update(live_sessions)
            .where(live_sessions.c.id == session_id)
            .values(last_seq=live_sessions.c.last_seq + 1)
            .returning(live_sessions.c.last_seq)
        ).scalar_one()
    )


def insert_event(
    conn: Connection, session_id: int, seq: int, event_type: str, payload: str, *, now: float
) -> None:
    """Store one event exactly as it will be sent."""
    conn.execute(
        insert(events).values(
            session_id=session_id, seq=seq, type=event_type, payload=payload, created_at=now
        )
    )


def events_after(
    conn: Connection, session_id: int, since: int, *, limit: int = 10_000
) -> list[StoredEvent]:
    """Return stored events with ``seq > since``, oldest first."""
    rows = conn.execute(
        select(events.c.seq, events.c.type, events.c.payload)
        .where(events.c.session_id == session_id, events.c.seq > since)
        .order_by(events.c.seq)
        .limit(limit)
    )
    return [StoredEvent(seq=r.seq, type=r.type, payload=r.payload) for r in rows]


def recent_events(
    conn: Connection, session_id: int, *, types: Sequence[str], until_seq: int, limit: int
) -> list[StoredEvent]:
    """Return the last `limit` stored events of `types` with ``seq <= until_seq``, oldest first."""
    rows = conn.execute(
        select(events.c.seq, events.c.type, events.c.payload)
        .where(
            events.c.session_id == session_id,
            events.c.seq <= until_seq,
            events.c.type.in_(types),
        )
        .order_by(events.c.seq.desc())
        .limit(limit)
    ).all()
    return [StoredEvent(seq=r.seq, type=r.type, payload=r.payload) for r in reversed(rows)]


def set_pinned(conn: Connection, session_id: int, sku: str | None) -> None:
    """Pin a product (or unpin with None)."""
    conn.execute(
        update(live_sessions).where(live_sessions.c.id == session_id).values(pinned_sku=sku)
    )


def set_countdown(conn: Connection, session_id: int, *, ends_at: float | None, label: str) -> None:
    """Start (or clear, with None) the session's countdown."""
    conn.execute(
        update(live_sessions)
        .where(live_sessions.c.id == session_id)
        .values(countdown_ends_at=ends_at, countdown_label=label)
    )


def _session(row: Row[Any]) -> SessionRow:
    return SessionRow(
        id=row.id,
        title=row.title,
        started_at=row.started_at,
        last_seq=row.last_seq,
        pinned_sku=row.pinned_sku,
        countdown_ends_at=row.countdown_ends_at,
        countdown_label=row.countdown_label,
        ended_at=row.ended_at,
    )


# --- products and stock ----------------------------------------------------------------------


def seed_products(conn: Connection, session_id: int, catalog: Catalog) -> int:
    """Add the catalog's products missing from the session (existing stock is kept).

    Returns:
        How many products were added.
    """
    known = set(
        conn.execute(select(products.c.sku).where(products.c.session_id == session_id)).scalars()
    )
    added = 0
    for position, product in enumerate(catalog.products):
        if product.sku in known:
            continue
        photo = catalog.photo_path(product)
        conn.execute(
            insert(products).values(
                session_id=session_id,
                sku=product.sku,
                name=product.name,
                price=str(product.price),
                sale_price=None if product.sale_price is None else str(product.sale_price),
                currency=product.currency,
                photo=None if photo is None else str(photo),
                limit_per_viewer=None,
                position=position,
            )
        )
        lines = (
            [("", None, None, product.stock)]
            if not product.variants
            else [
                (variant_key(v.size, v.color), v.size, v.color, v.stock) for v in product.variants
            ]
        )
        for line_position, (key, size, color, qty) in enumerate(lines):
            conn.execute(
                insert(stock).values(
                    session_id=session_id,
                    sku=product.sku,
                    variant=key,
                    size=size,
                    color=color,
                    qty=qty,
                    position=line_position,
                )
            )
        added += 1
    return added


def variant_key(size: str | None, color: str | None) -> str:
    """Return the stock-line key of a variant: ``"M|trắng"``, ``"M|"``, ``"|đỏ"``."""
    return f"{size or ''}|{color or ''}"


def list_products(conn: Connection, session_id: int) -> list[ProductRow]:
    """Return the session's products in catalog order, with stock lines."""
    lines: dict[str, list[StockLine]] = {}
    for row in conn.execute(
        select(stock)
        .where(stock.c.session_id == session_id)
        .order_by(stock.c.sku, stock.c.position)
    ):
        lines.setdefault(row.sku, []).append(
            StockLine(variant=row.variant, size=row.size, color=row.color, qty=row.qty)
        )
    rows = conn.execute(
        select(products).where(products.c.session_id == session_id).order_by(products.c.position)
    )
    return [_product(row, lines.get(row.sku, [])) for row in rows]


def get_product(conn: Connection, session_id: int, sku: str) -> ProductRow | None:
    """Return one product of the session, or None."""
    row = conn.execute(
        select(products).where(products.c.session_id == session_id, products.c.sku == sku)
    ).first()
    if row is None:
        return None
    line_rows = conn.execute(
        select(stock)
        .where(stock.c.session_id == session_id, stock.c.sku == sku)
        .order_by(stock.c.position)
    )
    lines = [StockLine(variant=r.variant, size=r.size, color=r.color, qty=r.qty) for r in line_rows]
    return _product(row, lines)


def update_product(
    conn: Connection, session_id: int, sku: str, values: Mapping[str, object]
) -> None:
    """Change price, sale price, name or per-viewer limit of a product."""
    conn.execute(
        update(products)
        .where(products.c.session_id == session_id, products.c.sku == sku)
        .values(**values)
    )


def set_stock(conn: Connection, session_id: int, sku: str, variant: str, qty: int) -> bool:
    """Set the units left of one stock line; False when the line does not exist."""
    result = conn.execute(
        update(stock)
        .where(stock.c.session_id == session_id, stock.c.sku == sku, stock.c.variant == variant)
        .values(qty=qty)
    )
    return result.rowcount == 1


def take_stock(conn: Connection, session_id: int, sku: str, variant: str, qty: int) -> bool:
    """Decrement a stock line by `qty` only if that many units are left (one statement).

    Returns:
        True when the units were taken; False when too few were left (nothing changed).
    """
    result = conn.execute(
        update(stock)
        .where(
            stock.c.session_id == session_id,
            stock.c.sku == sku,
            stock.c.variant == variant,
            stock.c.qty >= qty,
        )
        .values(qty=stock.c.qty - qty)
    )
    return result.rowcount == 1


def return_stock(conn: Connection, session_id: int, sku: str, variant: str, qty: int) -> None:
    """Put `qty` units back on a stock line."""
    conn.execute(
        update(stock)
        .where(stock.c.session_id == session_id, stock.c.sku == sku, stock.c.variant == variant)
        .values(qty=stock.c.qty + qty)
    )


def _product(row: Row[Any], lines: Sequence[StockLine]) -> ProductRow:
    return ProductRow(
        sku=row.sku,
        name=row.name,
        price=Decimal(row.price),
        sale_price=None if row.sale_price is None else Decimal(row.sale_price),
        currency=row.currency,
        photo=row.photo,
        limit_per_viewer=row.limit_per_viewer,
        lines=tuple(lines),
    )


# --- viewers ---------------------------------------------------------------------------------


def upsert_viewer(
    conn: Connection, *, platform: str, user_id: str, user_name: str, now: float
) -> ViewerRow:
    """Return the viewer, creating it (or updating its display name) as needed."""
    row = conn.execute(
        select(viewers).where(viewers.c.platform == platform, viewers.c.user_id == user_id)
    ).first()
    if row is None:
        # A new account is a new buyer in the book until the seller merges it with another.
        buyer_id = _new_id(conn.execute(insert(buyers).values(note="", created_at=now)))
        result = conn.execute(
            insert(viewers).values(
                platform=platform,
                user_id=user_id,
                user_name=user_name,
                is_blocked=False,
                first_seen=now,
                buyer_id=buyer_id,
            )
        )
        return ViewerRow(_new_id(result), platform, user_id, user_name, False)
    if row.user_name != user_name and user_name:
        conn.execute(update(viewers).where(viewers.c.id == row.id).values(user_name=user_name))
    return ViewerRow(row.id, platform, user_id, user_name or row.user_name, bool(row.is_blocked))


def get_viewer(conn: Connection, viewer_id: int) -> ViewerRow | None:
    """Return a viewer by id, or None."""
    row = conn.execute(select(viewers).where(viewers.c.id == viewer_id)).first()
    if row is None:
        return None
    return ViewerRow(row.id, row.platform, row.user_id, row.user_name, bool(row.is_blocked))


def set_blocked(conn: Connection, viewer_id: int, *, is_blocked: bool) -> None:
    """Block or unblock a viewer."""
    conn.execute(update(viewers).where(viewers.c.id == viewer_id).values(is_blocked=is_blocked))


def list_blocked_viewers(conn: Connection) -> list[ViewerRow]:
    """Return every blocked viewer."""
    rows = conn.execute(
        select(viewers).where(viewers.c.is_blocked.is_(True)).order_by(viewers.c.id)
    )
    return [ViewerRow(r.id, r.platform, r.user_id, r.user_name, True) for r in rows]


# --- comments --------------------------------------------------------------------------------


def find_comment_answer(conn: Connection, platform: str, comment_id: str) -> str | None:
    """Return the stored answer (JSON) of a comment already received, or None."""
    return conn.execute(
        select(comments.c.answer_json).where(
            comments.c.platform == platform, comments.c.comment_id == comment_id
        )
    ).scalar_one_or_none()


def insert_comment(conn: Connection, values: Mapping[str, object]) -> int:
    """Store a comment and return its row id."""
    return _new_id(conn.execute(insert(comments).values(**values)))


def set_comment_answer(
    conn: Connection, comment_ref: int, answer_json: str, *, reason: str | None
) -> None:
    """Store the answer given for a comment (served again for repeats) and its final reason."""
    conn.execute(
        update(comments)
        .where(comments.c.id == comment_ref)
        .values(answer_json=answer_json, reason=reason)
    )


def list_comments(
    conn: Connection,
    session_id: int,
    *,
    intent: str | None = None,
    before_id: int | None = None,
    limit: int = 200,
) -> list[CommentRow]:
    """Return the session's comments, newest first (filter by intent; page with `before_id`)."""
    conditions = [comments.c.session_id == session_id]
    if intent is not None:
        conditions.append(comments.c.intent == intent)
    if before_id is not None:
        conditions.append(comments.c.id < before_id)
    rows = conn.execute(
        select(comments, viewers.c.user_name)
        .join(viewers, viewers.c.id == comments.c.viewer_id)
        .where(*conditions)
        .order_by(comments.c.id.desc())
        .limit(limit)
    )
    return [comment_row(r) for r in rows]


def comment_row(r: Row[Any]) -> CommentRow:
    """Build a `CommentRow` from a comments row joined with its viewer's name."""
    return CommentRow(
        id=r.id,
        platform=r.platform,
        comment_id=r.comment_id,
        viewer_id=r.viewer_id,
        user_name=r.user_name,
        text=r.text,
        received_at=r.received_at,
        status=r.status,
        reason=r.reason,
        intent=r.intent,
        rule=r.rule,
        items_json=r.items_json,
    )


def count_rows(conn: Connection, table_name: str) -> int:
    """Return the number of rows of one of our tables."""
    table = {t.name: t for t in (comments, orders, events, viewers, waitlist)}[table_name]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# --- orders (list for the host console; writes are in order_queries) ---------------------


def list_orders(
    conn: Connection,
    session_id: int,
    *,
    status: str | None = None,
    sku: str | None = None,
    viewer_id: int | None = None,
    after_id: int = 0,
    limit: int = 500,
    is_test: bool | None = None,
    review: str | None = None,
) -> list[OrderListRow]:
    """Return orders with buyer, product and comment, oldest first (filters optional).

    ``is_test=False`` leaves the go-live tab's test orders out (exports do); ``review="pending"``
    keeps the orders placed on a guess the seller has not looked at yet.
    """
    conditions = [orders.c.session_id == session_id, orders.c.id > after_id]
    if review is not None:
        conditions.append(orders.c.review == review)
    if is_test is not None:
        conditions.append(orders.c.is_test.is_(is_test))
    if status is not None:
        conditions.append(orders.c.status == status)
    if sku is not None:
        conditions.append(orders.c.sku == sku)
    if viewer_id is not None:
        conditions.append(orders.c.viewer_id == viewer_id)
    query = (
        select(
            orders,
            viewers.c.user_name,
            viewers.c.platform,
            viewers.c.user_id,
            products.c.name.label("product_name"),
            comments.c.text.label("comment_text"),
            comments.c.rule.label("comment_rule"),
        )
        .join(viewers, viewers.c.id == orders.c.viewer_id)
        .join(
            products,
            and_(products.c.session_id == orders.c.session_id, products.c.sku == orders.c.sku),
        )
        .outerjoin(comments, comments.c.id == orders.c.comment_ref)
        .where(*conditions)
        .order_by(orders.c.id)
        .limit(limit)
    )
    result = []
    found = conn.execute(query).all()
    in_carts = cart_queries.carts_by_id(conn, (r.cart_id for r in found if r.cart_id is not None))
    for row in found:
        order = order_queries.order_row(row)
        position = (
            order_queries.waitlist_position(conn, order.id)
            if order.status == "waitlisted"
            else None
        )
        result.append(
            OrderListRow(
                order=order,
                user_name=row.user_name,
                platform=row.platform,
                user_id=row.user_id,
                product_name=row.product_name,
                comment_text=row.comment_text or "",
                waitlist_position=position,
                rule=row.comment_rule or "",
                cart=in_carts.get(order.cart_id) if order.cart_id is not None else None,
            )
        )
    return result


# --- settings --------------------------------------------------------------------------------


def get_setting(conn: Connection, key: str) -> str | None:
    """Return a stored setting (e.g. the edited blocked-word list), or None."""
    return conn.execute(
        select(settings_kv.c.value).where(settings_kv.c.key == key)
    ).scalar_one_or_none()


def put_setting(conn: Connection, key: str, value: str) -> None:
    """Store a setting, replacing any previous value."""
    conn.execute(delete(settings_kv).where(settings_kv.c.key == key))
    conn.execute(insert(settings_kv).values(key=key, value=value))
