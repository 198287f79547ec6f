"""Fixtures for the live server: a small catalog file and a real uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live_helpers import HOST_TOKEN, INGEST_TOKEN, LiveServer, write_catalog

from server.app import build_app
from server.serve import start_in_thread


@pytest.fixture
def live_catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "shop")


@pytest.fixture
def live_server(tmp_path: Path, live_catalog: Path) -> Iterator[LiveServer]:
    db_path = tmp_path / "live.sqlite"
    app = build_app(
        live_catalog,
        f"sqlite:///{db_path}",
        data_dir=tmp_path / "data",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    running = start_in_thread(app)
    try:
        yield LiveServer(running, db_path)
    finally:
        running.stop()
