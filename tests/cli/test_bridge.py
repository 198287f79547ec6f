"""`livestall live replay` and `livestall live bridge`, run through the real CLI entry point
against loopback servers: a small recording ingest endpoint (ASGI under uvicorn) and a Twitch
IRC stand-in (websockets)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from livestall.cli.app import main
from livestall.cli.bridge import default_outbox

SHARED_CHAT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "chat"
TOKEN = "cli-bridge-token"


@dataclass
class Recorder:
    """What the fake ingest endpoint received and answered."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    # A request holding one of these comment ids is refused (422), like the live server does
    # for text it cannot store; one holding an id of `unavailable_once` gets 503 the first time.
    refused_ids: set[str] = field(default_factory=set)
    unavailable_once: set[str] = field(default_factory=set)
    answered: list[int] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        ids = {item["comment_id"] for item in json.loads(b"".join(chunks) or b"[]")}
        if dict(scope["headers"]).get(b"authorization") != f"Bearer {TOKEN}".encode():
            status, answer = 401, {"code": "live.auth"}
        elif ids & self.refused_ids:
            status, answer = 422, {"code": "comment.unencodable", "message": "cannot store"}
        elif ids & self.unavailable_once:
            self.unavailable_once -= ids
            status, answer = 503, {"code": "live.store_unavailable"}
        else:
            answer = []
            for item in json.loads(b"".join(chunks)):
                key = (item["platform"], item["comment_id"])
                state = "duplicate" if key in self.seen else "accepted"
                if state == "accepted":
                    self.seen.add(key)
                    self.bodies.append(item)
                answer.append({"comment_id": item["comment_id"], "status": state, "order": None})
            status = 200
        self.answered.append(status)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps(answer).encode()})


@pytest.fixture
def ingest() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(recorder, log_level="warning", lifespan="off", ws="none")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", recorder
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def shared_chat() -> Path:
    if not SHARED_CHAT.is_dir():
        pytest.skip(f"real chat recordings not found at {SHARED_CHAT} (../shared/data/chat)")
    return SHARED_CHAT


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("LIVESTALL_HOME", str(home))
    monkeypatch.setenv("LIVESTALL_INGEST_TOKEN", TOKEN)
    return home


