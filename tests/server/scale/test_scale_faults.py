"""Faults mid-sale: a SIGKILLed process, a Redis restart, a PostgreSQL restart. Nothing is lost."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from live_helpers import BURST_TIMEOUT, INGEST, free_port
from scale_helpers import Cluster, make_cluster, run_services

pytestmark = pytest.mark.slow
UNITS = 50


def buyer(i: int) -> dict[str, object]:
    return {"platform": "t", "comment_id": f"c{i}", "user_id": f"buyer{i}", "text": "SOLD SP01"}


async def buy(client: httpx.AsyncClient, url: str, i: int) -> tuple[int, int, dict[str, Any]]:
    """POST one order; (buyer, HTTP status or 0 when the process was unreachable, body)."""
    try:
        response = await client.post(f"{url}/api/comments", json=buyer(i), headers=INGEST)
    except httpx.TransportError:
        return i, 0, {}
    body = response.json()
    if response.status_code == 503:
        body["retry_after"] = response.headers.get("retry-after")
    return i, response.status_code, body


class Watcher:
    """One overlay client: resumes with ``since`` on the next process whenever its socket ends."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self.seen: list[dict[str, Any]] = []
        self.reconnects = 0

    async def run(self, until: asyncio.Future[int]) -> None:
        index = 0
        while True:
            since = self.seen[-1]["seq"] if self.seen else 0
            try:
                async with websockets.connect(f"{self.urls[index]}/ws/overlay?since={since}") as ws:
                    while not (
                        until.done() and self.seen and self.seen[-1]["seq"] >= until.result()
                    ):
                        try:
                            text = await asyncio.wait_for(ws.recv(), 0.3)
                        except TimeoutError:
                            continue
                        self.seen.append(json.loads(text))
                    return
            except (websockets.ConnectionClosed, OSError):
                self.reconnects += 1
                index = (index + 1) % len(self.urls)
                await asyncio.sleep(0.1)


def stored_events(cluster: Cluster) -> list[dict[str, Any]]:
    return [json.loads(str(r[0])) for r in cluster.rows("SELECT payload FROM events ORDER BY seq")]


def acknowledged_orders_are_stored(
    cluster: Cluster, answers: list[tuple[int, int, dict[str, Any]]]
) -> None:
    acked = {body["order"]["id"] for _, status, body in answers if status == 200 and body["order"]}
    stored = {row[0] for row in cluster.rows("SELECT id FROM orders")}
    assert acked <= stored
    accepted = cluster.rows("SELECT count(*) FROM orders WHERE status='accepted'")[0][0]
    assert accepted == UNITS
    assert cluster.rows("SELECT qty FROM stock WHERE sku='SP01'") == [(0,)]


async def finish(
    cluster: Cluster,
    watchers: list[Watcher],
    tasks: list[asyncio.Task[None]],
    until: asyncio.Future[int],
) -> None:
    last = cluster.rows("SELECT max(seq) FROM events")[0][0]
    assert isinstance(last, int)
    until.set_result(last)
    await asyncio.wait_for(asyncio.gather(*tasks), 30)


def test_sigkilled_process_clients_resume_elsewhere_and_miss_nothing(cluster: Cluster) -> None:
    cluster.start(3)
    urls = [cluster.ws_url(i) for i in range(3)]

    async def scenario() -> tuple[list[Watcher], list[tuple[int, int, dict[str, Any]]]]:
        until: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        watchers = [Watcher(urls) for _ in range(6)]  # all start on process 0
        tasks = [asyncio.create_task(w.run(until)) for w in watchers]
        async with httpx.AsyncClient(timeout=BURST_TIMEOUT) as client:
            first = await asyncio.gather(*(buy(client, cluster.url(i % 3), i) for i in range(150)))
            cluster.processes[0].send_signal(signal.SIGKILL)
            second = await asyncio.gather(
                *(buy(client, cluster.url(i % 3), i) for i in range(150, 300))
            )
        await finish(cluster, watchers, tasks, until)
        return watchers, [*first, *second]

    watchers, answers = asyncio.run(scenario())
    stored = stored_events(cluster)
    for watcher in watchers:
        assert watcher.reconnects >= 1
        assert watcher.seen == stored
    assert {status for _, status, _ in answers} <= {200, 0}
    acknowledged_orders_are_stored(cluster, answers)


