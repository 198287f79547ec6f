"""A viewer's comment holding NUL or half an emoji is refused with a reply, never stored."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets
from deadlines import EVENT_SPREAD_S
from live_helpers import LiveServer

# As the browser sends them: JSON.stringify writes a lone surrogate as an escape.
NUL = '{"type": "comment", "text": "SOLD B3\\u0000", "id": "m1"}'
HALF_EMOJI = '{"type": "comment", "text": "SOLD B3 \\ud83d", "id": "m2"}'
GOOD = '{"type": "comment", "text": "SOLD B3 \\ud83d\\ude0d", "id": "m3"}'


async def replies(url: str, frames: list[str]) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = []
    async with websockets.connect(url) as ws:
        await ws.recv()  # snapshot
        for frame in frames:
            await ws.send(frame)
            while "seq" in (
                answer := json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S))
            ):
                pass  # live events between the replies
            answers.append(answer)
    return answers


def test_unstorable_viewer_text_gets_a_reply_and_the_stream_goes_on(
    live_server: LiveServer,
) -> None:
    url = f"{live_server.ws_url}/ws/viewer?name=Mai&uid=viewer-1"
    answers = asyncio.run(replies(url, [NUL, HALF_EMOJI, GOOD]))

    assert [a.get("code") for a in answers[:2]] == ["bad_text", "bad_text"]
    assert answers[2]["type"] == "ack"  # the same socket still takes comments
    texts = [row[0] for row in live_server.rows("SELECT text FROM comments")]
    assert texts == ["SOLD B3 \U0001f60d"]


def test_a_viewer_name_with_nul_is_refused_too(live_server: LiveServer) -> None:
    url = f"{live_server.ws_url}/ws/viewer?name=Mai%00&uid=viewer-2"
    (answer,) = asyncio.run(replies(url, [GOOD]))

    assert answer["code"] == "bad_text"
    assert live_server.rows("SELECT count(*) FROM comments") == [(0,)]