def test_replay_a_real_recording_as_json(
    shared_chat: Path, ingest: tuple[str, Recorder], capsys: pytest.CaptureFixture[str]
) -> None:
    url, recorder = ingest
    path = shared_chat / "youtube_innertube_replay_pytchat.json"
    code = main(["live", "replay", str(path), "--speed", "0", "--server", url, "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "youtube"
    assert (report["sent"], report["accepted"], report["duplicate"]) == (48, 48, 0)
    assert len(recorder.bodies) == 48 and recorder.bodies[0]["platform"] == "youtube"


def test_replay_drops_a_refused_comment_and_retries_an_unavailable_server(
    tmp_path: Path, ingest: tuple[str, Recorder], capsys: pytest.CaptureFixture[str]
) -> None:
    url, recorder = ingest
    texts = {f"c{i}": f"chốt A12 số {i}" for i in range(120)}
    texts["c30"] = "chốt A12 \ud83d"  # a lone surrogate, as JSON.stringify can produce
    texts["c31"] = "chốt\x00B3"  # NUL, which PostgreSQL cannot store
    recorder.refused_ids = {"c30", "c31"}
    recorder.unavailable_once = {"c77"}
    lines = [
        json.dumps(
            {"platform": "tiktok", "comment_id": k, "user_id": k, "user_name": "An", "text": t}
        )
        for k, t in texts.items()
    ]
    recording = tmp_path / "chat.jsonl"
    recording.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code = main(["live", "replay", str(recording), "--speed", "0", "--server", url, "--json"])

    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["sent"], report["accepted"], report["rejected"]) == (120, 118, 2)
    expected = [k for k in texts if k not in ("c30", "c31")]
    assert [b["comment_id"] for b in recorder.bodies] == expected  # every other one, in order
    assert recorder.answered.count(503) == 1  # c77 was retried and arrived
    assert 422 in recorder.answered


def test_replay_reads_the_token_from_the_server_data_folder(
    shared_chat: Path,
    ingest: tuple[str, Recorder],
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("LIVESTALL_INGEST_TOKEN")
    isolated_home.mkdir(parents=True)
    (isolated_home / "tokens.json").write_text(
        json.dumps({"host": "h", "ingest": TOKEN}), encoding="utf-8"
    )
    url, recorder = ingest
    path = shared_chat / "twitch_irc_xqcow_excerpt.irc"
    assert (
        main(["live", "replay", str(path), "--format", "twitch", "--speed", "0", "--server", url])
        == 0
    )
    assert "accepted 1485" in capsys.readouterr().out
    assert len(recorder.bodies) == 1485


def test_replay_errors_say_what_to_do(
    tmp_path: Path,
    ingest: tuple[str, Recorder],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, _ = ingest
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n", encoding="utf-8")
    assert main(["live", "replay", str(notes), "--server", url]) == 2
    assert "--format" in capsys.readouterr().err

    chat = tmp_path / "chat.jsonl"
    chat.write_text(
        '{"platform": "tiktok", "comment_id": "1", "user_id": "2", "text": "chốt A12"}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LIVESTALL_INGEST_TOKEN", "wrong")
    assert main(["live", "replay", str(chat), "--speed", "0", "--server", url]) == 2
    assert "LIVESTALL_INGEST_TOKEN" in capsys.readouterr().err


def test_replay_gives_up_when_no_server_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chat = tmp_path / "chat.jsonl"
    chat.write_text(
        '{"platform": "tiktok", "comment_id": "1", "user_id": "2", "text": "hi"}\n',
        encoding="utf-8",
    )
    code = main(
        [
            "live",
            "replay",
            str(chat),
            "--speed",
            "0",
            "--server",
            f"http://127.0.0.1:{port}",
            "--give-up-after",
            "1",
        ]
    )
    assert code == 1
    assert "livestall live serve" in capsys.readouterr().err


def test_bridge_twitch_records_and_delivers_while_another_source_fails(
    shared_chat: Path,
    ingest: tuple[str, Recorder],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("FACEBOOK_PAGE_TOKEN", raising=False)
    url, recorder = ingest
    lines = (
        (shared_chat / "twitch_irc_xqcow_excerpt.irc").read_text(encoding="utf-8").splitlines()[:40]
    )

    def irc(ws: ServerConnection) -> None:
        for _ in range(3):
            ws.recv()
        ws.send("\r\n".join(lines) + "\r\n")
        with contextlib.suppress(ConnectionClosed):
            ws.recv()  # wait until the bridge goes away

    with serve(irc, "127.0.0.1", 0, compression=None) as irc_server:
        threading.Thread(target=irc_server.serve_forever, daemon=True).start()
        irc_url = f"ws://127.0.0.1:{irc_server.socket.getsockname()[1]}"
        record = tmp_path / "recorded.jsonl"
        code = main(
            [
                "live",
                "bridge",
                "twitch:xqcow",
                "facebook:123",
                "--server",
                url,
                "--twitch-url",
                irc_url,
                "--record",
                str(record),
                "--duration",
                "1.5",
                "--status-every",
                "0.5",
            ]
        )
        irc_server.shutdown()
    assert code == 2  # the Facebook source stopped (no Page token); Twitch went on
    delivered = len(recorder.bodies)
    assert delivered == sum(" PRIVMSG #" in ln for ln in lines) == 36
    err = capsys.readouterr().err
    assert "twitch:xqcow  connected" in err and "accepted 36" in err
    assert "events 4" in err  # CLEARCHAT / USERNOTICE lines are events, not comments
    assert "stopped facebook:123: the Facebook bridge needs a Page access token" in err
    # The recording is our JSON Lines: replaying it is all duplicates.
    assert main(["live", "replay", str(record), "--speed", "0", "--server", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["duplicate"] == 36
    assert len(recorder.bodies) == delivered


def test_bridge_refuses_bad_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["live", "bridge", "myspace:shop"]) == 2
    assert "KIND:TARGET" in capsys.readouterr().err


def test_each_bridge_command_keeps_its_own_outbox(isolated_home: Path) -> None:
    one = default_outbox("http://127.0.0.1:8000", ["tiktok:@shop", "facebook:1"])
    assert one == default_outbox("http://127.0.0.1:8000", ["facebook:1", "tiktok:@shop"])
    assert one != default_outbox("http://127.0.0.1:8000", ["tiktok:@shop"])
    assert one.parent == isolated_home / "bridges"
