"""Websockets against a real uvicorn: order, since-resume, Origin, viewer comments, slow client."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from deadlines import EVENT_SPREAD_S
from live_helpers import HOST, INGEST, INGEST_TOKEN, LiveServer, comment

from server.app import create_app
from server.bus import Event
from server.events import FEED_EVENT_TYPES
from server.live import Live
from server.serve import RunningServer, start_in_thread
from server.settings import Settings
from server.ws import RECENT_EVENTS, RESUME_MAX_EVENTS, _event_writer, _Sent
from server.ws_protocol import text_frame


async def collect(url: str, count: int, *, timeout_s: float = 10.0) -> list[dict[str, Any]]:
    """Connect and return the first `count` messages."""
    async with websockets.connect(url) as ws:
        return [json.loads(await asyncio.wait_for(ws.recv(), timeout_s)) for _ in range(count)]


async def collect_until_pin(url: str, *, timeout_s: float = 10.0) -> list[dict[str, Any]]:
    """Connect and return messages up to and including the first ``pin`` event."""
    received = []
    async with websockets.connect(url) as ws:
        while not received or received[-1]["type"] != "pin":
            received.append(json.loads(await asyncio.wait_for(ws.recv(), timeout_s)))
    return received


def post_many(server: LiveServer, texts: list[str]) -> list[dict[str, Any]]:
    bodies = [comment(f"c{i}", text, user=f"u{i}") for i, text in enumerate(texts)]
    response = httpx.post(f"{server.url}/api/comments", json=bodies, headers=INGEST, timeout=20)
    answers: list[dict[str, Any]] = response.json()
    return answers


def test_clients_get_every_event_in_order(live_server: LiveServer) -> None:
    texts = ["SOLD B3", "hello", "SP01 x2", "chốt A12 size L", "B3 x1", "nice"] * 3

    async def scenario() -> list[list[dict[str, Any]]]:
        readers = [
            asyncio.create_task(collect_until_pin(f"{live_server.ws_url}/ws/overlay")),
            asyncio.create_task(collect_until_pin(f"{live_server.ws_url}/ws/viewer?name=An")),
        ]
        await asyncio.sleep(0.3)
        await asyncio.to_thread(post_many, live_server, texts)
        await asyncio.to_thread(httpx.post, f"{live_server.url}/api/products/B3/pin", headers=HOST)
        return list(await asyncio.gather(*readers))

    overlay, viewer = asyncio.run(scenario())

    assert overlay[0]["type"] == "snapshot" and overlay[0]["seq"] == 0
    seqs = [event["seq"] for event in overlay[1:]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) > len(texts)
    assert overlay[1:] == viewer[1:]
    stored = live_server.rows("SELECT payload FROM events ORDER BY seq")
    assert [json.loads(str(p)) for (p,) in stored] == overlay[1:]
    types = {event["type"] for event in overlay[1:]}
    assert {"comment", "order", "stock"} <= types


def test_since_resumes_from_storage_then_live(live_server: LiveServer) -> None:
    post_many(live_server, ["SOLD B3", "hi", "SP01 x1", "B3 x2"])
    (last_seq,) = live_server.rows("SELECT max(seq) FROM events")[0]
    assert isinstance(last_seq, int)

    async def scenario() -> list[dict[str, Any]]:
        async with websockets.connect(f"{live_server.ws_url}/ws/overlay?since=3") as ws:
            replayed = [json.loads(await ws.recv()) for _ in range(last_seq - 3)]
            await asyncio.to_thread(
                httpx.post,
                f"{live_server.url}/api/products/SP01/pin",
                headers=HOST,
            )
            replayed.append(json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)))
            return replayed

    events = asyncio.run(scenario())

    assert [e["seq"] for e in events] == list(range(4, last_seq + 2))
    assert events[-1]["type"] == "pin" and events[-1]["sku"] == "SP01"


@pytest.mark.parametrize(
    ("origin", "is_allowed"),
    [
        (None, True),
        ("SAME", True),
        ("http://obs.example", True),
        ("http://evil.example", False),
        ("null", False),
    ],
)
def test_websocket_origin_is_checked(
    tmp_path: Path, live_catalog: Path, origin: str | None, is_allowed: bool
) -> None:
    settings = Settings(
        catalog_path=live_catalog,
        db_url=f"sqlite:///{tmp_path / 'o.sqlite'}",
        data_dir=tmp_path,
        allowed_origins=("http://obs.example",),
    )
    running = start_in_thread(create_app(settings))
    try:
        sent = running.url if origin == "SAME" else origin

        async def connect() -> str:
            async with websockets.connect(
                running.url.replace("http", "ws") + "/ws/overlay",
                origin=sent,  # type: ignore[arg-type]
            ) as ws:
                return str(json.loads(await ws.recv())["type"])

        if is_allowed:
            assert asyncio.run(connect()) == "snapshot"
        else:
            with pytest.raises(websockets.InvalidStatus) as refused:
                asyncio.run(connect())
            assert refused.value.response.status_code == 403
    finally:
        running.stop()


def test_viewer_comments_are_acknowledged_and_rate_limited(live_server: LiveServer) -> None:
    async def scenario() -> list[dict[str, Any]]:
        url = f"{live_server.ws_url}/ws/viewer?name=Mai&uid=viewer-1"
        async with websockets.connect(url) as ws:
            await ws.recv()  # snapshot
            for i in range(6):
                await ws.send(json.dumps({"type": "comment", "text": "SOLD B3", "id": f"m{i}"}))
            replies: list[dict[str, Any]] = []
            while len(replies) < 6:
                message = json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S))
                if "seq" not in message:
                    replies.append(message)
            await ws.send("not json")
            while "seq" in (
                message := json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S))
            ):
                pass
            replies.append(message)
            return replies

    replies = asyncio.run(scenario())

    acks = [r for r in replies if r["type"] == "ack"]
    limited = [r for r in replies if r.get("code") == "rate_limited"]
    # a burst of 3, then one every 2 s (a very slow machine may refill one token meanwhile)
    assert [r["type"] for r in replies[:3]] == ["ack"] * 3
    assert len(limited) >= 2 and len(acks) + len(limited) == 6
    assert acks[0]["order"]["status"] == "accepted"
    assert acks[1]["order"]["repeat"] is True  # same viewer, same order: one order
    assert replies[-1]["code"] == "bad_json"
    assert live_server.rows("SELECT platform, user_id FROM viewers") == [("web", "viewer-1")]


@pytest.fixture
def small_queue_server(tmp_path: Path, live_catalog: Path) -> Iterator[tuple[RunningServer, Live]]:
    settings = Settings(
        catalog_path=live_catalog,
        db_url=f"sqlite:///{tmp_path / 'slow.sqlite'}",
        data_dir=tmp_path,
        ingest_token=INGEST_TOKEN,  # type: ignore[arg-type]
        client_queue_size=64,
        max_comment_chars=20_000,
        ingest_rate_per_s=1000,
        ingest_burst=1000,
    )
    app = create_app(settings)
    running = start_in_thread(app)
    try:
        yield running, app.state.live
    finally:
        running.stop()


def _stalled_client(port: int) -> socket.socket:
    """Open /ws/overlay by hand, read the handshake, then never read again."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(
        b"GET /ws/overlay HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Version: 13\r\n\r\n"
    )
    assert b" 101 " in sock.recv(256)
    return sock


