"""Publish / subscribe of live events, with sequence numbers, inside one process.

Events are serialised once (`Event.text`) and the same string goes to every subscriber, as in
``websockets.broadcast``. Each subscriber has a bounded queue so a slow client never delays the
others: when its queue is full, chat events (``Event.is_droppable``) are dropped for it; any other
event marks it overflowed, and its websocket is closed so it resumes with ``?since=<seq>`` from
storage.

A subscriber may also `attach_writer`. While it is idle (nothing queued, its consumer waiting in
`Subscription.next_batch`), events go to that writer instead: for a websocket, their frames go
straight onto the connection, as ``websockets.broadcast`` does, without waking a task per
client. The events delivered during one turn of the event loop (the events of one commit, say)
are handed over together at the end of that turn, so a client gets them in one write; an event
the writer refuses (the connection cannot take it now) is queued as usual.

With several server processes, `server.bus_redis.RedisBus` puts Redis behind the same interface
(docs/deploy.md); without ``--redis`` this in-process bus is used as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from studio.errors import SlowClient

logger = logging.getLogger(__name__)

DROPPABLE_TYPES = frozenset({"comment"})


@dataclass(frozen=True, slots=True)
class Event:
    """One live event as stored and sent: ``text`` is the JSON object ``{"seq", "type", ...}``.

    ``session_id`` is the live session whose ``seq`` numbering the event belongs to.
    """

    seq: int
    type: str
    text: str
    session_id: int = 0

    @property
    def is_droppable(self) -> bool:
        """Chat may be dropped for a slow client; orders, pins and stock never are."""
        return self.type in DROPPABLE_TYPES


EventWriter = Callable[[Sequence[Event]], bool]
"""Takes events now and returns True, or returns False (taking none) to have them queued."""


class WriteRound:
    """Subscriptions whose events wait for their writer until the end of this loop turn."""

    def __init__(self) -> None:
        self._waiting: list[Subscription] = []

    def add(self, subscription: Subscription) -> None:
        """Have `subscription.write_pending` called once the current loop turn is over."""
        if not self._waiting:
            asyncio.get_running_loop().call_soon(self._write_all)
        self._waiting.append(subscription)

    def _write_all(self) -> None:
        waiting, self._waiting = self._waiting, []
        for subscription in waiting:
            subscription.write_pending()


class Subscription:
    """One subscriber's bounded queue of events, and optionally a writer for when it is idle.

    Args:
        topic: what it listens to.
        max_queue: events held for it before chat is dropped / it is overflowed.
        writes: where it waits for its writer (`attach_writer`); the bus shares one.
    """

    def __init__(self, topic: str, *, max_queue: int, writes: WriteRound | None = None) -> None:
        self.topic = topic
        self.max_queue = max_queue
        self.dropped = 0
        self.written = 0
        self.is_overflowed = False
        self._items: deque[Event] = deque()
        self._ready = asyncio.Event()
        self._overflowed = asyncio.Event()
        self._writes = writes or WriteRound()
        self._write: EventWriter | None = None
        self._unwritten: list[Event] = []  # for `_write` at the end of this loop turn
        self._is_idle = False  # the consumer waits in `next_batch` and nothing is queued

    def attach_writer(self, write: EventWriter) -> None:
        """Hand events to `write` instead of queueing them whenever the consumer is idle.

        Order is kept: events go to `write` only when nothing is queued and the consumer has
        finished with everything `next_batch` gave it; once `write` refuses some, those and
        the next ones are queued until the consumer has taken them all and waits again.
        """
        self._write = write

    def offer(self, event: Event) -> None:
        """Queue an event for this subscriber, or keep it for its writer; never waits."""
        if self.is_overflowed:
            return
        if self._unwritten:
            self._unwritten.append(event)
        elif self._is_idle and self._write is not None:
            self._unwritten.append(event)
            self._writes.add(self)
        else:
            self._enqueue(event)

    def write_pending(self) -> None:
        """Hand the events kept for the writer to it; queue them if it refuses."""
        events, self._unwritten = self._unwritten, []
        if not events or self.is_overflowed:
            return
        if self._write is not None and self._write_safely(events):
            self.written += len(events)
            return
        for event in events:
            self._enqueue(event)

    def _write_safely(self, events: list[Event]) -> bool:
        """Call the writer; a writer that fails has its events queued, like a refusal, so one
        broken connection never stops the others' round or loses this client's events."""
        assert self._write is not None
        try:
            return self._write(events)
        except Exception:
            logger.exception("a websocket frame writer failed; its events are queued")
            self._write = None  # the queue and `_relay` serve this client from now on
            return False

    def _enqueue(self, event: Event) -> None:
        self._is_idle = False
        if self.is_overflowed:
            return
        if len(self._items) >= self.max_queue:
            if event.is_droppable:
                self.dropped += 1
                return
            self.is_overflowed = True
            self._items.clear()
            self._overflowed.set()
        else:
            self._items.append(event)
        self._ready.set()

    async def wait_overflow(self) -> None:
        """Return when the subscriber has overflowed (even while its sender is blocked)."""
        await self._overflowed.wait()

    async def next_batch(self) -> list[Event]:
        """Wait for events and return every one queued so far, oldest first.

        Raises:
            SlowClient: the subscriber missed an event that may not be dropped.
        """
        while not self._items:
            if self.is_overflowed:
                raise SlowClient(
                    "client too slow: its event queue overflowed",
                    hint="reconnect with ?since=<last seq> to resume from storage",
                )
            self._ready.clear()
            self._is_idle = True
            try:
                await self._ready.wait()
            finally:
                self._is_idle = False
        if self.is_overflowed:
            raise SlowClient("client too slow: its event queue overflowed")
        batch = list(self._items)
        self._items.clear()
        return batch


class Bus:
    """In-process publish / subscribe. Call `publish` from the event loop only."""

    def __init__(self) -> None:
        self._topics: dict[str, set[Subscription]] = {}
        self._writes = WriteRound()
        self.published = 0

    def subscribe(self, topic: str, *, max_queue: int) -> Subscription:
        """Start receiving events of `topic` (events published from now on)."""
        subscription = Subscription(topic, max_queue=max_queue, writes=self._writes)
        self._topics.setdefault(topic, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop delivering events to `subscription` (idempotent)."""
        subscribers = self._topics.get(subscription.topic)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._topics[subscription.topic]

    def subscriber_count(self, topic: str) -> int:
        """Return how many subscribers listen to `topic`."""
        return len(self._topics.get(topic, ()))

    def start(self) -> None:
        """Start background work (none in-process; Redis listens here). Call inside the loop."""

    def stop(self) -> None:
        """Stop background work started by `start`."""

    async def publish(self, topic: str, event: Event) -> None:
        """Hand `event` to every subscriber of `topic`, in publication order, without waiting."""
        self.deliver(topic, event)

    def deliver(self, topic: str, event: Event) -> None:
        """Offer `event` to this process's subscribers of `topic` (never waits)."""
        self.published += 1
        for subscription in tuple(self._topics.get(topic, ())):
            subscription.offer(event)
