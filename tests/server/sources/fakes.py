"""Fake platforms on 127.0.0.1 for the server-run sources: a Graph API and an SSN relay.

`FakeGraph` answers what the sources ask Facebook, in the documented shapes (the same objects
as tests/data/chat/facebook_comments_page.json and facebook_live_comments.sse):
``GET /{page}`` (``id``, ``name``), ``GET /{page}/live_videos`` (``data[]`` of ``id``, ``title``,
``status``, ``creation_time``), the ``live_comments`` Server-Sent-Events stream and the video's
``comments`` edge (``order``, ``after`` cursor, ``paging.cursors.after``). Comments are "written"
by the test: streamed to a connected stream (unless hidden, as Facebook hides some) and always
listed by the edge. `drop` ends the stream mid-live.

`FakeSsn` is Social Stream Ninja's relay (``/join/SESSION/4``) sending SSN's message objects.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import uvicorn
import websockets
from deadlines import SERVER_START_S
from websockets.protocol import State

PAGE_ID = "104857600000001"
PAGE_NAME = "Shop Cô Lan"
VIDEO_ID = "911936075671494"
TOKEN = "EAAGtestPAGEtoken0123456789"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def graph_time(epoch_s: float) -> str:
    """``2018-08-30T18:47:02+0000``, as the Graph API writes times."""
    return datetime.fromtimestamp(int(epoch_s), UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class FakeGraph:
    """The Graph API's state (written by the test thread, read by the server's thread)."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)  # for the connected stream
    is_streaming: bool = False
    is_dropping: bool = False
    is_stopped: bool = False
    stream_connections: int = 0
    edge_requests: list[str] = field(default_factory=list)
    seen_tokens: set[str] = field(default_factory=set)
    clock_s: float = field(default_factory=lambda: float(int(time.time()) - 3600))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, user: str, text: str, *, is_streamed: bool = True) -> dict[str, Any]:
        """A viewer comments: one second after the previous comment (the Graph API's resolution)."""
        with self.lock:
            self.clock_s += 1
            number = len(self.comments) + 1
            comment = {
                "created_time": graph_time(self.clock_s),
                "from": {"name": f"Khách {user}", "id": f"55252409510{number:04d}"},
                "message": text,
                "id": f"{VIDEO_ID}_{911936769004000 + number}",
            }
            self.comments.append(comment)
            if is_streamed and self.is_streaming:
                self.pending.append(comment)
        return comment

    def drop(self) -> None:
        """End the connected stream now (the platform drops the connection mid-live)."""
        with self.lock:
            self.is_dropping = True

    # --- the ASGI app ---------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        path = scope["path"].strip("/").split("/")
        self.seen_tokens.add(query.get("access_token", ""))
        if query.get("access_token") != TOKEN:
            error = {"message": "Error validating access token: Session has expired", "code": 190}
            await _json(send, 400, {"error": error})
        elif path == [PAGE_ID]:
            await _json(send, 200, {"id": PAGE_ID, "name": PAGE_NAME})
        elif path == [PAGE_ID, "live_videos"]:
            assert json.loads(query["broadcast_status"]) == ["LIVE"]
            live = {"id": VIDEO_ID, "title": "Xả kho cốc sứ", "status": "LIVE"}
            live["creation_time"] = graph_time(self.clock_s - 600)
            await _json(send, 200, {"data": [live], "paging": {"cursors": {"after": "x"}}})
        elif path == [VIDEO_ID, "comments"]:
            await _json(send, 200, self._edge_page(query))
        elif path == [VIDEO_ID, "live_comments"]:
            await self._stream(receive, send)
        else:
            await _json(send, 404, {"error": {"message": "Unsupported get request", "code": 100}})

    def _edge_page(self, query: dict[str, str]) -> dict[str, Any]:
        self.edge_requests.append(query.get("order", ""))
        with self.lock:
            rows = list(self.comments)
        if query.get("order") == "reverse_chronological":
            rows.reverse()
        start = int(query.get("after") or 0)
        limit = int(query.get("limit") or 25)
        page = rows[start : start + limit]
        paging: dict[str, Any] = {"cursors": {"before": str(start)}}
        if start + limit < len(rows):
            paging["cursors"]["after"] = str(start + limit)
            paging["next"] = "https://graph.facebook.com/next"
        return {"data": page, "paging": paging}

    async def _stream(self, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        with self.lock:
            self.stream_connections += 1
            self.is_streaming, self.is_dropping = True, False
        gone = asyncio.ensure_future(_disconnect(receive))  # the reader went away
        try:
            while not self.is_stopped and not gone.done():
                with self.lock:
                    batch, self.pending = self.pending, []
                    is_dropping = self.is_dropping
                for comment in batch:
                    data = json.dumps(comment, ensure_ascii=False)
                    body = f"data: {data}\n\n".encode()
                    await send({"type": "http.response.body", "body": body, "more_body": True})
                if is_dropping:
                    break
                await asyncio.sleep(0.02)
        finally:
            gone.cancel()
            with self.lock:
                self.is_streaming = False
                self.is_dropping = False
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _disconnect(receive: Receive) -> None:
    """Return once the client has gone (``http.disconnect``)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _json(send: Send, status: int, payload: object) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=UTF-8")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class Served:
    """A uvicorn serving an ASGI app on 127.0.0.1 in a thread."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> Served:
    """Start `app` on a free loopback port and wait until it listens."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        ws="none",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        assert time.monotonic() < deadline, "the fake platform did not start"
        time.sleep(0.01)
    return Served(f"http://127.0.0.1:{port}", server, thread)


class FakeSsn:
    """Social Stream Ninja's relay: what viewers say goes to the connected session, live only.

    `drop` closes the connection; what is said until the source reconnects is never relayed
    (SSN keeps no history), so the source can only record the window as a gap.
    """

    def __init__(self) -> None:
        self.connections = 0
        self.lost = 0
        self._frames: list[dict[str, Any]] = []
        self._is_connected = False
        self._is_dropping = False
        self._is_refusing = False
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Future[None] | None = None
        self._ready = threading.Event()
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(SERVER_START_S), "the fake SSN relay did not start"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def is_connected(self) -> bool:
        return self._is_connected

    def say(self, user: str, text: str) -> None:
        """A viewer writes on a site SSN captures (its ``type`` is the site)."""
        with self._lock:
            number = len(self._frames) + self.lost + 1
            if not self._is_connected:
                self.lost += 1
                return
            self._frames.append(
                {
                    "id": number,
                    "chatname": user,
                    "chatmessage": text,
                    "type": "tiktok",
                    "userid": f"tt-{user}",
                }
            )

    def drop(self) -> None:
        """Close the relay's connection now and refuse new ones until `allow`."""
        with self._lock:
            self._is_dropping = True
            self._is_refusing = True

    def allow(self) -> None:
        """Accept connections again (the relay is back)."""
        with self._lock:
            self._is_refusing = False

    def _gate(self, connection: Any, request: Any) -> Any:
        if self._is_refusing:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "relay restarting\n")
        return None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = self._loop.create_future()
        async with websockets.serve(
            self._handle, "127.0.0.1", 0, process_request=self._gate
        ) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop

    async def _handle(self, ws: Any) -> None:
        assert ws.request.path.endswith("/4")
        with self._lock:
            self.connections += 1
            self._is_connected, self._is_dropping = True, False
        try:
            while True:
                with self._lock:
                    frames, self._frames = self._frames, []
                    if self._is_dropping:
                        self._is_connected = False
                for frame in frames:
                    await ws.send(json.dumps(frame))
                if not self._is_connected:
                    await ws.close()
                    return
                if ws.state is not State.OPEN or (self._stop is not None and self._stop.done()):
                    return  # the source went away, or the relay stops
                await asyncio.sleep(0.02)
        finally:
            self._is_connected = False

    def stop(self) -> None:
        def finish() -> None:
            if self._stop is not None and not self._stop.done():
                self._stop.set_result(None)

        self._loop.call_soon_threadsafe(finish)
        self._thread.join(timeout=10)


