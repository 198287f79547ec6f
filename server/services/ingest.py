"""Comments in, orders out: the one path shared by ``POST /api/comments`` and ``/ws/viewer``.

1. Outside the transaction (pure, fast): length and blocked-word checks, `parse_comment`.
2. In one write transaction: de-duplicate on (platform, comment_id), per-viewer rate limit, store
   viewer and comment, take stock or waitlist (`server.services.book`), store events and answer.
3. After commit: events are published and the answer returned, so an acknowledged order is on disk.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Connection

from server.events import EventLog, JsonValue, dump_json, order_data, stock_data
from server.live import Live
from server.moderation import find_blocked_word
from server.orders.parse import ParseResult, mask_contacts, parse_comment
from server.orders.states import HOLDS_STOCK
from server.services import book
from server.store import cart_queries, order_queries, product_queries, viewer_queries
from server.store.rows import LINE_NOT_COUNTED, OrderRow, ViewerRow

Answer = dict[str, JsonValue]


@dataclass(frozen=True, slots=True)
class IncomingComment:
    """A comment as received from a platform bridge or the viewer page."""

    platform: str
    comment_id: str
    user_id: str
    user_name: str
    text: str
    ts: float | None
    is_test: bool = False  # the go-live tab's test comment: its order takes no stock
    # The seller took it after the live (reconcile): written over the live's length, taken at
    # once, so the per-viewer flood limit does not apply.
    is_seller_pick: bool = False


@dataclass(frozen=True, slots=True)
class _Prepared:
    comment: IncomingComment
    reject_reason: str | None
    parsed: ParseResult | None


async def ingest_comments(live: Live, incoming: Sequence[IncomingComment]) -> list[Answer]:
    """Run comments through moderation, the parser and the order book; return one answer each.

    Returns:
        Per comment: ``comment_id``, ``status`` (accepted / duplicate / rejected), ``reason``,
        ``intent``, ``items``, ``order`` (the first order or None) and ``orders``.
    """
    prepared = [_prepare(live, comment) for comment in incoming]

    def work(conn: Connection, log: EventLog) -> list[Answer]:
        return [_record(conn, log, live, item) for item in prepared]

    return await live.write(work)


def _prepare(live: Live, comment: IncomingComment) -> _Prepared:
    settings = live.settings
    if not comment.text.strip():
        return _Prepared(comment, "empty", None)
    if len(comment.text) > settings.max_comment_chars:
        return _Prepared(comment, "too_long", None)
    parsed = parse_comment(comment.text, live.catalog_view, pinned=live.pinned_sku)
    if find_blocked_word(comment.text, live.blocked_words) is not None:
        return _Prepared(comment, "blocked_word", parsed)
    return _Prepared(comment, None, parsed)


def _record(conn: Connection, log: EventLog, live: Live, item: _Prepared) -> Answer:
    comment = item.comment
    stored = viewer_queries.find_comment_answer(conn, comment.platform, comment.comment_id)
    if stored is not None:
        answer: Answer = json.loads(stored)
        answer["status"] = "duplicate"
        return answer
    viewer = viewer_queries.upsert_viewer(
        conn,
        platform=comment.platform,
        user_id=comment.user_id,
        user_name=comment.user_name,
        now=log.now,
    )
    reason = item.reject_reason or ("viewer_blocked" if viewer.is_blocked else None)
    # Counted after the duplicate check: a bridge replaying after a reconnect spends nothing.
    key = f"{comment.platform}:{comment.user_id}"
    if (
        reason is None
        and not comment.is_seller_pick
        and not live.ingest_limiter.allow(key, log.now)
    ):
        reason = "rate_limited"
    is_rejected = reason is not None
    parsed = item.parsed
    if parsed is not None and (comment.platform, comment.user_id) in live.seller_accounts:
        # The host's "Shop ghi nhận: bạn Minh 1 đôi B3" is shown, never booked.
        parsed = replace(parsed, intent="none", items=(), rule="seller-account")
    intent = parsed.intent if parsed is not None else "none"
    items: list[JsonValue] = [
        {"sku": line.sku, "qty": line.qty, "size": line.size, "color": line.color}
        for line in (parsed.items if parsed is not None else ())
    ]
    # Chat's answer is known now and stored with the comment; an order's once it is booked.
    is_booking = reason is None and parsed is not None and intent in ("order", "cancel", "change")
    answer = _answer(
        comment, is_rejected=is_rejected, reason=reason, intent=intent, items=items, parsed=parsed
    )
    comment_ref = viewer_queries.insert_comment(
        conn,
        {
            "session_id": log.session_id,
            "platform": comment.platform,
            "comment_id": comment.comment_id,
            "viewer_id": viewer.id,
            "text": comment.text,
            "ts": comment.ts,
            "received_at": log.now,
            "status": "rejected" if is_rejected else "accepted",
            "reason": reason,
            "intent": intent,
            "rule": parsed.rule if parsed is not None else "",
            "items_json": dump_json({"items": items}),
            "answer_json": "{}" if is_booking else dump_json(answer),
        },
    )
    if reason is None and parsed is not None:
        log.emit(
            "comment",
            {
                "id": comment_ref,
                "platform": comment.platform,
                "viewer_id": viewer.id,
                "user_name": comment.user_name,
                "text": mask_contacts(comment.text),
                "intent": intent,
                "items": items,
            },
        )
    if is_booking:
        assert parsed is not None
        orders: list[JsonValue] = []
        replaced: list[JsonValue] = []
        if intent == "change":
            parsed, replaced = _replace_orders(conn, log, parsed, viewer)
        if intent in ("order", "change"):
            orders, reason = _place_orders(
                conn, log, live, parsed, viewer, comment_ref, is_test=comment.is_test
            )
        else:
            orders = _cancel_orders(conn, log, parsed, viewer)
        answer = _answer(
            comment,
            is_rejected=False,
            reason=reason,
            intent=intent,
            items=items,
            orders=orders,
            parsed=parsed,
        )
        if replaced:
            answer["replaced"] = replaced
        cart = _answer_cart(conn, [*orders, *replaced])
        if cart is not None:
            answer["cart"] = cart
        viewer_queries.set_comment_answer(conn, comment_ref, dump_json(answer), reason=reason)
    return answer


def _answer(
    comment: IncomingComment,
    *,
    is_rejected: bool,
    reason: str | None,
    intent: str,
    items: list[JsonValue],
    orders: list[JsonValue] | None = None,
    parsed: ParseResult | None = None,
) -> Answer:
    orders = orders or []
    answer: Answer = {
        "comment_id": comment.comment_id,
        "status": "rejected" if is_rejected else "accepted",
        "reason": reason,
        "intent": intent,
        "items": items,
        "order": orders[0] if orders else None,
        "orders": orders,
    }
    if parsed is not None and intent in ("order", "change"):
        answer["confidence"] = parsed.confidence  # "review": the seller confirms the guess
    if parsed is not None and parsed.address:
        answer["address"] = parsed.address
    return answer


def _place_orders(
    conn: Connection,
    log: EventLog,
    live: Live,
    parsed: ParseResult,
    viewer: ViewerRow,
    comment_ref: int,
    *,
    is_test: bool,
) -> tuple[list[JsonValue], str | None]:
    placed: list[JsonValue] = []
    reason = None
    for line in parsed.items:
        product = product_queries.get_product(conn, log.session_id, line.sku)
        if product is None:
            reason = "sku.unknown"
            continue
        request = book.OrderRequest(sku=line.sku, qty=line.qty, size=line.size, color=line.color)
        result = book.place_order(
            conn,
            product,
            request,
            session_id=log.session_id,
            viewer_id=viewer.id,
            comment_ref=comment_ref,
            phone=parsed.phone,
            now=log.now,
            dedupe_window_s=live.settings.dedupe_window_s,
            default_limit=live.settings.limit_per_viewer,
            is_test=is_test,
            # A guess holds its place and its stock; the seller confirms it in the review queue.
            review="pending" if parsed.confidence == "review" else None,
            address=parsed.address,
        )
        if isinstance(result, book.Refused):
            reason = result.reason
            continue
        summary = _order_summary(result.order, result.position)
        if result.is_repeat:
            summary["repeat"] = True
        else:
            log.emit(
                "order",
                order_data(
                    result.order,
                    user_name=viewer.user_name,
                    product_name=product.name,
                    position=result.position,
                ),
            )
            if result.order.status == "accepted" and not result.order.is_test:
                after = product_queries.get_product(conn, log.session_id, line.sku)
                assert after is not None
                log.emit("stock", stock_data(after))
        placed.append(summary)
    return placed, reason


def _cancel_orders(
    conn: Connection, log: EventLog, parsed: ParseResult, viewer: ViewerRow
) -> list[JsonValue]:
    skus: list[str | None] = [line.sku for line in parsed.items] or [None]
    targets: dict[int, OrderRow] = {}
    for sku in skus:
        active = order_queries.active_orders_of_viewer(conn, log.session_id, viewer.id, sku)
        chosen = active if sku is not None else active[:1]
        targets.update({order.id: order for order in chosen})
    cancelled: list[JsonValue] = []
    for order in targets.values():
        cancel_and_announce(conn, log, order)
        cancelled.append(_order_summary(replace(order, status="cancelled"), None))
    return cancelled


def _replace_orders(
    conn: Connection, log: EventLog, parsed: ParseResult, viewer: ViewerRow
) -> tuple[ParseResult, list[JsonValue]]:
    """A change ("đổi sang màu trắng"): the buyer's latest active order of the product goes.

    Its stock goes back first (to whoever waits for that variant), then the new line is placed
    in the same transaction. What the change does not name is kept from the old order: "đổi
    sang size L" keeps the colour, quantity too.

    Returns:
        The lines to place, and the cancelled orders as answered to the bridge.
    """
    replaced: list[JsonValue] = []
    lines = []
    for line in parsed.items:
        active = order_queries.active_orders_of_viewer(conn, log.session_id, viewer.id, line.sku)
        if not active:
            lines.append(line)
            continue
        old = active[0]
        cancel_and_announce(conn, log, old)
        replaced.append(_order_summary(replace(old, status="cancelled"), None))
        lines.append(
            replace(
                line,
                size=line.size or old.size,
                color=line.color or old.color,
                qty=line.qty if line.qty != 1 else old.qty,
            )
        )
    return replace(parsed, items=tuple(lines)), replaced


def cancel_and_announce(
    conn: Connection, log: EventLog, order: OrderRow, *, actor: str = "buyer"
) -> None:
    """Cancel an order and emit ``order_update`` for it, for waitlisted orders it served, and
    a ``stock`` event when stock came back."""
    served = book.cancel_order(conn, order, now=log.now, actor=actor)
    cancelled = order_queries.get_order(conn, order.id)
    assert cancelled is not None
    announce_order(conn, log, cancelled)
    for served_order in served:
        announce_order(conn, log, served_order)
    # Stock came back only for a real order, and only this live's screens show it (an earlier
    # live's order, cancelled after the live, returns its units to that live's stock).
    if order.status in HOLDS_STOCK and not order.is_test and order.session_id == log.session_id:
        product = product_queries.get_product(conn, log.session_id, order.sku)
        assert product is not None
        log.emit("stock", stock_data(product))


def announce_order(conn: Connection, log: EventLog, order: OrderRow) -> None:
    """Emit an ``order_update`` event with the order's current status."""
    viewer = viewer_queries.get_viewer(conn, order.viewer_id)
    product = product_queries.get_product(conn, order.session_id, order.sku)
    log.emit(
        "order_update",
        order_data(
            order,
            user_name=viewer.user_name if viewer else "",
            product_name=product.name if product else order.sku,
            position=order_queries.waitlist_position(conn, order.id),
        ),
    )


