"""One connection of a server-run source: which `server.bridges` adapter, with what, and what
the source remembers between connections so a reconnect resumes instead of starting over.

`listen_once` returns when the platform ends the connection (the supervisor reconnects) and
raises what the adapters raise; `fatal_reason` names the errors retrying cannot fix.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from server.bridges import facebook, ssn, tiktok, twitch, youtube_chat
from server.bridges.body import CommentBody, Parsed
from server.bridges.formats import read_recording
from server.bridges.replay import schedule
from server.services.source_config import SourceSpec
from studio.errors import (
    BridgeAuthError,
    BridgeDependencyMissing,
    BridgeError,
    BridgeSourceInvalid,
    RecordingUnreadable,
)

OnItem = Callable[[Parsed], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class SupervisorOptions:
    """Where the platforms are and how patient the sources are.

    Attributes:
        graph_url, streaming_url: Facebook's Graph API hosts (tests point them at loopback).
        youtube_url: where YouTube's chat frame and InnerTube API are.
        ssn_server, twitch_url: Social Stream Ninja's and Twitch's websockets.
        facebook_rate: ``comment_rate`` of the live_comments stream.
        base_backoff_s, max_backoff_s: reconnect waits (`backoff_delay_s`).
        silence_s: a live source without comments this long while others talk is flagged.
        file_speed: how fast ``file:`` sources replay (1 = the recording's own pace, 0 = at once).
    """

    graph_url: str = facebook.GRAPH_URL
    streaming_url: str = facebook.STREAMING_URL
    youtube_url: str = youtube_chat.BASE_URL
    ssn_server: str = ssn.SERVER_URL
    twitch_url: str = twitch.IRC_URL
    facebook_rate: facebook.CommentRate = "ten_per_second"
    base_backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    silence_s: float = 60.0
    file_speed: float = 1.0

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SupervisorOptions:
        """Read ``LIVESTALL_FACEBOOK_GRAPH_URL``, ``..._STREAMING_URL``, ``LIVESTALL_YOUTUBE_URL``,
        ``LIVESTALL_SSN_SERVER``,
        ``LIVESTALL_TWITCH_URL``, ``LIVESTALL_SOURCE_SILENCE_S``, ``LIVESTALL_SOURCE_BACKOFF_S``
        and ``LIVESTALL_SOURCE_FILE_SPEED``; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        base = cls()

        def number(name: str, default: float) -> float:
            try:
                return max(0.0, float(env[name]))
            except (KeyError, ValueError):
                return default

        return cls(
            graph_url=env.get("LIVESTALL_FACEBOOK_GRAPH_URL", base.graph_url).rstrip("/"),
            streaming_url=env.get("LIVESTALL_FACEBOOK_STREAMING_URL", base.streaming_url).rstrip(
                "/"
            ),
            youtube_url=env.get("LIVESTALL_YOUTUBE_URL", base.youtube_url).rstrip("/"),
            ssn_server=env.get("LIVESTALL_SSN_SERVER", base.ssn_server),
            twitch_url=env.get("LIVESTALL_TWITCH_URL", base.twitch_url),
            base_backoff_s=number("LIVESTALL_SOURCE_BACKOFF_S", base.base_backoff_s),
            silence_s=number("LIVESTALL_SOURCE_SILENCE_S", base.silence_s),
            file_speed=number("LIVESTALL_SOURCE_FILE_SPEED", base.file_speed),
        )


@dataclass(slots=True)
class ListenMemory:
    """What a source keeps across reconnects.

    Attributes:
        resume: Facebook: the newest comment's time, so the gap is fetched on reconnect.
        youtube: YouTube: the chat's continuation, so polling resumes where it stopped.
        file_position: a recording: how many comments were already played.
    """

    resume: facebook.Resume = field(default_factory=facebook.Resume)
    youtube: youtube_chat.ChatCursor = field(default_factory=youtube_chat.ChatCursor)
    file_position: int = 0

    def to_json(self) -> dict[str, str | float]:
        """Where the source stands, for ``sources.json`` (no secret: YouTube's key is public)."""
        out: dict[str, str | float] = {}
        if self.resume.last_ts is not None:
            out["facebook_last_ts"] = self.resume.last_ts
        if self.youtube.continuation:
            out["youtube_continuation"] = self.youtube.continuation
            out["youtube_api_key"] = self.youtube.api_key
            out["youtube_context"] = json.dumps(self.youtube.context)
        if self.file_position:
            out["file_position"] = self.file_position
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, str | float]) -> ListenMemory:
        """Read back `to_json` (unknown or damaged values are left out)."""
        memory = cls()
        last_ts = data.get("facebook_last_ts")
        if isinstance(last_ts, int | float):
            memory.resume.last_ts = float(last_ts)
        continuation, key = data.get("youtube_continuation"), data.get("youtube_api_key")
        if isinstance(continuation, str) and isinstance(key, str):
            try:
                context = json.loads(str(data.get("youtube_context") or "{}"))
            except ValueError:
                context = {}
            memory.youtube = youtube_chat.ChatCursor(
                api_key=key,
                context=context if isinstance(context, dict) else {},
                continuation=continuation,
            )
        position = data.get("file_position")
        if isinstance(position, int | float) and position > 0:
            memory.file_position = int(position)
        return memory

    @property
    def is_refill_lost(self) -> bool:
        """The last reconnect could not ask for what was missed (an expired resume point)."""
        return self.youtube.is_refill_lost


