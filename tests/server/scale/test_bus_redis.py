"""RedisBus on a real Redis: early events wait, missing ones come from storage, order holds."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis
from deadlines import EVENT_SPREAD_S

from server.bus import Event
from server.bus_redis import RedisBus, decode, encode


def event(seq: int, session_id: int = 1) -> Event:
    return Event(seq=seq, type="comment", text=f'{{"seq":{seq}}}', session_id=session_id)


def test_message_round_trips() -> None:
    original = Event(seq=7, type="order", text='{"seq":7,"note":"a\\nb"}', session_id=3)
    assert decode(encode("live", original)) == ("live", original)


async def collect(bus: RedisBus, count: int) -> list[int]:
    subscription = bus.subscribe("live", max_queue=100)
    seen: list[int] = []
    while len(seen) < count:
        seen += [e.seq for e in await asyncio.wait_for(subscription.next_batch(), EVENT_SPREAD_S)]
    return seen


def test_events_from_other_processes_arrive_in_seq_order(services: dict[str, str]) -> None:
    url = services["LIVESTALL_REDIS_URL"]
    storage: list[Event] = []  # what the database has committed so far
    channel = "livestall:test:order"

    async def fetch(session_id: int, since: int) -> list[Event]:
        return [e for e in storage if e.session_id == session_id and e.seq > since]

    async def last() -> tuple[int, int]:
        return 1, 0

    async def scenario() -> tuple[list[int], int]:
        bus = RedisBus(url, channel=channel, topic="live", fetch=fetch, last=last)
        bus.start()
        while not bus.is_connected:
            await asyncio.sleep(0.01)
        reader = asyncio.create_task(collect(bus, 7))
        other = aioredis.Redis.from_url(url)
        try:
            # Another process's 3 and 2 arrive before 1, which is never published (its process
            # died after commit): 1 is read from storage, then 2 and 3 follow in order.
            storage.extend(event(seq) for seq in (1, 2, 3))
            for seq in (3, 2):
                await other.publish(channel, encode("live", event(seq)))
            await asyncio.sleep(0.5)
            storage.extend(event(seq) for seq in range(4, 8))
            await bus.publish("live", event(5))  # ours, early: held behind 4
            await other.publish(channel, encode("live", event(4)))
            await other.publish(channel, encode("live", event(3)))  # a repeat: ignored
            for seq in (7, 6):
                await other.publish(channel, encode("live", event(seq)))
            return await reader, bus.gaps_filled
        finally:
            await other.aclose()
            bus.stop()
            await bus.wait_closed()

    seen, gaps_filled = asyncio.run(scenario())
    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert gaps_filled == 1


def test_a_new_session_restarts_the_numbering(services: dict[str, str]) -> None:
    url = services["LIVESTALL_REDIS_URL"]
    storage = [event(1), event(2), event(1, session_id=2), event(2, session_id=2)]

    async def fetch(session_id: int, since: int) -> list[Event]:
        return [e for e in storage if e.session_id == session_id and e.seq > since]

    async def last() -> tuple[int, int]:
        return 1, 0

    async def scenario() -> list[tuple[int, int]]:
        followed: list[tuple[int, int]] = []
        bus = RedisBus(
            url,
            channel="livestall:test:session",
            topic="live",
            fetch=fetch,
            last=last,
            on_event=lambda e: followed.append((e.session_id, e.seq)),
        )
        bus.start()
        while not bus.is_connected:
            await asyncio.sleep(0.01)
        try:
            for item in storage:
                await bus.publish("live", item)
            await bus.publish("live", event(3))  # late news from the ended session: dropped
            await asyncio.sleep(0.3)
            return followed
        finally:
            bus.stop()
            await bus.wait_closed()

    assert asyncio.run(scenario()) == [(1, 1), (1, 2), (2, 1), (2, 2)]