def test_redis_restart_loses_no_order_and_clients_resync(tmp_path: Path, db_url: str) -> None:
    port = free_port()
    redis_url = run_services(redis_port=port)["LIVESTALL_REDIS_URL"]
    cluster = make_cluster(tmp_path, db_url, redis_url)
    try:
        cluster.start(2)
        urls = [cluster.ws_url(i) for i in range(2)]

        async def scenario() -> tuple[list[Watcher], list[tuple[int, int, dict[str, Any]]]]:
            until: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            watchers = [Watcher(urls), Watcher(urls[::-1])]
            tasks = [asyncio.create_task(w.run(until)) for w in watchers]
            answers = []
            async with httpx.AsyncClient(timeout=BURST_TIMEOUT) as client:
                for start, action in ((0, "stop"), (60, "start"), (120, None)):
                    answers += await asyncio.gather(
                        *(buy(client, cluster.url(i % 2), i) for i in range(start, start + 60))
                    )
                    if action == "stop":
                        run_services("stop", "redis", redis_port=port)
                    elif action == "start":
                        run_services(redis_port=port)
            await finish(cluster, watchers, tasks, until)
            return watchers, answers

        watchers, answers = asyncio.run(scenario())
        assert {status for _, status, _ in answers} == {200}
        stored = stored_events(cluster)
        for watcher in watchers:
            assert watcher.seen == stored
        acknowledged_orders_are_stored(cluster, answers)
    finally:
        cluster.stop()
        run_services("stop", "redis", redis_port=port)


def test_postgres_restart_answers_503_then_resumes_by_itself(cluster: Cluster) -> None:
    cluster.start(2)

    async def scenario() -> list[tuple[int, int, dict[str, Any]]]:
        async with httpx.AsyncClient(timeout=BURST_TIMEOUT) as client:
            before = await asyncio.gather(*(buy(client, cluster.url(i % 2), i) for i in range(40)))
            run_services("stop", "postgres")
            try:
                during = await asyncio.gather(
                    *(buy(client, cluster.url(i % 2), i) for i in range(40, 80))
                )
            finally:
                run_services()
            for _, status, body in during:
                assert status == 503, body
                assert body["code"] == "live.store_unavailable"
                assert body["retry_after"] == "2"
            refused = "SELECT count(*) FROM comments WHERE comment_id ~ '^c[4-7][0-9]$'"
            assert cluster.rows(refused) == [(0,)]  # a 503 is never a stored order
            deadline = time.monotonic() + 30
            pending, again = set(range(40, 80)), []
            while pending and time.monotonic() < deadline:
                # The same comments again, each until its first 200: the servers reconnect
                # by themselves; a refused one was not stored, so none comes back "duplicate".
                for i, status, body in await asyncio.gather(
                    *(buy(client, cluster.url(i % 2), i) for i in sorted(pending))
                ):
                    assert status in (200, 503), body
                    if status == 200:
                        again.append((i, status, body))
                        pending.discard(i)
                await asyncio.sleep(0.5 if pending else 0)
            assert not pending
            after = await asyncio.gather(
                *(buy(client, cluster.url(i % 2), i) for i in range(80, 120))
            )
        return [*before, *again, *after]

    answers = asyncio.run(scenario())
    assert {status for _, status, _ in answers} == {200}
    assert [body["status"] for _, _, body in answers].count("duplicate") == 0
    acknowledged_orders_are_stored(cluster, answers)
