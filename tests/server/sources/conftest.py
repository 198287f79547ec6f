"""A live server on 127.0.0.1 running its own sources against fake platforms (tests/.../fakes.py)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from deadlines import EVENT_SPREAD_S
from fakes import FakeGraph, FakeSsn, FakeYouTube, Served, serve
from live_helpers import HOST, HOST_TOKEN, INGEST_TOKEN, write_catalog

from server.app import build_app
from server.serve import RunningServer, start_in_thread
from server.services.source_listen import SupervisorOptions
from server.services.sources import SourceSupervisor

SILENCE_S = 1.5


@dataclass
class SourceServer:
    """The running server, its database file and data folder, and a host-token client."""

    running: RunningServer
    db_path: Path
    data_dir: Path
    supervisor: SourceSupervisor
    http: httpx.Client

    def rows(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, args).fetchall()

    def sources(self, lang: str = "en") -> list[dict[str, Any]]:
        answer = self.http.get("/api/sources", params={"lang": lang})
        answer.raise_for_status()
        return list(answer.json()["sources"])

    def source(self, source_id: str, lang: str = "en") -> dict[str, Any]:
        return next(s for s in self.sources(lang) if s["id"] == source_id)


def wait_until(check: Callable[[], object], what: str, deadline_s: float = EVENT_SPREAD_S) -> Any:
    """Return `check()`'s first truthy value; fail naming `what` after the deadline."""
    end = time.monotonic() + deadline_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def graph() -> Iterator[tuple[FakeGraph, Served]]:
    fake = FakeGraph()
    served = serve(fake)
    try:
        yield fake, served
    finally:
        fake.is_stopped = True
        served.stop()


SHARED_CHAT = Path(__file__).resolve().parents[4] / "shared" / "data" / "chat"


@pytest.fixture
def youtube() -> Iterator[tuple[FakeYouTube, Served]]:
    recorded = SHARED_CHAT / "youtube_get_live_chat_chat_downloader.json"
    if not recorded.is_file():
        pytest.skip(f"real chat recordings not found at {SHARED_CHAT} (../shared/data/chat)")
    fake = FakeYouTube(json.loads(recorded.read_text(encoding="utf-8")))
    served = serve(fake)
    try:
        yield fake, served
    finally:
        served.stop()


@pytest.fixture
def ssn_relay() -> Iterator[FakeSsn]:
    relay = FakeSsn()
    try:
        yield relay
    finally:
        relay.stop()


def start_source_server(
    tmp_path: Path, graph_url: str, ssn_url: str, youtube_url: str
) -> tuple[RunningServer, SourceSupervisor]:
    """A live server over the data folder and database under `tmp_path` (again: a restart)."""
    app = build_app(
        write_catalog(tmp_path / "shop"),
        f"sqlite:///{tmp_path / 'live.sqlite'}",
        data_dir=tmp_path / "data",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    supervisor: SourceSupervisor = app.state.sources
    supervisor.options = SupervisorOptions(
        graph_url=graph_url,
        streaming_url=graph_url,
        ssn_server=ssn_url,
        youtube_url=youtube_url,
        base_backoff_s=0.3,
        max_backoff_s=1.0,
        silence_s=SILENCE_S,
        file_speed=0,
    )
    return start_in_thread(app), supervisor


@pytest.fixture
def source_server(
    tmp_path: Path,
    graph: tuple[FakeGraph, Served],
    ssn_relay: FakeSsn,
    youtube: tuple[FakeYouTube, Served],
) -> Iterator[SourceServer]:
    running, supervisor = start_source_server(tmp_path, graph[1].url, ssn_relay.url, youtube[1].url)
    try:
        with httpx.Client(base_url=running.url, headers=HOST, timeout=30) as http:
            yield SourceServer(
                running, tmp_path / "live.sqlite", tmp_path / "data", supervisor, http
            )
    finally:
        graph[0].is_stopped = True
        running.stop()
