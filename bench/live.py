"""Live server fan-out: our full path against a bare `websockets.broadcast` relay.

Both run in their own process on 127.0.0.1, with per-message compression off; N websocket
clients (one client process) and a producer sending R messages/s for D seconds.

- baseline: a `websockets` server that relays each message it gets from the producer to every
  client with `websockets.broadcast`.
- ours: `livestall live serve` (uvicorn + FastAPI); the producer POSTs comments to
  /api/comments (10% are orders), each going ingest -> parse -> order transaction -> event
  stored -> fan-out; clients read /ws/overlay?batch=1 as the overlay page does.

Latency is producer send -> client receive of the comment event (CLOCK_MONOTONIC, shared by the
processes); the first second of traffic warms both servers up and is not measured. Prints p50
and p99 of both, their ratio, and checks every client got every event in order.
Run: ``.venv/bin/python bench/live.py [--clients 500] [--rate 100] [--seconds 8] [--no-batch]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = """\
products:
  - {sku: SP01, name: "Áo thun cotton", price: 199000, currency: VND, stock: 1000000}
"""
TOKEN = "bench-ingest-token"
WARMUP_S = 1.0  # sent before the measured seconds, not measured: first-use costs on both sides


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- baseline relay (runs in its own process) --------------------------------------------------

BASELINE_SERVER = """
import asyncio, sys, websockets
from websockets.asyncio.server import broadcast, serve
clients = set()
async def handler(ws):
    if ws.request.path == "/producer":
        async for message in ws:
            broadcast(clients, message)
        return
    clients.add(ws)
    try:
        await ws.wait_closed()
    finally:
        clients.discard(ws)
async def main():
    async with serve(handler, "127.0.0.1", int(sys.argv[1]), compression=None, max_queue=None):
        await asyncio.Future()
asyncio.run(main())
"""

SERVER = """
import sys
from server.app import build_app
from server.serve import serve
app = build_app(sys.argv[1], sys.argv[2], data_dir=__import__("pathlib").Path(sys.argv[3]),
                host_token="bench-host", ingest_token=sys.argv[5])
serve(app, host="127.0.0.1", port=int(sys.argv[4]))
"""

# --- clients (run in their own process) --------------------------------------------------------

CLIENTS = r"""
# Light clients: a raw asyncio protocol per connection that parses server frames itself, so
# the client process (not the server under test) is never what limits the measurement. Its
# garbage collector is off: a collection pauses every client at once, for 10-30 ms, which was
# then measured as server latency on whichever side was running (bursts of late messages).
import asyncio, base64, gc, json, os, re, sys, time
gc.disable()
host, port, path, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
SEQ = re.compile(rb'"seq":(\d+)')
STAMP = re.compile(rb'(?:"type":"comment"[^{}]*?"user_name"|"stamp"):"t([0-9.]+)"')
STOP = b'"stop"'
class Client(asyncio.Protocol):
    def __init__(self, done):
        self.buffer, self.is_open, self.done = b"", False, done
        self.latencies, self.last_seq, self.in_order = [], -1, True
    def connection_made(self, transport):
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    def data_received(self, data):
        now = time.monotonic()
        self.buffer += data
        if not self.is_open:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            self.is_open, self.buffer = True, rest
            opened.append(self)
            if len(opened) == n:
                ready.set_result(None)
        while len(self.buffer) >= 2:
            length, offset = self.buffer[1] & 0x7F, 2
            if length == 126:
                if len(self.buffer) < 4: return
                length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
            elif length == 127:
                if len(self.buffer) < 10: return
                length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < offset + length:
                return
            payload, self.buffer = self.buffer[offset:offset + length], self.buffer[offset + length:]
            self.frame(payload, now)
    def frame(self, payload, now):
        if b'"snapshot"' in payload:
            return
        for seq in SEQ.finditer(payload):
            value = int(seq.group(1))
            self.in_order &= value > self.last_seq
            self.last_seq = value
        for stamp in STAMP.finditer(payload):
            self.latencies.append(now - float(stamp.group(1)))
        if STOP in payload and not self.done.done():
            self.done.set_result(None)
async def main():
    global ready, opened
    loop = asyncio.get_running_loop()
    ready, opened = loop.create_future(), []
    clients = []
    for _ in range(n):
        done = loop.create_future()
        await loop.create_connection(lambda: Client(done), host, port)
    await asyncio.wait_for(ready, 120)
    print("READY", flush=True)
    await asyncio.wait_for(asyncio.gather(*(c.done for c in opened)), 180)
    latencies = [x for c in opened for x in c.latencies]
    counts = sorted(len(c.latencies) for c in opened)
    print(json.dumps({"latencies": latencies, "in_order": sum(c.in_order for c in opened),
                      "clients": len(opened), "min_count": counts[0], "max_count": counts[-1]}), flush=True)
