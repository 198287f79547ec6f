"""`livestall live serve --workers N`: N processes on one port, a dead worker started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from live_helpers import HOST_TOKEN, INGEST, INGEST_TOKEN, START, free_port, write_catalog

from livestall.cli.app import main

pytestmark = pytest.mark.slow


def workers_of(parent: int) -> set[int]:
    """Pids of the server workers (spawned children, not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    found = set()
    for pid in children:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command and b"resource_tracker" not in command:
            found.add(int(pid))
    return found


def wait_for(check: object, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def order(i: int) -> dict[str, object]:
    return {"platform": "t", "comment_id": f"w{i}", "user_id": f"u{i}", "text": "SOLD SP01"}


def test_workers_share_one_port_and_a_killed_worker_comes_back(
    tmp_path: Path, db_url: str, services: dict[str, str]
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "LIVESTALL_HOME": str(tmp_path / "home"),
        "LIVESTALL_HOST_TOKEN": HOST_TOKEN,
        "LIVESTALL_INGEST_TOKEN": INGEST_TOKEN,
        # The defaults `make services` prints; asyncpg URLs are run through psycopg.
        "LIVESTALL_DB_URL": db_url.replace("+psycopg", "+asyncpg"),
        "LIVESTALL_REDIS_URL": services["LIVESTALL_REDIS_URL"],
    }
    catalog = write_catalog(tmp_path / "shop")
    command = [sys.executable, "-c", START, "live", "serve", "--catalog", str(catalog)]
    command += ["--port", str(port), "--workers", "2"]
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        parent = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: len(workers_of(parent.pid)) == 2)

        def all_answer() -> bool:
            try:
                return all(
                    httpx.post(f"{url}/api/comments", json=order(i), headers=INGEST).status_code
                    == 200
                    for i in range(6)
                )
            except httpx.TransportError:
                return False

        wait_for(all_answer, 60)
        first = workers_of(parent.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(workers_of(parent.pid) - {victim}) == 2)
        answers = [
            httpx.post(f"{url}/api/comments", json=order(i), headers=INGEST) for i in range(6, 30)
        ]
        assert [a.status_code for a in answers] == [200] * 24
        assert "postgresql+psycopg://livestall:***@" in log.read_text()
    finally:
        parent.send_signal(signal.SIGTERM)
        parent.wait(20)
    assert workers_of_gone(first)


def workers_of_gone(pids: set[int]) -> bool:
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


def test_several_workers_need_postgres_and_redis(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop")
    argv = ["live", "serve", "--catalog", str(catalog), "--workers", "2", "--redis", ""]
    assert main([*argv, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"]) == 2
