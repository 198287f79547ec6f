"""SQL of order capture: the review mark on orders, learned phrases, the seller's own accounts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, exists, insert, select, update

from server.store.rows import CommentRow
from server.store.tables import comments, learned_aliases, orders, seller_accounts, viewers
from server.store.viewer_queries import comment_row

# Why an order comment made no order that the seller can settle by choosing the line: which
# size or colour, or which product ("limit", a rule the seller set, stays a refusal).
UNPLACED_REASONS = ("variant.missing", "variant.unknown", "sku.unknown")


@dataclass(frozen=True, slots=True)
class LearnedAlias:
    """A phrase a seller's fix taught this live, and whether it was saved into the catalog."""

    id: int
    phrase: str
    sku: str
    order_id: int | None
    created_at: float
    is_saved: bool


@dataclass(frozen=True, slots=True)
class SellerAccount:
    """One of the seller's own platform accounts (their comments are never orders)."""

    id: int
    platform: str
    user_id: str
    user_name: str
    created_at: float


def set_review(conn: Connection, order_id: int, review: str | None, *, now: float) -> None:
    """Mark where an order stands in the review queue (None: the parser was sure)."""
    conn.execute(
        update(orders).where(orders.c.id == order_id).values(review=review, updated_at=now)
    )


def pending_review_count(conn: Connection, session_id: int) -> int:
    """How many orders of the live wait for the seller to look at the parser's guess."""
    rows = conn.execute(
        select(orders.c.id).where(orders.c.session_id == session_id, orders.c.review == "pending")
    )
    return len(rows.all())


def learn_alias(
    conn: Connection, session_id: int, phrase: str, sku: str, *, order_id: int | None, now: float
) -> LearnedAlias:
    """Remember `phrase` as a name of `sku` for this live (a phrase taught twice: the last wins)."""
    conn.execute(
        delete(learned_aliases).where(
            learned_aliases.c.session_id == session_id, learned_aliases.c.phrase == phrase
        )
    )
    conn.execute(
        insert(learned_aliases).values(
            session_id=session_id, phrase=phrase, sku=sku, order_id=order_id, created_at=now
        )
    )
    found = [alias for alias in list_aliases(conn, session_id) if alias.phrase == phrase]
    return found[0]


def list_aliases(conn: Connection, session_id: int) -> list[LearnedAlias]:
    """The phrases this live learned, oldest first."""
    rows = conn.execute(
        select(learned_aliases)
        .where(learned_aliases.c.session_id == session_id)
        .order_by(learned_aliases.c.id)
    )
    return [
        LearnedAlias(r.id, r.phrase, r.sku, r.order_id, r.created_at, bool(r.is_saved))
        for r in rows
    ]


def mark_alias_saved(conn: Connection, alias_id: int) -> None:
    """Record that a learned phrase is now in the catalog file."""
    conn.execute(
        update(learned_aliases).where(learned_aliases.c.id == alias_id).values(is_saved=True)
    )


def add_seller_account(
    conn: Connection, platform: str, user_id: str, user_name: str, *, now: float
) -> SellerAccount:
    """Store one of the seller's accounts (adding one already there changes only its name)."""
    known = _seller(conn, platform, user_id)
    if known is None:
        conn.execute(
            insert(seller_accounts).values(
                platform=platform, user_id=user_id, user_name=user_name, created_at=now
            )
        )
    elif user_name and user_name != known.user_name:
        conn.execute(
            update(seller_accounts)
            .where(seller_accounts.c.id == known.id)
            .values(user_name=user_name)
        )
    found = _seller(conn, platform, user_id)
    assert found is not None
    return found


def remove_seller_account(conn: Connection, account_id: int) -> bool:
    """Forget one of the seller's accounts; False when there was none with that id."""
    result = conn.execute(delete(seller_accounts).where(seller_accounts.c.id == account_id))
    return bool(result.rowcount)


def list_seller_accounts(conn: Connection) -> list[SellerAccount]:
    """Every account the seller marked as their own, oldest first."""
    rows = conn.execute(select(seller_accounts).order_by(seller_accounts.c.id))
    return [SellerAccount(r.id, r.platform, r.user_id, r.user_name, r.created_at) for r in rows]


def _seller(conn: Connection, platform: str, user_id: str) -> SellerAccount | None:
    row = conn.execute(
        select(seller_accounts).where(
            seller_accounts.c.platform == platform, seller_accounts.c.user_id == user_id
        )
    ).first()
    if row is None:
        return None
    return SellerAccount(row.id, row.platform, row.user_id, row.user_name, row.created_at)


def unplaced_comments(conn: Connection, session_id: int, *, limit: int = 200) -> list[CommentRow]:
    """Order comments of the live that made no order yet for a reason the seller can settle,
    oldest first (first come, first served when the seller places them)."""
    placed = exists().where(orders.c.comment_ref == comments.c.id)
    rows = conn.execute(
        select(comments, viewers.c.user_name)
        .join(viewers, viewers.c.id == comments.c.viewer_id)
        .where(
            comments.c.session_id == session_id,
            comments.c.status == "accepted",
            comments.c.intent.in_(("order", "change")),
            comments.c.reason.in_(UNPLACED_REASONS),
            ~placed,
        )
        .order_by(comments.c.id)
        .limit(limit)
    )
    return [comment_row(r) for r in rows]


def has_order(conn: Connection, comment_ref: int) -> bool:
    """Whether a comment made an order (any state)."""
    found = conn.execute(select(orders.c.id).where(orders.c.comment_ref == comment_ref).limit(1))
    return found.first() is not None


def get_comment(conn: Connection, session_id: int, comment_ref: int) -> CommentRow | None:
    """One stored comment of the live, with its viewer's name."""
    row = conn.execute(
        select(comments, viewers.c.user_name)
        .join(viewers, viewers.c.id == comments.c.viewer_id)
        .where(comments.c.id == comment_ref, comments.c.session_id == session_id)
    ).first()
    return None if row is None else comment_row(row)
