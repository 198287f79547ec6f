"""Live server on several processes (PostgreSQL + Redis) against one process (SQLite, in-process bus).

For each process count: start `livestall live serve` processes on 127.0.0.1 (each its own port,
as behind a load balancer), spread C overlay websocket clients over them, POST comments at R/s
round-robin for D seconds (10 % orders), and measure send -> receipt of the ``comment`` event on
every client (p50, p99), the POST answer time (p99), and the comments/s the servers acknowledged
(30 warm-up comments first, not measured).
Every client must receive every event in seq order. The baseline is one process in the
single-server mode (SQLite file, in-process bus). Needs `make services` (PostgreSQL and Redis).

Run: ``.venv/bin/python bench/live_scale.py [--clients 300] [--rate 100] [--seconds 6]
[--processes 1 2 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import websockets
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
CATALOG = """\
products:
  - {sku: SP01, name: "Áo thun cotton", price: 199000, currency: VND, stock: 1000000}
"""
TOKEN = "bench-ingest-token"
WARMUP_COMMENTS = 30
START = "import sys; from livestall.cli.app import main; sys.exit(main(sys.argv[1:]))"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def services() -> dict[str, str]:
    done = subprocess.run(
        [str(ROOT / "scripts" / "services.sh")], capture_output=True, text=True, check=True
    )
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def start_servers(
    count: int, db: str, redis: str, folder: Path
) -> list[tuple[int, subprocess.Popen[bytes]]]:
    catalog = folder / "catalog.yaml"
    catalog.write_text(CATALOG, encoding="utf-8")
    env = {
        **os.environ,
        "LIVESTALL_HOME": str(folder),
        "LIVESTALL_INGEST_TOKEN": TOKEN,
        "LIVESTALL_INGEST_RATE_PER_S": "1000",
        "LIVESTALL_IP_RATE_PER_S": "100000",
        "LIVESTALL_IP_BURST": "100000",
    }
    servers = []
    for _ in range(count):
        port = free_port()
        command = [sys.executable, "-c", START, "live", "serve", "--catalog", str(catalog)]
        command += ["--db", db, "--redis", redis, "--port", str(port)]
        log = (folder / f"server-{port}.log").open("ab")
        servers.append((port, subprocess.Popen(command, env=env, stdout=log, stderr=log)))
    for port, _ in servers:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
    return servers


async def client(port: int, latencies: list[float], seqs: list[int], stop: Any) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/overlay?since=0&batch=1") as ws:
        while not stop.is_set():
            try:
                text = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                continue
            now = time.monotonic()
            parsed = json.loads(text)
            for event in parsed if isinstance(parsed, list) else [parsed]:
                seqs.append(event["seq"])
                if event["type"] == "comment" and event["user_name"].startswith("t"):
                    latencies.append(now - float(event["user_name"][1:]))


def read_events(ports: list[int], clients: int, stop: Any, results: Any) -> None:
    """Child process: `clients` overlay sockets; report latencies and complete streams."""

    async def run() -> None:
        latencies: list[float] = []
        per_client: list[list[int]] = [[] for _ in range(clients)]
        await asyncio.gather(
            *(client(ports[i % len(ports)], latencies, per_client[i], stop) for i in range(clients))
        )
        complete = sum(1 for seqs in per_client if seqs and seqs == list(range(1, seqs[-1] + 1)))
        results.put((latencies, complete))

    asyncio.run(run())


async def load(ports: list[int], clients: int, rate: float, seconds: float) -> dict[str, float]:
    # Readers in processes of their own (CLOCK_MONOTONIC is shared), as viewers are elsewhere.
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    readers = [
        context.Process(
            target=read_events, args=(ports[i:] + ports[:i], clients // 2, stop, results)
        )
        for i in range(2)
    ]
    for reader in readers:
        reader.start()
    await asyncio.sleep(3.0)
    answer_times: list[float] = []
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(limits=limits, timeout=30, headers=headers) as http:

        async def post(n: int) -> bool:
            body = {
                "platform": "bench",
                "comment_id": f"b{n}",
                "user_id": f"viewer{n % 400}",
                "user_name": f"t{time.monotonic()}",
                "text": "SOLD SP01" if n % 10 == 0 else "hello shop, đẹp quá",
            }
            began = time.monotonic()
            response = await http.post(
                f"http://127.0.0.1:{ports[n % len(ports)]}/api/comments", json=body
            )
            answer_times.append(time.monotonic() - began)
            return response.status_code == 200

        # Warm-up, not measured: first-use costs of every process (parser, pools, sockets).
        for n in range(WARMUP_COMMENTS):
            await http.post(
                f"http://127.0.0.1:{ports[n % len(ports)]}/api/comments",
                json={"platform": "warm", "comment_id": f"w{n}", "user_id": "w", "text": "hi"},
            )
        answer_times.clear()
        pending = []
        start = time.monotonic()
        sent = 0
        while time.monotonic() - start < seconds:
            pending.append(asyncio.create_task(post(sent)))
            sent += 1
            await asyncio.sleep(max(0.0, sent / rate - (time.monotonic() - start)))
        acked = sum(await asyncio.gather(*pending))
        elapsed = time.monotonic() - start
    await asyncio.sleep(2.0)
    stop.set()
    latencies: list[float] = []
    complete = 0
    for _ in readers:
        part, done = await asyncio.to_thread(results.get, True, 60)
        latencies += part
        complete += done
    for reader in readers:
        reader.join(10)
    clients = clients // 2 * 2
    latencies.sort()
    answer_times.sort()
    return {
        "comments_per_s": acked / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)],
        "post_p99_ms": 1000 * answer_times[int(len(answer_times) * 0.99)],
        "complete_clients": complete,
        "expected": sent * clients,
        "received": len(latencies),
    }


def run_one(count: int, args: argparse.Namespace, urls: dict[str, str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        name = f"livestall_bench_{uuid.uuid4().hex[:8]}"
        admin = urls["LIVESTALL_DB_URL"].replace("postgresql+psycopg://", "postgresql://")
        if count == 0:  # baseline: one process, single-server mode
            db, redis, processes = f"sqlite:///{folder / 'live.sqlite'}", "", 1
        else:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            db = urls["LIVESTALL_DB_URL"].rsplit("/", 1)[0] + "/" + name
            redis, processes = urls["LIVESTALL_REDIS_URL"], count
        servers = start_servers(processes, db, redis, folder)
        try:
            return asyncio.run(load([p for p, _ in servers], args.clients, args.rate, args.seconds))
        finally:
            for _, process in servers:
                process.terminate()
                process.wait(10)
            if count:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    urls = services()
    load_avg = os.getloadavg()[0]
    print(
        f"{args.clients} clients, {args.rate:g} comments/s for {args.seconds:g} s, load {load_avg:.1f}"
    )
    baseline = run_one(0, args, urls)
    rows = [("1 (SQLite, in-process bus) baseline", baseline)]
    rows += [(f"{n} (PostgreSQL + Redis)", run_one(n, args, urls)) for n in args.processes]
    print(
        "| processes | comments/s acked | event p50 / p99 | POST p99 | clients complete | p99 vs baseline |"
    )
    print("|---|---|---|---|---|---|")
    for label, r in rows:
        print(
            f"| {label} | {r['comments_per_s']:.0f} | {r['p50_ms']:.0f} / {r['p99_ms']:.0f} ms "
            f"| {r['post_p99_ms']:.0f} ms | {r['complete_clients']}/{args.clients} "
            f"| {r['p99_ms'] / baseline['p99_ms']:.2f}x |"
        )


if __name__ == "__main__":
    main()
