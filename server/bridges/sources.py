"""Live sources: parse a ``SOURCE`` argument, then keep its platform connection alive.

A source is one platform connection (``youtube:VIDEO``, ``tiktok:@user``, ``facebook:VIDEO_ID``,
``ssn:SESSION``, ``twitch:CHANNEL``). `run_source` calls the adapter's ``listen`` and, when the
connection drops or the platform rate-limits us, reconnects with the same back-off as the
server link. Errors that retrying cannot fix (a dead token, a wrong id, a missing library) stop
the source with a message saying what to do.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from server.bridges import facebook, ssn, tiktok, twitch, youtube
from server.bridges.body import ChatEvent, CommentBody, Parsed
from server.bridges.client import LinkStatus, backoff_delay_s
from studio.errors import BridgeError, BridgeSourceInvalid

logger = logging.getLogger(__name__)

OnItem = Callable[[Parsed], Awaitable[None]]
Listen = Callable[[OnItem, Callable[[], None]], Awaitable[None]]
KINDS = ("youtube", "tiktok", "facebook", "ssn", "twitch")


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """Settings a source may need beyond its argument.

    Attributes:
        facebook_token: Page access token for ``facebook:`` sources.
        facebook_rate: ``comment_rate`` of the live_comments stream.
        ssn_server: SSN's websocket server (self-hosted SSN servers differ).
        twitch_url: Twitch's IRC websocket.
        graph_url, streaming_url: Graph API hosts (tests point them at loopback).
    """

    facebook_token: str = ""
    facebook_rate: facebook.CommentRate = "ten_per_second"
    ssn_server: str = ssn.SERVER_URL
    twitch_url: str = twitch.IRC_URL
    graph_url: str = facebook.GRAPH_URL
    streaming_url: str = facebook.STREAMING_URL


@dataclass(frozen=True, slots=True)
class Source:
    """One platform connection: a name for the status line and its ``listen`` loop."""

    name: str
    kind: str
    listen: Listen = field(compare=False)


def parse_source(spec: str, options: SourceOptions) -> Source:
    """Turn ``KIND:TARGET`` into a `Source`.

    Raises:
        BridgeSourceInvalid: unknown kind or empty target.
    """
    kind, sep, target = spec.partition(":")
    kind = kind.strip().lower()
    target = target.strip()
    if not sep or kind not in KINDS or not target:
        raise BridgeSourceInvalid(
            f"cannot use bridge source {spec!r}",
            hint="write KIND:TARGET, e.g. youtube:VIDEO_ID, tiktok:@shop, facebook:LIVE_VIDEO_ID, "
            "ssn:SESSION_ID or twitch:CHANNEL",
        )
    return Source(f"{kind}:{target}", kind, _listener(kind, target, options))


def _listener(kind: str, target: str, options: SourceOptions) -> Listen:
    if kind == "youtube":
        _check_video(target)
        return lambda on_item, on_connected: youtube.listen(
            target, on_item, on_connected=on_connected
        )
    if kind == "tiktok":
        tiktok.username_from(target)
        return lambda on_item, on_connected: tiktok.listen(
            target, on_item, on_connected=on_connected
        )
    if kind == "facebook":
        resume = facebook.Resume()  # kept across reconnects: the gap is fetched on the next one
        return lambda on_item, on_connected: facebook.listen(
            target,
            options.facebook_token,
            on_item,
            rate=options.facebook_rate,
            graph_url=options.graph_url,
            streaming_url=options.streaming_url,
            on_connected=on_connected,
            resume=resume,
        )
    if kind == "ssn":
        return lambda on_item, on_connected: ssn.listen(
            target, on_item, server_url=options.ssn_server, on_connected=on_connected
        )
    return lambda on_item, on_connected: twitch.listen(
        target, on_item, url=options.twitch_url, on_connected=on_connected
    )


def _check_video(target: str) -> None:
    try:
        youtube.video_id_from(target)
    except ValueError:
        raise BridgeSourceInvalid(
            f"{target!r} is not a YouTube video id or URL",
            hint="copy the live stream's link (youtube.com/watch?v=... or youtube.com/live/...)",
        ) from None


@dataclass(slots=True)
class SourceRun:
    """A running source: its status and what it forwards to."""

    source: Source
    status: LinkStatus = field(default_factory=LinkStatus)


async def run_source(
    run: SourceRun,
    on_comment: Callable[[CommentBody], None],
    *,
    on_event: Callable[[ChatEvent], None] = lambda e: None,
    base_backoff_s: float = 1.0,
    max_backoff_s: float = 60.0,
    max_attempts: int | None = None,
) -> None:
    """Keep one source connected until cancelled, forwarding comments and events.

    Args:
        run: the source and the status it updates.
        on_comment: receives every comment (usually `IngestClient.submit`).
        on_event: receives gifts, likes, follows...
        base_backoff_s, max_backoff_s: reconnect waits (`backoff_delay_s`).
        max_attempts: stop after this many connections (tests); None for ever.

    Raises:
        BridgeError: a fault retrying cannot fix; `run.status.state` is "stopped".
    """
    status = run.status
    attempt = 0
    connections = 0

    def connected() -> None:
        nonlocal attempt
        status.state = "connected"
        attempt = 0

    async def forward(item: Parsed) -> None:
        if isinstance(item, CommentBody):
            status.count(time.monotonic())
            on_comment(item)
        else:
            status.events += 1
            on_event(item)

    while max_attempts is None or connections < max_attempts:
        connections += 1
        try:
            await run.source.listen(forward, connected)
            status.last_error = "the platform closed the chat (stream ended?)"
            delay = base_backoff_s
        except BridgeError as exc:
            status.state = "stopped"
            status.last_error = str(exc)
            raise
        except facebook.RateLimited as exc:
            status.last_error = str(exc)
            delay = exc.retry_after_s
        except Exception as exc:  # any platform library's network failure: retry, tell the seller
            status.last_error = f"{type(exc).__name__}: {exc}"
            delay = backoff_delay_s(
                attempt, base_s=base_backoff_s, cap_s=max_backoff_s, rand=random.random()
            )
            attempt += 1
        status.state = "reconnecting"
        logger.info("%s: %s; reconnecting in %.1f s", run.source.name, status.last_error, delay)
        await asyncio.sleep(delay)
    status.state = "stopped"
