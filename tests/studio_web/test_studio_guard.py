"""The web studio guards its bodies like the live server and honours the live server's tokens."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from studio_web_helpers import STUDIO_HEADERS

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir

CATALOG_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê", price: 159000, currency: VND, stock: 6,
     photos: [coffee-cup.jpg]}
"""
ENV_HOST_TOKEN = "env-host-token-0123456789"
ENV_INGEST_TOKEN = "env-ingest-token-0123456789"
MAX_UPLOAD_BYTES = 4096
ANSWER_TIMEOUT_S = 20.0


@pytest.fixture
def env_studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    """`livestall studio`'s app with tokens in the environment and others in tokens.json."""
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", tmp_path / "coffee-cup.jpg")
    (tmp_path / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "tokens.json").write_text(
        json.dumps({"host": "file-host-token", "ingest": "file-ingest-token"}), encoding="utf-8"
    )
    monkeypatch.setenv("LIVESTALL_HOST_TOKEN", ENV_HOST_TOKEN)
    monkeypatch.setenv("LIVESTALL_INGEST_TOKEN", ENV_INGEST_TOKEN)
    app = build_studio_app(
        tmp_path / "catalog.yaml", data_dir=data, max_upload_bytes=MAX_UPLOAD_BYTES, max_files=1
    )
    running = start_in_thread(app)
    try:
        yield running
    finally:
        running.stop()


def test_studio_takes_the_tokens_from_the_environment(env_studio: RunningServer) -> None:
    def orders(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.get(env_studio.url + "/api/orders", headers=headers).status_code

    comment = {"platform": "youtube", "comment_id": "1", "user_id": "u1", "text": "chốt A12"}
    posted = httpx.post(
        env_studio.url + "/api/comments",
        json=comment,
        headers={"Authorization": f"Bearer {ENV_INGEST_TOKEN}"},
    )
    live = httpx.get(env_studio.url + "/studio/api/live", headers=STUDIO_HEADERS).json()

    assert orders(ENV_HOST_TOKEN) == 200
    assert orders("file-host-token") == 401
    assert posted.status_code == 200
    assert posted.json()["status"] == "accepted"
    assert live["host_token"] == ENV_HOST_TOKEN  # what the studio's "host console" link uses


def test_studio_edit_with_unstorable_text_is_422_and_not_saved(env_studio: RunningServer) -> None:
    catalog = Path(str(env_studio.server.config.app.state.studio.catalog_path))
    before = catalog.read_bytes()
    for body in (
        b'{"sku": "A12", "name": "C\\ud83d c\\u00e0 ph\\u00ea", "price": "159000", "stock": 6}',
        b'{"sku": "A12", "name": "C\\u0000c", "price": "159000", "stock": 6}',
    ):
        answer = httpx.put(
            env_studio.url + "/studio/api/products/A12",
            content=body,
            headers={**STUDIO_HEADERS, "Content-Type": "application/json"},
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "input.text"
    assert catalog.read_bytes() == before
    assert yaml.safe_load(before)["products"][0]["name"] == "Cốc sứ cà phê"


def test_chunked_upload_is_refused_while_it_streams(env_studio: RunningServer) -> None:
    """One photo of at most 4 KB: a chunked body is refused once past that, unfinished."""
    boundary = "b0undary"
    part = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8\xff"
        + b"\0" * (200 * 1024)
    )
    chunks = b"".join(
        b"%x\r\n" % len(part[i : i + 8192]) + part[i : i + 8192] + b"\r\n"
        for i in range(0, len(part), 8192)
    )  # no closing chunk: a server that waits for the end never answers
    head = (
        "POST /studio/api/products/A12/photo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "X-Livestall: studio\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", env_studio.port), timeout=ANSWER_TIMEOUT_S) as s:
        s.sendall(head + chunks)
        answer = b""
        while b"}" not in answer:
            data = s.recv(65536)
            assert data, answer
            answer += data

    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split(b" ")[1] == b"413"
    assert json.loads(rest.split(b"\r\n\r\n", 1)[1])["code"] == "request.too_large"
