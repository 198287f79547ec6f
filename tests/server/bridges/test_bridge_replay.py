"""Replaying recorded chats: the pure schedule, and a real replay into a loopback server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.bridges.body import CommentBody
from server.bridges.client import ClientOptions, IngestClient
from server.bridges.formats import read_recording
from server.bridges.outbox import Outbox
from server.bridges.replay import ReplayReport, feed, schedule

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
