"""The direct frame writer against a real uvicorn: what `server.ws_protocol` relies on.

These tests fail if uvicorn's ``websockets-sansio`` protocol changes the attributes the writer
reads (they would raise AttributeError in the endpoint, or the writer would stop refusing).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator

import pytest
import websockets
from deadlines import EVENT_SPREAD_S
from fastapi import FastAPI, WebSocket

from server.serve import RunningServer, start_in_thread
from server.ws_protocol import frame_writer, text_frame

BIG_FRAME = text_frame("x" * 65_536)


@pytest.fixture
def echo_server() -> Iterator[tuple[RunningServer, dict[str, list[object]]]]:
    """A websocket endpoint that writes frames directly when asked, and reports what happened."""
    app = FastAPI()
    seen: dict[str, list[object]] = {"writers": [], "flood": [], "after_close": []}

    @app.websocket("/ws")
    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        write = frame_writer(websocket.scope)
        seen["writers"].append(write)
        assert write is not None
        command = await websocket.receive_text()
        if command == "abc":
            seen["flood"].append(write(text_frame("a")))
            seen["flood"].append(write(text_frame("b") + text_frame("ç")))
            await websocket.send_text("d")  # the ordinary ASGI path, after the direct writes
            await websocket.receive_text()
        elif command == "flood":
            # The peer stopped reading: the writer must refuse once the buffer is full.
            for _ in range(2000):
                if not write(BIG_FRAME):
                    break
                await asyncio.sleep(0)
            seen["flood"].append(write(BIG_FRAME))
        elif command == "close":
            await websocket.close(1000)
            seen["after_close"].append(write(text_frame("late")))

    running = start_in_thread(app)
    try:
        yield running, seen
    finally:
        running.stop()


def _ws_url(running: RunningServer) -> str:
    return running.url.replace("http://", "ws://", 1) + "/ws"


def test_direct_frames_arrive_whole_and_in_order(
    echo_server: tuple[RunningServer, dict[str, list[object]]],
) -> None:
    running, seen = echo_server

    async def scenario() -> list[str]:
        async with websockets.connect(_ws_url(running), compression=None) as ws:
            await ws.send("abc")
            received = [str(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)) for _ in range(4)]
            await ws.send("bye")
            return received

    assert asyncio.run(scenario()) == ["a", "b", "ç", "d"]
    assert seen["flood"] == [True, True]


def test_writer_refuses_once_a_client_stops_reading(
    echo_server: tuple[RunningServer, dict[str, list[object]]],
) -> None:
    running, seen = echo_server
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", running.port))
    sock.sendall(
        b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Version: 13\r\n\r\n"
    )
    assert b" 101 " in sock.recv(256)
    # "flood", as a masked client text frame (mask 0: the payload stays readable).
    sock.sendall(b"\x81\x85\x00\x00\x00\x00flood")
    try:
        deadline = time.monotonic() + 10
        while not seen["flood"] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sock.close()

    assert seen["flood"] == [False]


def test_writer_refuses_after_close(
    echo_server: tuple[RunningServer, dict[str, list[object]]],
) -> None:
    running, seen = echo_server

    async def scenario() -> int | None:
        async with websockets.connect(_ws_url(running), compression=None) as ws:
            await ws.send("close")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)
            return closed.value.rcvd.code if closed.value.rcvd else None

    assert asyncio.run(scenario()) == 1000
    assert seen["after_close"] == [False]


def test_frame_is_a_plain_unmasked_text_frame() -> None:
    assert text_frame("hi") == b"\x81\x02hi"
    assert text_frame("x" * 300)[:4] == b"\x81\x7e\x01\x2c"
