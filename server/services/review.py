"""The review queue: orders placed on the parser's guess, then confirmed, fixed or rejected.

An order the parser was not sure of (`ParseResult.confidence` ``"review"``) is placed at once:
it holds its place and its stock, first come first served, and is marked ``review="pending"``.
The seller then takes one of three actions from the host console or the web studio:

- ``confirm``: the guess was right; nothing else changes.
- ``reject``: it was not an order; it is cancelled, its stock goes back to the waitlist.
- ``fix``: the seller picks the right lines; the guess is cancelled (``replaced``) and the lines
  are placed for the same buyer and comment (``fixed``), in one transaction.

A phrase the seller teaches with a fix or a confirm ("set kẻ xanh" means this product) is
remembered for the rest of the live (`server.live.Live.learned`, on every server process through
a ``capture`` event) and can be saved into the catalog file as an alias (`save_alias`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, select

from server.events import EventLog, order_data, stock_data
from server.live import Live
from server.orders.parse import parse_comment
from server.services import book
from server.services.ingest import announce_order, cancel_and_announce
from server.store import capture_queries, order_queries, product_queries, viewer_queries
from server.store.capture_queries import LearnedAlias
from server.store.rows import OrderRow
from server.store.tables import orders
from studio.catalog import load_catalog, normalize_sku, save_catalog
from studio.errors import InputError, OrderFixInvalid, OrderNotFound, OrderRejected

Action = Literal["confirm", "reject", "fix"]
MAX_PHRASE_CHARS = 100


@dataclass(frozen=True, slots=True)
class FixLine:
    """One line the seller chose for a fix."""

    sku: str
    qty: int
    size: str | None = None
    color: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a review action did: the order reviewed, the orders a fix placed, a phrase learned."""

    order_id: int
    placed: tuple[int, ...]
    alias: LearnedAlias | None


async def resolve(
    live: Live,
    order_id: int,
    action: Action,
    *,
    lines: Sequence[FixLine] = (),
    remember_alias: str | None = None,
) -> Resolution:
    """Confirm, reject or fix one order of the current live.

    Raises:
        OrderNotFound: no such order in this live.
        OrderRejected: the order was cancelled already, or reviewed as something else.
        OrderFixInvalid: a fix without lines, or with a product / variant the live does not have.
        InputError: the phrase to remember is empty or too long.
    """
    phrase = _phrase(remember_alias)
    if action == "fix" and not lines:
        raise OrderFixInvalid("a fix needs at least one line", hint="pick the product to order")

    def work(conn: Connection, log: EventLog) -> Resolution:
        order = _need(conn, log.session_id, order_id)
        if order.status == "cancelled" and order.review not in ("rejected", "replaced"):
            raise OrderRejected(
                f"order {order_id} is cancelled already",
                hint="refresh the orders table",
                params={"order": order.code or order_id, "from_state": "cancelled"},
            )
        placed: tuple[int, ...] = ()
        if action == "confirm":
            _mark(conn, log, order, "confirmed")
            taught_sku = order.sku
        elif action == "reject":
            _mark(conn, log, order, "rejected")
            _cancel(conn, log, order)
            taught_sku = None
        else:
            _mark(conn, log, order, "replaced")
            _cancel(conn, log, order)
            comment_ref = conn.execute(
                select(orders.c.comment_ref).where(orders.c.id == order.id)
            ).scalar_one()
            buyer = _Buyer(order.viewer_id, comment_ref, order.phone, order.address, order.is_test)
            placed = _place(conn, log, live, buyer, lines)
            taught_sku = normalize_sku(lines[0].sku)
        alias = None
        if phrase is not None and taught_sku is not None:
            alias = capture_queries.learn_alias(
                conn, log.session_id, phrase, taught_sku, order_id=order.id, now=log.now
            )
            log.emit("capture", {"kind": "alias"})
        return Resolution(order.id, placed, alias)

    resolution = await live.write(work)
    if resolution.alias is not None:
        await live.reload_capture()
    return resolution


async def place_for_comment(
    live: Live,
    comment_ref: int,
    lines: Sequence[FixLine],
    *,
    remember_alias: str | None = None,
) -> Resolution:
    """Place the lines the seller chose for a comment that made no order ("chốt áo" for a
    product sold in several sizes), for its buyer, as if the comment had said them.

    Raises:
        OrderNotFound: no such comment in this live.
        OrderRejected: the comment already has an order (settle that one in the review queue).
        OrderFixInvalid: no lines, or a product / variant the live does not have.
        InputError: the phrase to remember is empty or too long.
    """
    phrase = _phrase(remember_alias)
    if not lines:
        raise OrderFixInvalid("a fix needs at least one line", hint="pick the product to order")

    def work(conn: Connection, log: EventLog) -> Resolution:
        comment = capture_queries.get_comment(conn, log.session_id, comment_ref)
        if comment is None:
            raise OrderNotFound(f"no comment {comment_ref} in this live", hint="refresh the page")
        if capture_queries.has_order(conn, comment_ref):
            raise OrderRejected(
                f"comment {comment_ref} has an order already",
                hint="refresh the page; settle that order in the review queue",
            )
        said = parse_comment(comment.text, live.catalog_view, pinned=live.pinned_sku)
        buyer = _Buyer(comment.viewer_id, comment.id, said.phone, said.address)
        placed = _place(conn, log, live, buyer, lines)
        alias = None
        if phrase is not None:
            alias = capture_queries.learn_alias(
                conn,
                log.session_id,
                phrase,
                normalize_sku(lines[0].sku),
                order_id=placed[0],
                now=log.now,
            )
            log.emit("capture", {"kind": "alias"})
        return Resolution(placed[0], placed, alias)

    resolution = await live.write(work)
    if resolution.alias is not None:
        await live.reload_capture()
    return resolution


