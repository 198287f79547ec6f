"""After the live: which of the platform's comments never reached ingest, and taking them now.

The seller (or ``livestall live reconcile``) gives the live's full comment list, fetched from the
platform (Facebook's comments edge, `server.services.facebook_page.all_comments`) or pasted /
exported (any recorded-chat format `server.bridges.formats` reads). `find_missing` diffs it
against the comments the server stored (ingest dedupes on ``(platform, comment_id)``, so those
are exactly the ones it saw) and says what each missing comment would have ordered
(`server.orders.parse.parse_comment`). `take_missing` ingests them in one call, oldest first, so
first-come-first-served still holds for the stock that is left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from server.bridges.body import CommentBody
from server.bridges.formats import FORMATS, detect_format, get_format
from server.live import Live
from server.orders.parse import ParseResult, parse_comment
from server.services.ingest import Answer, IncomingComment, ingest_comments
from server.store import viewer_queries
from studio.errors import RecordingUnreadable

MAX_COMMENTS = 50_000


@dataclass(frozen=True, slots=True)
class MissingComment:
    """A platform comment ingest never saw, and what it would order now."""

    comment: CommentBody
    parsed: ParseResult


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """The diff: how many comments the platform had, how many ingest has, the missing ones."""

    platform_total: int
    ingested: int
    missing: tuple[MissingComment, ...]


def comments_from_text(text: str, fmt: str = "auto") -> list[CommentBody]:
    """Read a pasted or exported comment list (JSON Lines, Graph API page, YouTube, SSN...).

    Raises:
        RecordingUnreadable: no known format, or no comment in it.
    """
    chosen = detect_format(text[:64_000]) if fmt == "auto" else get_format(fmt)
    if chosen is None:
        raise RecordingUnreadable(
            "the pasted comment list is in no format Livestall reads",
            hint=f"paste the platform's export as JSON ({', '.join(FORMATS)}); see docs/bridges.md",
        )
    comments = [item for item in chosen.parse_text(text) if isinstance(item, CommentBody)]
    if not comments:
        raise RecordingUnreadable(
            f"the pasted {chosen.name} list has no comments", hint="paste the whole export"
        )
    return comments[:MAX_COMMENTS]


def in_comment_order(comments: Sequence[CommentBody]) -> list[CommentBody]:
    """Unique by ``(platform, comment_id)``, oldest first (comments without a time keep their
    place after the timed ones; the sort is stable)."""
    seen: set[tuple[str, str]] = set()
    unique: list[CommentBody] = []
    for comment in comments:
        key = (comment.platform, comment.comment_id)
        if key not in seen:
            seen.add(key)
            unique.append(comment)
    return sorted(unique, key=lambda c: c.ts if c.ts is not None else math.inf)


async def find_missing(live: Live, comments: Sequence[CommentBody]) -> ReconcileReport:
    """Diff the platform's comments against the stored ones; parse the missing ones."""
    ordered = in_comment_order(comments)

    def stored(conn: Connection) -> set[tuple[str, str]]:
        return {
            (c.platform, c.comment_id)
            for c in ordered
            if viewer_queries.find_comment_answer(conn, c.platform, c.comment_id) is not None
        }

    seen = await live.read(stored)
    missing = tuple(
        MissingComment(c, parse_comment(c.text, live.catalog_view, pinned=live.pinned_sku))
        for c in ordered
        if (c.platform, c.comment_id) not in seen
    )
    return ReconcileReport(len(ordered), len(seen), missing)


async def take_missing(live: Live, comments: Sequence[CommentBody]) -> list[Answer]:
    """Ingest the comments still missing, oldest first, in one call; return ingest's answers.

    Comments taken meanwhile (a second click, a late back-fill) come back ``duplicate``.
    """
    report = await find_missing(live, comments)
    incoming = [
        IncomingComment(
            platform=m.comment.platform,
            comment_id=m.comment.comment_id,
            user_id=m.comment.user_id,
            user_name=m.comment.user_name[:200],
            text=m.comment.text,
            ts=m.comment.ts,
            is_seller_pick=True,
        )
        for m in report.missing
    ]
    return await ingest_comments(live, incoming) if incoming else []
