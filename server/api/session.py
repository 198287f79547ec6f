"""The live session (public): id, last event number, pinned product."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import LiveDep
from server.api.models import SessionOut
from server.store import queries

router = APIRouter(prefix="/api", tags=["session"])


@router.get("/session", response_model=SessionOut)
async def get_session(live: LiveDep) -> SessionOut:
    """The current session; ``last_seq`` is the newest event number."""
    session = await live.read(lambda conn: queries.get_session(conn, live.session_id))
    return SessionOut(
        session_id=session.id,
        last_seq=session.last_seq,
        pinned_sku=session.pinned_sku,
        started_at=session.started_at,
    )


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}
