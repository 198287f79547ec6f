"""Twitch IRC lines -> comment bodies, on the real recorded excerpt of a busy channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.bridges import twitch
from server.bridges.body import ChatEvent, CommentBody


def test_real_excerpt_gives_every_privmsg_as_a_comment(shared_chat: Path) -> None:
    text = (shared_chat / "twitch_irc_xqcow_excerpt.irc").read_text(encoding="utf-8")
    items = list(twitch.parse_text(text))
    comments = [i for i in items if isinstance(i, CommentBody)]
    events = [i for i in items if isinstance(i, ChatEvent)]
    assert len(comments) == 1485
    assert len({c.comment_id for c in comments}) == 1485
    assert {e.kind for e in events} == {"moderation", "subscription"}
    assert sum(e.kind == "moderation" for e in events) == 12
    first = comments[0]
    assert first.platform == "twitch"
    assert first.comment_id == "ca561310-6855-43b3-8325-3ea7418359a2"
    assert first.user_id == "48215771"
    assert first.text.startswith("DEVIL MAY CRY 5 gachiBASS")
    assert first.ts == pytest.approx(1568505600.501)
    assert all(c.user_id and c.user_name and c.ts for c in comments)
    # About 144 s of chat, in order.
    assert comments[-1].ts is not None and 100 < comments[-1].ts - first.ts < 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"hello\sworld", "hello world"),
        (r"a\:b", "a;b"),
        (r"back\\slash", "back\\slash"),
        ("plain", "plain"),
        ("dangling\\", "dangling"),
    ],
)
def test_tag_values_are_unescaped(raw: str, expected: str) -> None:
    assert twitch.unescape_tag(raw) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "PING :tmi.twitch.tv",
        ":tmi.twitch.tv 001 justinfan12345 :Welcome, GLHF!",
        "@badges=;color= :nick!nick@nick.tmi.twitch.tv PRIVMSG #chan :no id or user id",
        "@garbage",
        "@id=1;user-id=2 :nick!nick@nick.tmi.twitch.tv JOIN #chan",
    ],
)
def test_lines_that_are_not_comments_give_nothing(line: str) -> None:
    assert twitch.parse_line(line) is None


def test_display_name_falls_back_to_the_nick_and_text_keeps_colons() -> None:
    line = "@id=abc;user-id=42;display-name=;tmi-sent-ts=1700000000000 :shopper!shopper@shopper.tmi.twitch.tv PRIVMSG #shop :chốt A12: size M 😍\r\n"
    parsed = twitch.parse_line(line)
    assert parsed == CommentBody(
        "twitch", "abc", "42", "shopper", "chốt A12: size M 😍", 1700000000.0
    )