@pytest.mark.slow
def test_slow_client_never_delays_others_and_resumes_with_since(
    small_queue_server: tuple[RunningServer, Live],
) -> None:
    running, live = small_queue_server
    ws_url = running.url.replace("http", "ws")
    stalled = _stalled_client(running.port)
    chat = "xin chao shop oi dep qua " * 640  # 16 kB of words
    bodies = [
        {"platform": "t", "comment_id": f"c{i}", "user_id": f"u{i}", "text": chat}
        for i in range(300)
    ]
    bodies.append({"platform": "t", "comment_id": "order", "user_id": "buyer", "text": "SOLD B3"})

    async def read_fast(fast: Any, done_at: list[float]) -> list[int]:
        seqs = []
        while True:
            event = json.loads(await asyncio.wait_for(fast.recv(), 20))
            seqs.append(event["seq"])
            if event["type"] == "stock":
                done_at.append(time.monotonic())
                return seqs

    async def scenario() -> tuple[list[int], float, int]:
        async with websockets.connect(
            f"{ws_url}/ws/overlay", max_size=None, max_queue=None
        ) as fast:
            await fast.recv()
            assert live.bus.subscriber_count(live.topic) == 2
            done_at: list[float] = []
            reader = asyncio.create_task(read_fast(fast, done_at))
            async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
                for start in range(0, len(bodies), 10):
                    chunk = bodies[start : start + 10]
                    await client.post("/api/comments", json=chunk, headers=INGEST)
                sent_at = time.monotonic()
            seqs = await reader
            for _ in range(100):
                if live.bus.subscriber_count(live.topic) == 1:
                    break
                await asyncio.sleep(0.05)
            return seqs, done_at[0] - sent_at, live.bus.subscriber_count(live.topic)

    seqs, lag_s, subscribers = asyncio.run(scenario())

    assert seqs == list(range(1, len(seqs) + 1))  # every event, in order, to the fast client
    assert lag_s < 2.0
    assert subscribers == 1  # the stalled client was disconnected
    stalled.close()
    resumed = asyncio.run(collect(f"{ws_url}/ws/overlay?since=300", 3))
    assert [e["type"] for e in resumed] == ["comment", "order", "stock"]


