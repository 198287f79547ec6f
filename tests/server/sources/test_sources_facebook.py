"""A Facebook live read by the server itself: connect the Page once, pick the live, comments
become orders; the stream drops mid-live and the source reconnects and back-fills the comments
written meanwhile from the comments edge (zero lost, zero doubled)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
from conftest import SourceServer, start_source_server, wait_until
from fakes import PAGE_ID, PAGE_NAME, TOKEN, VIDEO_ID, FakeGraph, FakeSsn, FakeYouTube, Served
from live_helpers import HOST, START


def connect_and_pick(server: SourceServer) -> dict[str, object]:
    answer = server.http.post(
        "/api/sources/facebook/pages", json={"page_id": PAGE_ID, "token": TOKEN}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"page_id": PAGE_ID, "name": PAGE_NAME}
    lives = server.http.get(f"/api/sources/facebook/pages/{PAGE_ID}/lives").json()
    assert [live["video_id"] for live in lives] == [VIDEO_ID]
    added = server.http.post("/api/sources", json={"spec": lives[0]["spec"]})
    assert added.status_code == 201, added.text
    return dict(added.json())


def test_comments_arrive_as_orders_and_a_drop_is_back_filled(
    source_server: SourceServer, graph: tuple[FakeGraph, Served]
) -> None:
    fake, _ = graph
    source = connect_and_pick(source_server)
    source_id = str(source["id"])
    wait_until(lambda: source_server.source(source_id)["state"] == "live", "the source to be live")
    # Before the drop: streamed. Orders from even viewers, questions from odd ones.
    texts = ["chốt SP01", "áo này còn màu khác không ạ", "chốt SP01 x2", "giá bao nhiêu shop"]
    for number, text in enumerate(texts):
        fake.write(f"A{number}", text)
    wait_until(lambda: source_server.source(source_id)["comments"] == 4, "4 streamed comments")
    # Written while the stream is about to drop: on the comments edge, never on the stream.
    for number, text in enumerate(["chốt SP01", "ship về Hà Đông được không", "chốt B3", "ok"]):
        fake.write(f"B{number}", text, is_streamed=False)
    fake.drop()
    wait_until(lambda: fake.stream_connections == 2, "the source to reconnect")
    wait_until(lambda: source_server.source(source_id)["state"] == "live", "live again")
    for number, text in enumerate(["chốt SP01", "đẹp quá", "chốt SP01", "chốt A12 size M"]):
        fake.write(f"C{number}", text)
    health = wait_until(
        lambda: (s := source_server.source(source_id))["comments"] == 12 and s,
        "all 12 comments",
    )
    assert "reverse_chronological" in fake.edge_requests  # the gap was asked for
    rows = source_server.rows("SELECT comment_id FROM comments WHERE platform = 'facebook'")
    assert sorted(r[0] for r in rows) == sorted(c["id"] for c in fake.comments)  # zero lost
    assert len(rows) == 12  # zero doubled
    orders = source_server.rows(
        "SELECT o.sku, o.qty FROM orders o JOIN comments c ON c.id = o.comment_ref "
        "WHERE c.platform = 'facebook' ORDER BY o.id"
    )
    assert orders == [
        ("SP01", 1),
        ("SP01", 2),
        ("SP01", 1),
        ("B3", 1),
        ("SP01", 1),
        ("SP01", 1),
        ("A12", 1),
    ]
    assert health["reconnects"] == 1
    assert health["backfilled"] == 4
    assert health["duplicates"] <= 1  # the last comment before the drop is asked for again
    [gap] = health["gaps"]
    assert gap["is_refilled"] and gap["backfilled"] == 4 and gap["end"] >= gap["start"]
    assert health["gaps_unfilled"] == 0


def test_the_page_token_stays_on_this_computer_and_disconnect_wipes_it(
    source_server: SourceServer, graph: tuple[FakeGraph, Served]
) -> None:
    source = connect_and_pick(source_server)
    secrets = source_server.data_dir / "source_secrets.json"
    assert stat.S_IMODE(os.stat(secrets).st_mode) == 0o600
    assert TOKEN in secrets.read_text(encoding="utf-8")
    listing = source_server.http.get("/api/sources")
    assert TOKEN not in listing.text and PAGE_NAME in listing.text
    assert TOKEN not in (source_server.data_dir / "sources.json").read_text(encoding="utf-8")
    assert source_server.http.delete(f"/api/sources/facebook/pages/{PAGE_ID}").status_code == 204
    assert TOKEN not in secrets.read_text(encoding="utf-8")
    stopped = source_server.source(str(source["id"]), lang="vi")
    assert stopped["state"] == "stopped" and stopped["reason"] == "no_token"
    assert "Trang Facebook" in stopped["reason_text"]
    assert source_server.http.get("/api/sources").json()["pages"] == []


def test_a_refused_token_is_an_error_with_the_reason_in_the_sellers_language(
    source_server: SourceServer,
) -> None:
    refused = source_server.http.post(
        "/api/sources/facebook/pages",
        json={"page_id": PAGE_ID, "token": "EAAGexpired0000000"},
        headers={"X-Livestall-Lang": "vi"},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "bridge.auth"
    assert "EAAGexpired" not in refused.text


def test_the_cli_connects_the_page_and_prints_the_source_to_serve(
    graph: tuple[FakeGraph, Served], tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "LIVESTALL_HOME": str(tmp_path),
        "LIVESTALL_FACEBOOK_GRAPH_URL": graph[1].url,
        "FACEBOOK_PAGE_TOKEN": TOKEN,
    }
    command = [sys.executable, "-c", START, "live", "facebook-connect", "--page", PAGE_ID]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"--source facebook:{PAGE_ID}/{VIDEO_ID}" in done.stdout
    assert TOKEN not in done.stdout + done.stderr
    [secrets] = tmp_path.rglob("source_secrets.json")
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600 and TOKEN in secrets.read_text()
    wipe = [sys.executable, "-c", START, "live", "facebook-disconnect"]
    assert subprocess.run(wipe, env=env, capture_output=True, timeout=120).returncode == 0
    assert TOKEN not in secrets.read_text()
    refused = subprocess.run(
        command,
        env={**env, "FACEBOOK_PAGE_TOKEN": "EAAGexpired000"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "EAAGexpired000" not in refused.stdout + refused.stderr


def test_a_restarted_server_fetches_what_was_written_while_it_was_off(
    tmp_path: Path,
    graph: tuple[FakeGraph, Served],
    ssn_relay: FakeSsn,
    youtube: tuple[FakeYouTube, Served],
) -> None:
    fake = graph[0]
    urls = (graph[1].url, ssn_relay.url, youtube[1].url)
    running, supervisor = start_source_server(tmp_path, *urls)
    try:
        with httpx.Client(base_url=running.url, headers=HOST, timeout=30) as http:
            server = SourceServer(
                running, tmp_path / "live.sqlite", tmp_path / "data", supervisor, http
            )
            source_id = str(connect_and_pick(server)["id"])
            wait_until(lambda: fake.is_streaming, "the stream")
            for number in range(3):
                fake.write(f"A{number}", "chốt SP01")
            wait_until(lambda: server.source(source_id)["comments"] == 3, "3 comments")
    finally:
        running.stop()  # the laptop sleeps, the server is restarted...
    wait_until(lambda: not fake.is_streaming, "the stream to close")
    while_off = [fake.write(f"B{number}", "chốt B3") for number in range(2)]
    running, supervisor = start_source_server(tmp_path, *urls)
    try:
        with httpx.Client(base_url=running.url, headers=HOST, timeout=30) as http:
            server = SourceServer(
                running, tmp_path / "live.sqlite", tmp_path / "data", supervisor, http
            )
            health = wait_until(
                lambda: (
                    (s := server.source(source_id))["state"] == "live"
                    and s["backfilled"] == 2
                    and s
                ),
                "the comments written while the server was off",
            )
            assert health["gaps"][0]["is_refilled"] and health["comments"] == 2
            ids = [r[0] for r in server.rows("SELECT comment_id FROM comments")]
            assert len(ids) == len(set(ids)) == 5 and {c["id"] for c in while_off} <= set(ids)
    finally:
        running.stop()
