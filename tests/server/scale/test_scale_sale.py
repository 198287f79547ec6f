"""Three server processes, one PostgreSQL, one Redis: no oversell, one ordered event stream."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
import websockets
from deadlines import EVENT_SPREAD_S
from live_helpers import BURST_TIMEOUT, HOST, INGEST
from scale_helpers import Cluster

pytestmark = pytest.mark.slow
BUYERS = 1000
UNITS = 50  # SP01 stock in the test catalog


async def post(client: httpx.AsyncClient, url: str, body: dict[str, object]) -> httpx.Response:
    return await client.post(f"{url}/api/comments", json=body, headers=INGEST)


def buyer(i: int, text: str = "SOLD SP01") -> dict[str, object]:
    return {"platform": "t", "comment_id": f"c{i}", "user_id": f"buyer{i}", "text": text}


async def race(cluster: Cluster, count: int) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=60, max_keepalive_connections=60)
    urls = [cluster.url(i) for i in range(count)]
    async with httpx.AsyncClient(limits=limits, timeout=BURST_TIMEOUT) as client:
        responses = await asyncio.gather(
            *(post(client, urls[i % count], buyer(i)) for i in range(BUYERS))
        )
    return [r.json() for r in responses]


def test_thousand_buyers_on_three_processes_take_exactly_fifty(cluster: Cluster) -> None:
    cluster.start(3)
    answers = asyncio.run(race(cluster, 3))
    statuses = [a["order"]["status"] for a in answers]
    assert statuses.count("accepted") == UNITS
    assert statuses.count("waitlisted") == BUYERS - UNITS
    assert cluster.rows("SELECT qty FROM stock WHERE sku='SP01'") == [(0,)]
    assert cluster.rows(
        "SELECT count(*), sum(qty) FROM orders WHERE sku='SP01' AND status='accepted'"
    ) == [(UNITS, UNITS)]
    positions = sorted(
        a["order"]["waitlist_position"] for a in answers if a["order"]["status"] == "waitlisted"
    )
    assert positions == list(range(1, BUYERS - UNITS + 1))
    seqs = [row[0] for row in cluster.rows("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))  # one numbering, no gaps, across processes


async def watch(url: str, until_seq: int, *, since: int = 0) -> list[dict[str, Any]]:
    """Collect events from one process's overlay socket until `until_seq` arrives."""
    seen: list[dict[str, Any]] = []
    async with websockets.connect(f"{url}/ws/overlay?since={since}") as ws:
        while not seen or seen[-1]["seq"] < until_seq:
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)))
    return seen


def test_client_on_one_process_sees_other_processes_events_in_order(cluster: Cluster) -> None:
    cluster.start(3)

    async def scenario() -> list[dict[str, Any]]:
        async with (
            httpx.AsyncClient(timeout=BURST_TIMEOUT) as client,
            websockets.connect(f"{cluster.ws_url(0)}/ws/overlay") as ws,
        ):
            snapshot = json.loads(await ws.recv())
            assert snapshot["type"] == "snapshot"
            # Comments land on processes B and C only, concurrently.
            answers = await asyncio.gather(
                *(
                    post(client, cluster.url(1 + i % 2), buyer(i, f"B3 hỏi giá {i}"))
                    for i in range(60)
                )
            )
            assert all(a.status_code == 200 for a in answers)
            last = cluster.rows("SELECT max(seq) FROM events")[0][0]
            assert isinstance(last, int)
            seen: list[dict[str, Any]] = []
            while not seen or seen[-1]["seq"] < last:
                seen.append(json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)))
            return seen

    seen = asyncio.run(scenario())
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))
    stored = [
        json.loads(str(r[0])) for r in cluster.rows("SELECT payload FROM events ORDER BY seq")
    ]
    assert seen == stored


def test_a_pin_made_on_one_process_is_what_a_bare_order_on_another_buys(cluster: Cluster) -> None:
    cluster.start(2)
    pinned = httpx.post(f"{cluster.url(0)}/api/products/B3/pin", headers=HOST, timeout=10)
    assert pinned.status_code == 200

    def bare_order(n: int) -> dict[str, Any]:
        body = buyer(n, "chốt")
        answer: dict[str, Any] = httpx.post(
            f"{cluster.url(1)}/api/comments", json=body, headers=INGEST, timeout=10
        ).json()
        return answer

    deadline = time.monotonic() + EVENT_SPREAD_S  # the pin event reaches process B through Redis
    answer, sent = bare_order(0), 1
    while answer["order"] is None and time.monotonic() < deadline:
        time.sleep(0.1)
        answer, sent = bare_order(sent), sent + 1
    assert answer["order"]["sku"] == "B3"
