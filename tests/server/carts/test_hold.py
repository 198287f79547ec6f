"""Hold with a deadline: a line neither paid nor confirmed when its hold ends is released, its
stock serves the waitlist, the buyer's message says so — also across a server restart, once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from deadlines import EVENT_SPREAD_S, SERVER_START_S
from live_helpers import (
    HOST,
    HOST_TOKEN,
    INGEST,
    INGEST_TOKEN,
    START,
    LiveServer,
    comment,
    free_port,
)

from server.app import build_app
from server.serve import start_in_thread
from server.services.carts import parse_hold
from studio.errors import InputError

HOLD_S = 2


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200), ("0", 0), (" 45 ", 45)]
)
def test_hold_durations(text: str, seconds: int) -> None:
    assert parse_hold(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "5d", "-1m", "900h"])
def test_bad_holds_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_hold(text)


def _say(url: str, comment_id: str, text: str, user: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{url}/api/comments", json=comment(comment_id, text, user=user, name=user), headers=INGEST
    ).json()
    return dict(answer)


def _wait(check: Callable[[], bool], what: str, seconds: float = EVENT_SPREAD_S) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _sale(url: str) -> dict[str, dict[str, Any]]:
    """Three buyers take the three B3; a fourth waits; two of the three are confirmed."""
    placed = {user: _say(url, f"c-{user}", "chốt B3", user) for user in ("u1", "u2", "u3", "u4")}
    assert placed["u4"]["order"]["status"] == "waitlisted"
    for user in ("u2", "u3"):
        _confirm(url, placed[user])
    return placed


def _confirm(url: str, answer: dict[str, Any]) -> None:
    """The seller confirms a cart: its lines are held until the seller says otherwise."""
    code = answer["cart"]["code"]
    moved = httpx.post(f"{url}/api/carts/{code}/state", json={"state": "confirmed"}, headers=HOST)
    assert moved.status_code == 200, moved.text


def _status(server_db: Path, order_id: int) -> str:
    import sqlite3

    with sqlite3.connect(server_db) as conn:
        row = conn.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
    return str(row[0])


def test_unpaid_line_is_released_and_the_waitlist_served(live_server: LiveServer) -> None:
    url = live_server.url
    assert httpx.get(f"{url}/api/carts/hold", headers=HOST).json() == {"seconds": 0}
    saved = httpx.put(f"{url}/api/carts/hold", json={"hold": f"{HOLD_S}s"}, headers=HOST)
    assert saved.json() == {"seconds": HOLD_S}
    assert (
        httpx.put(f"{url}/api/carts/hold", json={"hold": "soon"}, headers=HOST).status_code == 422
    )
    placed = _sale(url)
    lan = placed["u1"]
    carts = {c["user_id"]: c for c in httpx.get(f"{url}/api/carts", headers=HOST).json()}
    assert carts["u1"]["hold_until"] is not None
    assert carts["u2"]["hold_until"] is None  # confirmed: held until the seller says otherwise
    _wait(
        lambda: any(c["remind"] for c in httpx.get(f"{url}/api/carts", headers=HOST).json()),
        "the cart to show under 'nhắc thanh toán'",
    )
    code = lan["cart"]["code"]
    reminder = httpx.get(
        f"{url}/api/carts/{code}/message", params={"kind": "reminder"}, headers=HOST
    ).json()
    assert reminder["text"].startswith(f"Nhắc nhẹ: shop giữ hàng cho đơn {code} đến")

    waiting = placed["u4"]["order"]["id"]
    _wait(lambda: _status(live_server.db_path, waiting) == "accepted", "the waitlist to be served")
    _confirm(url, placed["u4"])  # the served buyer's own hold started; the seller confirms it
    assert _status(live_server.db_path, lan["order"]["id"]) == "cancelled"
    for user in ("u2", "u3"):
        assert _status(live_server.db_path, placed[user]["order"]["id"]) == "confirmed"
    assert live_server.rows("SELECT count(*) FROM order_events WHERE actor = 'hold'") == [(1,)]
    released = httpx.get(
        f"{url}/api/carts/{code}/message", params={"kind": "released"}, headers=HOST
    ).json()
    assert released["text"].splitlines()[:2] == [
        f"Đơn {code}: đã hết thời gian giữ hàng nên shop đã nhả các món sau cho khách khác:",
        "- Chả mực Hạ Long 500g x1",
    ]


def test_release_survives_a_restart_and_happens_once(tmp_path: Path, live_catalog: Path) -> None:
    db_path = tmp_path / "live.sqlite"

    def start() -> Any:
        app = build_app(
            live_catalog,
            f"sqlite:///{db_path}",
            data_dir=tmp_path / "data",
            host_token=HOST_TOKEN,
            ingest_token=INGEST_TOKEN,
        )
        return start_in_thread(app)

    first = start()
    try:
        httpx.put(f"{first.url}/api/carts/hold", json={"hold": f"{HOLD_S}s"}, headers=HOST)
        placed = _sale(first.url)
        due = time.time() + HOLD_S
    finally:
        first.stop()
    lan, waiting = placed["u1"]["order"]["id"], placed["u4"]["order"]["id"]
    assert (_status(db_path, lan), _status(db_path, waiting)) == ("accepted", "waitlisted")
    _wait(lambda: time.time() > due + 0.2, "the hold to end while the server is down")

    second = start()
    try:
        _wait(lambda: _status(db_path, waiting) == "accepted", "the release after the restart")
        _confirm(second.url, placed["u4"])
        assert _status(db_path, lan) == "cancelled"
        # a third start changes nothing more: the release is on disk, once
        second.stop()
        second = start()
        carts = httpx.get(f"{second.url}/api/carts", headers=HOST).json()
        assert {c["user_id"]: c["state"] for c in carts}["u1"] == "cancelled"
    finally:
        second.stop()
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        holds = conn.execute("SELECT count(*) FROM order_events WHERE actor = 'hold'").fetchone()
        stock = conn.execute("SELECT qty FROM stock WHERE sku = 'B3'").fetchone()
    assert holds == (1,)
    assert stock == (0,)  # the released unit went to the waiting buyer, not back on the shelf


def test_the_hold_given_at_start_is_stored(
    tmp_path: Path, live_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVESTALL_HOLD", "30m")  # what `livestall live serve --hold 30m` sets
    app = build_app(
        live_catalog,
        f"sqlite:///{tmp_path / 'live.sqlite'}",
        data_dir=tmp_path / "data",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    running = start_in_thread(app)
    try:
        _wait(
            lambda: (
                httpx.get(f"{running.url}/api/carts/hold", headers=HOST).json()["seconds"] == 1800
            ),
            "the start-up hold to be stored",
        )
    finally:
        running.stop()


def test_the_hold_given_on_the_command_line_is_stored(tmp_path: Path, live_catalog: Path) -> None:
    port = free_port()
    env = {**os.environ, "LIVESTALL_HOME": str(tmp_path), "LIVESTALL_HOST_TOKEN": HOST_TOKEN}
    env.pop("LIVESTALL_HOLD", None)
    command = [sys.executable, "-c", START, "live", "serve", "--catalog", str(live_catalog)]
    command += ["--port", str(port), "--hold", "90s"]
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"

        def stored() -> bool:
            try:
                answer = httpx.get(f"{url}/api/carts/hold", headers=HOST, timeout=2)
            except httpx.TransportError:
                return server.poll() is not None  # stop waiting if it died (asserted below)
            return answer.status_code == 200 and answer.json()["seconds"] == 90

        _wait(stored, "livestall live serve --hold 90s", SERVER_START_S)
        assert server.poll() is None, log.read_text(errors="replace")
    finally:
        server.terminate()
        server.wait(20)
