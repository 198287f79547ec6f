"""The blocked-word list (host token)."""

from __future__ import annotations

import json

from fastapi import APIRouter
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.schemas import WordsIn, WordsOut
from server.events import EventLog
from server.live import BLOCKED_WORDS_KEY
from server.moderation import clean_words
from server.store import session_queries

router = APIRouter(prefix="/api/moderation", tags=["moderation"], dependencies=[HostAuth])


@router.get("/words", response_model=WordsOut)
async def get_words(live: LiveDep) -> WordsOut:
    """The blocked words in use."""
    return WordsOut(words=list(live.blocked_words))


@router.put("/words", response_model=WordsOut)
async def put_words(body: WordsIn, live: LiveDep) -> WordsOut:
    """Replace the blocked-word list (kept in the database across restarts)."""
    words = clean_words(body.words)

    def work(conn: Connection, _log: EventLog) -> None:
        session_queries.put_setting(
            conn, BLOCKED_WORDS_KEY, json.dumps(list(words), ensure_ascii=False)
        )

    await live.write(work)
    live.blocked_words = words
    return WordsOut(words=list(words))
