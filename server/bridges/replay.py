"""Feed a recorded chat into a live server at N times its real pace (rehearsals, demos, tests).

`schedule` is pure: it turns the comments' own timestamps into send offsets. `replay` submits
each comment to an `IngestClient` at its offset and waits until the server has answered for all.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from server.bridges.body import CommentBody
from server.bridges.client import IngestClient


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

    The caller runs `client.run()` alongside (see `studio.cli.bridge`).
    """
    started = time.monotonic()
    sent = 0
    for timed in timeline:
        wait = timed.offset_s - (time.monotonic() - started)
        if wait > 0:
            await sleep(wait)
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
