"""Fixtures for the bridge tests: recorded chats from ../shared, and a recording ingest server.

The ingest server is a tiny ASGI app (no framework) under a real uvicorn on 127.0.0.1 that
behaves like ``POST /api/comments`` of the live server contract: bearer token, list or single
body, per-comment ``accepted`` / ``duplicate`` / ``rejected`` answers, dedupe on
``(platform, comment_id)``. It records every accepted body in arrival order, and can be switched
to answer 503 (a server that is down or restarting).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from deadlines import SERVER_START_S

SHARED_CHAT = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "chat"
FIXTURES = Path(__file__).resolve().parents[2] / "data" / "chat"
TOKEN = "bridge-test-ingest-token"
REQUIRED = ("platform", "comment_id", "user_id", "user_name", "text")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@pytest.fixture
def shared_chat() -> Path:
    """The folder of real recorded chats; skip when ../shared is not beside the checkout."""
    if not SHARED_CHAT.is_dir():
        pytest.skip(f"real chat recordings not found at {SHARED_CHAT} (../shared/data/chat)")
    return SHARED_CHAT


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@dataclass
class IngestRecorder:
    """The state of the fake ingest endpoint (read it from tests)."""

    token: str = TOKEN
    max_chars: int = 500
    is_down: bool = False
    accepted: list[dict[str, Any]] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    requests: int = 0
    duplicates: int = 0
    max_body_bytes: int | None = None
    # comment id -> a 4xx status answered for any request holding it
    refuse: dict[str, int] = field(default_factory=dict)

    def answer(self, items: list[Any]) -> tuple[int, Any]:
        refused = [
            self.refuse[i["comment_id"]] for i in items if i.get("comment_id") in self.refuse
        ]
        if refused:
            return refused[0], {"detail": "refused"}
        if any(
            not isinstance(i, dict) or not all(isinstance(i.get(k), str) for k in REQUIRED)
            for i in items
        ):
            return 422, {"detail": "invalid body"}
        if any(len(i["comment_id"]) > 200 for i in items):  # the live server's column limit
            return 422, {"detail": "comment_id longer than 200"}
        results = []
        for item in items:
            key = (item["platform"], item["comment_id"])
            if key in self.seen:
                self.duplicates += 1
                results.append({"comment_id": item["comment_id"], "status": "duplicate"})
            elif len(item["text"]) > self.max_chars:
                self.seen.add(key)
                results.append(
                    {"comment_id": item["comment_id"], "status": "rejected", "reason": "too_long"}
                )
            else:
                self.seen.add(key)
                self.accepted.append(item)
                is_order = "chốt" in item["text"].lower()
                results.append(
                    {
                        "comment_id": item["comment_id"],
                        "status": "accepted",
                        "intent": "order" if is_order else "none",
                        "items": [],
                        "order": {"id": len(self.accepted), "status": "accepted"}
                        if is_order
                        else None,
                    }
                )
        return 200, results


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(
    send: Send, status: int, payload: Any, content_type: bytes = b"application/json"
) -> None:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type)],
        }
    )
    await send({"type": "http.response.body", "body": body})


def make_ingest_app(recorder: IngestRecorder) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """Return an ASGI app answering ``POST /api/comments`` from `recorder`."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        body = await _read_body(receive)
        if scope["path"] != "/api/comments" or scope["method"] != "POST":
            await _respond(send, 404, {"detail": "not found"})
            return
        recorder.requests += 1
        if recorder.is_down:
            await _respond(send, 503, {"detail": "restarting"})
            return
        headers = dict(scope["headers"])
        if headers.get(b"authorization") != f"Bearer {recorder.token}".encode():
            await _respond(send, 401, {"code": "live.auth", "message": "bad token"})
            return
        if recorder.max_body_bytes is not None and len(body) > recorder.max_body_bytes:
            await _respond(send, 413, {"detail": "request body too large"})
            return
        data = json.loads(body)
        status, payload = recorder.answer(data if isinstance(data, list) else [data])
        await _respond(send, status, payload)

    return app


@dataclass
class Served:
    """A uvicorn serving an app on 127.0.0.1 in a thread."""

    url: str
    port: int
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: Callable[[Scope, Receive, Send], Awaitable[None]], port: int = 0) -> Served:
    """Start uvicorn for `app` on 127.0.0.1:`port` (0 = any free port) and wait until it listens."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    return Served(f"http://127.0.0.1:{port}", port, server, thread)


ServeApp = Callable[..., Served]


@pytest.fixture
def serve_app() -> Iterator[ServeApp]:
    """Start ASGI apps on loopback (``serve_app(app, port=0)``); all are stopped after the test."""
    running: list[Served] = []

    def start(app: Callable[[Scope, Receive, Send], Awaitable[None]], port: int = 0) -> Served:
        served = serve(app, port)
        running.append(served)
        return served

    yield start
    for served in running:
        served.stop()


@pytest.fixture
def recorder() -> IngestRecorder:
    """The state of a fake ingest endpoint."""
    return IngestRecorder()


@pytest.fixture
def ingest(serve_app: ServeApp, recorder: IngestRecorder) -> Served:
    """A running fake ingest server answering from `recorder`."""
    return serve_app(make_ingest_app(recorder))


@pytest.fixture
def make_ingest() -> Callable[[IngestRecorder], Callable[[Scope, Receive, Send], Awaitable[None]]]:
    """Build another fake ingest app (to start one later, on a chosen port)."""
    return make_ingest_app


@pytest.fixture
def any_free_port() -> int:
    return free_port()
