"""Routes of the pages (``/overlay``, ``/host``, ``/viewer``) and their static files.

Pages are plain HTML + JS served from this package. They carry no secret: the overlay needs no
token (it is read-only and public, like the stream itself) and the host console asks for the host
token in a form and keeps it in ``sessionStorage``, never in a URL shown on stream.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGES = ("overlay", "host", "viewer")

# Defence in depth behind textContent: no inline script, nothing from other origins.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(
        STATIC_DIR / f"{name}.html",
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


@router.get("/overlay")
async def overlay_page() -> FileResponse:
    """The OBS browser source (``?layout=landscape|portrait&theme=dark|light|brand&lang=vi``)."""
    return _page("overlay")


@router.get("/host")
async def host_page() -> FileResponse:
    """The host console."""
    return _page("host")


@router.get("/viewer")
async def viewer_page() -> FileResponse:
    """The viewer page: product card and comment box."""
    return _page("viewer")


@router.get("/")
async def index(request: Request) -> RedirectResponse:
    """Send a browser opening the bare address to the web studio, or without it the host console.

    The query string goes along: ``/?lang=ar`` opens the page in Arabic.
    """
    is_studio: bool = request.app.state.live.settings.is_studio
    target = "/studio" if is_studio else "/host"
    query = request.url.query
    return RedirectResponse(f"{target}?{query}" if query else target)
