"""`create_app(settings)`: the FastAPI app of the live server. Nothing happens at import time.

The error handlers are registered here (`add_error_handlers`): a `LivestallError` raised anywhere
below becomes its HTTP status and ``{"code", "message", "hint"}`` in the page's language.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from pydantic import SecretStr

from server import problems, ws
from server.api import ROUTERS
from server.api import sources as sources_api
from server.api.deps import HostAuth
from server.body_guard import BodyGuard
from server.live import Live
from server.services.carts import HoldSweeper
from server.services.source_listen import SupervisorOptions
from server.services.sources import SourceSupervisor
from server.settings import Settings
from server.studio import mount_studio
from server.studio.app import LocalOnly, require_loopback_host
from server.web import pages
from studio import __version__
from studio.errors import LivestallError
from studio.paths import data_dir


def create_app(settings: Settings) -> FastAPI:
    """Build the live server: open the database, load catalog and tokens, mount routes.

    Raises:
        CatalogError: the catalog cannot be used.
        InputError: the database URL is wrong.
        OutputError: the data folder or database cannot be written.
    """
    live = Live.open(settings)
    # The platform sources the server runs itself (server/services/sources.py).
    sources = SourceSupervisor(
        live, settings.data_dir or data_dir(), SupervisorOptions.from_environ()
    )
    studio_closers: list[Callable[[], None]] = []
    holds = HoldSweeper(live)  # cart lines released when their hold ends (server/services/carts.py)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        live.start()
        await sources.start()
        holds.start(settings.hold)
        try:
            yield
        finally:
            await holds.stop()
            await sources.stop()
            for close in studio_closers:  # the web studio's worker pool (docs/studio.md)
                close()
            live.stop()

    app = FastAPI(
        title="Livestall live server",
        version=__version__,
        summary="Comments in, orders out, live overlay events.",
        lifespan=lifespan,
    )
    app.state.live = live
    app.state.sources = sources
    add_error_handlers(app)
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes, tokens=live.tokens)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(
        sources_api.router, prefix=sources_api.SOURCES_PREFIX, dependencies=[HostAuth]
    )
    app.include_router(ws.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    if settings.is_studio:
        studio_closers.append(mount_studio(app, settings, live).close)
        # the go-live tab's sources: the same routes, for this computer (or a paired phone)
        app.include_router(
            sources_api.router,
            prefix=sources_api.STUDIO_PREFIX,
            dependencies=[LocalOnly],
            include_in_schema=False,
        )
    return app


def build_app(
    catalog_path: Path | str,
    db_url: str = "",
    *,
    data_dir: Path | None = None,
    host_token: str | None = None,
    ingest_token: str | None = None,
) -> FastAPI:
    """Build the app from a catalog file and a database URL (for the demo and the web studio).

    Args:
        catalog_path: the catalog (YAML or CSV).
        db_url: SQLAlchemy URL; empty means ``live.sqlite`` in the data folder.
        data_dir: where tokens (and the default database) live; default `studio.paths.data_dir`.
        host_token: fixed host token (else ``LIVESTALL_HOST_TOKEN``, else stored / generated).
        ingest_token: fixed ingest token (else ``LIVESTALL_INGEST_TOKEN``, else stored / generated).
    """
    settings = Settings(catalog_path=Path(catalog_path), db_url=db_url, data_dir=data_dir)
    # Only tokens given are passed on: an explicit None would hide the environment's value.
    given = (("host_token", host_token), ("ingest_token", ingest_token))
    return create_app(
        settings.model_copy(update={k: SecretStr(v) for k, v in given if v is not None})
    )


def build_studio_app(
    catalog_path: Path | str,
    *,
    data_dir: Path | None = None,
    db_url: str = "",
    host: str = "127.0.0.1",
    port: int = 8000,
    host_token: str | None = None,
    ingest_token: str | None = None,
    workers: int | None = None,
    max_upload_bytes: int | None = None,
    max_files: int | None = None,
    lan: bool = False,
) -> FastAPI:
    """Build the live server with the studio mounted (the app `livestall studio` runs).

    Tokens and limits left ``None`` come from ``LIVESTALL_*`` environment variables
    (``LIVESTALL_HOST_TOKEN``, ``LIVESTALL_INGEST_TOKEN``, ``LIVESTALL_STUDIO_*``) like the live
    server's, else from ``tokens.json`` in the data folder or their defaults.

    `lan`: phones on the local network may join, each paired with a one-time code (the caller
    then listens on every interface; `server.studio.pairing`). `host` stays loopback.

    Raises:
        StudioHostRefused: `host` is not this computer's loopback address.
        CatalogError: the catalog cannot be used.
        OutputError: the data folder cannot be written.
    """
    require_loopback_host(host)
    # Only what was given is passed on: an explicit None would hide the environment's value.
    settings = Settings(
        catalog_path=Path(catalog_path),
        db_url=db_url,
        data_dir=data_dir,
        host=host,
        port=port,
        is_studio=True,
        studio_lan=lan,
    )
    given = (
        ("host_token", SecretStr(host_token) if host_token else None),
        ("ingest_token", SecretStr(ingest_token) if ingest_token else None),
        ("studio_workers", workers),
        ("studio_max_upload_bytes", max_upload_bytes),
        ("studio_max_files", max_files),
    )
    settings = settings.model_copy(update={k: v for k, v in given if v is not None})
    return create_app(settings)


def add_error_handlers(app: FastAPI) -> None:
    """Answer every `LivestallError` and every invalid request body in the page's language.

    ``{"code", "message", "hint"}`` with the error's HTTP status; a body FastAPI cannot validate
    is 422 ``input.invalid`` naming each field (`server.problems`, docs/errors.md).
    """
    app.add_exception_handler(LivestallError, problems.livestall_error)
    app.add_exception_handler(RequestValidationError, problems.request_invalid)
