"""The list of lives for the host: every live with its order counts (host token).

Starting a new live ends the current one and keeps its orders; the orders list, the orders CSV,
the packing slips and the carrier export take ``?live=<id>`` to show an earlier live.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from server.api.deps import HostAuth, LiveDep
from server.live import Live
from server.store import live_queries
from server.store.rows import LiveSummary
from studio.errors import LiveNotFound

router = APIRouter(prefix="/api", tags=["lives"], dependencies=[HostAuth])

LiveQuery = Annotated[int | None, Query(alias="live", ge=1)]
"""``?live=<id>``: one earlier live; without it, the current one."""


class LiveOut(BaseModel):
    """One live in the list: when it ran and what its real orders still need."""

    id: int
    title: str
    started_at: float
    ended_at: float | None
    is_current: bool
    orders: int
    unpaid: int
    unshipped: int
    tests: int
    totals: dict[str, str]


def live_out(summary: LiveSummary, *, current_id: int) -> LiveOut:
    """Shape a stored live summary for the host console and the web studio."""
    return LiveOut(
        id=summary.id,
        title=summary.title,
        started_at=summary.started_at,
        ended_at=summary.ended_at,
        is_current=summary.id == current_id,
        orders=summary.orders,
        unpaid=summary.unpaid,
        unshipped=summary.unshipped,
        tests=summary.tests,
        totals={currency: str(value) for currency, value in summary.totals},
    )


async def session_of(live: Live, wanted: int | None) -> int:
    """Return the session id ``?live=`` names (the current live without it).

    Raises:
        LiveNotFound: no live has that id.
    """
    if wanted is None or wanted == live.session_id:
        return live.session_id
    found = await live.read(lambda conn: live_queries.list_lives(conn, session_id=wanted))
    if not found:
        raise LiveNotFound(f"there is no live {wanted}", hint="choose a live from the list")
    return wanted


@router.get("/lives", response_model=list[LiveOut])
async def list_lives(live: LiveDep) -> list[LiveOut]:
    """Every live, newest first, with its order counts (test orders counted apart)."""
    lives = await live.read(live_queries.list_lives)
    return [live_out(summary, current_id=live.session_id) for summary in lives]
