"""The event bus across several server processes: Redis pub/sub, ordered and gap-filled from storage.

Every process publishes the events it committed on one Redis channel and hands every event it
hears there (its own included) to its own websocket clients through `Bus.deliver`.

``seq`` is not allocated here: it comes from the database, in the order's own transaction
(``UPDATE live_sessions SET last_seq = last_seq + 1 ... RETURNING``, `server.store.session_queries.next_seq`).
That row lock is held until commit, so seqs have no gaps and commit in seq order, and an event is
on disk before anyone can hear of it. Redis only carries the news. It can deliver out of order
(process B's seq 8 may arrive before A's seq 7) or not at all (a process SIGKILLed between commit
and publish, a Redis restart), so this bus delivers strictly in seq order: an event that arrives
early is held; a gap still open after `gap_wait_s` is filled from the database, which is the truth.

Without ``--redis`` nothing here runs; `server.bus.Bus` is the whole story.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from server.bus import Bus, Event

logger = logging.getLogger(__name__)

FetchAfter = Callable[[int, int], Awaitable[list[Event]]]
"""``fetch(session_id, since)``: stored events of the session with ``seq > since``, oldest first."""
LastSeq = Callable[[], Awaitable[tuple[int, int]]]
"""``last()``: the current session's id and its last committed seq."""

RECONNECT_DELAY_S = 0.5
OUTBOX_SIZE = 10_000


def encode(topic: str, event: Event) -> str:
    """The message on the Redis channel: four header lines, then the stored JSON text."""
    return f"{topic}\n{event.session_id}\n{event.seq}\n{event.type}\n{event.text}"


def decode(message: str) -> tuple[str, Event]:
    """Parse `encode`'s message.

    Raises:
        ValueError: the message is not one of ours.
    """
    topic, session_id, seq, event_type, text = message.split("\n", 4)
    return topic, Event(seq=int(seq), type=event_type, text=text, session_id=int(session_id))


