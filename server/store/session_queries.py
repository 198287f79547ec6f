"""Lives (sessions), their event log, pins, countdowns and the key-value settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from server.store.engine import inserted_id
from server.store.rows import (
    SessionRow,
    StoredEvent,
)
from server.store.tables import (
    comments,
    events,
    live_sessions,
    orders,
    settings_kv,
    viewers,
    waitlist,
)

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
    return inserted_id(result)


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


def count_rows(conn: Connection, table_name: str) -> int:
    """Return the number of rows of one of our tables."""
    table = {t.name: t for t in (comments, orders, events, viewers, waitlist)}[table_name]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


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
