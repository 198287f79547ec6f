"""On PostgreSQL (which refuses NUL in text), unstorable text is 422 ``input.text``, never 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from live_helpers import HOST, HOST_TOKEN, INGEST, INGEST_TOKEN, write_catalog

from server.app import build_app
from server.serve import RunningServer, start_in_thread


@pytest.fixture
def pg_server(tmp_path: Path, db_url: str) -> Iterator[RunningServer]:
    app = build_app(
        write_catalog(tmp_path / "shop"),
        db_url,
        data_dir=tmp_path / "data",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    running = start_in_thread(app)
    try:
        yield running
    finally:
        running.stop()


def _comment(comment_id: str, text: str) -> bytes:
    return (
        '{"platform": "youtube", "user_id": "u1", "user_name": "Lan", '
        f'"comment_id": "{comment_id}", "text": "{text}"' + "}"
    ).encode()


def test_nul_and_lone_surrogates_never_reach_postgres(
    pg_server: RunningServer, db_url: str
) -> None:
    headers = {**INGEST, "Content-Type": "application/json"}
    url = pg_server.url + "/api/comments"
    refused = [
        httpx.post(url, content=_comment("c1", "chốt A12\\u0000"), headers=headers),
        httpx.post(url, content=_comment("c2", "chốt A12 \\ud83d"), headers=headers),
        httpx.get(pg_server.url + "/api/orders?sku=A12%00", headers=HOST),
    ]
    accepted = httpx.post(url, content=_comment("c3", "chốt B3 \\ud83d\\udc4d"), headers=headers)

    assert [(r.status_code, r.json()["code"]) for r in refused] == [(422, "input.text")] * 3
    assert accepted.status_code == 200, accepted.text
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        texts = [row[0] for row in conn.execute("SELECT text FROM comments")]
    assert texts == ["chốt B3 👍"]
