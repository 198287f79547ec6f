"""Recorded-chat format detection and reading (what `livestall live replay` does first)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.bridges.formats import FORMATS, detect_format, read_recording
from studio.errors import RecordingUnreadable


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("twitch_irc_xqcow_excerpt.irc", "twitch"),
        ("youtube_innertube_replay_pytchat.json", "youtube"),
        ("youtube_get_live_chat_chat_downloader.json", "youtube"),
        ("youtube_actions_chat_downloader.json", "youtube"),
    ],
)
def test_real_recordings_are_detected(shared_chat: Path, name: str, fmt: str) -> None:
    chosen, items = read_recording(shared_chat / name)
    assert chosen.name == fmt
    assert items


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("youtube_chat_downloader_messages.json", "youtube"),
        ("facebook_comments_page.json", "facebook"),
        ("facebook_live_comments.sse", "facebook"),
        ("ssn_relay.jsonl", "ssn"),
        ("tiktok_events.jsonl", "tiktok"),
    ],
)
def test_fixtures_are_detected(fixtures_dir: Path, name: str, fmt: str) -> None:
    assert read_recording(fixtures_dir / name)[0].name == fmt


def test_our_jsonl_is_detected_before_looser_shapes(tmp_path: Path) -> None:
    path = tmp_path / "chat.jsonl"
    path.write_text(
        '{"platform": "facebook", "comment_id": "1", "user_id": "2", "user_name": "a", "text": "x", '
        '"message": "m", "created_time": "2018-08-30T18:47:02+0000"}\n',
        encoding="utf-8",
    )
    assert read_recording(path)[0].name == "jsonl"


def test_explicit_format_overrides_detection(fixtures_dir: Path) -> None:
    chosen, items = read_recording(fixtures_dir / "ssn_relay.jsonl", "ssn")
    assert chosen is FORMATS["ssn"] and len(items) == 8


def test_unknown_and_empty_files_are_refused(tmp_path: Path) -> None:
    unknown = tmp_path / "notes.txt"
    unknown.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(RecordingUnreadable, match="not a chat format"):
        read_recording(unknown)
    with pytest.raises(RecordingUnreadable, match="cannot read"):
        read_recording(tmp_path / "missing.json")
    with pytest.raises(RecordingUnreadable, match="no chat format"):
        read_recording(unknown, "myspace")
    with pytest.raises(RecordingUnreadable, match="no comments found"):
        read_recording(unknown, "twitch")


def test_detect_format_on_nothing() -> None:
    assert detect_format("") is None