YT_VIDEO = "7kdepDepMjk"
YT_KEY = "AIzaSyTestInnerTubeKey0000000000000"


@dataclass
class FakeYouTube:
    """youtube.com's chat frame and ``get_live_chat``, serving the recorded real frame data.

    The frame's ``ytInitialData`` is the recorded ``get_live_chat`` page state of
    ../shared/data/chat (its nine messages come first); messages the test writes afterwards are
    InnerTube ``liveChatTextMessageRenderer`` objects returned by polls. A continuation is
    ``c:N`` (messages from the Nth written one on), so a resumed poll gets what it missed.
    """

    initial_data: dict[str, Any]
    written: list[dict[str, Any]] = field(default_factory=list)
    is_down: bool = False
    frames: int = 0
    polls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, user: str, text: str) -> dict[str, Any]:
        with self.lock:
            number = len(self.written) + 1
            renderer = {
                "id": f"ChwKGkNPX{number:05d}testMessageId",
                "message": {"runs": [{"text": text}]},
                "authorName": {"simpleText": f"Khách {user}"},
                "authorExternalChannelId": f"UCtest{number:018d}",
                "timestampUsec": str(int(time.time() * 1_000_000)),
            }
            self.written.append(renderer)
        return renderer

    def _frame(self) -> bytes:
        data = json.loads(json.dumps(self.initial_data))
        renderer = data["contents"]["liveChatRenderer"]
        renderer["continuations"][0]["invalidationContinuationData"]["continuation"] = "c:0"
        config = {
            "INNERTUBE_API_KEY": YT_KEY,
            "INNERTUBE_CONTEXT": {"client": {"clientName": "WEB", "clientVersion": "2.20240101"}},
        }
        page = (
            '<!doctype html><html><head><script>ytcfg.set({"EXPERIMENT_FLAGS": {}});'
            f"ytcfg.set({json.dumps(config)});</script></head><body><script>"
            f'window["ytInitialData"] = {json.dumps(data)};</script></body></html>'
        )
        return page.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        if self.is_down:
            await _json(send, 503, {"error": {"code": 503, "message": "unavailable"}})
        elif scope["path"] == "/live_chat" and query.get("v") == YT_VIDEO:
            self.frames += 1
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": self._frame()})
        elif scope["path"] == "/youtubei/v1/live_chat/get_live_chat" and query.get("key") == YT_KEY:
            request = json.loads(body)
            assert request["context"]["client"]["clientName"] == "WEB"
            start = int(request["continuation"].removeprefix("c:"))
            with self.lock:
                self.polls += 1
                new = self.written[start:]
                end = len(self.written)
            actions = [
                {"addChatItemAction": {"item": {"liveChatTextMessageRenderer": r}}} for r in new
            ]
            timed = {"timedContinuationData": {"continuation": f"c:{end}", "timeoutMs": 100}}
            chat = {"continuations": [timed], "actions": actions}
            await _json(send, 200, {"continuationContents": {"liveChatContinuation": chat}})
        else:
            await _json(send, 404, {"error": {"code": 404, "message": "not found"}})


class FakeTwitch:
    """Twitch's IRC websocket: after the login lines (CAP, NICK, JOIN) it sends recorded IRC
    lines (../shared/data/chat/twitch_irc_xqcow_excerpt.irc), several per frame as Twitch does,
    answers PING, and keeps the connection open."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.logins: list[list[str]] = []
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Future[None] | None = None
        self._ready = threading.Event()
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(SERVER_START_S), "the fake Twitch did not start"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = self._loop.create_future()
        async with websockets.serve(self._handle, "127.0.0.1", 0) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop

    async def _handle(self, ws: Any) -> None:
        login = [str(await ws.recv()) for _ in range(3)]
        self.logins.append(login)
        for start in range(0, len(self.lines), 10):
            await ws.send("\r\n".join(self.lines[start : start + 10]) + "\r\n")
        assert self._stop is not None
        while ws.state is State.OPEN and not self._stop.done():
            await asyncio.sleep(0.05)

    def stop(self) -> None:
        def finish() -> None:
            if self._stop is not None and not self._stop.done():
                self._stop.set_result(None)

        self._loop.call_soon_threadsafe(finish)
        self._thread.join(timeout=10)