def test_batch_clients_get_queued_events_in_one_frame(live_server: LiveServer) -> None:
    async def scenario() -> list[object]:
        url = f"{live_server.ws_url}/ws/overlay?batch=1"
        async with websockets.connect(url) as ws:
            await ws.recv()  # snapshot
            await asyncio.to_thread(post_many, live_server, ["SOLD B3", "hi", "SP01 x2"])
            frames: list[object] = []
            while sum(len(f) if isinstance(f, list) else 1 for f in frames) < 7:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)))
            return frames

    frames = asyncio.run(scenario())

    events = [e for f in frames for e in (f if isinstance(f, list) else [f])]
    assert [e["seq"] for e in events] == list(range(1, 8))  # type: ignore[index]
    assert any(isinstance(f, list) and len(f) > 1 for f in frames)


def test_new_session_closes_sockets_and_resume_gets_its_snapshot(live_server: LiveServer) -> None:
    post_many(live_server, ["SOLD B3", "hello"])

    async def scenario() -> tuple[int | None, dict[str, Any], dict[str, Any]]:
        async with websockets.connect(f"{live_server.ws_url}/ws/overlay") as ws:
            first = json.loads(await ws.recv())
            response = await asyncio.to_thread(
                httpx.post,
                f"{live_server.url}/api/sessions",
                json={"title": "Buổi 2"},
                headers=HOST,
            )
            assert response.status_code == 201
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S)
        resume = f"since={first['seq']}&session={first['session_id']}"
        async with websockets.connect(f"{live_server.ws_url}/ws/overlay?{resume}") as ws:
            again = json.loads(await asyncio.wait_for(ws.recv(), EVENT_SPREAD_S))
        return closed.value.rcvd.code if closed.value.rcvd else None, first, again

    code, first, again = asyncio.run(scenario())

    assert code == 4009
    assert again["type"] == "snapshot"
    assert again["session_id"] == first["session_id"] + 1
    assert again["seq"] == 1  # the new session's "session" event
    assert {p["sku"]: p["stock"] for p in again["products"]}["B3"] == 3  # stock from the catalog
    assert live_server.rows("SELECT count(*) FROM live_sessions WHERE ended_at IS NULL") == [(1,)]


