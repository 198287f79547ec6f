"""The web studio's routers, mounted on the live server's app: one process, one port.

`mount_studio` adds the studio to an app from `server.app.create_app` (it is called there when
``Settings.is_studio`` is set); `server.app.build_studio_app` builds such an app (`server.serve.start_studio` starts one).

The studio has no login: it is for the seller's own computer. Four checks keep other sites and
other machines out: the request must come from this computer (the connection's peer address is
loopback; headers cannot say so, since anyone can write them) or, with ``--lan``, from a phone
paired with a one-time code (its cookie: `server.studio.pairing`); the ``Host`` header must name
this computer too (defeats DNS rebinding); a state-changing request must carry ``X-Livestall:
studio`` (a header no cross-site form can send without a CORS preflight, which we never grant),
and its ``Origin``, when present, must be ours. `require_loopback_host` refuses to start the
studio on another interface: phones join through pairing, not an open port.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from server.files import CLIP_TYPES, IMAGE_TYPES, find_media, media_response
from server.live import Live
from server.problems import request_lang, stored_problem
from server.settings import Settings
from server.studio import clips, devices, live, photos, post, products, stock
from server.studio.jobs import JobView
from server.studio.pairing import DEVICE_COOKIE, is_loopback
from server.studio.state import StudioDep, StudioState
from studio.errors import AuthError, JobNotFound, NotThisComputer, StudioHostRefused

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SSE_POLL_S = 0.25  # how often a job stream reads its row
SSE_STREAM_S = 20.0  # then the stream ends and the page's EventSource reconnects
SSE_RETRY_MS = 500
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def require_loopback_host(host: str) -> None:
    """Refuse to serve the studio on an interface other machines can reach.

    Raises:
        StudioHostRefused: `host` is not a loopback address or ``localhost`` (``0.0.0.0``, a
            LAN address); pairing a phone comes with ``--lan`` in a later version.
    """
    if host == "localhost" or is_loopback(host):
        return
    raise StudioHostRefused(
        f"the studio only runs on this computer, not on {host!r}",
        hint="start it with --host 127.0.0.1 (the default); "
        "opening it from a phone will come with pairing (--lan)",
    )


def check_local(
    request: Request,
    x_livestall: Annotated[str | None, Header()] = None,
    origin: Annotated[str | None, Header()] = None,
) -> None:
    """Accept only requests addressed to this computer, and writes only from the studio's pages.

    Raises:
        NotThisComputer: the request came from another machine.
        AuthError: another host name, a cross-site origin, or a write without the header.
    """
    peer = request.client.host if request.client is not None else ""
    studio: StudioState = request.app.state.studio
    settings: Settings = studio.settings
    host_header = request.headers.get("host", "")
    if not is_loopback(peer):
        # Another machine: only a phone paired with ``--lan`` (its cookie), whatever it says
        # in its headers. The cookie is SameSite=Strict and bound to the LAN address.
        paired = settings.studio_lan and studio.pairing.device_for(
            request.cookies.get(DEVICE_COOKIE)
        )
        if not paired:
            raise NotThisComputer(
                "the studio answers only on the computer it runs on, or a paired phone",
                hint="open http://127.0.0.1:<port>/studio on that computer, or pair the phone "
                "(livestall studio --lan, then 'Use on a phone')",
            )
    else:
        hostname = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
        if hostname not in (*LOCAL_HOSTS, settings.host):
            raise AuthError(
                f"the studio answers only on this computer, not {hostname!r}",
                hint="open http://127.0.0.1:<port>/studio",
            )
    if request.method in SAFE_METHODS:
        return
    if x_livestall != "studio":
        raise AuthError("this request did not come from a studio page", hint="use the studio")
    if origin is not None and origin != f"{request.url.scheme}://{host_header}":
        raise AuthError(f"requests from {origin!r} are not accepted", hint="use the studio")


LocalOnly = Depends(check_local)
router = APIRouter(include_in_schema=False)


@router.get("/studio")
async def studio_page() -> FileResponse:
    """The studio's single page (tabs: products, photos, clips, post, go live)."""
    return FileResponse(
        STATIC_DIR / "studio.html",
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


@router.get("/studio/files/{path:path}")
async def studio_file(path: str, studio: StudioDep) -> FileResponse:
    """A photo or clip the studio made or stored: only under the studio folder, only real media.

    Raises:
        JobNotFound: no such photo or clip (also for the studio's own records, such as its
            catalog, and for a path that leaves the folder or holds a NUL byte).
    """
    found = await asyncio.to_thread(
        find_media, path, [studio.root], allowed=IMAGE_TYPES | CLIP_TYPES
    )
    if found is None:
        raise JobNotFound(f"no studio photo or clip {path!r}", hint="run the job again")
    return media_response(found)


def job_answer(job: JobView, lang: str) -> dict[str, object]:
    """A job as the page reads it: its error (if it failed) in the page's language."""
    answer = job.to_dict()
    if isinstance(job.error, dict):
        answer["error"] = dict(stored_problem(job.error, lang))
    return answer


@router.get("/studio/api/jobs")
async def list_jobs(
    request: Request, studio: StudioDep, kind: str | None = None
) -> list[dict[str, object]]:
    """The newest jobs (of one kind), so a reloaded page finds its work again."""
    jobs = await asyncio.to_thread(studio.runner.recent, kind=kind)
    return [job_answer(job, request_lang(request)) for job in jobs]


@router.get("/studio/api/jobs/{job_id}")
async def get_job(job_id: str, request: Request, studio: StudioDep) -> dict[str, object]:
    """One job: status, progress, result or error."""
    return job_answer(await asyncio.to_thread(studio.runner.get, job_id), request_lang(request))


@router.post("/studio/api/jobs/{job_id}/cancel")
async def cancel_job(job_id: str, request: Request, studio: StudioDep) -> dict[str, object]:
    """Stop a job (a running one stops at its next progress report)."""
    job = await asyncio.to_thread(studio.runner.cancel, job_id)
    return job_answer(job, request_lang(request))


@router.get("/studio/api/jobs/{job_id}/events")
async def job_events(job_id: str, request: Request, studio: StudioDep) -> StreamingResponse:
    """Server-Sent Events: the job as JSON each time it changes, until it finishes.

    A stream lasts at most `SSE_STREAM_S`; the browser's EventSource then reconnects by itself
    (``retry``), so an open page never keeps a stopping server waiting for long.
    """
    first = await asyncio.to_thread(studio.runner.get, job_id)
    lang = request_lang(request)

    async def stream() -> AsyncIterator[str]:
        job, last = first, ""
        ends_at = time.monotonic() + SSE_STREAM_S
        yield f"retry: {SSE_RETRY_MS}\n\n"
        while True:
            text = json.dumps(job_answer(job, lang), ensure_ascii=False)
            if text != last:
                yield f"data: {text}\n\n"
                last = text
            if job.is_finished or time.monotonic() > ends_at:
                return
            await asyncio.sleep(SSE_POLL_S)
            job = await asyncio.to_thread(studio.runner.get, job_id)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


def mount_studio(app: FastAPI, settings: Settings, live_state: Live) -> StudioState:
    """Add the studio's routes and static files to a live-server app; return its state.

    The caller closes the state (`StudioState.close`) when the server stops.

    Raises:
        OutputError: the studio folder cannot be created.
    """
    state = StudioState.open(settings, live_state)
    app.state.studio = state
    routers = (router, products.router, photos.router, clips.router, post.router, live.router)
    for sub in (*routers, stock.router, devices.router):
        app.include_router(sub, dependencies=[LocalOnly])  # this computer or a paired phone
    app.include_router(devices.pair_router)  # the pairing link itself
    app.mount("/studio/static", StaticFiles(directory=STATIC_DIR), name="studio-static")
    return state
