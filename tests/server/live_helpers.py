"""Helpers for the live-server tests: test catalog, a running server handle, comment bodies."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from deadlines import SERVER_START_S

from server.serve import RunningServer
from studio.paths import sample_photos_dir

HOST_TOKEN = "host-test-token"
# Burst tests queue hundreds of requests in their client's own pool. Time spent waiting there is
# the test's queue, not the server's answer time, so the pool wait has no limit of its own (the
# pytest timeout bounds the test): a busy machine made it a PoolTimeout that blamed the server.
# Once on a connection, a request must be answered within 60 s, and a dropped connection is an
# error the tests report, never retry.
BURST_TIMEOUT = httpx.Timeout(60.0, pool=None)
INGEST_TOKEN = "ingest-test-token"

CATALOG_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê", price: 159000, sale_price: 129000, currency: VND,
     photos: [photo.jpg],
     variants: [{size: M, color: "trắng", stock: 4}, {size: L, color: "trắng", stock: 2}]}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 3}
  - {sku: SP01, name: "Áo thun cotton", price: 199000, currency: VND, stock: 50}
"""


@dataclass(frozen=True)
class LiveServer:
    """A running test server and where its database is."""

    running: RunningServer
    db_path: Path

    @property
    def url(self) -> str:
        return self.running.url

    @property
    def ws_url(self) -> str:
        return self.running.url.replace("http://", "ws://", 1)

    def rows(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        """Query the SQLite file directly (what is really on disk)."""
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, args).fetchall()


def write_catalog(folder: Path) -> Path:
    """Write the test catalog (and a copy of the sample photo) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photo.jpg").write_bytes((sample_photos_dir() / "coffee-cup.jpg").read_bytes())
    path = folder / "catalog.yaml"
    path.write_text(CATALOG_YAML, encoding="utf-8")
    return path


HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
INGEST = {"Authorization": f"Bearer {INGEST_TOKEN}"}


def comment(
    comment_id: str, text: str, *, user: str = "u1", name: str = "Lan"
) -> dict[str, object]:
    """A comment body as a platform bridge sends it."""
    return {
        "platform": "youtube",
        "comment_id": comment_id,
        "user_id": user,
        "user_name": name,
        "text": text,
    }


START = "import sys; from livestall.cli.app import main; sys.exit(main(sys.argv[1:]))"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    catalog: Path, db: Path, port: int, home: Path, log: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LIVESTALL_HOME": str(home),
        "LIVESTALL_HOST_TOKEN": HOST_TOKEN,
        "LIVESTALL_INGEST_TOKEN": INGEST_TOKEN,
    }
    command = [sys.executable, "-c", START, "live", "serve", "--catalog", str(catalog)]
    command += ["--db", f"sqlite:///{db}", "--port", str(port)]
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"server did not start: {log.read_text(errors='replace')}")
