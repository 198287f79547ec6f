"""YouTube live chat straight from InnerTube, the way youtube.com's own chat frame reads it, with
a resume point: after a drop, polling goes on from the last continuation, so the messages written
meanwhile come back (the server-run sources use this; `youtube.listen` needs chat-downloader).

1. ``GET /live_chat?v=VIDEO_ID&is_popout=1``: the chat frame. Its ``ytcfg.set({...})`` holds
   ``INNERTUBE_API_KEY`` and ``INNERTUBE_CONTEXT``; its ``ytInitialData`` holds
   ``contents.liveChatRenderer`` with the latest ``actions`` and the first ``continuations``.
2. ``POST /youtubei/v1/live_chat/get_live_chat?key=KEY`` with ``{"context", "continuation"}``:
   ``continuationContents.liveChatContinuation`` with new ``actions`` and the next continuation
   (``invalidationContinuationData`` / ``timedContinuationData`` / ``reloadContinuationData``,
   each with ``continuation`` and ``timeoutMs``). No continuation means the chat has ended.

Messages are the InnerTube renderers `server.bridges.youtube.parse_innertube` reads.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from server.bridges.body import Parsed
from server.bridges.youtube import parse_innertube, video_id_from
from studio.errors import BridgeSourceInvalid

BASE_URL = "https://www.youtube.com"
HEADERS = {
    # The chat frame is served to browsers; a plain client gets a consent page in some regions.
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Accept-Language": "vi,en;q=0.8",
}
_CONTINUATION_KINDS = (
    "invalidationContinuationData",
    "timedContinuationData",
    "reloadContinuationData",
    "liveChatReplayContinuationData",
)
_INITIAL_DATA_MARKERS = ('window["ytInitialData"] =', "var ytInitialData =", "ytInitialData =")


@dataclass(slots=True)
class ChatCursor:
    """Where a chat stands, kept across reconnects.

    Attributes:
        api_key, context: from the chat frame's ``ytcfg``.
        continuation: the next poll's token ("" before the first page).
        is_refill_lost: the last reconnect could not resume (the token had expired).
    """

    api_key: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    continuation: str = ""
    is_refill_lost: bool = False


class ContinuationRefused(ConnectionError):
    """YouTube no longer accepts the saved continuation: the chat frame is read again."""


def _json_after(text: str, marker: str) -> Any:
    """Decode the JSON value that starts right after `marker` in `text` (None when absent)."""
    start = text.find(marker)
    if start < 0:
        return None
    index = text.find("{", start + len(marker))
    if index < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, index)
    except json.JSONDecodeError:
        return None
    return value


def read_ytcfg(html: str) -> dict[str, Any]:
    """Merge every ``ytcfg.set({...})`` of a page (the key and context may sit in any of them)."""
    merged: dict[str, Any] = {}
    position = 0
    while (found := html.find("ytcfg.set(", position)) >= 0:
        value = _json_after(html[found:], "ytcfg.set(")
        if isinstance(value, dict):
            merged.update(value)
        position = found + len("ytcfg.set(")
    return merged


def next_continuation(container: object) -> tuple[str, float]:
    """The next continuation token and how long YouTube asks to wait (s); ("", 0) at the end."""
    items = container.get("continuations") if isinstance(container, dict) else None
    for item in items if isinstance(items, list) else []:
        for kind in _CONTINUATION_KINDS:
            data = item.get(kind) if isinstance(item, dict) else None
            if isinstance(data, dict) and isinstance(data.get("continuation"), str):
                return data["continuation"], float(data.get("timeoutMs") or 0) / 1000
    return "", 0.0


def parse_frame(html: str) -> tuple[ChatCursor, list[Parsed]]:
    """Read the chat frame: the cursor to poll with, and the messages it already shows.

    Raises:
        BridgeSourceInvalid: the page has no live chat (not live, chat off, or no such video).
    """
    config = read_ytcfg(html)
    initial = next(
        (v for m in _INITIAL_DATA_MARKERS if isinstance(v := _json_after(html, m), dict)), None
    )
    renderer = (initial or {}).get("contents", {}).get("liveChatRenderer")
    token, _ = next_continuation(renderer)
    if not isinstance(renderer, dict) or not token or not config.get("INNERTUBE_API_KEY"):
        raise BridgeSourceInvalid(
            "this YouTube video has no live chat to read",
            hint="check that the stream is live and its chat is on",
        )
    context = config.get("INNERTUBE_CONTEXT")
    cursor = ChatCursor(
        api_key=str(config["INNERTUBE_API_KEY"]),
        context=context if isinstance(context, dict) else {},
        continuation=token,
    )
    return cursor, list(parse_innertube(renderer.get("actions") or []))


async def _read_frame(http: httpx.AsyncClient, base_url: str, video: str) -> httpx.Response:
    response = await http.get(
        f"{base_url}/live_chat", params={"v": video, "is_popout": "1"}, timeout=20.0
    )
    if response.status_code == 404:
        raise BridgeSourceInvalid(f"YouTube has no video {video}", hint="check the video link")
    if response.status_code >= 400:
        raise ConnectionError(f"YouTube answered HTTP {response.status_code} for the chat frame")
    return response


async def _poll(
    http: httpx.AsyncClient, base_url: str, cursor: ChatCursor
) -> tuple[list[Parsed], float]:
    """One ``get_live_chat``: new messages, and the wait before the next (cursor moved on)."""
    response = await http.post(
        f"{base_url}/youtubei/v1/live_chat/get_live_chat",
        params={"key": cursor.api_key, "prettyPrint": "false"},
        json={"context": cursor.context, "continuation": cursor.continuation},
        timeout=20.0,
    )
    if response.status_code in (400, 403, 404):
        raise ContinuationRefused(
            f"YouTube refused the chat continuation (HTTP {response.status_code})"
        )
    if response.status_code >= 400:
        raise ConnectionError(f"YouTube answered HTTP {response.status_code} for the chat")
    try:
        chat = response.json()["continuationContents"]["liveChatContinuation"]
    except (ValueError, KeyError, TypeError):
        return [], -1.0  # no continuation contents: the live has ended
    token, wait_s = next_continuation(chat)
    messages = list(parse_innertube(chat.get("actions") or []))
    if not token:
        return messages, -1.0
    cursor.continuation = token
    return messages, wait_s


async def listen(
    video: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    cursor: ChatCursor,
    base_url: str = BASE_URL,
    on_connected: Callable[[], None] = lambda: None,
    min_wait_s: float = 0.5,
    max_wait_s: float = 5.0,
) -> None:
    """Follow a live's chat until it ends; resume from `cursor` when it has a continuation.

    Messages written during a drop come back on the first poll of the resumed cursor, before
    `on_connected` is called. Returns when the chat ends; raises ConnectionError to be retried.

    Raises:
        BridgeSourceInvalid: no such video or no live chat.
        ConnectionError: the network or YouTube failed (the caller retries with `cursor`).
    """
    video_id = video_id_from(video)
    cursor.is_refill_lost = False
    async with httpx.AsyncClient(headers=HEADERS, follow_redirects=True) as http:
        wait_s = 0.0
        if cursor.continuation:
            try:
                messages, wait_s = await _poll(http, base_url, cursor)
            except ContinuationRefused:
                cursor.continuation, cursor.is_refill_lost = "", True
            else:
                for message in messages:
                    await on_item(message)
        if not cursor.continuation:
            frame = await _read_frame(http, base_url, video_id)
            fresh, messages = parse_frame(frame.text)
            cursor.api_key, cursor.context = fresh.api_key, fresh.context
            cursor.continuation = fresh.continuation
            for message in messages:
                await on_item(message)
        on_connected()
        while wait_s >= 0:
            await asyncio.sleep(min(max(wait_s, min_wait_s), max_wait_s))
            messages, wait_s = await _poll(http, base_url, cursor)
            for message in messages:
                await on_item(message)