def _answer_cart(conn: Connection, summaries: list[JsonValue]) -> dict[str, JsonValue] | None:
    """The buyer's cart the comment touched: its one code, its lines and what it costs."""
    cart_ids = [s.get("cart_id") for s in summaries if isinstance(s, dict)]
    cart_id = next((c for c in reversed(cart_ids) if isinstance(c, int)), None)
    return None if cart_id is None else cart_summary(conn, cart_id)


def cart_summary(conn: Connection, cart_id: int) -> dict[str, JsonValue] | None:
    """``{"code", "lines", "total", "state", "currency"}`` of a cart (cancelled lines left out)."""
    cart = cart_queries.get_cart(conn, cart_id, with_total=False)
    if cart is None:
        return None
    rows = order_queries.cart_lines(conn, cart_id)
    total = sum((r.total for r in rows if r.status not in LINE_NOT_COUNTED), Decimal(0))
    lines: list[JsonValue] = [
        {
            "id": line.id,
            "sku": line.sku,
            "qty": line.qty,
            "size": line.size,
            "color": line.color,
            "unit_price": str(line.unit_price),
            "state": line.status,
            "status": line.status,
        }
        for line in rows
        if line.status != "cancelled"
    ]
    return {
        "code": cart.code,
        "lines": lines,
        "total": str(total),
        "state": cart.status,
        "currency": cart.currency,
    }


def _order_summary(order: OrderRow, position: int | None) -> dict[str, JsonValue]:
    return {
        "id": order.id,
        "status": order.status,
        "sku": order.sku,
        "qty": order.qty,
        "size": order.size,
        "color": order.color,
        "waitlist_position": position,
        "repeat": False,
        "code": order.code,
        "cart_id": order.cart_id,
    }
