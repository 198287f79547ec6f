"""Shared value helpers of the bridges: times, HTML to text, stand-in ids, SSE, JSON Lines."""

from __future__ import annotations

import pytest

from server.bridges import jsonl
from server.bridges.body import (
    CommentBody,
    epoch_s_from_iso,
    epoch_s_from_number,
    stand_in_user_id,
    text_from_html,
)
from server.bridges.sse import SseDecoder, decode_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1568505600501, 1568505600.501),  # ms (Twitch, TikTok)
        ("1608118971079695", 1608118971.079695),  # µs as a string (YouTube)
        (1700000000, 1700000000.0),  # s
        (1700000000.5, 1700000000.5),
        ("", None),
        ("abc", None),
        (0, None),
        (True, None),
        (None, None),
    ],
)
def test_epoch_s_from_number(value: object, expected: float | None) -> None:
    assert epoch_s_from_number(value) == (pytest.approx(expected) if expected else expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-08-30T18:47:02+0000", 1535654822.0),
        ("2018-08-30T18:47:02Z", 1535654822.0),
        ("2018-08-30T20:47:02+02:00", 1535654822.0),
        ("yesterday", None),
    ],
)
def test_epoch_s_from_iso(value: str, expected: float | None) -> None:
    assert epoch_s_from_iso(value) == expected


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<b>chốt</b> A12", "chốt A12"),
        ('A12 <img src="x.png" alt="😍"> x2', "A12 😍 x2"),
        ("a &amp;lt; b", "a &lt; b"),  # decoded once, never twice
        ("line<br>two", "line two"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("plain 😀", "plain 😀"),
        ("", ""),
    ],
)
def test_text_from_html(fragment: str, text: str) -> None:
    assert text_from_html(fragment) == text


def test_stand_in_ids_are_stable_and_per_platform() -> None:
    assert stand_in_user_id("facebook", "Lan") == stand_in_user_id("facebook", "Lan")
    assert stand_in_user_id("facebook", "Lan") != stand_in_user_id("ssn", "Lan")


def test_sse_decoder_follows_the_spec() -> None:
    decoder = SseDecoder()
    assert decoder.feed_line(": keep-alive") is None
    assert decoder.feed_line("event: comment") is None
    assert decoder.feed_line("id: 7") is None
    assert decoder.feed_line('data: {"a":') is None
    assert decoder.feed_line("data:1}") is None
    event = decoder.feed_line("")
    assert event is not None
    assert (event.event, event.data, event.last_id) == ("comment", '{"a":\n1}', "7")
    assert decoder.feed_line("") is None  # blank line with nothing pending
    assert [e.data for e in decode_text("data: x\n\ndata: y")] == ["x", "y"]


def test_jsonl_round_trip_and_bad_lines() -> None:
    comments = [
        CommentBody("youtube", "a", "u1", "Lan", "chốt A12", 1700000000.25),
        CommentBody("tiktok", "b", "u2", "", "🙂", None),
    ]
    text = jsonl.dump_lines(comments) + '{"platform": "x"}\nnot json\n\n'
    assert list(jsonl.parse_text(text)) == comments
    assert "chốt" in jsonl.dump_lines(comments)  # UTF-8, not \\u escapes
