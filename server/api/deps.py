"""Dependencies shared by the routers: the running `Live` and the two bearer-token checks.

They are ``async`` because they never block: FastAPI runs plain functions in its thread pool,
two thread hops per request for nothing (bench/live.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from server.live import Live
from server.tokens import check_bearer


async def get_live(request: Request) -> Live:
    """Return the `Live` of the app serving this request."""
    live: Live = request.app.state.live
    return live


LiveDep = Annotated[Live, Depends(get_live)]


async def require_host(
    live: LiveDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    """Accept only ``Authorization: Bearer <host token>``."""
    check_bearer(authorization, live.tokens.host, role="host")


async def require_ingest(
    live: LiveDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    """Accept only ``Authorization: Bearer <ingest token>``."""
    check_bearer(authorization, live.tokens.ingest, role="ingest")


HostAuth = Depends(require_host)
IngestAuth = Depends(require_ingest)
