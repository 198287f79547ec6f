"""Delivery to a real HTTP server on 127.0.0.1: order, answers, outages, restarts, tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.bridges import twitch
from server.bridges.body import CommentBody
from server.bridges.client import ClientOptions, IngestClient, backoff_delay_s, find_ingest_token
from server.bridges.outbox import Outbox
from studio.errors import BridgeAuthError

TOKEN = "bridge-test-ingest-token"


def _comments(shared_chat: Path, count: int) -> list[CommentBody]:
    text = (shared_chat / "twitch_irc_xqcow_excerpt.irc").read_text(encoding="utf-8")
    return [c for c in twitch.parse_text(text) if isinstance(c, CommentBody)][:count]


def _options(url: str, token: str = TOKEN) -> ClientOptions:
    return ClientOptions(
        server_url=url, token=token, batch_size=20, base_backoff_s=0.05, max_backoff_s=0.2
    )


async def _with_client(
    options: ClientOptions, outbox: Outbox, work: Callable[[IngestClient], Awaitable[Any]]
) -> Any:
    async with httpx.AsyncClient() as http:
        client = IngestClient(options, outbox, http)
        sender = asyncio.create_task(client.run())
        try:
            result = await asyncio.wait_for(work(client), 20)
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
        return client, result


def test_delivers_in_order_with_per_comment_answers(
    shared_chat: Path, ingest: Any, recorder: Any
) -> None:
    comments = _comments(shared_chat, 120)
    too_long = CommentBody("twitch", "long-1", "9", "x", "A12 " * 1250)

    async def work(client: IngestClient) -> None:
        for comment in [*comments, comments[5], too_long]:
            client.submit(comment)
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(ingest.url), Outbox.open(None), work))
    assert [b["comment_id"] for b in recorder.accepted] == [c.comment_id for c in comments]
    assert recorder.accepted[0] == comments[0].to_json()
    assert (client.counts.accepted, client.counts.duplicate, client.counts.rejected) == (120, 1, 1)
    assert client.link.state == "connected"
    assert client.link.per_minute(float("inf")) == 0 and client.link.comments == 122
    assert recorder.requests <= 8  # batched, not one request per comment


def test_server_down_buffers_on_disk_and_delivers_once_in_order_later(
    shared_chat: Path,
    tmp_path: Path,
    any_free_port: int,
    serve_app: Any,
    make_ingest: Any,
    recorder: Any,
) -> None:
    comments = _comments(shared_chat, 30)
    outbox = Outbox.open(tmp_path / "outbox.sqlite3")
    url = f"http://127.0.0.1:{any_free_port}"

    async def work(client: IngestClient) -> None:
        for comment in comments:
            client.submit(comment)
        while client.link.state != "reconnecting":
            await asyncio.sleep(0.02)
        assert len(client.outbox) == 30  # nothing delivered, nothing lost
        assert "ConnectError" in client.link.last_error
        await asyncio.to_thread(serve_app, make_ingest(recorder), any_free_port)
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(url), outbox, work))
    assert [b["comment_id"] for b in recorder.accepted] == [c.comment_id for c in comments]
    assert recorder.duplicates == 0
    assert len(outbox) == 0 and client.link.state == "connected"


def test_a_restarting_server_503_is_retried(shared_chat: Path, ingest: Any, recorder: Any) -> None:
    recorder.is_down = True
    comments = _comments(shared_chat, 10)

    async def work(client: IngestClient) -> None:
        for comment in comments:
            client.submit(comment)
        while recorder.requests < 3:
            await asyncio.sleep(0.02)
        assert client.link.state == "reconnecting" and client.link.last_error == "HTTP 503"
        recorder.is_down = False
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(ingest.url), Outbox.open(None), work))
    assert len(recorder.accepted) == 10 and client.link.state == "connected"


def test_outbox_survives_a_bridge_restart(
    shared_chat: Path, tmp_path: Path, ingest: Any, recorder: Any
) -> None:
    path = tmp_path / "outbox.sqlite3"
    first_run = Outbox.open(path)
    for comment in _comments(shared_chat, 5):
        first_run.push(comment)
    first_run.close()  # the bridge was stopped before the server came back

    second_run = Outbox.open(path)
    assert len(second_run) == 5

    async def work(client: IngestClient) -> None:
        await client.drain()

    asyncio.run(_with_client(_options(ingest.url), second_run, work))
    assert len(recorder.accepted) == 5 and len(second_run) == 0


def test_a_resent_batch_counts_once(shared_chat: Path, ingest: Any, recorder: Any) -> None:
    comments = _comments(shared_chat, 15)

    async def work(client: IngestClient) -> None:
        for comment in comments + comments:  # as after a reconnect that re-read the backlog
            client.submit(comment)
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(ingest.url), Outbox.open(None), work))
    assert len(recorder.accepted) == 15
    assert client.counts.duplicate == 15


def test_one_invalid_comment_does_not_block_the_batch(ingest: Any, recorder: Any) -> None:
    bodies = [
        CommentBody("tiktok", "1", "u", "a", "chốt A12"),
        CommentBody("tiktok", "x" * 300, "u", "a", "bad id"),
        CommentBody("tiktok", "3", "u", "a", "SOLD B3"),
    ]

    async def work(client: IngestClient) -> None:
        for body in bodies:
            client.submit(body)
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(ingest.url), Outbox.open(None), work))
    assert [b["comment_id"] for b in recorder.accepted] == ["1", "3"]
    assert (client.counts.accepted, client.counts.rejected, client.counts.orders) == (2, 1, 1)


@pytest.mark.parametrize("status", [400, 404, 409, 422])
def test_any_4xx_drops_that_comment_and_the_rest_arrive_in_order(
    ingest: Any, recorder: Any, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    bodies = [CommentBody("youtube", f"c{i}", "u", "a", f"A12 {i}") for i in range(45)]
    recorder.refuse = {"c7": status, "c33": status}

    async def work(client: IngestClient) -> None:
        for body in bodies:
            client.submit(body)
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(ingest.url), Outbox.open(None), work))
    expected = [f"c{i}" for i in range(45) if i not in (7, 33)]
    assert [b["comment_id"] for b in recorder.accepted] == expected
    assert (client.counts.accepted, client.counts.rejected, len(client.outbox)) == (43, 2, 0)
    assert "dropped comment youtube/c7" in caplog.text and f"HTTP {status}" in caplog.text


def test_batches_shrink_for_a_body_limit_and_an_oversized_comment_is_refused(
    ingest: Any, recorder: Any
) -> None:
    recorder.max_body_bytes = 2_000
    bodies = [
        CommentBody("facebook", f"c{i}", "u", "a", f"chốt A12 {'x' * 400}") for i in range(10)
    ]
    giant = CommentBody("facebook", "giant", "u", "a", "y" * 20_000)
    bodies.insert(4, giant)

    async def work(client: IngestClient) -> None:
        for body in bodies:
            client.submit(body)
        await client.drain()

    client, _ = asyncio.run(_with_client(_options(ingest.url), Outbox.open(None), work))
    assert [b["comment_id"] for b in recorder.accepted] == [f"c{i}" for i in range(10)]
    assert (client.counts.accepted, client.counts.rejected) == (10, 1)


def test_a_refused_token_stops_with_a_clear_error(ingest: Any) -> None:
    async def scenario() -> None:
        async with httpx.AsyncClient() as http:
            client = IngestClient(_options(ingest.url, token="wrong"), Outbox.open(None), http)
            client.submit(CommentBody("youtube", "1", "u", "a", "hi"))
            await asyncio.wait_for(client.run(), 10)

    with pytest.raises(BridgeAuthError) as caught:
        asyncio.run(scenario())
    assert "LIVESTALL_INGEST_TOKEN" in str(caught.value)


def test_outbox_is_bounded() -> None:
    outbox = Outbox.open(None, max_items=3)
    results = [outbox.push(CommentBody("x", str(i), "u", "n", "t")) for i in range(5)]
    assert results == [True, True, True, False, False]
    assert (len(outbox), outbox.dropped) == (3, 2)
    assert [q.body.comment_id for q in outbox.peek(10)] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [
        (0, 0.5, 0.25),
        (1, 0.5, 0.5),
        (3, 1.0, 4.0),
        (10, 1.0, 30.0),
        (10, 0.0, 0.0),
        (10_000, 0.5, 15.0),
    ],
)
def test_backoff_is_exponential_with_full_jitter(
    attempt: int, rand: float, expected: float
) -> None:
    assert backoff_delay_s(attempt, base_s=0.5, cap_s=30.0, rand=rand) == pytest.approx(expected)


def test_token_from_environment_then_server_file(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    assert find_ingest_token(tokens, environ={"LIVESTALL_INGEST_TOKEN": "from-env"}) == "from-env"
    tokens.write_text('{"host": "h", "ingest": "from-file"}', encoding="utf-8")
    assert find_ingest_token(tokens, environ={}) == "from-file"
    tokens.write_text("{broken", encoding="utf-8")
    with pytest.raises(BridgeAuthError, match="no ingest token"):
        find_ingest_token(tokens, environ={})
