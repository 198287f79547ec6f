"""``POST /api/comments``: comments from platform bridges (ingest token)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from server.api.deps import IngestAuth, LiveDep
from server.api.models import CommentAnswer, CommentIn
from server.events import dump_json_value
from server.ingest import IncomingComment, ingest_comments
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
