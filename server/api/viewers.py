"""Viewers: block and unblock (host token)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.schemas import ViewerOut
from server.events import EventLog
from server.store import viewer_queries
from server.store.rows import ViewerRow
from studio.errors import ViewerNotFound

router = APIRouter(prefix="/api", tags=["viewers"], dependencies=[HostAuth])


def _out(viewer: ViewerRow) -> ViewerOut:
    return ViewerOut(
        id=viewer.id,
        platform=viewer.platform,
        user_id=viewer.user_id,
        user_name=viewer.user_name,
        is_blocked=viewer.is_blocked,
    )


async def _set_blocked(live: LiveDep, viewer_id: int, *, is_blocked: bool) -> ViewerOut:
    def work(conn: Connection, log: EventLog) -> ViewerRow:
        viewer = viewer_queries.get_viewer(conn, viewer_id)
        if viewer is None:
            raise ViewerNotFound(f"no viewer {viewer_id}", hint="use the id from the orders table")
        viewer_queries.set_blocked(conn, viewer_id, is_blocked=is_blocked)
        if is_blocked:
            log.emit("viewer_blocked", {"viewer_id": viewer_id})
        updated = viewer_queries.get_viewer(conn, viewer_id)
        assert updated is not None
        return updated

    return _out(await live.write(work))


@router.post("/viewers/{viewer_id}/block", response_model=ViewerOut)
async def block_viewer(viewer_id: int, live: LiveDep) -> ViewerOut:
    """Ignore this viewer's comments from now on and hide theirs from the overlay."""
    return await _set_blocked(live, viewer_id, is_blocked=True)


@router.post("/viewers/{viewer_id}/unblock", response_model=ViewerOut)
async def unblock_viewer(viewer_id: int, live: LiveDep) -> ViewerOut:
    """Accept this viewer's comments again."""
    return await _set_blocked(live, viewer_id, is_blocked=False)


@router.get("/viewers/blocked", response_model=list[ViewerOut])
async def blocked_viewers(live: LiveDep) -> list[ViewerOut]:
    """Every blocked viewer."""
    return [_out(v) for v in await live.read(viewer_queries.list_blocked_viewers)]
