"""The platform sources the live server runs itself: supervised asyncio tasks, one per source.

`SourceSupervisor` starts each enabled source of ``sources.json`` when the server starts, and
sources are added, started, stopped and removed from the studio, the host console or
``livestall live serve --source``. Each source reuses its `server.bridges` adapter's ``listen``
loop, and every comment goes straight into `server.services.ingest.ingest_comments`: no ingest token, no
HTTP hop, the same dedupe on ``(platform, comment_id)``.

When a connection ends the source reconnects with back-off, like the bridge CLI. Before it
listens again it asks the platform for what was written meanwhile where the platform allows it
(Facebook: the comments edge since the last comment seen, `server.bridges.facebook.catch_up`;
YouTube: polling resumes from the last continuation, `server.bridges.youtube_chat`; a recording:
it goes on from the next comment). Comments that come back twice are answered
``duplicate`` by ingest and counted apart; windows nothing could refill are recorded as gaps
(`server.services.source_health`). Errors that retrying cannot fix (a refused token, a wrong id,
a missing library) stop the source in ``error`` with the reason in the seller's language.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from server.bridges import facebook
from server.bridges.body import ChatEvent, CommentBody, Parsed
from server.bridges.client import backoff_delay_s
from server.live import Live
from server.services import facebook_page
from server.services.ingest import IncomingComment, ingest_comments
from server.services.source_config import SourceConfig, SourceSpec, StoredSource, parse_spec
from server.services.source_health import Alert, Gap, SourceHealth, SourceState, alert_of
from server.services.source_listen import (
    ListenMemory,
    NoToken,
    SupervisorOptions,
    fatal_reason,
    listen_once,
    scrub,
)
from studio.errors import (
    BridgeError,
    BridgeSourceInvalid,
    LivestallError,
)

logger = logging.getLogger(__name__)

OnItem = Callable[[Parsed], Awaitable[None]]
T = TypeVar("T")
RATE_LIMIT_WAIT_S = 60.0  # a platform library said "rate limit" without saying how long
STABLE_S = 30.0  # a connection that held this long resets the reconnect back-off
SAVE_EVERY_S = 5.0  # how often the sources' resume points are written while they run
INGEST_TRIES = 3  # a comment the database could not take is offered again before it counts lost


@dataclass(frozen=True, slots=True)
class SourceView:
    """One source as the routes show it (a copy: later changes do not reach it)."""

    source_id: str
    spec: SourceSpec
    is_enabled: bool
    state: SourceState
    reason: str
    detail: str
    reconnects: int
    comments: int
    duplicates: int
    events: int
    backfilled: int
    last_comment_s: float | None
    gaps: tuple[Gap, ...]
    gaps_dropped: int
    alert: Alert


@dataclass(slots=True)
class _Entry:
    spec: SourceSpec
    is_enabled: bool
    health: SourceHealth = field(default_factory=SourceHealth)
    task: asyncio.Task[None] | None = None
    memory: ListenMemory = field(default_factory=ListenMemory)


class SourceSupervisor:
    """Run the server's platform sources as tasks in its event loop.

    Args:
        live: the running sale every comment is ingested into.
        folder: the data folder (``sources.json``, ``source_secrets.json``).
        options: platform hosts and timings.
    """

    def __init__(self, live: Live, folder: Path, options: SupervisorOptions) -> None:
        self.live = live
        self.config = SourceConfig(folder)
        self.options = options
        self._entries: dict[str, _Entry] = {}
        self._is_running = False
        self._saver: asyncio.Task[None] | None = None

    # --- life cycle (server/app.py's lifespan) ---------------------------------------------

    async def start(self) -> None:
        """Load ``sources.json`` and start the enabled sources (call in the server's loop)."""
        stored = self.config.load_sources()
        added_before = set(self._entries)  # the CLI's --source, recorded before the start
        for line in stored:
            entry = self._entries.setdefault(
                line.spec.source_id, _Entry(line.spec, line.is_enabled)
            )
            entry.is_enabled = entry.is_enabled or line.is_enabled
            entry.memory = ListenMemory.from_json(line.resume)
            last = line.resume.get("last_comment_s")
            if entry.is_enabled and isinstance(last, int | float):
                # The server was off since then: a gap, refilled if the platform allows it.
                entry.health.last_comment_s = float(last)
                entry.health.dropped(time.time(), "restarted", "")
        self._is_running = True
        if added_before - {line.spec.source_id for line in stored}:
            self._save()
        for entry in self._entries.values():
            if entry.is_enabled:
                self._launch(entry)
        self._saver = asyncio.create_task(self._save_every(SAVE_EVERY_S), name="sources saver")

    async def stop(self) -> None:
        """Cancel every source (their enabled flag stays: a restarted server resumes them)."""
        self._is_running = False
        tasks = [e.task for e in self._entries.values() if e.task is not None]
        if self._saver is not None:
            tasks.append(self._saver)
            self._saver = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for entry in self._entries.values():
            entry.task = None
        if self._entries:  # where each source stood, for the next start
            try:
                self._save()
            except LivestallError as exc:  # shutting down: say it, do not fail the shutdown
                logger.warning("cannot save the sources' resume points: %s", exc)

    # --- what the routes and the CLI call ----------------------------------------------------

    def add(self, spec_text: str, *, is_started: bool = True) -> SourceView:
        """Add a source (or find the same one) and start it unless told not to.

        Before `start` (the CLI's ``--source``) it is only recorded and starts with the server.

        Raises:
            BridgeSourceInvalid: the spec cannot be used.
        """
        spec = parse_spec(spec_text)
        entry = self._entries.setdefault(spec.source_id, _Entry(spec, is_started))
        if is_started:
            entry.is_enabled = True
            if self._is_running:
                self._launch(entry)
        self._save()
        return self._view(entry, time.time())

    def start_source(self, source_id: str) -> SourceView:
        """Start (or restart after an error) one source.

        Raises:
            BridgeSourceInvalid: no source has that id.
        """
        entry = self._get(source_id)
        entry.is_enabled = True
        self._save()
        if self._is_running:
            self._launch(entry)
        return self._view(entry, time.time())

    async def stop_source(self, source_id: str, *, reason: str = "stopped") -> SourceView:
        """Stop one source; it stays in the list, stopped.

        Raises:
            BridgeSourceInvalid: no source has that id.
        """
        entry = self._get(source_id)
        entry.is_enabled = False
        self._save()
        await self._cancel(entry)
        entry.health.stopped(reason)
        return self._view(entry, time.time())

    async def remove(self, source_id: str) -> None:
        """Stop a source and forget it.

        Raises:
            BridgeSourceInvalid: no source has that id.
        """
        entry = self._get(source_id)
        await self._cancel(entry)
        del self._entries[source_id]
        self._save()

    async def stop_page_sources(self, page_id: str) -> None:
        """Stop the Facebook sources that read with a Page's token (it was disconnected)."""
        for source_id, entry in list(self._entries.items()):
            if entry.spec.kind == "facebook" and (not page_id or entry.spec.page_id == page_id):
                await self.stop_source(source_id, reason="no_token")

    # --- the seller's Facebook Page ------------------------------------------------------------

    async def connect_page(self, page_id: str, token: str) -> facebook_page.PageInfo:
        """Check a Page token with the Graph API, then store it (0600) for the Page's sources.

        Raises:
            BridgeAuthError: Facebook refused the token.
            BridgeSourceInvalid: no such Page.
            BridgeError: Facebook cannot be reached.
        """
        page = await _graph(
            facebook_page.check_page(page_id, token, graph_url=self.options.graph_url)
        )
        self.config.save_page(page.page_id, page.name, token)
        return page

    async def disconnect_page(self, page_id: str) -> bool:
        """Wipe a Page's token (every Page's with "") and stop the sources that used it."""
        had = self.config.forget_page(page_id)
        await self.stop_page_sources(page_id)
        return had

    def connected_pages(self) -> list[facebook_page.PageInfo]:
        """The connected Pages' ids and names (never their tokens)."""
        return [facebook_page.PageInfo(k, v["name"]) for k, v in self.config.pages().items()]

    async def page_lives(self, page_id: str) -> list[facebook_page.LiveVideo]:
        """The Page's current live videos, for the seller to pick one.

        Raises:
            BridgeSourceInvalid: the Page is not connected.
            BridgeAuthError, BridgeError: as `connect_page`.
        """
        token = self._page_token(page_id)
        return await _graph(
            facebook_page.current_lives(page_id, token, graph_url=self.options.graph_url)
        )

    async def platform_comments(self, spec_text: str) -> list[CommentBody]:
        """Every comment the platform has for a source's live (Facebook only), oldest first.

        Raises:
            BridgeSourceInvalid: not a Facebook source, or its Page is not connected.
            BridgeAuthError, BridgeError: as `connect_page`.
        """
        spec = parse_spec(spec_text)
        if spec.kind != "facebook":
            raise BridgeSourceInvalid(
                f"{spec.kind} gives no full comment list to fetch",
                hint="export the comments from the platform and paste them instead",
            )
        token = self._page_token(spec.page_id)
        return await _graph(
            facebook_page.all_comments(spec.target, token, graph_url=self.options.graph_url)
        )

    def _page_token(self, page_id: str) -> str:
        token = self.config.page_token(page_id)
        if not token:
            raise NoToken(
                f"Facebook Page {page_id[:64]} is not connected",
                hint="connect the Page with its access token first",
            )
        return token

    def views(self, now_s: float | None = None) -> list[SourceView]:
        """Every source with its health and alert, in the order they were added."""
        now = time.time() if now_s is None else now_s
        return [self._view(entry, now) for entry in self._entries.values()]

    def view(self, source_id: str) -> SourceView:
        """One source (raises `BridgeSourceInvalid` for an unknown id)."""
        return self._view(self._get(source_id), time.time())

    # --- inside -------------------------------------------------------------------------------

    def _get(self, source_id: str) -> _Entry:
        entry = self._entries.get(source_id)
        if entry is None:
            raise BridgeSourceInvalid(
                f"no live source {source_id[:40]!r}", hint="reload the list of sources"
            )
        return entry

    def _save(self) -> None:
        self.config.save_sources([_stored(e) for e in self._entries.values()])

    async def _save_every(self, every_s: float) -> None:
        """Keep the resume points on disk while sources run (a crash loses a few seconds)."""
        saved: list[StoredSource] = []
        while True:
            await asyncio.sleep(every_s)
            current = [_stored(e) for e in self._entries.values()]
            if current != saved:
                try:
                    self.config.save_sources(current)
                except LivestallError as exc:  # a full disk: the sources go on, say it once
                    logger.warning("cannot save the sources' resume points: %s", exc)
                saved = current

    def _launch(self, entry: _Entry) -> None:
        if entry.task is not None and not entry.task.done():
            return
        entry.health.begin()
        entry.task = asyncio.create_task(self._run(entry), name=f"source {entry.spec.text}")

    async def _cancel(self, entry: _Entry) -> None:
        task, entry.task = entry.task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _view(self, entry: _Entry, now_s: float) -> SourceView:
        health = entry.health
        others = [e.health for e in self._entries.values() if e is not entry]
        return SourceView(
            source_id=entry.spec.source_id,
            spec=entry.spec,
            is_enabled=entry.is_enabled,
            state=health.state,
            reason=health.reason,
            detail=health.detail,
            reconnects=health.reconnects,
            comments=health.comments,
            duplicates=health.duplicates,
            events=health.events,
            backfilled=health.backfilled,
            last_comment_s=health.last_comment_s,
            gaps=tuple(replace(gap) for gap in health.gaps),
            gaps_dropped=health.gaps_dropped,
            alert=alert_of(health, others, now_s=now_s, silence_s=self.options.silence_s),
        )

    async def _run(self, entry: _Entry) -> None:
        """Keep one source connected until cancelled or until retrying cannot help.

        Waits between connections grow (`backoff_delay_s`) while connections fail or end at
        once, and start over after a connection that held for `STABLE_S`: a platform that
        closes every few seconds is not hammered, one that drops once an hour is back at once.
        """
        health, spec = entry.health, entry.spec
        attempt = 0
        connected_at: float | None = None

        def connected() -> None:
            nonlocal connected_at
            connected_at = time.monotonic()
            is_refilled = spec.can_refill and not entry.memory.is_refill_lost
            health.connected(time.time(), can_refill=is_refilled)

        async def forward(item: Parsed) -> None:
            if isinstance(item, ChatEvent):
                health.events += 1
                return
            status = await self._ingest(item)
            health.counted(time.time(), is_duplicate=status == "duplicate")

        while True:
            connected_at = None
            try:
                is_finished = await listen_once(
                    entry.spec,
                    entry.memory,
                    self.config.page_token(entry.spec.page_id),
                    self.options,
                    forward,
                    connected,
                )
                if is_finished:
                    health.stopped("file_done")
                    entry.is_enabled = False
                    self._save()
                    return
                reason, detail, retry_after = "stream_ended", "", None
            except BridgeError as exc:
                health.failed(fatal_reason(exc), self._scrub(str(exc)))
                logger.warning("source %s stopped: %s", spec.text, health.detail)
                return
            except facebook.RateLimited as exc:
                reason, detail = "rate_limited", self._scrub(str(exc))
                retry_after = exc.retry_after_s
            except Exception as exc:  # any platform library's network failure: retry
                reason, detail = "network", self._scrub(f"{type(exc).__name__}: {exc}")
                retry_after = None
                if "ratelimit" in detail.lower().replace("_", "").replace(" ", ""):
                    # TikTokLive's SignatureRateLimitError and kin: wait as Facebook asks.
                    reason, retry_after = "rate_limited", RATE_LIMIT_WAIT_S
            if connected_at is not None and time.monotonic() - connected_at >= STABLE_S:
                attempt = 0
            delay = retry_after or self.options.base_backoff_s + backoff_delay_s(
                attempt,
                base_s=self.options.base_backoff_s,
                cap_s=self.options.max_backoff_s,
                rand=random.random(),
            )
            attempt += 1
            health.dropped(time.time(), reason, detail)
            logger.info(
                "source %s: %s %s; reconnecting in %.1f s", spec.text, reason, detail, delay
            )
            await asyncio.sleep(delay)

    async def _ingest(self, body: CommentBody) -> str:
        """Ingest one comment; return its status (accepted / duplicate / rejected)."""
        comment = IncomingComment(
            platform=body.platform,
            comment_id=body.comment_id,
            user_id=body.user_id,
            user_name=body.user_name[:200],
            text=body.text,
            ts=body.ts,
        )
        for attempt in range(INGEST_TRIES):
            try:
                answers = await ingest_comments(self.live, [comment])
                return str(answers[0].get("status") or "")
            except LivestallError as exc:  # the database was busy: the same comment again
                if attempt == INGEST_TRIES - 1:
                    raise ConnectionError(f"the live database refused a comment: {exc}") from exc
                await asyncio.sleep(0.2 * (attempt + 1))
        return ""

    def _scrub(self, text: str) -> str:
        return scrub(text, [page["token"] for page in self.config.pages().values()])


def _stored(entry: _Entry) -> StoredSource:
    resume = entry.memory.to_json()
    if entry.health.last_comment_s is not None:
        resume["last_comment_s"] = entry.health.last_comment_s
    return StoredSource(entry.spec, entry.is_enabled, resume)


async def _graph(call: Awaitable[T]) -> T:
    """Await a Graph API call; a network failure becomes an error the seller can read."""
    try:
        return await call
    except ConnectionError as exc:
        raise BridgeError(
            f"Facebook cannot be reached: {exc}", hint="check the internet connection and try again"
        ) from None
