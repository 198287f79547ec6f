"""Running the live server with uvicorn: in the foreground (CLI) or in a thread (demo, tests).

Per-message compression is off on purpose. Compressing means one deflate stream per connection,
so every event is compressed once per client: with 500 clients at 100 messages/s a plain relay's
p99 went from 27 ms to 334 ms with it on (issue #7). Events are small JSON objects; sending them
as they are lets the text serialised once be the bytes every client gets.

`serve_workers` runs several processes on one listening socket (``livestall live serve
--workers N``): the kernel spreads connections over them, each process has its own app, and
PostgreSQL plus Redis make them one server (docs/deploy.md). A worker that dies is started again.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

import uvicorn
from fastapi import FastAPI

from server.app import build_studio_app, create_app
from server.settings import Settings
from server.ws_protocol import FanoutProtocol
from studio.errors import InputError, LiveError

logger = logging.getLogger(__name__)
RESTART_DELAY_S = 1.0

# Python's default collector runs a young-generation pass every 700 allocations and, every so
# often, a full pass over every live object; with 500 websocket clients a full pass stalls the
# event loop for 100-300 ms, which was the whole p99 tail of bench/live.py (p99 12x the bare relay's
# on an idle machine). A server process freezes what start-up built and rarely goes past the
# young generation. That one stays small: at 100,000 allocations, the first young pass after 500
# clients connected walked all their objects at once (15 ms, mid-stream); at 10,000 they are
# promoted as they connect and a pass takes 1-2 ms.
GC_THRESHOLDS = (10_000, 50, 1000)

WS_MAX_MESSAGE_BYTES = 64 * 1024

# How long an idle keep-alive connection stays open. uvicorn's default (5 s) equals httpx's and
# many bridges' idle expiry, so the server closed connections at the moment clients reused them:
# a comment or order posted on a connection the server had just closed fails with a ReadError or
# "server disconnected", and a POST is not retried. The client must be the side that closes an
# idle connection, so the server waits longer than clients keep them (nginx's default is 75 s).
KEEP_ALIVE_S = 75
# Connections the kernel queues for accept(); a flash sale arrives as a burst of new connections.
LISTEN_BACKLOG = 2048


def uvicorn_config(
    app: FastAPI, *, host: str, port: int, log_level: str = "warning"
) -> uvicorn.Config:
    """Return the uvicorn configuration we run with (compression off, small frames)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ws=FanoutProtocol,  # uvicorn's "websockets-sansio", plus direct frame writes
        ws_per_message_deflate=False,
        ws_max_size=WS_MAX_MESSAGE_BYTES,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        timeout_keep_alive=KEEP_ALIVE_S,
        backlog=LISTEN_BACKLOG,
        log_level=log_level,
        lifespan="on",
        access_log=False,
        server_header=False,
    )


def tune_gc_for_server() -> None:
    """Make garbage collection rare in a server process (see `GC_THRESHOLDS`).

    Only for processes that are the server (the CLI's foreground run and its workers), never
    for a server started in a thread of another program.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serve(app: FastAPI, *, host: str, port: int) -> None:
    """Run the server in the foreground until Ctrl-C."""
    tune_gc_for_server()
    uvicorn.Server(uvicorn_config(app, host=host, port=port, log_level="info")).run()


@dataclass
class RunningServer:
    """A server running in a background thread; `stop` shuts it down cleanly."""

    url: str
    port: int
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the server to finish and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout_s)


def start_in_thread(
    app: FastAPI, *, host: str = "127.0.0.1", port: int = 0, timeout_s: float = 15.0
) -> RunningServer:
    """Start the app in a daemon thread and return once it accepts connections.

    Args:
        app: from `server.app.create_app` or `server.app.build_app`.
        host: interface to bind (loopback by default).
        port: 0 picks a free port.
        timeout_s: how long to wait for start-up.

    Raises:
        LiveError: the server did not start in time.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn_config(app, host=host, port=bound_port))

    def run() -> None:
        asyncio.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=run, name="livestall-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise LiveError(
                f"the live server did not start on {host}:{bound_port}",
                hint="run with --verbose to see why",
            )
        time.sleep(0.02)
    return RunningServer(f"http://{host}:{bound_port}", bound_port, server, thread)


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse several workers without a shared database and bus.

    Raises:
        InputError: ``workers > 1`` with SQLite or without a Redis URL.
    """
    if workers <= 1:
        return
    if not settings.db_url.startswith("postgresql"):
        raise InputError(
            f"--workers {workers} needs PostgreSQL as the database",
            hint="pass --db postgresql+psycopg://... (or run `make services`)",
        )
    if not settings.redis_url:
        raise InputError(
            f"--workers {workers} needs Redis to share live events",
            hint="pass --redis redis://127.0.0.1:6379/0 (or run `make services`)",
        )


def serve_workers(settings: Settings, *, workers: int) -> None:
    """Run `workers` server processes on one socket until Ctrl-C or SIGTERM.

    Raises:
        InputError: see `check_workers`.
    """
    check_workers(settings, workers)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host, settings.port))
    sock.listen(LISTEN_BACKLOG)
    context = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def start_one() -> BaseProcess:
        process = context.Process(target=_run_worker, args=(settings, sock), daemon=False)
        process.start()
        return process

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    processes = [start_one() for _ in range(workers)]
    try:
        while not stopping.wait(0.5):
            for index, process in enumerate(processes):
                if not process.is_alive():
                    logger.warning(
                        "worker %d exited (%s); starting it again", index, process.exitcode
                    )
                    time.sleep(RESTART_DELAY_S)
                    processes[index] = start_one()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(10)
        sock.close()


def _run_worker(settings: Settings, sock: socket.socket) -> None:
    app = create_app(settings)
    tune_gc_for_server()
    config = uvicorn_config(app, host=settings.host, port=settings.port, log_level="info")
    uvicorn.Server(config).run(sockets=[sock])


def start_studio(
    catalog_path: Path | str,
    *,
    data_dir: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> RunningServer:
    """Start the studio in a background thread (for ``make demo`` and tests); return it.

    Open ``<url>/studio`` in a browser; call ``.stop()`` to end it.

    Raises:
        LiveError: the server did not start.
    """
    app = build_studio_app(catalog_path, data_dir=data_dir, host=host, port=port)
    return start_in_thread(app, host=host, port=port)
