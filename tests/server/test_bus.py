"""The in-process bus: order, one serialisation, bounded queues for slow subscribers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from server.bus import Bus, Event, Subscription
from studio.errors import SlowClient


def event(seq: int, event_type: str = "comment") -> Event:
    return Event(seq=seq, type=event_type, text=f'{{"seq":{seq},"type":"{event_type}"}}')


def test_subscribers_get_the_same_text_in_order() -> None:
    async def scenario() -> tuple[list[Event], list[Event]]:
        bus = Bus()
        first = bus.subscribe("s", max_queue=10)
        second = bus.subscribe("s", max_queue=10)
        other = bus.subscribe("other", max_queue=10)
        for seq in (1, 2, 3):
            await bus.publish("s", event(seq))
        assert other.dropped == 0 and not other.is_overflowed
        return await first.next_batch(), await second.next_batch()

    first, second = asyncio.run(scenario())

    assert [e.seq for e in first] == [1, 2, 3]
    assert all(a.text is b.text for a, b in zip(first, second, strict=True))


def test_full_queue_drops_chat_but_overflows_on_orders() -> None:
    async def scenario() -> None:
        bus = Bus()
        slow = bus.subscribe("s", max_queue=2)
        for seq in (1, 2, 3, 4):
            await bus.publish("s", event(seq, "comment"))
        assert slow.dropped == 2 and not slow.is_overflowed
        await bus.publish("s", event(5, "order"))
        assert slow.is_overflowed
        with pytest.raises(SlowClient):
            await slow.next_batch()
        await asyncio.wait_for(slow.wait_overflow(), 1)

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("event_type", "is_droppable"),
    [
        ("comment", True),
        ("order", False),
        ("order_update", False),
        ("pin", False),
        ("stock", False),
    ],
)
def test_only_chat_is_droppable(event_type: str, is_droppable: bool) -> None:
    assert event(1, event_type).is_droppable is is_droppable


def test_unsubscribe_stops_delivery() -> None:
    async def scenario() -> int:
        bus = Bus()
        subscription = bus.subscribe("s", max_queue=4)
        bus.unsubscribe(subscription)
        bus.unsubscribe(subscription)
        await bus.publish("s", event(1))
        return bus.subscriber_count("s")

    assert asyncio.run(scenario()) == 0


class Connection:
    """A writer standing in for a websocket: takes events until it is told it is full."""

    def __init__(self) -> None:
        self.writes: list[list[int]] = []
        self.is_full = False

    def write(self, events: Sequence[Event]) -> bool:
        if self.is_full:
            return False
        self.writes.append([e.seq for e in events])
        return True


async def settle() -> None:
    """Let the loop turn that delivered the events end (the writer runs after it)."""
    for _ in range(3):
        await asyncio.sleep(0)


def test_idle_subscriber_gets_one_loop_turns_events_in_one_write() -> None:
    async def scenario() -> tuple[list[list[int]], int]:
        bus = Bus()
        subscription = bus.subscribe("s", max_queue=10)
        connection = Connection()
        subscription.attach_writer(connection.write)
        consumer = asyncio.create_task(subscription.next_batch())
        await settle()  # the consumer now waits: the subscriber is idle
        for seq in (1, 2, 3):
            bus.deliver("s", event(seq))
        assert connection.writes == []  # written at the end of this turn, not one by one
        await settle()
        bus.deliver("s", event(4, "order"))
        await settle()
        assert not consumer.done()  # nothing was queued for it
        consumer.cancel()
        return connection.writes, subscription.written

    writes, written = asyncio.run(scenario())

    assert writes == [[1, 2, 3], [4]]
    assert written == 4


def test_refused_events_are_queued_and_later_ones_follow_them() -> None:
    async def scenario() -> tuple[list[int], list[list[int]]]:
        bus = Bus()
        subscription = bus.subscribe("s", max_queue=10)
        connection = Connection()
        subscription.attach_writer(connection.write)
        consumer = asyncio.create_task(subscription.next_batch())
        await settle()
        connection.is_full = True
        bus.deliver("s", event(1))
        await settle()
        connection.is_full = False
        bus.deliver("s", event(2))  # the consumer has not taken 1 yet: 2 queues behind it
        first = await asyncio.wait_for(consumer, 1)
        bus.deliver("s", event(3))  # the consumer is busy with [1, 2]: 3 queues too
        second = await asyncio.wait_for(subscription.next_batch(), 1)
        return [e.seq for e in first + second], connection.writes

    seqs, writes = asyncio.run(scenario())

    assert seqs == [1, 2, 3]
    assert writes == []


def test_refused_writes_keep_the_queue_bounds() -> None:
    async def scenario() -> Subscription:
        bus = Bus()
        subscription = bus.subscribe("s", max_queue=2)
        connection = Connection()
        connection.is_full = True
        subscription.attach_writer(connection.write)
        consumer = asyncio.create_task(subscription.next_batch())
        await settle()
        for seq in (1, 2, 3, 4):
            bus.deliver("s", event(seq))
        bus.deliver("s", event(5, "pin"))
        await settle()
        consumer.cancel()
        return subscription

    subscription = asyncio.run(scenario())

    assert subscription.dropped == 2
    assert subscription.is_overflowed


def test_a_failing_writer_never_stops_the_others_nor_loses_its_events() -> None:
    def broken(events: Sequence[Event]) -> bool:
        raise RuntimeError("connection in a bad state")

    async def scenario() -> tuple[list[int], list[list[list[int]]]]:
        bus = Bus()
        failing = bus.subscribe("s", max_queue=10)
        failing.attach_writer(broken)
        others = [bus.subscribe("s", max_queue=10) for _ in range(3)]
        connections = [Connection() for _ in others]
        for subscription, connection in zip(others, connections, strict=True):
            subscription.attach_writer(connection.write)
        waiting = [asyncio.create_task(s.next_batch()) for s in (failing, *others)]
        await settle()
        bus.deliver("s", event(1))
        await settle()
        bus.deliver("s", event(2))
        first = await asyncio.wait_for(waiting[0], 1)  # the failing one got them queued instead
        more = await asyncio.wait_for(failing.next_batch(), 1)
        for task in waiting[1:]:
            task.cancel()
        return [e.seq for e in first + more], [c.writes for c in connections]

    failing_seqs, writes = asyncio.run(scenario())

    assert failing_seqs == [1, 2]
    assert writes == [[[1], [2]]] * 3
