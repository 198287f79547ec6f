"""Connections a client keeps idle are still open when it posts again (no lost order attempts).

uvicorn closes an idle keep-alive connection after 5 s by default, the same time httpx and many
bridges keep one: a client posting on a connection the server closed a moment before gets a
ReadError or "server disconnected", and an order POST is not retried. The server now keeps idle
connections longer than clients do (`server.serve.KEEP_ALIVE_S`), so the client closes them.
"""

from __future__ import annotations

import time

import httpx
from live_helpers import INGEST, LiveServer

from server.serve import KEEP_ALIVE_S

CLIENT_IDLE_S = 6.0  # a bridge or browser pausing between comments, past uvicorn's default 5 s


def test_a_connection_idle_for_seconds_still_takes_the_next_order(live_server: LiveServer) -> None:
    assert KEEP_ALIVE_S > CLIENT_IDLE_S
    limits = httpx.Limits(max_connections=1, keepalive_expiry=CLIENT_IDLE_S + 5)
    opened: list[object] = []

    def count_connections(event_name: str, info: dict[str, object]) -> None:
        if event_name == "connection.connect_tcp.complete":
            opened.append(info)

    with httpx.Client(
        base_url=live_server.url, headers=INGEST, limits=limits, timeout=30
    ) as client:
        extensions = {"trace": count_connections}

        def order(n: int) -> httpx.Response:
            body = {"platform": "t", "comment_id": f"k{n}", "user_id": f"u{n}", "text": "SOLD SP01"}
            return client.post("/api/comments", json=body, extensions=extensions)

        assert order(1).status_code == 200
        time.sleep(CLIENT_IDLE_S)  # the idle time is what is under test
        assert order(2).status_code == 200  # before the fix: RemoteProtocolError / ReadError

    assert len(opened) == 1  # the second order went on the same, still open connection
    assert live_server.rows("SELECT count(*) FROM orders") == [(2,)]
