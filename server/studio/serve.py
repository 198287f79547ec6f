"""Building and starting the live server with the studio mounted (CLI, ``make demo``, tests)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from pydantic import SecretStr

from server.app import create_app
from server.serve import RunningServer, start_in_thread
from server.settings import Settings
from server.studio.app import require_loopback_host


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


def start_studio(
    catalog_path: Path | str,
    *,
    data_dir: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> RunningServer:
    """Start the studio in a background thread (for ``make demo`` and tests); return it.

    Open ``<url>/studio`` in a browser; call ``.stop()`` to end it.

    Raises:
        LiveError: the server did not start.
    """
    app = build_studio_app(catalog_path, data_dir=data_dir, host=host, port=port)
    return start_in_thread(app, host=host, port=port)