asyncio.run(main())
"""


def start_clients(port: int, path: str, clients: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", CLIENTS, "127.0.0.1", str(port), path, str(clients)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "READY":
        raise SystemExit(f"clients did not connect: {line!r}")
    return process


def finish_clients(process: subprocess.Popen[str]) -> dict[str, object]:
    out, _ = process.communicate(timeout=120)
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


async def produce_baseline(port: int, rate: float, seconds: float) -> int:
    import websockets

    sent = measured = 0
    async with websockets.connect(f"ws://127.0.0.1:{port}/producer", compression=None) as ws:
        start = time.monotonic()
        while time.monotonic() - start < WARMUP_S + seconds:
            # "w" stamps (warm-up) are not measured; "t" stamps are.
            prefix = "w" if time.monotonic() - start < WARMUP_S else "t"
            message = {"seq": sent, "stamp": f"{prefix}{time.monotonic()}", "text": "hello shop"}
            await ws.send(json.dumps(message, separators=(",", ":")))
            sent += 1
            measured += prefix == "t"
            await asyncio.sleep(max(0.0, sent / rate - (time.monotonic() - start)))
        await ws.send(json.dumps({"seq": sent, "stamp": "stop"}, separators=(",", ":")))
    return measured


class RawPoster:
    """A minimal keep-alive HTTP/1.1 client: httpx costs the producer more CPU per request than
    the server spends, which on a loaded machine slowed the producer below the asked rate."""

    def __init__(self, port: int, headers: dict[str, str], connections: int) -> None:
        self.port, self.headers = port, headers
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self.connections = connections

    async def open(self) -> None:
        for _ in range(self.connections):
            self.idle.put_nowait(await asyncio.open_connection("127.0.0.1", self.port))

    async def post(self, path: str, body: object) -> bytes:
        data = json.dumps(body, ensure_ascii=False).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"{head}Content-Length: {len(data)}\r\n\r\n"
        ).encode() + data
        reader, writer = await self.idle.get()
        try:
            writer.write(request)
            status_and_headers = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in status_and_headers.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            return await reader.readexactly(length)
        finally:
            self.idle.put_nowait((reader, writer))

    async def close(self) -> None:
        while not self.idle.empty():
            _, writer = self.idle.get_nowait()
            writer.close()


async def produce_ours(port: int, rate: float, seconds: float) -> int:
    poster = RawPoster(port, {"Authorization": f"Bearer {TOKEN}"}, connections=16)
    await poster.open()
    sent = measured = 0
    pending = set()
    start = time.monotonic()
    while time.monotonic() - start < WARMUP_S + seconds:
        text = "SOLD SP01" if sent % 10 == 0 else "hello shop, đẹp quá"
        prefix = "w" if time.monotonic() - start < WARMUP_S else "t"
        body = {
            "platform": "bench",
            "comment_id": f"b{sent}",
            "user_id": f"viewer{sent % 400}",
            "user_name": f"{prefix}{time.monotonic()}",
            "text": text,
        }
        pending.add(asyncio.create_task(poster.post("/api/comments", body)))
        sent += 1
        measured += prefix == "t"
        await asyncio.sleep(max(0.0, sent / rate - (time.monotonic() - start)))
    await asyncio.gather(*pending)
    stop = {
        "platform": "bench",
        "comment_id": "stop",
        "user_id": "stop",
        "user_name": "stop",
        "text": "bye",
    }
    await poster.post("/api/comments", stop)
    await poster.close()
    return measured


def wait_port(port: int, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(
    name: str, server_cmd: list[str], ws_path: str, produce, args: argparse.Namespace, port: int
) -> dict[str, float]:
    # Every client connects from 127.0.0.1: lift the per-address connection limit.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LIVESTALL_IP_RATE_PER_S": "100000",
        "LIVESTALL_IP_BURST": "100000",
    }
    server = subprocess.Popen(
        server_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_port(port)
        clients = start_clients(port, ws_path, args.clients)
        cpu_before = cpu_seconds(server.pid)
        sent = asyncio.run(produce(port, args.rate, args.seconds))
        result = finish_clients(clients)
        cpu_s = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(10)
    latencies = [float(x) for x in result["latencies"]]  # type: ignore[union-attr]
    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
    print(
        f"{name:9s} sent {sent} msgs, received {result['min_count']}-{result['max_count']} per client, "
        f"in order on {result['in_order']}/{result['clients']} clients, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, mean {statistics.fmean(latencies) * 1000:.1f} ms, "
        f"server CPU {cpu_s:.1f} s"
    )
    return {"p50": p50, "p99": p99}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument(
        "--batch",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="clients ask for ?batch=1 as the overlay and viewer pages do",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="livestall-bench-"))
    try:
        (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
        port = free_port()
        base = run(
            "baseline",
            [sys.executable, "-c", BASELINE_SERVER, str(port)],
            "/",
            produce_baseline,
            args,
            port,
        )
        port = free_port()
        ours_cmd = [
            sys.executable,
            "-c",
            SERVER,
            str(folder / "catalog.yaml"),
            f"sqlite:///{folder / 'bench.sqlite'}",
            str(folder),
            str(port),
            TOKEN,
        ]
        path = "/ws/overlay?batch=1" if args.batch else "/ws/overlay"
        ours = run("ours", ours_cmd, path, produce_ours, args, port)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"ratio ours/baseline: p50 {ours['p50'] / base['p50']:.2f}x, p99 {ours['p99'] / base['p99']:.2f}x "
        f"({args.clients} clients, {args.rate:g} msg/s, {args.seconds:g} s, compression off, "
        f"batch {'on' if args.batch else 'off'})"
    )


if __name__ == "__main__":
    main()
