"""Viewers of the lives and their comments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from server.store.engine import inserted_id
from server.store.rows import (
    CommentRow,
    ViewerRow,
)
from server.store.tables import (
    buyers,
    comments,
    viewers,
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
        buyer_id = inserted_id(conn.execute(insert(buyers).values(note="", created_at=now)))
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
        return ViewerRow(inserted_id(result), platform, user_id, user_name, False)
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
    return inserted_id(conn.execute(insert(comments).values(**values)))


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
