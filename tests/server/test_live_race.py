"""1,000 buyers racing for 50 units over loopback: exactly 50 orders, the rest waitlisted.

The server runs in its own process (the real CLI), as in production: buyers in the same process
would compete with it for the interpreter lock and measure that instead.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_helpers import BURST_TIMEOUT, INGEST, free_port, start_server

pytestmark = pytest.mark.slow
BUYERS = 1000
UNITS = 50  # SP01 stock in the test catalog


async def race(url: str) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=BURST_TIMEOUT) as client:

        async def buy(i: int) -> dict[str, Any]:
            body = {
                "platform": "t",
                "comment_id": f"r{i}",
                "user_id": f"buyer{i}",
                "text": "SOLD SP01",
            }
            response = await client.post("/api/comments", json=body, headers=INGEST)
            answer: dict[str, Any] = response.json()
            return answer

        return list(await asyncio.gather(*(buy(i) for i in range(BUYERS))))


def test_thousand_buyers_fifty_units(tmp_path: Path, live_catalog: Path) -> None:
    port = free_port()
    db = tmp_path / "race.sqlite"
    process = start_server(live_catalog, db, port, tmp_path / "home", tmp_path / "server.log")
    try:
        answers = asyncio.run(race(f"http://127.0.0.1:{port}"))
    finally:
        process.terminate()
        process.wait(10)

    def rows(sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()

    statuses = [a["order"]["status"] for a in answers]
    assert statuses.count("accepted") == UNITS
    assert statuses.count("waitlisted") == BUYERS - UNITS
    assert rows("SELECT qty FROM stock WHERE sku='SP01'") == [(0,)]
    assert rows("SELECT count(*), sum(qty) FROM orders WHERE sku='SP01' AND status='accepted'") == [
        (UNITS, UNITS)
    ]
    assert rows("SELECT count(*) FROM waitlist") == [(BUYERS - UNITS,)]
    positions = sorted(
        a["order"]["waitlist_position"] for a in answers if a["order"]["status"] == "waitlisted"
    )
    assert positions == list(range(1, BUYERS - UNITS + 1))
