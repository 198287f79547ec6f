"""The countdown shown on the overlay ("deal ends in 02:00") (host token)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.schemas import CountdownIn, CountdownOut
from server.events import EventLog, countdown_data
from server.store import session_queries

router = APIRouter(prefix="/api", tags=["countdown"], dependencies=[HostAuth])


@router.post("/countdown", response_model=CountdownOut)
async def start_countdown(body: CountdownIn, live: LiveDep) -> CountdownOut:
    """Start a countdown of ``seconds`` (0 clears it); clients count down locally."""

    def work(conn: Connection, log: EventLog) -> CountdownOut:
        ends_at = log.now + body.seconds if body.seconds else None
        label = body.label.strip() if ends_at else ""
        session_queries.set_countdown(conn, log.session_id, ends_at=ends_at, label=label)
        data = countdown_data(ends_at, label, now=log.now)
        log.emit("countdown", data)
        return CountdownOut.model_validate(data)

    return await live.write(work)
