"""`livestall studio`: the real command serves the studio on loopback and stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from deadlines import SERVER_START_S

from livestall.cli.studio import studio_catalog, studio_url
from studio.paths import sample_catalog_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_catalog_is_the_given_one_else_the_studios_else_the_sample(tmp_path: Path) -> None:
    given = tmp_path / "mine.yaml"
    assert studio_catalog(given, tmp_path) == given
    assert studio_catalog(None, tmp_path) == sample_catalog_path()
    (tmp_path / "studio").mkdir()
    (tmp_path / "studio" / "catalog.yaml").write_text("products: []\n", encoding="utf-8")
    assert studio_catalog(None, tmp_path) == tmp_path / "studio" / "catalog.yaml"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/studio?lang=ar"),
        ("0.0.0.0", "http://127.0.0.1:8000/studio?lang=ar"),
        ("localhost", "http://localhost:8000/studio?lang=ar"),
    ],
)
def test_url_shows_an_address_a_browser_can_open(host: str, expected: str) -> None:
    assert studio_url(host, 8000, "ar") == expected


@pytest.mark.slow
def test_studio_command_serves_the_page_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "LIVESTALL_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "livestall", "studio", "--no-browser", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--lang", "en"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/studio", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert page.status_code == 200 and 'id="panel-photos"' in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
        products = httpx.get(f"http://127.0.0.1:{port}/studio/api/products", timeout=5).json()
        assert [p["sku"] for p in products["products"]] == ["A12", "B3", "SP01"]
        assert (tmp_path / "home" / "studio" / "catalog.yaml").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=20)[0].decode("utf-8")
    assert f"http://127.0.0.1:{port}/studio?lang=en" in output
    assert process.returncode in (0, 130)
