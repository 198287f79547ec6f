"""YouTube chat -> comment bodies, on real InnerTube responses and chat-downloader messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.bridges import youtube
from server.bridges.body import ChatEvent, CommentBody


def _split(items: list[object]) -> tuple[list[CommentBody], list[ChatEvent]]:
    return [i for i in items if isinstance(i, CommentBody)], [
        i for i in items if isinstance(i, ChatEvent)
    ]


@pytest.mark.parametrize(
    ("name", "comments", "events"),
    [
        ("youtube_innertube_replay_pytchat.json", 48, 0),  # 47 text + 1 paid, replay wrapper
        ("youtube_get_live_chat_chat_downloader.json", 9, 0),  # the renderer without id is dropped
        ("youtube_actions_chat_downloader.json", 3, 3),  # text, ticker paid message, pinned banner
    ],
)
def test_real_innertube_files(shared_chat: Path, name: str, comments: int, events: int) -> None:
    found, happenings = _split(
        list(youtube.parse_text((shared_chat / name).read_text(encoding="utf-8")))
    )
    assert (len(found), len(happenings)) == (comments, events)
    assert len({c.comment_id for c in found}) == comments
    for comment in found:
        assert comment.platform == "youtube"
        assert comment.user_id.startswith("UC")
        assert comment.user_name
        assert comment.ts is not None and 1.5e9 < comment.ts < 1.7e9


def test_replay_keeps_non_latin_text_and_emoji(shared_chat: Path) -> None:
    text = (shared_chat / "youtube_innertube_replay_pytchat.json").read_text(encoding="utf-8")
    found, _ = _split(list(youtube.parse_text(text)))
    texts = [c.text for c in found]
    assert "こんにちは" in texts
    assert any("🕎" in t for t in texts)


def test_paid_message_is_a_comment_and_stickers_are_donations(shared_chat: Path) -> None:
    text = (shared_chat / "youtube_actions_chat_downloader.json").read_text(encoding="utf-8")
    found, events = _split(list(youtube.parse_text(text)))
    assert {e.kind for e in events} == {"donation", "subscription"}
    assert any(e.detail.startswith("$") for e in events if e.kind == "donation")
    assert len(found) == 3


def test_the_same_message_seen_twice_is_one_comment(shared_chat: Path) -> None:
    data = json.loads(
        (shared_chat / "youtube_get_live_chat_chat_downloader.json").read_text(encoding="utf-8")
    )
    doubled = json.dumps([data, data])  # a reconnect that fetched the same page again
    found, _ = _split(list(youtube.parse_text(doubled)))
    assert len(found) == 9


def test_chat_downloader_messages(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "youtube_chat_downloader_messages.json").read_text(encoding="utf-8")
    found, events = _split(list(youtube.parse_text(text)))
    assert len(found) == 10  # 10 text messages; engagement and mode-change notices are skipped
    assert [e.kind for e in events] == ["subscription", "donation"]
    first = found[0]
    assert first.comment_id.startswith("CjoKGkNJLTRuSUMyMHUwQ0ZRMktnZ29kdEZjTjZR")
    assert first.text == "Consistency Level ASL ❤️"
    assert first.ts == pytest.approx(1608118971.079695)


def test_innertube_and_library_give_the_same_comment(shared_chat: Path, fixtures_dir: Path) -> None:
    ours = list(
        youtube.parse_text(
            (shared_chat / "youtube_get_live_chat_chat_downloader.json").read_text(encoding="utf-8")
        )
    )
    library = list(
        youtube.parse_text(
            (fixtures_dir / "youtube_chat_downloader_messages.json").read_text(encoding="utf-8")
        )
    )
    by_id = {c.comment_id: c for c in library if isinstance(c, CommentBody)}
    for comment in ours:
        assert isinstance(comment, CommentBody)
        assert by_id[comment.comment_id] == comment


def test_emoji_runs_and_malformed_renderers() -> None:
    runs = [
        {"text": "chốt "},
        {"emoji": {"emojiId": "😍", "shortcuts": [":heart_eyes:"]}},
        {"emoji": {"emojiId": "UCx/abc", "shortcuts": [":shop-logo:"], "isCustomEmoji": True}},
        5,
    ]
    assert youtube.runs_text(runs) == "chốt 😍:shop-logo:"
    assert youtube.parse_renderer("liveChatTextMessageRenderer", {"message": {"runs": []}}) is None
    assert youtube.parse_renderer("liveChatTextMessageRenderer", {"id": "x"}) is None  # no author
    assert list(youtube.parse_text('{"truncated": ')) == []
    assert list(youtube.parse_text("not json\n[1, 2]")) == []


@pytest.mark.parametrize(
    ("value", "video_id"),
    [
        ("https://www.youtube.com/watch?v=jfKfPfyJRdk", "jfKfPfyJRdk"),
        ("https://youtu.be/jfKfPfyJRdk?t=3", "jfKfPfyJRdk"),
        ("https://www.youtube.com/live/YPm_OqrzMIs?feature=share", "YPm_OqrzMIs"),
        ("jfKfPfyJRdk", "jfKfPfyJRdk"),
    ],
)
def test_video_id_from_links(value: str, video_id: str) -> None:
    assert youtube.video_id_from(value) == video_id


def test_video_id_refuses_other_text() -> None:
    with pytest.raises(ValueError, match="not a YouTube video"):
        youtube.video_id_from("https://www.youtube.com/@someshop")
