"""Comments: ``POST /api/comments`` from platform bridges (ingest token); the host's list."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from server.api.deps import HostAuth, IngestAuth, LiveDep
from server.api.schemas import CommentAnswer, CommentIn, CommentOut, Intent
from server.events import dump_json_value
from server.services.ingest import IncomingComment, ingest_comments
from server.store import viewer_queries
from server.store.rows import CommentRow
from studio.errors import InputError

router = APIRouter(prefix="/api", tags=["comments"])
MAX_BATCH = 200  # <= 3 events each: a batch always fits a client queue


@router.post(
    "/comments",
    dependencies=[IngestAuth],
    response_model=CommentAnswer | list[CommentAnswer],
    summary="Send one comment or a list of comments",
)
async def post_comments(body: CommentIn | list[CommentIn], live: LiveDep) -> Response:
    """Store, parse and book comments; answer once they are committed.

    The same ``(platform, comment_id)`` is one comment however late it comes again: the repeat
    gets the first answer with ``status: "duplicate"``. A list answers with a list, in order.
    """
    batch = body if isinstance(body, list) else [body]
    if len(batch) > MAX_BATCH:
        raise InputError(
            f"{len(batch)} comments in one request", hint=f"send at most {MAX_BATCH} at a time"
        )
    incoming = [
        IncomingComment(
            platform=c.platform,
            comment_id=c.comment_id,
            user_id=c.user_id,
            user_name=c.user_name or c.user_id,
            text=c.text,
            ts=c.ts,
        )
        for c in batch
    ]
    answers = await ingest_comments(live, incoming)
    # The answers are built by `ingest` in the documented shape; serialise them once, here,
    # instead of validating every field again on the hot path.
    text = dump_json_value(answers if isinstance(body, list) else answers[0])
    return Response(text, media_type="application/json")


@router.get("/comments", dependencies=[HostAuth], response_model=list[CommentOut])
async def list_comments(
    live: LiveDep,
    intent: Intent | None = None,
    before_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[CommentOut]:
    """Comments of this live, newest first, with the parser's rule and any rejection reason.

    The host console lists questions and refused orders ("which size?") from here.
    """
    rows = await live.read(
        lambda conn: viewer_queries.list_comments(
            conn, live.session_id, intent=intent, before_id=before_id, limit=limit
        )
    )
    return [_comment_out(row) for row in rows]


def _comment_out(row: CommentRow) -> CommentOut:
    return CommentOut.model_validate(
        {
            "id": row.id,
            "platform": row.platform,
            "comment_id": row.comment_id,
            "viewer_id": row.viewer_id,
            "user_name": row.user_name,
            "text": row.text,
            "received_at": row.received_at,
            "status": row.status,
            "reason": row.reason,
            "intent": row.intent,
            "rule": row.rule,
            "items": json.loads(row.items_json)["items"],
        }
    )
