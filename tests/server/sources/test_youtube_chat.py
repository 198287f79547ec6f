"""Reading YouTube's chat frame and ``get_live_chat`` answers (server/bridges/youtube_chat.py)."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED_CHAT

from server.bridges.body import CommentBody
from server.bridges.youtube_chat import next_continuation, parse_frame, read_ytcfg
from studio.errors import BridgeSourceInvalid


def frame(
    initial: object,
    *,
    config: str = '{"INNERTUBE_API_KEY": "K", "INNERTUBE_CONTEXT": {"client": {}}}',
) -> str:
    return (
        f'<script>ytcfg.set({{"A": 1}});ytcfg.set({config});</script>'
        f'<script>window["ytInitialData"] = {json.dumps(initial)};</script>'
    )


def test_the_recorded_frame_gives_its_messages_and_a_cursor() -> None:
    recorded = SHARED_CHAT / "youtube_get_live_chat_chat_downloader.json"
    if not recorded.is_file():
        pytest.skip("../shared/data/chat is not beside the checkout")
    cursor, messages = parse_frame(frame(json.loads(recorded.read_text(encoding="utf-8"))))
    assert cursor.api_key == "K" and cursor.continuation.startswith("0ofMyAOkARpQ")
    comments = [m for m in messages if isinstance(m, CommentBody)]
    assert len(comments) == 9 and all(c.user_id.startswith("UC") for c in comments)


def test_every_ytcfg_call_is_merged() -> None:
    assert read_ytcfg('ytcfg.set({"A": 1}); x; ytcfg.set({"B": {"C": 2}});') == {
        "A": 1,
        "B": {"C": 2},
    }


@pytest.mark.parametrize(
    ("container", "expected"),
    [
        (
            {
                "continuations": [
                    {"timedContinuationData": {"continuation": "t", "timeoutMs": 5000}}
                ]
            },
            ("t", 5.0),
        ),
        ({"continuations": [{"invalidationContinuationData": {"continuation": "i"}}]}, ("i", 0.0)),
        ({"continuations": []}, ("", 0.0)),
        ({}, ("", 0.0)),
        (None, ("", 0.0)),
    ],
)
def test_next_continuation(container: object, expected: tuple[str, float]) -> None:
    assert next_continuation(container) == expected


def test_a_page_without_live_chat_says_so() -> None:
    with pytest.raises(BridgeSourceInvalid):
        parse_frame(frame({"contents": {"twoColumnWatchNextResults": {}}}))
    with pytest.raises(BridgeSourceInvalid):
        parse_frame("<html>consent.youtube.com</html>")