async def save_alias(live: Live, alias_id: int) -> LearnedAlias:
    """Write a learned phrase into the catalog file as an alias of its product.

    Raises:
        OrderNotFound: no learned phrase with that id in this live.
        CatalogError: the catalog file cannot be read or written.
    """
    session_id = live.session_id
    known = await live.read(lambda conn: capture_queries.list_aliases(conn, session_id))
    alias = next((a for a in known if a.id == alias_id), None)
    if alias is None:
        raise OrderNotFound(f"no learned phrase {alias_id} in this live", hint="refresh the page")
    path = live.settings.catalog_path
    catalog = load_catalog(path)
    products = []
    for product in catalog.products:
        if product.sku == alias.sku and alias.phrase not in product.aliases:
            product = product.model_copy(update={"aliases": (*product.aliases, alias.phrase)})
        products.append(product)
    updated = catalog.model_copy(update={"products": products})
    save_catalog(updated, path)
    live.catalog = updated

    def mark(conn: Connection, log: EventLog) -> None:
        capture_queries.mark_alias_saved(conn, alias_id)
        log.emit("capture", {"kind": "alias"})

    await live.write(mark)
    await live.reload_capture()
    return LearnedAlias(
        alias.id, alias.phrase, alias.sku, alias.order_id, alias.created_at, is_saved=True
    )


def _phrase(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    phrase = " ".join(text.split())
    if len(phrase) > MAX_PHRASE_CHARS:
        raise InputError(
            f"the phrase to remember is longer than {MAX_PHRASE_CHARS} characters",
            hint="keep only the words that name the product",
        )
    return phrase


def _need(conn: Connection, session_id: int, order_id: int) -> OrderRow:
    order = order_queries.get_order(conn, order_id)
    if order is None or order.session_id != session_id:
        raise OrderNotFound(f"no order {order_id} in this live", hint="refresh the orders table")
    return order


def _mark(conn: Connection, log: EventLog, order: OrderRow, review: str) -> None:
    capture_queries.set_review(conn, order.id, review, now=log.now)
    if review == "confirmed":  # a cancel announces the order itself
        updated = order_queries.get_order(conn, order.id)
        assert updated is not None
        announce_order(conn, log, updated)


def _cancel(conn: Connection, log: EventLog, order: OrderRow) -> None:
    current = order_queries.get_order(conn, order.id)
    assert current is not None
    if current.status != "cancelled":
        cancel_and_announce(conn, log, current, actor="host")


@dataclass(frozen=True, slots=True)
class _Buyer:
    """Whose lines a fix places, and what their comment said about reaching them."""

    viewer_id: int
    comment_ref: int | None
    phone: str | None
    address: str | None
    is_test: bool = False


def _place(
    conn: Connection, log: EventLog, live: Live, buyer: _Buyer, lines: Sequence[FixLine]
) -> tuple[int, ...]:
    viewer = viewer_queries.get_viewer(conn, buyer.viewer_id)
    placed = []
    for line in lines:
        sku = normalize_sku(line.sku)
        product = product_queries.get_product(conn, log.session_id, sku)
        if product is None:
            raise OrderFixInvalid(
                f"no product {sku} in this live",
                hint="pick a product from the list",
                params={"sku": sku},
            )
        result = book.place_order(
            conn,
            product,
            book.OrderRequest(sku=sku, qty=line.qty, size=line.size, color=line.color),
            session_id=log.session_id,
            viewer_id=buyer.viewer_id,
            comment_ref=buyer.comment_ref,
            phone=buyer.phone,
            now=log.now,
            dedupe_window_s=0,  # the seller's choice is never taken for a repeat
            default_limit=live.settings.limit_per_viewer,
            is_test=buyer.is_test,
            review="fixed",
            address=buyer.address,
        )
        if isinstance(result, book.Refused):
            variant = " / ".join(part for part in (line.size, line.color) if part)
            raise OrderFixInvalid(
                result.message,
                hint="pick the size and colour the product has",
                params={"sku": sku, "variant": variant} if variant else {"sku": sku},
            )
        log.emit(
            "order",
            order_data(
                result.order,
                user_name=viewer.user_name if viewer else "",
                product_name=product.name,
                position=result.position,
            ),
        )
        if result.order.status == "accepted" and not result.order.is_test:
            after = product_queries.get_product(conn, log.session_id, sku)
            assert after is not None
            log.emit("stock", stock_data(after))
        placed.append(result.order.id)
    return tuple(placed)