def test_direct_writes_skip_what_the_client_already_has() -> None:
    """History up to seq 5 was sent; the bus then delivers 4, 5 (read as history too) and 6."""
    frames: list[bytes] = []

    def write_frame(frame: bytes) -> bool:
        frames.append(frame)
        return True

    sent = _Sent(5)
    write = _event_writer(write_frame, sent, session_id=1, is_batched=False)
    events = [Event(seq, "comment", f'{{"seq":{seq}}}', session_id=1) for seq in (4, 5, 6)]
    assert write(events)
    assert frames == [text_frame('{"seq":6}')] and sent.seq == 6
    assert write(events[1:])  # delivered again after a gap fill: nothing new to write
    assert frames == [text_frame('{"seq":6}')]


def _fold(state: dict[str, Any], event: dict[str, Any]) -> None:
    """What a page keeps from one event: products, pin, countdown and the feed."""
    kind = event["type"]
    if kind == "snapshot":
        state["products"] = {p["sku"]: (p["stock"], p["variants"]) for p in event["products"]}
        state["pinned"] = event["pinned"]["sku"] if event["pinned"] else None
        state["countdown"] = event["countdown"]["label"] if event["countdown"] else None
        state["feed"] = list(event["recent"])
    elif kind == "pin":
        state["pinned"] = event["sku"]
    elif kind == "stock":
        state["products"][event["sku"]] = (event["stock"], event["variants"])
    elif kind == "countdown":
        state["countdown"] = event["label"] if event["seconds_left"] else None
    elif kind in FEED_EVENT_TYPES:
        state["feed"].append(event)


async def _read_into(ws: Any, events: list[dict[str, Any]], frames: list[str]) -> None:
    """Read batched frames until cancelled: every event into `events`, every frame's text."""
    while True:
        frames.append(str(await ws.recv()))
        parsed = json.loads(frames[-1])
        events.extend(parsed if isinstance(parsed, list) else [parsed])


