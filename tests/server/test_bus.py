"""The in-process bus: order, one serialisation, bounded queues for slow subscribers."""

from __future__ import annotations

import asyncio

import pytest

from server.bus import Bus, Event
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