class RedisBus(Bus):
    """`Bus` whose `topic` events come from every process, in ``seq`` order, without gaps.

    Args:
        url: ``redis://host:port/db``.
        channel: the Redis channel all processes of one shop share.
        topic: the ordered topic (other topics stay in-process).
        fetch: reads stored events (gap filling, catch-up after Redis comes back).
        last: reads the current session and its last seq (where delivery starts).
        on_event: called with each event delivered (the server follows pins and new sessions).
        gap_wait_s: how long an early event waits for the ones before it before storage is read.
    """

    def __init__(
        self,
        url: str,
        *,
        channel: str,
        topic: str,
        fetch: FetchAfter,
        last: LastSeq,
        on_event: Callable[[Event], None] = lambda event: None,
        gap_wait_s: float = 0.2,
    ) -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        self.topic = topic
        self.gap_wait_s = gap_wait_s
        self.is_connected = False
        self.gaps_filled = 0
        self._fetch = fetch
        self._last = last
        self._on_event = on_event
        self._session_id = 0
        self._delivered = -1  # unknown until `_listen` reads the database
        self._held: dict[int, Event] = {}
        self._outbox: asyncio.Queue[str] = asyncio.Queue(OUTBOX_SIZE)
        self._tasks: list[asyncio.Task[None]] = []
        self._filler: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start listening and publishing (call inside the running event loop)."""
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._send())]

    def stop(self) -> None:
        """Cancel the Redis tasks (their connections close as they unwind)."""
        for task in self._running():
            task.cancel()

    async def wait_closed(self) -> None:
        """Wait until the tasks cancelled by `stop` have closed their connections."""
        await asyncio.gather(*self._running(), return_exceptions=True)
        self._tasks, self._filler = [], None

    def _running(self) -> list[asyncio.Task[None]]:
        return [task for task in (*self._tasks, self._filler) if task is not None]

    async def publish(self, topic: str, event: Event) -> None:
        """Deliver `event` here in seq order and queue it for the other processes (never waits)."""
        if topic != self.topic:
            self.deliver(topic, event)
            return
        self._accept(event)
        try:
            self._outbox.put_nowait(encode(topic, event))
        except asyncio.QueueFull:  # Redis is away: the others fill the gap from storage
            logger.warning("redis outbox full; event %d left to storage", event.seq)

    def _accept(self, event: Event) -> None:
        if self._delivered < 0 or event.session_id < self._session_id:
            return  # not started yet (start-up reads storage), or an ended session's event
        if event.session_id > self._session_id:
            self._session_id, self._delivered = event.session_id, 0
            self._held.clear()
        if event.seq <= self._delivered:
            return  # ours, heard back from Redis, or already filled from storage
        self._held[event.seq] = event
        while self._delivered + 1 in self._held:
            self._delivered += 1
            ready = self._held.pop(self._delivered)
            self.deliver(self.topic, ready)
            self._on_event(ready)
        if self._held and (self._filler is None or self._filler.done()):
            self._filler = asyncio.create_task(self._fill_gap())

    async def _fill_gap(self) -> None:
        await asyncio.sleep(self.gap_wait_s)
        while self._held:
            try:
                await self._catch_up()
            except Exception:  # the database is away too: try again shortly
                logger.warning("cannot fill an event gap from storage yet", exc_info=True)
            if self._held:
                await asyncio.sleep(self.gap_wait_s)

    async def _catch_up(self) -> None:
        session_id, since = self._session_id, self._delivered
        stored = await self._fetch(session_id, since)
        if stored and stored[0].seq == since + 1:
            self.gaps_filled += 1
        for event in stored:
            self._accept(event)

    async def _listen(self) -> None:
        """Subscribe (again after any failure) and feed what is heard to `_accept`.

        While Redis is away, storage is read every `RECONNECT_DELAY_S` instead, so clients
        of this process still get every process's events, only later.
        """
        while self._delivered < 0:
            try:
                self._session_id, self._delivered = await self._last()
            except Exception:  # the database is away: keep trying, serve nothing yet
                logger.warning("cannot read the live session yet", exc_info=True)
                await asyncio.sleep(RECONNECT_DELAY_S)
        while True:
            client = aioredis.Redis.from_url(
                self.url, socket_connect_timeout=2, health_check_interval=5
            )
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self.channel)
                self.is_connected = True
                await self._safe_catch_up()  # what was committed while we were not listening
                async for message in pubsub.listen():
                    data = message.get("data")
                    if isinstance(data, bytes):
                        self._heard(data.decode("utf-8"))
            except (RedisError, OSError) as exc:
                logger.warning("redis bus %s: %s; reconnecting", self.url, exc)
            finally:
                self.is_connected = False
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(RECONNECT_DELAY_S)
            await self._safe_catch_up()

    async def _safe_catch_up(self) -> None:
        try:
            await self._catch_up()
        except Exception:  # the database is away: the next round tries again
            logger.warning("cannot read events from storage yet", exc_info=True)

    def _heard(self, message: str) -> None:
        try:
            topic, event = decode(message)
        except ValueError:
            logger.warning("ignoring a message on %s that is not a live event", self.channel)
            return
        if topic == self.topic:
            self._accept(event)

    async def _send(self) -> None:
        """Publish queued events; while Redis is away they are dropped (storage has them)."""
        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
        try:
            while True:
                message = await self._outbox.get()
                try:
                    await client.publish(self.channel, message)
                except (RedisError, OSError) as exc:
                    logger.warning("cannot publish on redis (%s); others read storage", exc)
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()


def open_bus(
    redis_url: str,
    *,
    channel: str,
    topic: str,
    fetch: FetchAfter,
    last: LastSeq,
    on_event: Callable[[Event], None],
) -> Bus:
    """Return the in-process `Bus` without a Redis URL, else a `RedisBus` on it (not started)."""
    if not redis_url:
        return Bus()
    return RedisBus(
        redis_url, channel=channel, topic=topic, fetch=fetch, last=last, on_event=on_event
    )
