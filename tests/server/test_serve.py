"""How a server process runs: garbage collection tuned, websockets without compression."""

from __future__ import annotations

import json
import subprocess
import sys

from fastapi import FastAPI

from server.serve import GC_THRESHOLDS, uvicorn_config
from server.ws_protocol import FanoutProtocol

PROBE = """
import gc, json
from server.serve import tune_gc_for_server
tune_gc_for_server()
print(json.dumps({"thresholds": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
"""


def test_server_process_collects_rarely_and_freezes_start_up_objects() -> None:
    # In a child process: the collector's settings are global to the interpreter.
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    ).stdout

    probe = json.loads(out)
    assert tuple(probe["thresholds"]) == GC_THRESHOLDS
    assert probe["frozen"] > 10_000  # the imported server modules, out of every collection


def test_websockets_run_uncompressed_with_the_direct_writer() -> None:
    config = uvicorn_config(FastAPI(), host="127.0.0.1", port=0)
    config.load()

    assert config.ws_protocol_class is FanoutProtocol
    assert config.ws_per_message_deflate is False