async def _wait_for_seq(events: list[dict[str, Any]], seq: int, *, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not events or events[-1]["seq"] < seq:
        assert time.monotonic() < deadline, f"seq {seq} never arrived"
        await asyncio.sleep(0.02)


def _make_a_long_live(server: LiveServer, *, comments: int) -> None:
    """Pin, countdown, `comments` comments (some orders), then block a recent commenter."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        client.post("/api/products/A12/pin", headers=HOST).raise_for_status()
        countdown = {"seconds": 600, "label": "Xả kho"}
        client.post("/api/countdown", json=countdown, headers=HOST).raise_for_status()
        for start in range(0, comments, 200):
            bodies = [
                comment(f"c{i}", "SP01 x1" if i % 50 == 0 else f"đẹp quá {i}", user=f"u{i}")
                for i in range(start, start + 200)
            ]
            client.post("/api/comments", json=bodies, headers=INGEST).raise_for_status()
        (viewer_id,) = server.rows("SELECT viewer_id FROM comments ORDER BY id DESC LIMIT 1")[0]
        client.post(f"/api/viewers/{viewer_id}/block", headers=HOST).raise_for_status()


@pytest.mark.slow
def test_resume_from_far_back_is_a_snapshot_with_the_recent_events(
    live_server: LiveServer,
) -> None:
    url = f"{live_server.ws_url}/ws/overlay?batch=1"

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str], int]:
        early: list[dict[str, Any]] = []
        late: list[dict[str, Any]] = []
        late_frames: list[str] = []
        async with websockets.connect(url, max_size=None, max_queue=None) as from_start:
            reading = asyncio.create_task(_read_into(from_start, early, []))
            await asyncio.to_thread(
                _make_a_long_live, live_server, comments=RESUME_MAX_EVENTS + 1000
            )
            (last,) = live_server.rows("SELECT max(seq) FROM events")[0]
            assert isinstance(last, int)
            async with websockets.connect(f"{url}&since=0", max_size=None) as resumed:
                resuming = asyncio.create_task(_read_into(resumed, late, late_frames))
                await _wait_for_seq(late, last, timeout_s=20)
                final = [comment("final", "chào shop", user="u-final")]
                await asyncio.to_thread(
                    httpx.post, f"{live_server.url}/api/comments", json=final, headers=INGEST
                )
                await _wait_for_seq(late, last + 1, timeout_s=20)
                await _wait_for_seq(early, last + 1, timeout_s=60)
                for task in (reading, resuming):
                    task.cancel()
                await asyncio.gather(reading, resuming, return_exceptions=True)
        return early, late, late_frames, last

    early, late, late_frames, last = asyncio.run(scenario())

    assert last > RESUME_MAX_EVENTS + 1000  # thousands of stored events
    history_bytes = sum(
        len(str(p).encode()) for (p,) in live_server.rows("SELECT payload FROM events")
    )
    received_bytes = sum(len(frame.encode()) for frame in late_frames)
    assert late[0]["type"] == "snapshot" and late[0]["seq"] == last
    assert len(late[0]["recent"]) == RECENT_EVENTS
    assert received_bytes < 100_000 < history_bytes  # bounded: not the whole history
    assert [e["seq"] for e in late[1:]] == [last + 1]  # then live
    from_start: dict[str, Any] = {}
    for event in early:
        _fold(from_start, event)
    resumed: dict[str, Any] = {}
    for event in late:
        _fold(resumed, event)
    assert resumed["products"] == from_start["products"]
    assert (
        (resumed["pinned"], resumed["countdown"])
        == ("A12", "Xả kho")
        == (
            from_start["pinned"],
            from_start["countdown"],
        )
    )
    assert resumed["feed"] == from_start["feed"][-RECENT_EVENTS - 1 :]
    assert resumed["feed"][-2]["type"] == "viewer_blocked"
    # Within the window a resume still gets exactly the events it missed, not a snapshot.
    last += 1  # the final comment
    overlay = f"{live_server.ws_url}/ws/overlay"
    near = asyncio.run(collect(f"{overlay}?since={last - RESUME_MAX_EVENTS}", RESUME_MAX_EVENTS))
    (far,) = asyncio.run(collect(f"{overlay}?since={last - RESUME_MAX_EVENTS - 1}", 1))
    assert [e["seq"] for e in near] == list(range(last - RESUME_MAX_EVENTS + 1, last + 1))
    assert far["type"] == "snapshot" and far["seq"] == last


def test_overlay_connections_are_limited_per_address_like_viewer_ones(
    tmp_path: Path, live_catalog: Path
) -> None:
    settings = Settings(
        catalog_path=live_catalog,
        db_url=f"sqlite:///{tmp_path / 'limit.sqlite'}",
        data_dir=tmp_path,
        ip_rate_per_s=0.01,
        ip_burst=4,
    )
    running = start_in_thread(create_app(settings))
    ws_url = running.url.replace("http", "ws")

    async def open_until_refused(path: str, opened: list[Any]) -> int:
        for _ in range(10):
            try:
                socket_ = await websockets.connect(f"{ws_url}{path}")
            except websockets.InvalidStatus as refused:
                assert refused.response.status_code == 403
                return len(opened)
            assert json.loads(await socket_.recv())["type"] == "snapshot"
            opened.append(socket_)
        return len(opened)

    async def scenario() -> tuple[int, int]:
        opened: list[Any] = []
        try:
            overlays = await open_until_refused("/ws/overlay", opened)
            viewers = await open_until_refused("/ws/viewer?name=An", opened)
            return overlays, viewers
        finally:
            await asyncio.gather(*(s.close() for s in opened))

    try:
        overlays, viewers = asyncio.run(scenario())
    finally:
        running.stop()

    assert overlays == 4  # the burst, then refused: one OBS page reloading forever cannot flood
    assert viewers == 4  # one budget per address, both endpoints (4 already spent)
