"""Replay real recorded chats (../shared/data/chat) through POST /api/comments."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_helpers import INGEST, LiveServer

CHAT_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "chat"
YOUTUBE_FILES = (
    "youtube_innertube_replay_pytchat.json",
    "youtube_get_live_chat_chat_downloader.json",
    "youtube_actions_chat_downloader.json",
)
TWITCH_FILE = "twitch_irc_xqcow_excerpt.irc"


def youtube_messages(obj: object) -> Iterator[dict[str, Any]]:
    """Bodies from any InnerTube chat JSON (mapping from the chat folder's README)."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if (
                key in ("liveChatTextMessageRenderer", "liveChatPaidMessageRenderer")
                and "id" in value
            ):
                runs = value.get("message", {}).get("runs", [])
                text = "".join(
                    r.get("text") or (r.get("emoji", {}).get("shortcuts") or [""])[0] for r in runs
                )
                yield {
                    "platform": "youtube",
                    "comment_id": value["id"],
                    "user_id": value.get("authorExternalChannelId") or "anonymous",
                    "user_name": value.get("authorName", {}).get("simpleText", ""),
                    "text": text,
                    "ts": int(value["timestampUsec"]) / 1e6 if "timestampUsec" in value else None,
                }
            else:
                yield from youtube_messages(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from youtube_messages(item)


def twitch_messages(lines: list[str]) -> Iterator[dict[str, Any]]:
    """Bodies from raw Twitch IRC lines; anything but PRIVMSG is skipped."""
    for line in lines:
        if not line.startswith("@") or " PRIVMSG #" not in line:
            continue
        tags_raw, rest = line[1:].split(" ", 1)
        tags = dict(tag.split("=", 1) for tag in tags_raw.split(";"))
        text = rest.split(" PRIVMSG #", 1)[1].split(" :", 1)[1].rstrip("\r\n")
        yield {
            "platform": "twitch",
            "comment_id": tags["id"],
            "user_id": tags["user-id"],
            "user_name": tags.get("display-name") or rest[1:].split("!", 1)[0],
            "text": text,
            "ts": int(tags["tmi-sent-ts"]) / 1000,
        }


def recorded_chat() -> list[dict[str, Any]]:
    if not CHAT_DIR.is_dir():
        pytest.skip(f"recorded chats not found at {CHAT_DIR} (see ../shared/README.md)")
    bodies: list[dict[str, Any]] = []
    for name in YOUTUBE_FILES:
        bodies += youtube_messages(json.loads((CHAT_DIR / name).read_text(encoding="utf-8")))
    lines = (CHAT_DIR / TWITCH_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
    bodies += twitch_messages(lines)
    return bodies


def post_all(server: LiveServer, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = []
    with httpx.Client(base_url=server.url, headers=INGEST, timeout=30) as client:
        for start in range(0, len(bodies), 200):
            response = client.post("/api/comments", json=bodies[start : start + 200])
            assert response.status_code == 200, response.text
            answers += response.json()
    return answers


@pytest.mark.slow
def test_recorded_chat_replays_once_and_is_not_read_as_orders(live_server: LiveServer) -> None:
    bodies = recorded_chat()
    unique_ids = {(b["platform"], b["comment_id"]) for b in bodies}
    assert len(bodies) > 1000

    first = post_all(live_server, bodies)
    again = post_all(live_server, bodies[:300])  # a bridge replaying after a reconnect

    statuses = [a["status"] for a in first]
    assert statuses.count("duplicate") == len(bodies) - len(unique_ids)
    assert {a["status"] for a in again} == {"duplicate"}
    assert live_server.rows("SELECT count(*) FROM comments") == [(len(unique_ids),)]
    # gaming chat names none of the shop's products: copy-paste spam makes no orders
    assert live_server.rows("SELECT count(*) FROM orders") == [(0,)]
    reasons = {a["reason"] for a in first if a["status"] == "rejected"}
    assert reasons <= {"too_long", "blocked_word", "rate_limited", "empty"}
    assert "blocked_word" in reasons  # the excerpt has plenty of insults
    accepted = statuses.count("accepted")
    assert live_server.rows("SELECT count(*) FROM events WHERE type='comment'") == [(accepted,)]
    names = {str(n) for (n,) in live_server.rows("SELECT user_name FROM viewers")}
    assert any(not name.isascii() for name in names)  # non-Latin display names kept as written
