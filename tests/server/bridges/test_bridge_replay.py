"""Replaying recorded chats: the pure schedule, and a real replay into a loopback server."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from server.app import create_app
from server.bridges.body import CommentBody
from server.bridges.client import ClientOptions, IngestClient
from server.bridges.formats import read_recording
from server.bridges.outbox import Outbox
from server.bridges.replay import ReplayReport, feed, replay_comments, schedule
from server.serve import uvicorn_config
from server.settings import Settings

TOKEN = "bridge-test-ingest-token"


def _c(comment_id: str, ts: float | None) -> CommentBody:
    return CommentBody("x", comment_id, "u", "n", "t", ts)


@pytest.mark.parametrize(
    ("times", "speed", "offsets"),
    [
        ([100.0, 101.0, 105.0], 1, [0.0, 1.0, 5.0]),
        ([100.0, 101.0, 105.0], 10, [0.0, 0.1, 0.5]),
        ([None, 100.0, None, 102.0], 2, [0.0, 0.0, 0.0, 1.0]),
        ([100.0, 104.0, 102.0, 106.0], 1, [0.0, 4.0, 4.0, 6.0]),  # never backwards
        ([100.0, 200.0], 0, [0.0, 0.0]),
        ([None, None], 1, [0.0, 0.0]),
    ],
)
def test_schedule(times: list[float | None], speed: float, offsets: list[float]) -> None:
    timeline = schedule([_c(str(i), t) for i, t in enumerate(times)], speed=speed)
    assert [t.offset_s for t in timeline] == pytest.approx(offsets)
    assert [t.body.comment_id for t in timeline] == [str(i) for i in range(len(times))]


def _replay(url: str, comments: list[CommentBody], speed: float) -> ReplayReport:
    async def scenario() -> ReplayReport:
        async with httpx.AsyncClient() as http:
            client = IngestClient(ClientOptions(url, TOKEN), Outbox.open(None), http)
            sender = asyncio.create_task(client.run())
            try:
                return await asyncio.wait_for(feed(schedule(comments, speed=speed), client), 20)
            finally:
                sender.cancel()
                await asyncio.gather(sender, return_exceptions=True)

    return asyncio.run(scenario())


def test_replay_real_youtube_recording_at_full_speed(
    shared_chat: Path, ingest: Any, recorder: Any
) -> None:
    _, items = read_recording(shared_chat / "youtube_innertube_replay_pytchat.json")
    comments = [i for i in items if isinstance(i, CommentBody)]
    report = _replay(ingest.url, comments, speed=0)
    assert (report.sent, report.accepted, report.duplicate, report.rejected) == (48, 48, 0, 0)
    assert [b["comment_id"] for b in recorder.accepted] == [c.comment_id for c in comments]
    assert recorder.accepted[1]["text"] == "こんにちは"


def test_replay_keeps_the_rhythm_at_speed_n(shared_chat: Path, ingest: Any, recorder: Any) -> None:
    _, items = read_recording(shared_chat / "twitch_irc_xqcow_excerpt.irc")
    comments = [i for i in items if isinstance(i, CommentBody)][:60]
    assert comments[0].ts is not None and comments[-1].ts is not None
    span_s = comments[-1].ts - comments[0].ts
    speed = span_s / 0.8  # the whole excerpt in 0.8 s
    report = _replay(ingest.url, comments, speed=speed)
    assert report.accepted == 60
    assert 0.7 < report.elapsed_s < 2.5


def test_a_long_replay_leaves_the_event_loop_to_the_server_it_shares(
    tmp_path: Path, live_catalog: Path
) -> None:
    """A 60,000-comment replay at full speed on the live server's own loop: /api/health keeps
    answering (a real HTTP client in another thread) while the replay queues and delivers."""
    settings = Settings(
        catalog_path=live_catalog,
        db_url=f"sqlite:///{tmp_path / 'live.sqlite'}",
        data_dir=tmp_path,
        ingest_token=SecretStr(TOKEN),
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn_config(create_app(settings), host="127.0.0.1", port=0))
    comments = [
        CommentBody("youtube", f"c{i}", f"u{i}", "Lan", f"đẹp quá {i}") for i in range(60_000)
    ]
    # Small batches: the server's own work per request stays short, what is measured is the replay.
    options = ClientOptions(url, TOKEN, batch_size=10)
    latencies_s: list[float] = []
    stop = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                assert client.get("/api/health").status_code == 200
                latencies_s.append(time.monotonic() - started)
                stop.wait(0.02)

    async def scenario() -> None:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            await asyncio.sleep(0.02)
        prober = threading.Thread(target=probe)
        prober.start()
        replaying = asyncio.create_task(replay_comments(comments, options, speed=0, give_up_s=60))
        try:
            deadline = time.monotonic() + 60
            while len(latencies_s) < 40 and not replaying.done():
                assert time.monotonic() < deadline, f"{len(latencies_s)} health answers in 60 s"
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            await asyncio.to_thread(prober.join, 60)
            replaying.cancel()
            await asyncio.gather(replaying, return_exceptions=True)
            server.should_exit = True
            await serving

    asyncio.run(scenario())

    assert len(latencies_s) >= 40
    assert max(latencies_s) < 4.0  # before: the loop was held 7-25 s while comments were queued
    with sqlite3.connect(tmp_path / "live.sqlite") as db:
        assert db.execute("SELECT count(*) FROM comments").fetchone()[0] > 0  # it was replaying
