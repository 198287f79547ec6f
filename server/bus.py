"""Publish / subscribe of live events, with sequence numbers, inside one process.

Events are serialised once (`Event.text`) and the same string goes to every subscriber, as in
``websockets.broadcast``. Each subscriber has a bounded queue so a slow client never delays the
others: when its queue is full, chat events (``Event.is_droppable``) are dropped for it; any other
event marks it overflowed, and its websocket is closed so it resumes with ``?since=<seq>`` from
storage. With several server processes, `server.bus_redis.RedisBus` puts Redis behind the same
interface (docs/deploy.md); without ``--redis`` this in-process bus is used as it is.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from studio.errors import SlowClient

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


class Subscription:
    """One subscriber's bounded queue of events.

    Args:
        topic: what it listens to.
        max_queue: events held for it before chat is dropped / it is overflowed.
    """

    def __init__(self, topic: str, *, max_queue: int) -> None:
        self.topic = topic
        self.max_queue = max_queue
        self.dropped = 0
        self.is_overflowed = False
        self._items: deque[Event] = deque()
        self._ready = asyncio.Event()
        self._overflowed = asyncio.Event()

    def offer(self, event: Event) -> None:
        """Queue an event for this subscriber without ever waiting."""
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
            await self._ready.wait()
        if self.is_overflowed:
            raise SlowClient("client too slow: its event queue overflowed")
        batch = list(self._items)
        self._items.clear()
        return batch


class Bus:
    """In-process publish / subscribe. Call `publish` from the event loop only."""

    def __init__(self) -> None:
        self._topics: dict[str, set[Subscription]] = {}
        self.published = 0

    def subscribe(self, topic: str, *, max_queue: int) -> Subscription:
        """Start receiving events of `topic` (events published from now on)."""
        subscription = Subscription(topic, max_queue=max_queue)
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
