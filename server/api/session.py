"""The live session (public): id, last event number, pinned product."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import HostAuth, LiveDep
from server.api.schemas import SessionIn, SessionOut
from server.store import session_queries

router = APIRouter(prefix="/api", tags=["session"])


@router.get("/session", response_model=SessionOut)
async def get_session(live: LiveDep) -> SessionOut:
    """The current session; ``last_seq`` is the newest event number."""
    session = await live.read(lambda conn: session_queries.get_session(conn, live.session_id))
    return SessionOut(
        session_id=session.id,
        last_seq=session.last_seq,
        pinned_sku=session.pinned_sku,
        started_at=session.started_at,
    )


@router.post("/sessions", dependencies=[HostAuth], response_model=SessionOut, status_code=201)
async def start_session(body: SessionIn, live: LiveDep) -> SessionOut:
    """End this live and start a new one: stock from the catalog again, numbering from 1."""
    await live.begin_session(title=body.title)
    return await get_session(live)


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}
