"""A bounded, ordered, on-disk queue of comment bodies waiting for the live server.

While the server is down the bridge keeps reading chat; comments wait here (SQLite, one row per
comment, committed before `push` returns) and are delivered later in the order they came, even
across a restart of the bridge. A comment leaves the outbox only after the server answered for
it, so nothing is lost; the server's dedupe on ``(platform, comment_id)`` makes a re-send after a
lost answer harmless, so nothing counts twice.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from server.bridges.body import CommentBody, dump_json_text

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)"
)


@dataclass(frozen=True, slots=True)
class Queued:
    """One comment in the outbox with its position."""

    seq: int
    body: CommentBody


class Outbox:
    """FIFO of comments, bounded by `max_items` (new comments beyond it are refused and counted).

    Build it with `Outbox.open`; the constructor takes an open connection and does no I/O.
    """

    def __init__(self, db: sqlite3.Connection, *, max_items: int) -> None:
        self._db = db
        self.max_items = max_items
        self.dropped = 0
        # Kept here, not counted per push: a COUNT(*) per comment made a 100,000-comment
        # replay quadratic (minutes of a busy event loop).
        self._count = int(db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    @classmethod
    def open(cls, path: Path | None, *, max_items: int = 100_000) -> Outbox:
        """Open (or create) the outbox file; ``None`` keeps it in memory (replays, tests)."""
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path) if path is not None else ":memory:", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL" if path is not None else "PRAGMA journal_mode=MEMORY")
        db.execute(_SCHEMA)
        return cls(db, max_items=max_items)

    def __len__(self) -> int:
        return self._count

    def push(self, body: CommentBody) -> bool:
        """Append one comment; return False (and count it in `dropped`) if the outbox is full."""
        if self._count >= self.max_items:
            self.dropped += 1
            return False
        self._db.execute("INSERT INTO outbox (body) VALUES (?)", (dump_json_text(body.to_json()),))
        self._count += 1
        return True

    def peek(self, limit: int) -> list[Queued]:
        """Return up to `limit` oldest comments without removing them."""
        rows = self._db.execute(
            "SELECT seq, body FROM outbox ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        out: list[Queued] = []
        for seq, payload in rows:
            data = json.loads(payload)
            out.append(
                Queued(
                    int(seq),
                    CommentBody(
                        data["platform"],
                        data["comment_id"],
                        data["user_id"],
                        data["user_name"],
                        data["text"],
                        data.get("ts"),
                    ),
                )
            )
        return out

    def ack(self, seqs: list[int]) -> None:
        """Remove delivered comments."""
        before = self._db.total_changes
        self._db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])
        self._count -= self._db.total_changes - before

    def close(self) -> None:
        """Close the file (pending comments stay in it for the next run)."""
        self._db.close()
