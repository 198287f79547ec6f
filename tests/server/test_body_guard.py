"""Request bodies are bounded before they are read, and strangers' bodies are not read at all.

Every test speaks raw HTTP/1.1 over a socket to a real server on 127.0.0.1 and sends *less* body
than it declares (or never ends a chunked one): an answer that arrives at all proves the server
decided without waiting for the rest. A server that read first would leave the socket silent
until its timeout.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_helpers import HOST, HOST_TOKEN, INGEST, INGEST_TOKEN, LiveServer

from server.app import create_app
from server.serve import start_in_thread
from server.settings import Settings

MAX_BODY_BYTES = 64 * 1024
ANSWER_TIMEOUT_S = 20.0  # generous for a busy machine; a server waiting for the body never answers


@pytest.fixture
def small_server(tmp_path: Path, live_catalog: Path) -> Iterator[LiveServer]:
    """A live server whose JSON bodies may be at most 64 KB."""
    settings = Settings(
        catalog_path=live_catalog,
        db_url=f"sqlite:///{tmp_path / 'live.sqlite'}",
        data_dir=tmp_path / "data",
        host_token=HOST_TOKEN,  # type: ignore[arg-type]  # pydantic turns it into a SecretStr
        ingest_token=INGEST_TOKEN,  # type: ignore[arg-type]
        max_body_bytes=MAX_BODY_BYTES,
    )
    running = start_in_thread(create_app(settings))
    try:
        yield LiveServer(running, tmp_path / "live.sqlite")
    finally:
        running.stop()


def exchange(port: int, head: str, body: bytes = b"") -> tuple[int, dict[str, object]]:
    """Send a request head (and part of a body), read the whole answer; return status and JSON."""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_TIMEOUT_S) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {data!r}"
            data += chunk
    head_bytes, payload = data.split(b"\r\n\r\n", 1)
    status = int(head_bytes.split(b" ", 2)[1])
    return status, json.loads(payload[: _length(data)])


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 30


def post_head(path: str, *, token: str | None, length: int | None = None) -> str:
    auth = f"Authorization: Bearer {token}\n" if token else ""
    size = f"Content-Length: {length}\n" if length is not None else "Transfer-Encoding: chunked\n"
    return f"POST {path} HTTP/1.1\nHost: 127.0.0.1\n{auth}Content-Type: application/json\n{size}"


def chunked(data: bytes, size: int = 16 * 1024) -> bytes:
    """`data` as HTTP chunks, without the final empty chunk (the body never ends)."""
    return b"".join(
        b"%x\r\n" % len(data[i : i + size]) + data[i : i + size] + b"\r\n"
        for i in range(0, len(data), size)
    )


def test_declared_oversized_body_is_413_before_it_is_sent(small_server: LiveServer) -> None:
    head = post_head("/api/comments", token=INGEST_TOKEN, length=10 * 1024**3)

    status, answer = exchange(small_server.running.port, head)  # not one byte of the 10 GB

    assert status == 413
    assert answer["code"] == "request.too_large"
    assert "64 KB" in str(answer["message"])


def test_chunked_body_is_413_once_it_passes_the_limit(small_server: LiveServer) -> None:
    head = post_head("/api/comments", token=INGEST_TOKEN)
    status, answer = exchange(
        small_server.running.port, head, chunked(b"[" + b" " * (MAX_BODY_BYTES + 100))
    )

    assert status == 413
    assert answer["code"] == "request.too_large"


@pytest.mark.parametrize("token", [None, "wrong-token"])
@pytest.mark.parametrize("length", [60_000, 10 * 1024**3, None])
def test_body_without_a_server_token_is_401_unread(
    small_server: LiveServer, token: str | None, length: int | None
) -> None:
    for path in ("/api/comments", "/api/orders/1/buyer", "/api/sessions"):
        head = post_head(path, token=token, length=length)

        status, answer = exchange(
            small_server.running.port, head, chunked(b"{") if length is None else b""
        )

        assert status == 401
        assert answer["code"] == "live.auth"
    assert small_server.rows("SELECT count(*) FROM comments") == [(0,)]


def test_a_body_within_the_limit_goes_through(small_server: LiveServer) -> None:
    comments = [
        {"platform": "youtube", "comment_id": str(i), "user_id": f"u{i}", "text": "hỏi giá A12"}
        for i in range(200)
    ]
    answer = httpx.post(small_server.url + "/api/comments", json=comments, headers=INGEST)

    assert answer.status_code == 200
    assert len(answer.json()) == 200


def test_routes_with_their_own_limit_take_larger_bodies(small_server: LiveServer) -> None:
    statement = b"Date,Amount,Description\n" + b"01/12/2026,100000,chuyen khoan LS-0001\n" * 8000
    assert len(statement) > 3 * MAX_BODY_BYTES

    answer = httpx.post(
        small_server.url + "/api/payments/statement?filename=bank.csv",
        content=statement,
        headers=HOST,
    )
    assert answer.json().get("code") != "request.too_large", answer.text


def test_the_webhook_checks_its_own_key_before_the_body(small_server: LiveServer) -> None:
    head = post_head("/api/payments/sepay", token=None, length=10 * 1024**3)

    status, answer = exchange(small_server.running.port, head)

    assert status == 401
    assert answer["code"] == "payment.webhook"


def test_a_refused_request_closes_its_connection(small_server: LiveServer) -> None:
    answer = httpx.post(
        small_server.url + "/api/comments",
        content=b"[" + b" " * (2 * MAX_BODY_BYTES) + b"]",
        headers={**INGEST, "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.headers["connection"] == "close"
    assert httpx.get(small_server.url + "/api/health").status_code == 200
