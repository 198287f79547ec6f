"""SIGKILL the server mid-stream: every acknowledged order survives and ?since resumes."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from deadlines import EVENT_SPREAD_S
from live_helpers import HOST, INGEST, INGEST_TOKEN, free_port, start_server

from server.tokens import mask_token

pytestmark = pytest.mark.slow


async def stream_orders(port: int, acked: list[dict[str, Any]], seen: list[int]) -> None:
    """Post orders and chat until the server dies; read events meanwhile."""

    async def read_events() -> None:
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/overlay") as ws:
            async for message in ws:
                seen.append(json.loads(message)["seq"])

    reader = asyncio.create_task(read_events())
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for i in range(10_000):
                text = "SOLD SP01" if i % 2 == 0 else "hello shop"
                body = {"platform": "t", "comment_id": f"k{i}", "user_id": f"b{i}", "text": text}
                answer = (await client.post("/api/comments", json=body, headers=INGEST)).json()
                if answer["order"] is not None:
                    acked.append(answer["order"])
    except httpx.TransportError:
        pass  # the server was killed
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)


def test_acknowledged_orders_survive_sigkill_and_since_resumes(
    tmp_path: Path, live_catalog: Path
) -> None:
    port = free_port()
    db = tmp_path / "crash.sqlite"
    log = tmp_path / "server.log"
    process = start_server(live_catalog, db, port, tmp_path / "home", log)
    acked: list[dict[str, Any]] = []
    seen: list[int] = []

    async def run_and_kill() -> None:
        streaming = asyncio.create_task(stream_orders(port, acked, seen))
        deadline = time.monotonic() + 60
        while len(acked) < 20:
            assert time.monotonic() < deadline and not streaming.done(), "no orders acknowledged"
            await asyncio.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        await streaming

    try:
        asyncio.run(run_and_kill())
    finally:
        process.kill()
        process.wait()
    output = log.read_text(errors="replace")
    assert f"http://127.0.0.1:{port}/overlay" in output
    assert mask_token(INGEST_TOKEN) in output and INGEST_TOKEN not in output  # masked banner

    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT id, status FROM orders").fetchall())
    assert {o["id"]: o["status"] for o in acked}.items() <= stored.items()

    restarted = start_server(live_catalog, db, port, tmp_path / "home", log)
    try:
        orders = httpx.get(f"http://127.0.0.1:{port}/api/orders", headers=HOST).json()
        assert {o["id"] for o in acked} <= {o["id"] for o in orders}
        session = httpx.get(f"http://127.0.0.1:{port}/api/session").json()
        since = seen[-1] if seen else 0
        resumed = asyncio.run(_resume(port, since, session["last_seq"] - since))
        assert [e["seq"] for e in resumed] == list(range(since + 1, session["last_seq"] + 1))
        after = httpx.post(
            f"http://127.0.0.1:{port}/api/comments",
            json={"platform": "t", "comment_id": "after", "user_id": "z", "text": "SOLD B3"},
            headers=INGEST,
        ).json()
        assert after["order"]["status"] == "accepted"
        with sqlite3.connect(db) as conn:
            (max_seq,) = conn.execute("SELECT max(seq) FROM events").fetchone()
        assert max_seq > session["last_seq"]
    finally:
        restarted.terminate()
        restarted.wait(10)


async def _resume(port: int, since: int, count: int) -> list[dict[str, Any]]:
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/overlay?since={since}") as ws:
        return [json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)) for _ in range(count)]
