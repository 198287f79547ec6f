"""Social Stream Ninja (SSN) relay: its chat messages into comment bodies.

SSN captures chat from dozens of sites in the seller's browser and, with "Send chat messages to
API server" on, relays every message as JSON on channel 4 of its websocket server
(``wss://io.socialstream.ninja/join/SESSION/4``). The message keys are documented in SSN's
``api.md`` ("Content Object Structure"): ``chatname``, ``chatmessage`` (HTML unless
``textonly``), ``type`` (source site: ``youtube``, ``tiktok``, ``facebook``, ``kick``...),
``userid``, ``id`` (SSN's own message number), ``hasDonation``, ``event`` (``follow``, ``gift``...
for non-chat events), ``chatimg``, ``membership``.

Each message keeps its source site as ``platform``, so orders show where they came from. SSN gives
no platform message id, so the id is derived from SSN's number and the content (see `message_id`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import websockets

from server.bridges.body import (
    ChatEvent,
    CommentBody,
    EventKind,
    Parsed,
    content_id,
    epoch_s_from_number,
    json_records,
    stand_in_user_id,
    text_from_html,
)

SERVER_URL = "wss://io.socialstream.ninja"
CHAT_CHANNEL = 4

_EVENT_KINDS: dict[str, EventKind] = {
    "follow": "follow",
    "followed": "follow",
    "new_follower": "follow",
    "gift": "gift",
    "giftcombo": "gift",
    "like": "like",
    "likes": "like",
    "joined": "join",
    "join": "join",
    "share": "share",
    "subscription": "subscription",
    "sponsorship": "subscription",
    "membership": "subscription",
    "donation": "donation",
}


def platform_of(message: dict[str, Any]) -> str:
    """Return the source site of an SSN message as a safe lower-case name (``ssn`` if unknown)."""
    raw = str(message.get("type") or "").lower()
    name = re.sub(r"[^a-z0-9_-]", "", raw)[:32]  # the server takes at most 32 characters
    return name or "ssn"


def message_id(message: dict[str, Any], *, nonce: str) -> str:
    """Return a comment id for an SSN message.

    SSN numbers messages itself (``id``); the number restarts with SSN, so the content is hashed
    in. Without a number, `nonce` (arrival time, or position in a recording) is hashed in
    instead, so two identical comments from one viewer stay two comments.
    """
    user = str(message.get("userid") or message.get("chatname") or "")
    text = str(message.get("chatmessage") or "")
    number = message.get("id")
    if isinstance(number, int | str) and str(number):
        return content_id("ssn", str(number), user, text)
    return content_id("ssn", user, text, nonce)


def unwrap(message: dict[str, Any]) -> dict[str, Any] | None:
    """Return the chat object of a relay frame (bare, or wrapped as ``{"action", "value"}``)."""
    if "chatname" in message or "chatmessage" in message:
        return message
    value = message.get("value") or message.get("content")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    if isinstance(value, dict) and ("chatname" in value or "chatmessage" in value):
        return value
    return None


def parse_message(frame: dict[str, Any], *, received_s: float | None, nonce: str) -> Parsed | None:
    """Turn one SSN relay frame into a comment, an event, or None (commands, empty messages).

    Args:
        frame: the decoded JSON of one websocket message.
        received_s: when it arrived (epoch seconds), the comment's time if SSN gives none.
        nonce: arrival time or position, used in the id when SSN gives no message number.
    """
    message = unwrap(frame)
    if message is None:
        return None
    platform = platform_of(message)
    name = text_from_html(str(message.get("chatname") or ""))
    user_id = str(message.get("userid") or "") or stand_in_user_id(platform, name)
    raw_text = str(message.get("chatmessage") or "")
    text = raw_text if message.get("textonly") is True else text_from_html(raw_text)
    ts = epoch_s_from_number(message.get("timestamp")) or received_s
    event = message.get("event")
    if isinstance(event, str) and event:
        kind = _EVENT_KINDS.get(event.lower())
        if kind is not None:
            detail = str(message.get("hasDonation") or "") or text
            return ChatEvent(platform, kind, user_id, name, detail, ts)
        return None
    if not text.strip():
        if message.get("hasDonation"):
            return ChatEvent(platform, "donation", user_id, name, str(message["hasDonation"]), ts)
        return None
    return CommentBody(platform, message_id(message, nonce=nonce), user_id, name, text, ts)


def parse_text(text: str) -> Iterator[Parsed]:
    """Yield the comments of a recorded relay (one JSON frame per line, or a JSON list)."""
    frames = json_records(text)
    for index, frame in enumerate(frames):
        if isinstance(frame, dict):
            # Frame positions keep identical comments of a recording distinct.
            parsed = parse_message(frame, received_s=None, nonce=f"#{index}")
            if parsed is not None:
                yield parsed


def looks_like(sample: str) -> bool:
    """Tell whether the start of a file is an SSN relay recording."""
    return '"chatname"' in sample and '"chatmessage"' in sample


async def listen(
    session: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    server_url: str = SERVER_URL,
    on_connected: Callable[[], None] = lambda: None,
) -> None:
    """Receive SSN's chat relay (channel 4) until the connection closes.

    Raises:
        websockets.exceptions.WebSocketException, OSError: when the connection drops (retried).
    """
    url = f"{server_url.rstrip('/')}/join/{session}/{CHAT_CHANNEL}"
    async with websockets.connect(url, open_timeout=15, compression=None) as ws:
        on_connected()
        async for frame in ws:
            try:
                decoded = json.loads(frame)
            except json.JSONDecodeError:
                continue
            if isinstance(decoded, dict):
                now = time.time()
                parsed = parse_message(decoded, received_s=now, nonce=f"{now:.6f}")
                if parsed is not None:
                    await on_item(parsed)
