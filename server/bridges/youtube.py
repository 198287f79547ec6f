"""YouTube Live chat into comment bodies, through `chat-downloader` for the live connection.

Three shapes of recorded chat are understood, all real formats:

- InnerTube JSON (what youtube.com's own player fetches): a ``get_live_chat`` or
  ``get_live_chat_replay`` response, or a bare list of chat actions. Messages are
  ``liveChatTextMessageRenderer`` / ``liveChatPaidMessageRenderer`` objects under
  ``addChatItemAction.item`` (replays wrap them in ``replayChatItemAction.actions``).
- yt-dlp's ``*.live_chat.json``: the same replay actions, one JSON object per line.
- chat-downloader's message dicts (``message_id``, ``message``, ``author{id,name}``,
  ``timestamp`` in µs), which is what the live loop receives from the library.

Why chat-downloader and not pytchat: see docs/bridges.md, "YouTube" (pytchat's last release is
from July 2021 with unanswered breakage reports since; chat-downloader's maintainer still reviews
fixes for YouTube's 2025 changes, and direct live URLs keep working).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from server.bridges.body import ChatEvent, CommentBody, EventKind, Parsed, epoch_s_from_number
from studio.errors import BridgeDependencyMissing, BridgeSourceInvalid

PLATFORM = "youtube"

_COMMENT_RENDERERS = ("liveChatTextMessageRenderer", "liveChatPaidMessageRenderer")
_EVENT_RENDERERS: dict[str, EventKind] = {
    "liveChatPaidStickerRenderer": "donation",
    "liveChatMembershipItemRenderer": "subscription",
    "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer": "gift",
}
# chat-downloader's message_type values for the same events.
_LIBRARY_EVENTS: dict[str, EventKind] = {
    "paid_sticker": "donation",
    "membership_item": "subscription",
    "sponsorships_gift_purchase_announcement": "gift",
}
# chat-downloader errors that retrying cannot fix (chat_downloader/errors.py).
_FATAL_ERRORS = frozenset(
    {
        "VideoNotFound",
        "VideoUnavailable",
        "ChatDisabled",
        "LoginRequired",
        "InvalidURL",
        "NoChatReplay",
    }
)
_VIDEO_ID = re.compile(r"(?:v=|youtu\.be/|/live/|/shorts/|/embed/)([A-Za-z0-9_-]{11})")


def runs_text(runs: object) -> str:
    """Join InnerTube text runs; emoji runs become the emoji itself (or its shortcut if custom)."""
    if not isinstance(runs, list):
        return ""
    parts: list[str] = []
    for run in runs:
        if not isinstance(run, dict):
            continue
        if isinstance(run.get("text"), str):
            parts.append(run["text"])
            continue
        emoji = run.get("emoji")
        if isinstance(emoji, dict):
            shortcuts = emoji.get("shortcuts") or []
            if emoji.get("isCustomEmoji") and shortcuts:
                parts.append(str(shortcuts[0]))
            else:
                parts.append(str(emoji.get("emojiId") or (shortcuts[0] if shortcuts else "")))
    return "".join(parts)


def _simple_text(value: object) -> str:
    if isinstance(value, dict):
        if isinstance(value.get("simpleText"), str):
            return str(value["simpleText"])
        return runs_text(value.get("runs"))
    return ""


def parse_renderer(kind: str, renderer: dict[str, Any]) -> Parsed | None:
    """Turn one InnerTube chat renderer into a comment or event (None when it has no id or author)."""
    comment_id = renderer.get("id")
    if not isinstance(comment_id, str) or not comment_id:
        return None
    user_id = str(renderer.get("authorExternalChannelId") or "")
    name = _simple_text(renderer.get("authorName"))
    ts = epoch_s_from_number(renderer.get("timestampUsec"))
    if kind in _COMMENT_RENDERERS:
        if not user_id:
            return None
        text = runs_text((renderer.get("message") or {}).get("runs"))
        return CommentBody(PLATFORM, comment_id, user_id, name, text, ts)
    event_kind = _EVENT_RENDERERS.get(kind)
    if event_kind is None:
        return None
    detail = _simple_text(renderer.get("purchaseAmountText")) or _simple_text(
        renderer.get("headerSubtext")
    )
    return ChatEvent(PLATFORM, event_kind, user_id, name, detail, ts)


def parse_innertube(data: object) -> Iterator[Parsed]:
    """Yield every message of any InnerTube chat JSON (live response, replay, or action list).

    Renderers are found wherever they sit: in ``addChatItemAction``, in a replay wrapper, and in
    the ticker (``showLiveChatItemEndpoint``) or pinned banner that repeat a message. A repeat
    has the same id; `parse_text` and the server both keep the first.
    """
    if isinstance(data, list):
        for item in data:
            yield from parse_innertube(item)
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key in _COMMENT_RENDERERS or key in _EVENT_RENDERERS:
            if isinstance(value, dict):
                parsed = parse_renderer(key, value)
                if parsed is not None:
                    yield parsed
            continue
        if isinstance(value, dict | list):
            yield from parse_innertube(value)


def parse_chat_downloader(message: dict[str, Any]) -> Parsed | None:
    """Turn one chat-downloader message dict (what its ``get_chat()`` yields) into a body."""
    comment_id = message.get("message_id")
    author = message.get("author") if isinstance(message.get("author"), dict) else {}
    assert isinstance(author, dict)
    user_id = str(author.get("id") or "")
    if not isinstance(comment_id, str) or not comment_id or not user_id:
        return None
    name = str(author.get("name") or "")
    ts = epoch_s_from_number(message.get("timestamp"))
    kind = message.get("message_type", "text_message")
    if kind in ("text_message", "paid_message"):
        return CommentBody(
            PLATFORM, comment_id, user_id, name, str(message.get("message") or ""), ts
        )
    event_kind = _LIBRARY_EVENTS.get(str(kind))
    if event_kind is not None:
        money = message.get("money")
        detail = str(money.get("text", "")) if isinstance(money, dict) else ""
        return ChatEvent(PLATFORM, event_kind, user_id, name, detail, ts)
    return None


def _is_chat_downloader(obj: object) -> bool:
    return isinstance(obj, dict) and "message_id" in obj and "author" in obj


def parse_text(text: str) -> Iterator[Parsed]:
    """Yield every message of a recorded YouTube chat file (any of the three shapes above).

    Lines that are not JSON (a truncated last line, say) are skipped.
    """
    stripped = text.strip()
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
    documents: list[object] = [whole] if whole is not None else []
    if whole is None:
        for line in stripped.splitlines():
            try:
                documents.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    seen: set[tuple[str, str]] = set()
    for doc in documents:
        items = doc if isinstance(doc, list) and doc and _is_chat_downloader(doc[0]) else [doc]
        for item in items:
            if isinstance(item, dict) and _is_chat_downloader(item):
                found: Iterator[Parsed | None] = iter([parse_chat_downloader(item)])
            else:
                found = parse_innertube(item)
            for parsed in found:
                if parsed is None:
                    continue
                key = _identity(parsed)
                if key not in seen:
                    seen.add(key)
                    yield parsed


def _identity(parsed: Parsed) -> tuple[str, str]:
    if isinstance(parsed, CommentBody):
        return ("comment", parsed.comment_id)
    return (parsed.kind, f"{parsed.user_id}|{parsed.detail}|{parsed.ts}")


def looks_like(sample: str) -> bool:
    """Tell whether the start of a file is YouTube chat (InnerTube or chat-downloader JSON)."""
    markers = ("liveChatTextMessageRenderer", "addChatItemAction", "replayChatItemAction")
    if any(marker in sample for marker in markers):
        return True
    return '"message_id"' in sample and '"author"' in sample and '"timestamp"' in sample


def video_id_from(url_or_id: str) -> str:
    """Return the 11-character video id of a watch/live/short URL, or the argument if it is an id.

    Raises:
        ValueError: if no video id can be found.
    """
    match = _VIDEO_ID.search(url_or_id)
    if match:
        return match.group(1)
    if re.fullmatch(r"[A-Za-z0-9_-]{11}", url_or_id):
        return url_or_id
    raise ValueError(f"{url_or_id!r} is not a YouTube video id or URL")


async def listen(
    video: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    on_connected: Callable[[], None] = lambda: None,
) -> None:
    """Follow a live stream's chat through chat-downloader until the stream ends.

    chat-downloader is synchronous (requests); it runs in a worker thread and hands each message
    to the event loop.

    Raises:
        BridgeDependencyMissing: if chat-downloader is not installed.
    """
    try:
        from chat_downloader import ChatDownloader  # optional extra: livestall[bridges]
    except ImportError as exc:
        raise BridgeDependencyMissing("youtube", "chat-downloader") from exc

    url = f"https://www.youtube.com/watch?v={video_id_from(video)}"
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[dict[str, Any] | BaseException | None] = asyncio.Queue()
    stop = threading.Event()

    def hand_over(item: dict[str, Any] | BaseException | None) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, item)

    def pump() -> None:
        # A daemon thread, so a stopped bridge never waits for YouTube's next poll to exit.
        try:
            chat = ChatDownloader().get_chat(url, message_groups=["messages", "superchat"])
            loop.call_soon_threadsafe(on_connected)
            for message in chat:
                if stop.is_set():
                    break
                hand_over(message)
        except Exception as exc:  # handed to the event loop, which re-raises it
            hand_over(exc)
        else:
            hand_over(None)

    threading.Thread(target=pump, name=f"youtube-chat-{video}", daemon=True).start()
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, BaseException):
                if type(item).__name__ in _FATAL_ERRORS:
                    raise BridgeSourceInvalid(
                        f"YouTube video {video}: {item}",
                        hint="check the video id, and that the stream is live with chat on",
                    ) from item
                raise ConnectionError(f"YouTube chat of {video}: {item}") from item
            parsed = parse_chat_downloader(item)
            if parsed is not None:
                await on_item(parsed)
    finally:
        stop.set()
