"""After the live: the comments Facebook has that never reached ingest (it hid them from the
stream), listed with what they would order, then taken oldest first so the stock left goes to
who wrote first; the same from a pasted export and from `livestall live reconcile`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import SourceServer, wait_until
from fakes import PAGE_ID, TOKEN, VIDEO_ID, FakeGraph, Served
from live_helpers import HOST_TOKEN, START

SPEC = f"facebook:{PAGE_ID}/{VIDEO_ID}"


def live_with_hidden_comments(server: SourceServer, fake: FakeGraph) -> list[dict[str, object]]:
    """Seven comments; three orders for B3 (stock 3) never reach the stream."""
    server.http.post(
        "/api/sources/facebook/pages", json={"page_id": PAGE_ID, "token": TOKEN}
    ).raise_for_status()
    added = server.http.post("/api/sources", json={"spec": SPEC}).json()
    wait_until(lambda: fake.is_streaming, "the stream")
    hidden = []
    fake.write("A", "chốt B3")
    hidden.append(fake.write("H1", "chốt B3", is_streamed=False))
    fake.write("B", "đẹp quá shop ơi")
    hidden.append(fake.write("H2", "B3 x1 nha", is_streamed=False))
    fake.write("C", "còn size L không")
    hidden.append(fake.write("H3", "chốt B3", is_streamed=False))
    fake.write("D", "chốt SP01")
    wait_until(lambda: server.source(added["id"])["comments"] == 4, "the 4 streamed comments")
    return hidden


def test_reconcile_lists_exactly_the_missing_comments_and_takes_them_in_order(
    source_server: SourceServer, graph: tuple[FakeGraph, Served]
) -> None:
    fake, _ = graph
    hidden = live_with_hidden_comments(source_server, fake)
    report = source_server.http.post("/api/sources/reconcile", json={"spec": SPEC}).json()
    assert report["platform_total"] == 7 and report["ingested"] == 4
    assert [m["comment_id"] for m in report["missing"]] == [h["id"] for h in hidden]
    assert [m["items"][0]["sku"] for m in report["missing"]] == ["B3", "B3", "B3"]
    assert {m["intent"] for m in report["missing"]} == {"order"}

    taken = source_server.http.post("/api/sources/reconcile/take", json={"spec": SPEC}).json()
    assert taken["taken"] == 3 and taken["orders"] == 3
    statuses = source_server.rows(
        "SELECT c.comment_id, o.status FROM orders o JOIN comments c ON c.id = o.comment_ref "
        "WHERE o.sku = 'B3' ORDER BY o.id"
    )
    # A's streamed order took one of 3; the hidden ones in comment time: 2 left, then the waitlist.
    assert [s for _, s in statuses] == ["accepted", "accepted", "accepted", "waitlisted"]
    assert [c for c, _ in statuses[1:]] == [h["id"] for h in hidden]
    again = source_server.http.post("/api/sources/reconcile", json={"spec": SPEC}).json()
    assert again["missing"] == [] and again["ingested"] == 7


def test_reconcile_from_a_pasted_export_and_from_the_cli(
    source_server: SourceServer, graph: tuple[FakeGraph, Served], tmp_path: Path
) -> None:
    fake, _ = graph
    hidden = live_with_hidden_comments(source_server, fake)
    export = json.dumps({"data": list(reversed(fake.comments)), "paging": {}}, ensure_ascii=False)
    pasted = source_server.http.post("/api/sources/reconcile", json={"text": export}).json()
    assert [m["comment_id"] for m in pasted["missing"]] == [h["id"] for h in hidden]

    path = tmp_path / "comments.json"
    path.write_text(export, encoding="utf-8")
    env = {**os.environ, "LIVESTALL_HOST_TOKEN": HOST_TOKEN, "LIVESTALL_HOME": str(tmp_path)}
    command = [sys.executable, "-c", START, "live", "reconcile", "--file", str(path)]
    command += ["--server", source_server.running.url]
    listed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "platform 7 comments · ingested 4 · missing 3" in listed.stdout
    assert listed.stdout.count("→ B3 x1") == 3
    taken = subprocess.run(
        [*command, "--take"], env=env, capture_output=True, text=True, timeout=120
    )
    assert taken.returncode == 0, taken.stderr
    assert "taken 3 comments · orders 3" in taken.stdout
    assert source_server.rows("SELECT count(*) FROM orders WHERE sku = 'B3'") == [(4,)]


def test_taking_missed_comments_is_not_slowed_by_the_per_viewer_limit(
    source_server: SourceServer,
) -> None:
    # one chatty buyer whose 15 comments, written over half an hour, were all hidden from the
    # stream: the seller takes them at once, and none is refused as a flood
    base = 1_733_000_000
    export = {
        "data": [
            {
                "created_time": f"2024-12-01T0{1 + n // 10}:{(n * 2) % 60:02d}:00+0000",
                "from": {"name": "Khách Lan", "id": "552524095100999"},
                "message": f"chốt B3 giao 0{n % 9 + 1}h nhé" if n == 0 else f"shop ơi lần {n}",
                "id": f"{VIDEO_ID}_{base + n}",
            }
            for n in range(15)
        ],
        "paging": {},
    }
    text = json.dumps(export, ensure_ascii=False)
    taken = source_server.http.post("/api/sources/reconcile/take", json={"text": text}).json()
    stored = source_server.rows(
        "SELECT status, reason FROM comments WHERE viewer_id = "
        "(SELECT id FROM viewers WHERE user_id = '552524095100999')"
    )
    assert len(stored) == 15, taken
    assert [reason for _, reason in stored if reason == "rate_limited"] == []
