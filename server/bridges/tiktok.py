"""TikTok LIVE into comment bodies, through the `TikTokLive` library for the live connection.

TikTok has no official API for LIVE chat; both community libraries decode the web player's
protobuf stream. Two JSON shapes of their events are understood (field names as the libraries
publish them; see tests/data/chat/README.md for the sources):

- TikTokLive (Python, MIT) events, as `record_from_event` copies them (the protobuf JSON names):
  ``{"event": "CommentEvent", "data": {...}}`` with ``common.msgId``, ``common.createTime`` (ms),
  ``user.{userId|id, uniqueId, nickname}`` and ``content`` (``comment`` in older versions).
- TikTok-Live-Connector (Node) / TikFinity style: ``{"event": "chat", "data": {...}}`` with
  ``msgId``, ``userId``, ``uniqueId``, ``nickname``, ``comment``, ``createTime`` (ms, string).

Comments become bodies; gifts, likes, follows, shares and joins become `ChatEvent`s, never orders.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from server.bridges.body import (
    ChatEvent,
    CommentBody,
    EventKind,
    Parsed,
    epoch_s_from_number,
    json_records,
)
from studio.errors import BridgeDependencyMissing, BridgeSourceInvalid

PLATFORM = "tiktok"

# Event names of both libraries (lower-cased, "event"/"message" suffix dropped) -> our kind.
_KINDS: dict[str, str] = {
    "chat": "comment",
    "comment": "comment",
    "webcastchat": "comment",
    "gift": "gift",
    "webcastgift": "gift",
    "like": "like",
    "webcastlike": "like",
    "follow": "follow",
    "share": "share",
    "member": "join",
    "join": "join",
    "webcastmember": "join",
    "social": "social",
    "webcastsocial": "social",
}


def _event_name(record: dict[str, Any]) -> str:
    raw = str(record.get("event") or record.get("type") or "").lower()
    for suffix in ("event", "message"):
        raw = raw.removesuffix(suffix)
    return _KINDS.get(raw, "")


def _first(mapping: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = mapping.get(key)
        if value not in (None, "", 0, "0"):
            return value
    return None


def parse_record(record: dict[str, Any]) -> Parsed | None:
    """Turn one TikTok event record (either library's JSON) into a comment, an event, or None.

    Args:
        record: ``{"event": name, "data": {...}}``, or a bare connector ``chat`` payload.

    Returns:
        None for events we do not use (room stats, envelopes) and for comments without an id.
    """
    data = record.get("data") if isinstance(record.get("data"), dict) else record
    assert isinstance(data, dict)
    kind = _event_name(record) or ("comment" if "comment" in data or "content" in data else "")
    if not kind:
        return None
    common = data.get("common") or data.get("baseMessage") or {}
    common = common if isinstance(common, dict) else {}
    user = data.get("user") if isinstance(data.get("user"), dict) else data
    assert isinstance(user, dict)
    user_id = str(_first(user, "userId", "id") or _first(data, "userId") or "")
    name = str(_first(user, "nickname", "uniqueId", "displayId") or "")
    ts = epoch_s_from_number(_first(data, "createTime") or _first(common, "createTime"))
    if kind == "comment":
        comment_id = _first(data, "msgId") or _first(common, "msgId", "messageId")
        text = data.get("comment", data.get("content"))
        if comment_id is None or not user_id or not isinstance(text, str):
            return None
        return CommentBody(PLATFORM, str(comment_id), user_id, name, text, ts)
    event_kind, detail = _event_detail(kind, data)
    return ChatEvent(PLATFORM, event_kind, user_id, name, detail, ts)


def _event_detail(kind: str, data: dict[str, Any]) -> tuple[EventKind, str]:
    if kind == "gift":
        gift = data.get("gift") if isinstance(data.get("gift"), dict) else {}
        assert isinstance(gift, dict)
        gift_name = data.get("giftName") or gift.get("name") or f"gift {data.get('giftId', '?')}"
        return "gift", f"{gift_name} x{data.get('repeatCount') or 1}"
    if kind == "like":
        return "like", f"{data.get('likeCount') or data.get('count') or 1} likes"
    if kind == "social":
        label = str(data.get("displayType") or data.get("label") or "")
        return ("share" if "share" in label else "follow"), label
    if kind == "follow":
        return "follow", str(data.get("label") or "")
    if kind == "share":
        return "share", str(data.get("label") or "")
    return "join", str(data.get("label") or "")


def _attr(obj: object, *names: str) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, "", 0):
            return value
    return None


def record_from_event(event: object) -> dict[str, Any]:
    """Copy what `parse_record` reads from a TikTokLive event object into a JSON record.

    Fields are read by attribute, not with the event's ``to_dict()``: in TikTokLive 7.0.1,
    ``to_dict()`` fails on the library's own ``ExtendedUser`` type. Attribute names are those of
    TikTokLive 7 (``common.msg_id``, ``user.id``, ``user.display_id``, ``content``) and 6
    (``base_message.message_id``, ``comment``).

    Returns:
        ``{"event": "CommentEvent", "data": {...}}``, the shape `--record` and replays use.
    """
    common = _attr(event, "common", "base_message")
    user = _attr(event, "user")
    data: dict[str, Any] = {
        "common": {
            "msgId": str(_attr(common, "msg_id", "message_id") or ""),
            "createTime": str(_attr(common, "create_time") or ""),
        },
        "user": {
            "userId": str(_attr(user, "id", "user_id") or ""),
            "nickname": str(_attr(user, "nickname") or ""),
            "uniqueId": str(_attr(user, "display_id", "unique_id") or ""),
        },
    }
    text = _attr(event, "content", "comment")
    if isinstance(text, str):
        data["content"] = text
    gift = _attr(event, "gift")
    if gift is not None:
        data["gift"] = {"name": str(_attr(gift, "name") or "")}
        data["giftId"] = _attr(event, "gift_id") or 0
        data["repeatCount"] = _attr(event, "repeat_count") or 1
    for name, key in (("count", "count"), ("total", "total")):
        value = _attr(event, name)
        if isinstance(value, int):
            data[key] = value
    return {"event": type(event).__name__, "data": data}


def parse_text(text: str) -> Iterator[Parsed]:
    """Yield every comment and event of a recorded TikTok file (JSON Lines or a JSON list)."""
    records = json_records(text)
    for record in records:
        if isinstance(record, dict):
            parsed = parse_record(record)
            if parsed is not None:
                yield parsed


def looks_like(sample: str) -> bool:
    """Tell whether the start of a file is TikTok events (either library's JSON)."""
    return (
        '"CommentEvent"' in sample or '"event": "chat"' in sample or '"event":"chat"' in sample
    ) or ('"uniqueId"' in sample and '"msgId"' in sample)


def username_from(value: str) -> str:
    """Return ``@name`` from ``@name``, ``name`` or a ``tiktok.com/@name/live`` URL.

    Raises:
        BridgeSourceInvalid: if no user name can be found.
    """
    text = value.strip()
    if "tiktok.com/" in text:
        text = text.split("tiktok.com/", 1)[1].split("/", 1)[0]
    name = text.lstrip("@")
    if not name or not all(ch.isalnum() or ch in "._" for ch in name):
        raise BridgeSourceInvalid(
            f"{value!r} is not a TikTok user name",
            hint="give the seller's @username, e.g. tiktok:@myshop",
        )
    return f"@{name}"


async def listen(
    username: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    on_connected: Callable[[], None] = lambda: None,
) -> None:
    """Follow a TikTok LIVE room through TikTokLive until it ends or the connection drops.

    Raises:
        BridgeDependencyMissing: if TikTokLive is not installed.
        ConnectionError: when the room is offline or the connection drops (the caller retries).
    """
    try:
        from TikTokLive import TikTokLiveClient  # optional extra: livestall[bridges]
        from TikTokLive.events import (
            CommentEvent,
            ConnectEvent,
            FollowEvent,
            GiftEvent,
            LikeEvent,
            ShareEvent,
        )
    except ImportError as exc:
        raise BridgeDependencyMissing("tiktok", "TikTokLive") from exc

    client = TikTokLiveClient(unique_id=username_from(username))

    async def forward(event: Any) -> None:
        parsed = parse_record(record_from_event(event))
        if parsed is not None:
            await on_item(parsed)

    async def connected(_: Any) -> None:
        on_connected()

    client.add_listener(ConnectEvent, connected)
    for event_type in (CommentEvent, GiftEvent, LikeEvent, FollowEvent, ShareEvent):
        client.add_listener(event_type, forward)
    try:
        await client.connect()
    except Exception as exc:  # the library's errors share no base class; name them for the seller
        if type(exc).__name__ == "UserNotFoundError":
            raise BridgeSourceInvalid(
                f"TikTok user {username} does not exist", hint="check the @username"
            ) from exc
        raise ConnectionError(f"TikTok {username}: {type(exc).__name__}: {exc}") from exc
    finally:
        await client.disconnect(close_client=True)  # a new client is made per connection
