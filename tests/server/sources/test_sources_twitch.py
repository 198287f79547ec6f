"""A Twitch channel read by the server itself over Twitch's IRC websocket: the recorded real
lines come in as comments (one row each), timeouts (CLEARCHAT) as events, never as orders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from conftest import SHARED_CHAT, SourceServer, wait_until
from fakes import FakeTwitch

LINES = 200


@pytest.fixture
def twitch() -> Iterator[FakeTwitch]:
    recorded = SHARED_CHAT / "twitch_irc_xqcow_excerpt.irc"
    if not recorded.is_file():
        pytest.skip(f"real chat recordings not found at {SHARED_CHAT}")
    lines = recorded.read_text(encoding="utf-8").splitlines()[:LINES]
    fake = FakeTwitch(lines)
    try:
        yield fake
    finally:
        fake.stop()


def test_a_twitch_channel_comes_in_line_by_line(
    source_server: SourceServer, twitch: FakeTwitch
) -> None:
    supervisor = source_server.supervisor
    supervisor.options = replace(supervisor.options, twitch_url=twitch.url)
    expected = sum(1 for line in twitch.lines if " PRIVMSG #" in line)
    added = source_server.http.post("/api/sources", json={"spec": "twitch:xqcow"}).json()
    health = wait_until(
        lambda: (s := source_server.source(added["id"]))["comments"] == expected and s,
        f"{expected} Twitch comments",
    )
    assert health["state"] == "live" and health["events"] == LINES - expected
    assert twitch.logins[0][2] == "JOIN #xqcow"
    rows = source_server.rows(
        "SELECT count(DISTINCT comment_id) FROM comments WHERE platform = 'twitch'"
    )
    assert rows == [(expected,)]