class NoToken(BridgeSourceInvalid):
    """A Facebook source whose Page is not connected (or was disconnected)."""


async def listen_once(
    spec: SourceSpec,
    memory: ListenMemory,
    token: str,
    options: SupervisorOptions,
    on_item: OnItem,
    connected: Callable[[], None],
) -> bool:
    """Run one connection of a source; True when it has nothing more to give (a recording).

    Args:
        spec: the source.
        memory: kept by the caller across connections.
        token: the Facebook Page token ("" for other kinds).
        options: platform hosts.
        on_item: receives each comment and event.
        connected: called once the platform accepted the connection.

    Raises:
        NoToken: a Facebook source without a connected Page.
        BridgeError: what the adapter cannot retry; anything else is a network failure.
    """
    if spec.kind == "facebook":
        if not token:
            raise NoToken(
                f"no connected Facebook Page for {spec.text}",
                hint="connect the Page with its access token first",
            )
        await facebook.listen(
            spec.target,
            token,
            on_item,
            rate=options.facebook_rate,
            graph_url=options.graph_url,
            streaming_url=options.streaming_url,
            on_connected=connected,
            resume=memory.resume,
        )
    elif spec.kind == "youtube":
        await youtube_chat.listen(
            spec.target,
            on_item,
            cursor=memory.youtube,
            base_url=options.youtube_url,
            on_connected=connected,
        )
    elif spec.kind == "tiktok":
        await tiktok.listen(spec.target, on_item, on_connected=connected)
    elif spec.kind == "twitch":
        await twitch.listen(spec.target, on_item, url=options.twitch_url, on_connected=connected)
    elif spec.kind == "ssn":
        await ssn.listen(
            spec.target, on_item, server_url=options.ssn_server, on_connected=connected
        )
    else:
        await replay_file(spec, memory, options.file_speed, on_item, connected)
        return True
    return False


async def replay_file(
    spec: SourceSpec,
    memory: ListenMemory,
    speed: float,
    on_item: OnItem,
    connected: Callable[[], None],
) -> None:
    """Play a recorded chat at its own pace (`speed` times), from where the last connection stopped.

    Raises:
        RecordingUnreadable: the file is missing or in no known format.
    """
    _, items = await asyncio.to_thread(read_recording, Path(spec.target))
    comments = [item for item in items if isinstance(item, CommentBody)]
    connected()
    started = time.monotonic()
    for timed in schedule(comments[memory.file_position :], speed=speed):
        await asyncio.sleep(max(0.0, timed.offset_s - (time.monotonic() - started)))
        await on_item(timed.body)
        memory.file_position += 1


def fatal_reason(exc: BridgeError) -> str:
    """The reason code (`server.services.source_health.REASONS`) of an error retrying cannot fix."""
    if isinstance(exc, NoToken):
        return "no_token"
    if isinstance(exc, BridgeAuthError):
        return "auth"
    if isinstance(exc, BridgeDependencyMissing):
        return "dependency"
    if isinstance(exc, RecordingUnreadable):
        return "file_unreadable"
    if isinstance(exc, BridgeSourceInvalid):
        return "not_found"
    return "failed"


def scrub(text: str, tokens: Iterable[str]) -> str:
    """Remove access tokens from a platform's error text before it is logged or shown."""
    text = re.sub(r"(access_token=)[^&\s\"']+", r"\1***", text)
    for token in tokens:
        if token:
            text = text.replace(token, "***")
    return text[:300]
