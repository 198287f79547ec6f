"""The studio answers only its own computer: decided by the connection's address, not by headers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from studio_web_helpers import STUDIO_HEADERS

from server.app import build_studio_app
from server.studio.app import is_loopback, require_loopback_host
from studio.errors import StudioHostRefused
from studio.paths import sample_catalog_path

LAN_PHONE = ("192.168.1.20", 5000)
# Headers a page on another machine could send to look local.
FORGED = {**STUDIO_HEADERS, "Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return build_studio_app(sample_catalog_path(), data_dir=tmp_path_factory.mktemp("local"))


def ask(app: FastAPI, client: tuple[str, int], method: str, path: str) -> httpx.Response:
    """One request through the ASGI app as if it came from `client` (address, port)."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            return await http.request(method, path, headers=FORGED)

    return asyncio.run(send())


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/studio"),
        ("GET", "/studio/api/products"),
        ("GET", "/studio/api/products/export"),
        ("GET", "/studio/files/catalog.yaml"),
        ("POST", "/studio/api/live/start"),
    ],
)
def test_another_machine_is_refused_whatever_its_headers_say(
    app: FastAPI, method: str, path: str
) -> None:
    response = ask(app, LAN_PHONE, method, path)
    assert response.status_code == 403
    assert response.json()["code"] == "studio.local_only"


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_this_computer_is_answered_over_any_loopback_address(app: FastAPI, address: str) -> None:
    response = ask(app, (address, 5000), "GET", "/studio/api/products")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("address", "is_local"),
    [
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:192.168.1.20", False),
        ("192.168.1.20", False),
        ("0.0.0.0", False),
        ("::", False),
        ("localhost", False),  # a name, as a header would carry it, is never trusted
        ("", False),
    ],
)
def test_loopback_addresses(address: str, is_local: bool) -> None:
    assert is_loopback(address) is is_local


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "shop.local"])
def test_a_host_other_machines_reach_is_refused_at_start(host: str, tmp_path: Path) -> None:
    with pytest.raises(StudioHostRefused) as caught:
        build_studio_app(sample_catalog_path(), data_dir=tmp_path, host=host)
    assert "127.0.0.1" in caught.value.hint and "--lan" in caught.value.hint
    assert not any(tmp_path.iterdir())  # refused before anything was written


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_loopback_hosts_may_serve_the_studio(host: str) -> None:
    require_loopback_host(host)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", "chỉ chạy trên chính máy tính này"),
        ("en", "only runs on this computer"),
        ("ar", "فقط"),
    ],
)
def test_cli_refuses_host_0000_in_the_sellers_language(
    tmp_path: Path, lang: str, words: str
) -> None:
    env = {**os.environ, "LIVESTALL_HOME": str(tmp_path / "home"), "COLUMNS": "300"}
    command = [sys.executable, "-m", "livestall", "studio", "--no-browser", "--host", "0.0.0.0"]
    done = subprocess.run(
        [*command, "--port", "1", "--lang", lang], env=env, capture_output=True, timeout=120
    )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "studio.host" in err and words in err and "127.0.0.1" in err and "--lan" in err
