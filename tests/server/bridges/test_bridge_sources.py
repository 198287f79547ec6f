"""Live source loops against loopback stand-ins of the platforms: Twitch IRC and SSN over real
websockets, Facebook's SSE stream and comments edge over real HTTP. Reconnects, fallbacks and
errors that must stop the bridge."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.server import ServerConnection, serve

from server.bridges import facebook, ssn, twitch
from server.bridges.body import ChatEvent, CommentBody, Parsed
from server.bridges.client import ClientOptions, IngestClient
from server.bridges.outbox import Outbox
from server.bridges.sources import SourceOptions, SourceRun, parse_source, run_source
from studio.errors import BridgeAuthError, BridgeDependencyMissing, BridgeSourceInvalid

TOKEN = "bridge-test-ingest-token"


async def _until(predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not predicate():
            await asyncio.sleep(0.02)


def test_twitch_reconnects_and_the_server_keeps_each_comment_once(
    shared_chat: Path, ingest: Any, recorder: Any
) -> None:
    lines = (
        (shared_chat / "twitch_irc_xqcow_excerpt.irc")
        .read_text(encoding="utf-8")
        .splitlines()[:120]
    )
    expected = [
        c.comment_id for line in lines if isinstance(c := twitch.parse_line(line), CommentBody)
    ]
    joins: list[str] = []

    async def irc(ws: ServerConnection) -> None:
        hello = [await ws.recv() for _ in range(3)]
        joins.append(str(hello[2]))
        first_visit = len(joins) == 1
        sent = lines[:60] if first_visit else lines  # the second visit repeats the backlog
        for start in range(0, len(sent), 10):
            await ws.send("\r\n".join(sent[start : start + 10]) + "\r\n")
        if first_visit:
            return  # drop the connection mid-stream
        await ws.send("PING :tmi.twitch.tv\r\n")
        assert await ws.recv() == "PONG :tmi.twitch.tv"
        await ws.wait_closed()

    async def scenario() -> SourceRun:
        async with serve(irc, "127.0.0.1", 0, compression=None) as server:
            port = server.sockets[0].getsockname()[1]
            options = SourceOptions(twitch_url=f"ws://127.0.0.1:{port}")
            run = SourceRun(parse_source("twitch:#XQCOW", options))
            async with httpx.AsyncClient() as http:
                client = IngestClient(ClientOptions(ingest.url, TOKEN), Outbox.open(None), http)
                tasks = [
                    asyncio.create_task(client.run()),
                    asyncio.create_task(run_source(run, client.submit, base_backoff_s=0.05)),
                ]
                await _until(
                    lambda: len(recorder.accepted) == len(expected) and recorder.duplicates > 0
                )
                await client.drain()
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            return run

    run = asyncio.run(scenario())
    assert joins == ["JOIN #xqcow", "JOIN #xqcow"]
    assert [b["comment_id"] for b in recorder.accepted] == expected
    assert recorder.duplicates == sum(
        isinstance(twitch.parse_line(ln), CommentBody) for ln in lines[:60]
    )
    assert run.status.state == "connected"
    assert "closed the chat" in run.status.last_error
    assert run.status.events >= 1  # the CLEARCHAT / USERNOTICE lines


def test_ssn_relay_over_websocket(fixtures_dir: Path) -> None:
    frames = (fixtures_dir / "ssn_relay.jsonl").read_text(encoding="utf-8").splitlines()
    paths: list[str] = []
    received: list[Parsed] = []

    async def relay(ws: ServerConnection) -> None:
        assert ws.request is not None
        paths.append(ws.request.path)
        for frame in frames:
            await ws.send(frame)

    async def collect(item: Parsed) -> None:
        received.append(item)

    async def scenario() -> None:
        async with serve(relay, "127.0.0.1", 0, compression=None) as server:
            port = server.sockets[0].getsockname()[1]
            await ssn.listen("abc123", collect, server_url=f"ws://127.0.0.1:{port}")

    asyncio.run(scenario())
    assert paths == ["/join/abc123/4"]
    comments = [r for r in received if isinstance(r, CommentBody)]
    assert [c.text for c in comments][4] == "chốt A12 size M 😍"
    assert len(comments) == 7 and sum(isinstance(r, ChatEvent) for r in received) == 1
    assert all(c.ts is not None and c.ts > 1.7e9 for c in comments)  # arrival time


def _facebook_app(
    fixtures_dir: Path, *, stream_status: int, stream_body: bytes | None = None
) -> Any:
    sse = (fixtures_dir / "facebook_live_comments.sse").read_bytes()
    page = json.loads((fixtures_dir / "facebook_comments_page.json").read_text(encoding="utf-8"))
    calls: list[tuple[str, str]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        query = scope["query_string"].decode()
        calls.append((scope["path"], query))
        if scope["path"].endswith("/live_comments"):
            content_type = b"text/event-stream" if stream_status == 200 else b"application/json"
            await send(
                {
                    "type": "http.response.start",
                    "status": stream_status,
                    "headers": [(b"content-type", content_type)],
                }
            )
            await send({"type": "http.response.body", "body": stream_body or sse})
            return
        body = page if "after=" not in query else {"data": [], "paging": {}}
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})

    app.calls = calls  # type: ignore[attr-defined]
    return app


def _listen_facebook(
    url: str, on_item: Callable[[Parsed], Awaitable[None]], token: str = "PAGE-TOKEN"
) -> Any:
    return facebook.listen(
        "911936075671494",
        token,
        on_item,
        rate="one_per_two_seconds",
        streaming_url=url,
        graph_url=url,
    )


def test_facebook_stream(fixtures_dir: Path, serve_app: Any) -> None:
    app = _facebook_app(fixtures_dir, stream_status=200)
    served = serve_app(app)
    received: list[Parsed] = []

    async def collect(item: Parsed) -> None:
        received.append(item)

    asyncio.run(_listen_facebook(served.url, collect))  # the stream ends after three comments
    assert [c.comment_id for c in received if isinstance(c, CommentBody)] == [
        "911936075671494_911936769004758",
        "911936075671494_911936909004744",
        "911936075671494_911937292338039",
    ]
    path, query = app.calls[0]
    assert path == "/911936075671494/live_comments"
    assert "comment_rate=one_per_two_seconds" in query and "access_token=PAGE-TOKEN" in query
    assert "fields=id%2Cmessage%2Ccreated_time%2Cfrom%7Bid%2Cname%7D" in query


def test_facebook_falls_back_to_polling_with_a_cursor(fixtures_dir: Path, serve_app: Any) -> None:
    app = _facebook_app(
        fixtures_dir, stream_status=500, stream_body=b'{"error": {"message": "oops", "code": 1}}'
    )
    served = serve_app(app)
    received: list[Parsed] = []

    async def collect(item: Parsed) -> None:
        received.append(item)

    async def scenario() -> None:
        task = asyncio.create_task(_listen_facebook(served.url, collect))
        await _until(lambda: sum(p.endswith("/comments") for p, _ in app.calls) >= 2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert len(received) == 3
    polls = [q for p, q in app.calls if p.endswith("/comments")]
    assert "order=chronological" in polls[0] and "after=" not in polls[0]
    assert "live_filter=no_filter" in polls[0]
    assert "after=WTI5d..." in polls[1]


def test_facebook_expired_token_stops_the_source(fixtures_dir: Path, serve_app: Any) -> None:
    expired = b'{"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException", "code": 190}}'
    served = serve_app(_facebook_app(fixtures_dir, stream_status=400, stream_body=expired))
    options = SourceOptions(facebook_token="OLD", graph_url=served.url, streaming_url=served.url)
    run = SourceRun(parse_source("facebook:911936075671494", options))
    with pytest.raises(BridgeAuthError, match="Page access token"):
        asyncio.run(run_source(run, lambda c: None, base_backoff_s=0.01))
    assert run.status.state == "stopped"
    assert "expired" in run.status.last_error


def test_missing_facebook_token_is_a_clear_error() -> None:
    run = SourceRun(parse_source("facebook:123", SourceOptions()))
    with pytest.raises(BridgeSourceInvalid, match="Page access token"):
        asyncio.run(run_source(run, lambda c: None))


def test_a_source_that_keeps_failing_is_retried_with_its_error_shown(any_free_port: int) -> None:
    options = SourceOptions(ssn_server=f"ws://127.0.0.1:{any_free_port}")
    run = SourceRun(parse_source("ssn:abc", options))
    asyncio.run(
        run_source(run, lambda c: None, base_backoff_s=0.01, max_backoff_s=0.02, max_attempts=3)
    )
    assert run.status.state == "stopped"
    assert "ConnectionRefusedError" in run.status.last_error or "OSError" in run.status.last_error


@pytest.mark.parametrize(
    "spec",
    [
        "youtube",
        "myspace:abc",
        "youtube:",
        "youtube:https://www.youtube.com/@shop",
        "tiktok:@bad name",
    ],
)
def test_bad_source_arguments(spec: str) -> None:
    with pytest.raises(BridgeSourceInvalid):
        parse_source(spec, SourceOptions())


def test_good_source_arguments() -> None:
    names = [
        parse_source(s, SourceOptions()).name
        for s in (
            "youtube:https://youtu.be/jfKfPfyJRdk",
            "tiktok:@shop",
            "facebook:1",
            "ssn:x",
            "twitch:chan",
        )
    ]
    assert names == [
        "youtube:https://youtu.be/jfKfPfyJRdk",
        "tiktok:@shop",
        "facebook:1",
        "ssn:x",
        "twitch:chan",
    ]


@pytest.mark.parametrize(
    ("spec", "module", "package"),
    [
        ("youtube:jfKfPfyJRdk", "chat_downloader", "chat-downloader"),
        ("tiktok:@shop", "TikTokLive", "TikTokLive"),
    ],
)
def test_missing_optional_library_stops_the_source_with_the_install_hint(
    spec: str, module: str, package: str
) -> None:
    if importlib.util.find_spec(module) is not None:
        pytest.skip(f"{module} is installed here; this checks the message shown without it")
    run = SourceRun(parse_source(spec, SourceOptions()))
    with pytest.raises(BridgeDependencyMissing) as caught:
        asyncio.run(run_source(run, lambda c: None))
    assert package in str(caught.value) and "livestall[bridges]" in str(caught.value)
    assert run.status.state == "stopped"


def test_facebook_fetches_the_comments_written_while_the_stream_was_down(
    fixtures_dir: Path, serve_app: Any
) -> None:
    page = json.loads((fixtures_dir / "facebook_comments_page.json").read_text(encoding="utf-8"))
    first, *gap = page["data"]
    streams = [f"data: {json.dumps(first)}\n\n".encode(), b""]  # then the stream drops
    calls: list[str] = []

    async def graph(scope: dict[str, Any], receive: Any, send: Any) -> None:
        query = scope["query_string"].decode()
        calls.append(f"{scope['path']}?{query}")
        if scope["path"].endswith("/live_comments"):
            body, kind = streams.pop(0) if streams else b"", b"text/event-stream"
        else:  # the edge, newest first, as asked with order=reverse_chronological
            body, kind = (
                json.dumps({"data": list(reversed(page["data"]))}).encode(),
                b"application/json",
            )
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind)]}
        )
        await send({"type": "http.response.body", "body": body})

    served = serve_app(graph)
    options = SourceOptions(facebook_token="T", graph_url=served.url, streaming_url=served.url)
    run = SourceRun(parse_source("facebook:911936075671494", options))
    delivered: list[CommentBody] = []
    asyncio.run(run_source(run, delivered.append, base_backoff_s=0.01, max_attempts=2))
    assert [c.comment_id for c in delivered] == [
        first["id"],  # from the stream
        first["id"],  # caught up again at the same second: the server answers duplicate
        *[c["id"] for c in gap],  # written while the stream was down, oldest first
    ]
    assert [c.split("?")[0] for c in calls] == [
        "/911936075671494/live_comments",
        "/911936075671494/comments",
        "/911936075671494/live_comments",
    ]
    assert "order=reverse_chronological" in calls[1]
