"""Helpers of the multi-process tests: services from scripts/services.sh, a cluster of servers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest
from deadlines import SERVER_START_S
from live_helpers import HOST_TOKEN, INGEST_TOKEN, START, free_port, write_catalog

REPO = Path(__file__).resolve().parents[3]
SERVICES = REPO / "scripts" / "services.sh"
CANNOT_INSTALL = 3


def run_services(*args: str, redis_port: int | None = None) -> dict[str, str]:
    """Run scripts/services.sh; return the ``LIVESTALL_*_URL`` values it printed."""
    env = dict(os.environ)
    if redis_port is not None:
        env["LIVESTALL_REDIS_PORT"] = str(redis_port)
    done = subprocess.run(
        [str(SERVICES), *args], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode == CANNOT_INSTALL:
        message = "!" * 20 + " PostgreSQL/Redis cannot be installed here: " + done.stderr
        print(message, file=sys.stderr)
        pytest.skip(message)
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


@dataclass
class Cluster:
    """Server processes of one test, each on its own port, sharing a database and Redis."""

    catalog: Path
    db_url: str
    redis_url: str
    home: Path
    ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def ws_url(self, index: int) -> str:
        return f"ws://127.0.0.1:{self.ports[index]}"

    def start(self, count: int) -> None:
        """Start `count` processes together and wait until each answers /api/health."""
        new = [free_port() for _ in range(count)]
        for port in new:
            self.processes.append(self._spawn(port))
            self.ports.append(port)
        for port in new:
            self.wait_healthy(port)

    def _spawn(self, port: int) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "LIVESTALL_HOME": str(self.home),
            "LIVESTALL_HOST_TOKEN": HOST_TOKEN,
            "LIVESTALL_INGEST_TOKEN": INGEST_TOKEN,
            # Buyers are many distinct users from one test address: no per-IP limit here.
            "LIVESTALL_IP_RATE_PER_S": "100000",
            "LIVESTALL_IP_BURST": "100000",
        }
        command = [sys.executable, "-c", START, "live", "serve", "--catalog", str(self.catalog)]
        command += ["--db", self.db_url, "--redis", self.redis_url, "--port", str(port)]
        log = self.home / f"server-{port}.log"
        with log.open("ab") as output:
            return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)

    def wait_healthy(self, port: int, timeout_s: float = SERVER_START_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        log = (self.home / f"server-{port}.log").read_text(errors="replace")
        raise AssertionError(f"server on {port} did not start:\n{log}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def rows(self, query: str) -> list[tuple[object, ...]]:
        """Query the database directly (what is really stored)."""
        url = self.db_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as conn:
            return list(conn.execute(query.encode()).fetchall())


def make_cluster(tmp_path: Path, db_url: str, redis_url: str) -> Cluster:
    home = tmp_path / "home"
    home.mkdir()
    return Cluster(write_catalog(tmp_path / "shop"), db_url, redis_url, home)
