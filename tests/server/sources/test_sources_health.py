"""What the seller sees of her sources: a relay that drops is back live with the window recorded
as a gap it could not refill, a source silent while others talk is flagged, every reason has its
words in vi/en/ar, and a recorded file started with `livestall live serve --source` plays in."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import SILENCE_S, SourceServer, wait_until
from fakes import PAGE_ID, TOKEN, VIDEO_ID, FakeGraph, FakeSsn, Served
from live_helpers import HOST, HOST_TOKEN, INGEST_TOKEN, START, free_port, write_catalog

from server.services.source_health import REASONS, SourceHealth, alert_of, reason_text


def test_a_dropped_relay_reconnects_and_records_the_gap_it_cannot_refill(
    source_server: SourceServer, ssn_relay: FakeSsn
) -> None:
    added = source_server.http.post("/api/sources", json={"spec": "ssn:shop-session"}).json()
    wait_until(lambda: ssn_relay.is_connected, "the relay connection")
    for number in range(3):
        ssn_relay.say(f"lan{number}", f"chốt SP01 {number}")
    wait_until(lambda: source_server.source(added["id"])["comments"] == 3, "3 relayed comments")
    ssn_relay.drop()
    wait_until(lambda: not ssn_relay.is_connected, "the drop")
    ssn_relay.say("lost", "chốt B3")  # said while nobody listens: SSN keeps no history
    wait_until(lambda: source_server.source(added["id"])["reconnects"] >= 2, "a refused retry")
    ssn_relay.allow()
    wait_until(lambda: ssn_relay.connections == 2 and ssn_relay.is_connected, "the reconnect")
    ssn_relay.say("back", "chốt SP01")
    health = wait_until(
        lambda: (s := source_server.source(added["id"], lang="vi"))["comments"] == 4 and s,
        "the comment after the reconnect",
    )
    assert health["state"] == "live" and health["reconnects"] >= 2
    [gap] = health["gaps"]  # one window, however many retries it took
    assert not gap["is_refilled"] and gap["backfilled"] == 0
    assert health["gaps_unfilled"] == 1
    platforms = source_server.rows("SELECT DISTINCT platform FROM comments")
    assert platforms == [("tiktok",)]  # SSN keeps the site the comment came from


def test_a_source_silent_while_another_talks_raises_the_alert(
    source_server: SourceServer, graph: tuple[FakeGraph, Served], ssn_relay: FakeSsn
) -> None:
    source_server.http.post(
        "/api/sources/facebook/pages", json={"page_id": PAGE_ID, "token": TOKEN}
    ).raise_for_status()
    quiet = source_server.http.post("/api/sources", json={"spec": f"facebook:{PAGE_ID}/{VIDEO_ID}"})
    talking = source_server.http.post("/api/sources", json={"spec": "ssn:shop-session"})
    quiet_id, talking_id = quiet.json()["id"], talking.json()["id"]
    wait_until(lambda: ssn_relay.is_connected and graph[0].is_streaming, "both connections")

    def health() -> dict[str, dict[str, object]]:
        # "silent while another talks" holds only while the other one has just talked: say
        # something, then read both in one answer (a busy machine delays each step)
        for number in range(2):
            ssn_relay.say(f"v{number}", "còn hàng không shop")
        return {s["id"]: s for s in source_server.sources("ar")}

    flagged = wait_until(
        lambda: (h := health())[quiet_id]["alert"] == "silent" and h,
        "the silence alert",
        SILENCE_S + 20,
    )
    assert flagged[talking_id]["alert"] == ""
    assert flagged[quiet_id]["alert_text"] == REASONS["silent"]["ar"]
    graph[0].write("Mai", "chốt SP01")  # the quiet one speaks: the alert goes
    wait_until(lambda: source_server.source(quiet_id)["alert"] == "", "the alert to clear")


def test_stopping_a_source_keeps_it_listed_and_starting_brings_it_back(
    source_server: SourceServer, ssn_relay: FakeSsn
) -> None:
    added = source_server.http.post("/api/sources", json={"spec": "ssn:shop-session"}).json()
    wait_until(lambda: source_server.source(added["id"])["state"] == "live", "live")
    stopped = source_server.http.post(f"/api/sources/{added['id']}/stop").json()
    assert stopped["state"] == "stopped" and stopped["reason"] == "stopped"
    [stored] = json.loads((source_server.data_dir / "sources.json").read_text())["sources"]
    assert (stored["spec"], stored["enabled"]) == ("ssn:shop-session", False)
    source_server.http.post(f"/api/sources/{added['id']}/start").raise_for_status()
    wait_until(lambda: source_server.source(added["id"])["state"] == "live", "live again")
    assert source_server.http.delete(f"/api/sources/{added['id']}").status_code == 204
    assert source_server.sources() == []
    bad = source_server.http.post("/api/sources", json={"spec": "myspace:shop"})
    assert bad.status_code == 409 and bad.json()["code"] == "bridge.source"


def test_a_platform_without_its_library_stops_with_the_reason_in_vietnamese(
    source_server: SourceServer,
) -> None:
    try:
        import TikTokLive  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("TikTokLive is installed: the source would try the real TikTok")
    added = source_server.http.post("/api/sources", json={"spec": "tiktok:@shopcolan"}).json()
    health = wait_until(
        lambda: (s := source_server.source(added["id"], lang="vi"))["state"] == "error" and s,
        "the error",
    )
    assert health["reason"] == "dependency" and "pip install" in health["reason_text"]
    assert health["reason_text"] == REASONS["dependency"]["vi"] and health["alert"] == "error"


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_reason_has_words_in_vi_en_ar(code: str) -> None:
    texts = {lang: reason_text(code, lang) for lang in ("vi", "en", "ar")}
    assert all(texts.values()) and len(set(texts.values())) == 3
    assert any("\u0600" <= ch <= "\u06ff" for ch in texts["ar"])


def test_a_source_that_dropped_is_flagged_and_a_quiet_chat_is_not() -> None:
    dropped = SourceHealth()
    dropped.begin()
    dropped.connected(100.0, can_refill=True)
    dropped.dropped(130.0, "network", "ReadError")
    assert alert_of(dropped, [], now_s=131.0, silence_s=60) == "dropped"
    quiet, other = SourceHealth(), SourceHealth()
    quiet.connected(0.0, can_refill=False)
    other.connected(0.0, can_refill=False)
    assert alert_of(quiet, [other], now_s=500.0, silence_s=60) == ""  # nobody talks: no alert
    other.counted(480.0, is_duplicate=False)
    assert alert_of(quiet, [other], now_s=500.0, silence_s=60) == "silent"


def test_serve_with_a_file_source_plays_the_recording_in(tmp_path: Path) -> None:
    recording = tmp_path / "chat.jsonl"
    lines = [
        {
            "platform": "youtube",
            "comment_id": f"yt-{n}",
            "user_id": f"u{n}",
            "user_name": f"Lan {n}",
            "text": "chốt SP01",
            "ts": 1_700_000_000 + n,
        }
        for n in range(5)
    ]
    recording.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    port = free_port()
    db = tmp_path / "live.sqlite"
    env = {
        "LIVESTALL_HOME": str(tmp_path / "home"),
        "LIVESTALL_HOST_TOKEN": HOST_TOKEN,
        "LIVESTALL_INGEST_TOKEN": INGEST_TOKEN,
        "LIVESTALL_SOURCE_FILE_SPEED": "0",
    }
    command = [
        sys.executable,
        "-c",
        START,
        "live",
        "serve",
        "--catalog",
        str(write_catalog(tmp_path / "shop")),
    ]
    command += ["--db", f"sqlite:///{db}", "--port", str(port), "--source", f"file:{recording}"]
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:

        def done() -> object:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/sources", headers=HOST, timeout=2)
            except httpx.TransportError:
                return None
            sources = answer.json()["sources"]
            return sources and sources[0]["state"] == "stopped" and sources[0]

        finished = wait_until(done, "the recording to play in", 120)
        assert finished["reason"] == "file_done" and finished["comments"] == 5
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM orders").fetchone() == (5,)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode(errors="replace")
    assert f"source         file:{recording}" in output
