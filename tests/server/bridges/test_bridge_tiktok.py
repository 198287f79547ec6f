"""TikTok events (TikTokLive and TikTok-Live-Connector JSON) -> comment bodies and events."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.bridges import tiktok
from server.bridges.body import ChatEvent, CommentBody
from studio.errors import BridgeSourceInvalid


def test_fixture_events(fixtures_dir: Path) -> None:
    items = list(
        tiktok.parse_text((fixtures_dir / "tiktok_events.jsonl").read_text(encoding="utf-8"))
    )
    comments = [i for i in items if isinstance(i, CommentBody)]
    events = [i for i in items if isinstance(i, ChatEvent)]
    assert comments == [
        CommentBody(
            "tiktok",
            "7441000000000000001",
            "6800000000000000001",
            "Thu Hà",
            "chốt A12 size M",
            1732492800.123,
        ),
        CommentBody(
            "tiktok", "7441000000000000002", "6800000000000000002", "Ngọc", "😍😍😍", 1732492801.456
        ),
        CommentBody(
            "tiktok",
            "7441000000000000005",
            "6800000000000000004",
            "Linh",
            "lấy 2 cái SP01",
            1732492804.0,
        ),
    ]
    assert [(e.kind, e.detail) for e in events] == [
        ("gift", "Rose x5"),
        ("like", "15 likes"),
        ("follow", "pm_main_follow_message_viewer_2"),
        ("follow", ""),
    ]


@pytest.mark.parametrize(
    "record",
    [
        {"event": "chat", "data": {"comment": "no id", "userId": "1"}},
        {"event": "CommentEvent", "data": {"common": {"msgId": "5"}, "content": "no user"}},
        {
            "event": "CommentEvent",
            "data": {"common": {"msgId": "5"}, "user": {"userId": "1"}, "content": 7},
        },
        {"event": "RoomUserSeqEvent", "data": {"total": 10}},
        {"data": {"viewerCount": 3}},
    ],
)
def test_records_missing_fields_give_nothing(record: dict[str, object]) -> None:
    assert tiktok.parse_record(record) is None


def test_older_tiktoklive_shape_with_base_message() -> None:
    record = {
        "event": "CommentEvent",
        "data": {
            "baseMessage": {"messageId": "77", "createTime": "1700000000000"},
            "user": {"id": "9", "nickname": "Vy"},
            "comment": "SOLD B3",
        },
    }
    assert tiktok.parse_record(record) == CommentBody(
        "tiktok", "77", "9", "Vy", "SOLD B3", 1700000000.0
    )


def test_a_5000_character_comment_is_kept_whole() -> None:
    long_text = "A12 " * 1250
    record = {
        "event": "chat",
        "data": {"msgId": "1", "userId": "2", "nickname": "x", "comment": long_text},
    }
    parsed = tiktok.parse_record(record)
    assert isinstance(parsed, CommentBody) and len(parsed.text) == 5000


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("@myshop", "@myshop"),
        ("myshop", "@myshop"),
        ("https://www.tiktok.com/@my.shop_1/live", "@my.shop_1"),
    ],
)
def test_username_from(value: str, name: str) -> None:
    assert tiktok.username_from(value) == name


def test_username_refuses_garbage() -> None:
    with pytest.raises(BridgeSourceInvalid, match="not a TikTok user name"):
        tiktok.username_from("@my shop!")


def test_record_from_real_tiktoklive_events() -> None:
    """Runs where the optional TikTokLive library is installed (``livestall[bridges]``)."""
    tk_events = pytest.importorskip("TikTokLive.events")
    tk_custom = pytest.importorskip("TikTokLive.proto.custom_proto")
    tk_proto = pytest.importorskip("TikTokLiveProto.v3.webcast.shared.message")
    # No short local names here (`common`, `base`...): pydantic resolves the library's forward
    # references in the caller's frame while it builds the event classes.
    tk_comment = tk_events.CommentEvent(
        common=tk_proto.CommonMessageData(msg_id=7441000000000000001, create_time=1732492800123),
        user=tk_custom.ExtendedUser(
            id=6800000000000000001, nickname="Thu Hà", display_id="thuha.shop"
        ),
        content="chốt A12 size M",
    )
    assert tiktok.parse_record(tiktok.record_from_event(tk_comment)) == CommentBody(
        "tiktok",
        "7441000000000000001",
        "6800000000000000001",
        "Thu Hà",
        "chốt A12 size M",
        1732492800.123,
    )
    tk_gift = tk_events.GiftEvent(
        common=tk_proto.CommonMessageData(msg_id=7441000000000000003, create_time=1732492802000),
        user=tk_custom.ExtendedUser(id=6800000000000000002, nickname="Ngọc"),
        repeat_count=5,
        gift=tk_custom.ExtendedGift(name="Rose"),
    )
    tk_parsed = tiktok.parse_record(tiktok.record_from_event(tk_gift))
    assert isinstance(tk_parsed, ChatEvent) and tk_parsed.detail == "Rose x5"
