"""`livestall live serve` refuses a bad catalog or database with one line and an exit code,
and never shows a whole token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from deadlines import SERVER_START_S
from live_helpers import HOST_TOKEN, INGEST_TOKEN, START, free_port

from livestall.cli.app import main


def test_missing_catalog_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["live", "serve", "--catalog", str(tmp_path / "nope.yaml")])

    assert code == 2
    assert "catalog.invalid" in capsys.readouterr().err


def test_unknown_database_url_exits_2(
    tmp_path: Path, live_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVESTALL_HOME", str(tmp_path))
    code = main(["live", "serve", "--catalog", str(live_catalog), "--db", "nosuchdb://x"])

    assert code == 2


@pytest.mark.slow
@pytest.mark.parametrize("is_from_env", [True, False])
def test_banner_masks_the_tokens_and_says_where_they_are(
    tmp_path: Path, live_catalog: Path, is_from_env: bool
) -> None:
    home, port, log = tmp_path / "home", free_port(), tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env["LIVESTALL_HOME"] = str(home)
    if is_from_env:
        env["LIVESTALL_HOST_TOKEN"], env["LIVESTALL_INGEST_TOKEN"] = HOST_TOKEN, INGEST_TOKEN
    command = [sys.executable, "-c", START, "live", "serve", "--catalog", str(live_catalog)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + SERVER_START_S
        while not _is_healthy(port):  # the banner is printed before the server listens
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(30)

    shown = log.read_text(encoding="utf-8", errors="replace")
    if is_from_env:
        host, ingest = HOST_TOKEN, INGEST_TOKEN
        places = ["LIVESTALL_HOST_TOKEN", "LIVESTALL_INGEST_TOKEN"]
    else:
        stored = json.loads((home / "tokens.json").read_text(encoding="utf-8"))
        host, ingest = stored["host"], stored["ingest"]
        places = [str(home / "tokens.json")]
    for token in (host, ingest):
        assert token not in shown
        assert token[:8] not in shown  # not even half of it
        assert f"{token[:4]}…" in shown
    for place in places:
        assert place in shown


def _is_healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False
