"""Twitch chat: IRC lines (IRCv3 tags) into comment bodies, and a read-only IRC-over-websocket loop.

A line looks like ``@id=...;user-id=...;display-name=...;tmi-sent-ts=... :nick!nick@nick.tmi.twitch.tv
PRIVMSG #channel :text``. ``PRIVMSG`` is a comment; ``USERNOTICE`` (subscriptions, raids) and
``CLEARCHAT`` (timeouts, bans) are events, never orders. Tag escapes follow the IRCv3 spec
(``\\s`` space, ``\\:`` semicolon, ``\\\\`` backslash, ``\\r``, ``\\n``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

import websockets

from server.bridges.body import ChatEvent, CommentBody, Parsed, epoch_s_from_number

PLATFORM = "twitch"
IRC_URL = "wss://irc-ws.chat.twitch.tv:443"

_TAG_ESCAPES = {"s": " ", ":": ";", "\\": "\\", "r": "\r", "n": "\n"}


def unescape_tag(value: str) -> str:
    """Undo IRCv3 tag-value escaping."""
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append(_TAG_ESCAPES.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


def parse_tags(raw: str) -> dict[str, str]:
    """Split ``a=1;b=2`` into a dict with unescaped values (a tag without ``=`` maps to "")."""
    tags: dict[str, str] = {}
    for item in raw.split(";"):
        key, _, value = item.partition("=")
        if key:
            tags[key] = unescape_tag(value)
    return tags


def parse_line(line: str) -> Parsed | None:
    """Turn one raw IRC line into a comment, an event, or None (pings, joins, malformed lines).

    Args:
        line: one line as received, with or without the trailing CR LF.

    Returns:
        A `CommentBody` for ``PRIVMSG``, a `ChatEvent` for ``USERNOTICE`` / ``CLEARCHAT``, else None.
    """
    line = line.rstrip("\r\n")
    if not line.startswith("@") or " " not in line:
        return None
    raw_tags, rest = line[1:].split(" ", 1)
    tags = parse_tags(raw_tags)
    prefix, _, rest = rest.partition(" ") if rest.startswith(":") else ("", "", rest)
    command, _, params = rest.partition(" ")
    nick = prefix[1:].split("!", 1)[0] if prefix else ""
    _, _, trailing = params.partition(" :")
    ts = epoch_s_from_number(tags.get("tmi-sent-ts", ""))
    name = tags.get("display-name") or tags.get("login") or nick
    if command == "PRIVMSG":
        comment_id, user_id = tags.get("id", ""), tags.get("user-id", "")
        if not comment_id or not user_id:
            return None
        return CommentBody(PLATFORM, comment_id, user_id, name, trailing, ts)
    if command == "USERNOTICE":
        detail = tags.get("system-msg", "") or tags.get("msg-id", "")
        return ChatEvent(PLATFORM, "subscription", tags.get("user-id", ""), name, detail, ts)
    if command == "CLEARCHAT":
        target = trailing or "(whole chat)"
        detail = f"timeout {tags['ban-duration']} s" if "ban-duration" in tags else "ban"
        return ChatEvent(PLATFORM, "moderation", tags.get("target-user-id", ""), target, detail, ts)
    return None


def parse_text(text: str) -> Iterator[Parsed]:
    """Yield every comment and event of a recorded IRC log (one raw line per line)."""
    for line in text.splitlines():
        parsed = parse_line(line)
        if parsed is not None:
            yield parsed


def looks_like(sample: str) -> bool:
    """Tell whether the start of a file is a Twitch IRC log."""
    first = next((ln for ln in sample.splitlines() if ln.strip()), "")
    return first.startswith("@") and (" PRIVMSG #" in first or ".tmi.twitch.tv " in first)


async def listen(
    channel: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    url: str = IRC_URL,
    on_connected: Callable[[], None] = lambda: None,
) -> None:
    """Read one channel's chat anonymously (``justinfan`` login: read-only, no token) until closed.

    Args:
        channel: channel name, with or without ``#``.
        on_item: called with every comment and event, in order.
        url: the IRC websocket (a test points it at a loopback server).
        on_connected: called once the channel is joined.

    Raises:
        websockets.exceptions.WebSocketException, OSError: when the connection drops; the
            caller (`server.bridges.sources.run_source`) reconnects with back-off.
    """
    name = channel.lstrip("#").lower()
    async with websockets.connect(url, open_timeout=15, compression=None) as ws:
        await ws.send("CAP REQ :twitch.tv/tags twitch.tv/commands")
        await ws.send("NICK justinfan12345")
        await ws.send(f"JOIN #{name}")
        on_connected()
        async for frame in ws:
            text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
            for line in text.split("\r\n"):
                if line.startswith("PING"):
                    await ws.send("PONG" + line[4:])
                    continue
                parsed = parse_line(line)
                if parsed is not None:
                    await on_item(parsed)
