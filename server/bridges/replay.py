"""Feed a recorded chat into a live server at N times its real pace (rehearsals, demos, tests).

`schedule` is pure: it turns the comments' own timestamps into send offsets. `replay` submits
each comment to an `IngestClient` at its offset and waits until the server has answered for all.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx

from server.bridges.body import CommentBody
from server.bridges.client import ClientOptions, IngestClient
from server.bridges.outbox import Outbox
from studio.errors import BridgeError


@dataclass(frozen=True, slots=True)
class Timed:
    """A comment and when to send it, in seconds after the replay starts."""

    offset_s: float
    body: CommentBody


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What a replay sent and how the server answered."""

    sent: int
    accepted: int
    duplicate: int
    rejected: int
    orders: int
    dropped: int
    elapsed_s: float


def schedule(comments: Sequence[CommentBody], *, speed: float) -> list[Timed]:
    """Return send offsets that keep the recording's rhythm, `speed` times faster.

    Comments without a time keep the previous comment's offset; a clock that goes backwards
    (merged recordings) never makes an offset go backwards. ``speed <= 0`` sends all at once.

    Args:
        comments: in file order.
        speed: 1 = real time, 10 = ten times faster, 0 = as fast as possible.
    """
    if speed <= 0:
        return [Timed(0.0, c) for c in comments]
    start = next((c.ts for c in comments if c.ts is not None), None)
    out: list[Timed] = []
    offset = 0.0
    for comment in comments:
        if comment.ts is not None and start is not None:
            offset = max(offset, (comment.ts - start) / speed)
        out.append(Timed(offset, comment))
    return out


async def feed(
    timeline: Sequence[Timed],
    client: IngestClient,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> ReplayReport:
    """Submit each comment at its offset, then wait until the server answered for every one.

    The caller runs `client.run()` alongside (see `livestall.cli.bridge`). Every comment yields to
    the event loop, even when it is already due (``--speed 0``, a replay running late): a long
    replay shares the loop with the sender and whatever else runs on it (an in-process server's
    websockets and health checks) instead of holding it until the last comment is queued.
    """
    started = time.monotonic()
    sent = 0
    for timed in timeline:
        wait = timed.offset_s - (time.monotonic() - started)
        await sleep(max(0.0, wait))
        if client.submit(timed.body):
            sent += 1
    await client.drain()
    counts = client.counts
    return ReplayReport(
        sent=sent,
        accepted=counts.accepted,
        duplicate=counts.duplicate,
        rejected=counts.rejected,
        orders=counts.orders,
        dropped=client.outbox.dropped,
        elapsed_s=time.monotonic() - started,
    )


async def replay_comments(
    comments: Sequence[CommentBody], options: ClientOptions, *, speed: float, give_up_s: float
) -> ReplayReport:
    """Deliver recorded comments to a live server at `speed`, waiting for every answer.

    Raises:
        BridgeError: the server stayed unreachable for `give_up_s` seconds.
        BridgeAuthError: the server refused the ingest token.
    """
    box = Outbox.open(None, max_items=max(100_000, len(comments)))
    async with httpx.AsyncClient() as http:
        client = IngestClient(options, box, http)
        sender = asyncio.create_task(client.run())
        feeding = asyncio.create_task(feed(schedule(comments, speed=speed), client))
        try:
            while not feeding.done():
                await asyncio.wait(
                    {feeding, sender}, timeout=0.25, return_when=asyncio.FIRST_COMPLETED
                )
                if sender.done():
                    sender.result()  # a refused token: raise it
                stalled_s = time.monotonic() - client.last_delivery_s
                if client.link.state == "reconnecting" and stalled_s > give_up_s:
                    raise BridgeError(
                        f"the live server at {options.server_url} did not answer for {stalled_s:.0f} s "
                        f"({client.link.last_error})",
                        hint="start it with `livestall live serve`, or check --server",
                    )
            return feeding.result()
        finally:
            feeding.cancel()
            sender.cancel()
            await asyncio.gather(feeding, sender, return_exceptions=True)
            box.close()
