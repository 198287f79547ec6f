"""Pairing a phone with the studio (`livestall studio --lan`, issue 18): the app driven in-process
as a peer at a LAN address (the ASGI transport sets the client address), the way a phone on the
shop's Wi-Fi reaches it. The peer address decides, never a header."""

from __future__ import annotations

import asyncio
import base64
import shutil
import stat
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from fastapi import FastAPI

from server.app import build_studio_app
from server.studio import devices
from server.studio.pairing import ATTEMPTS_PER_MINUTE, CODE_TTL_S, PairingBook
from studio.errors import PairingRefused, PairingTooFast
from studio.paths import sample_catalog_path

PHONE = ("192.168.1.50", 50123)
OTHER_PHONE = ("192.168.1.77", 50200)
COMPUTER = ("127.0.0.1", 40000)
LAN_ADDRESS = "192.168.1.10"  # this sandbox has no LAN: the address the QR would carry
WRITE = {"X-Livestall": "studio"}


def make_app(tmp_path: Path, *, lan: bool) -> FastAPI:
    folder = tmp_path / "shop"
    folder.mkdir()
    shutil.copy(sample_catalog_path(), folder / "catalog.yaml")
    return build_studio_app(
        folder / "catalog.yaml", data_dir=tmp_path / "data", host_token="h" * 24, lan=lan
    )


def decode_qr(data_uri: str) -> str:
    """Read a QR code image the way a phone's camera app does (OpenCV's detector)."""
    raw = base64.b64decode(data_uri.split(",", 1)[1])
    image = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return str(text)


class Peer:
    """A browser at one address (its own cookie jar) talking to the app in-process."""

    def __init__(self, app: FastAPI, address: tuple[str, int], **cookies: str) -> None:
        self.transport = httpx.ASGITransport(app=app, client=address)
        self.cookies = httpx.Cookies(cookies)
        # the address the browser typed: the computer's own, or the LAN one from the QR
        self.base_url = f"http://{'127.0.0.1' if address[0] == '127.0.0.1' else LAN_ADDRESS}:8000"

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient(
                transport=self.transport, base_url=self.base_url, cookies=self.cookies
            ) as client:
                response = await client.request(method, url, **kwargs)
                self.cookies = httpx.Cookies(client.cookies)
                return response

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


@pytest.fixture
def lan_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setattr(devices, "lan_address", lambda: LAN_ADDRESS)
    return make_app(tmp_path, lan=True)


def test_an_unpaired_phone_is_refused_whatever_its_headers_say(lan_app: FastAPI) -> None:
    phone = Peer(lan_app, PHONE)
    for headers in ({}, {"Host": "127.0.0.1:8000"}, {"X-Forwarded-For": "127.0.0.1", **WRITE}):
        answer = phone.get("/studio/api/products", headers=headers)
        assert answer.status_code == 403, headers
        assert answer.json()["code"] == "studio.local_only"
    assert phone.get("/studio/api/live").status_code == 403  # the host token stays home
    assert phone.get("/studio").status_code == 403


def test_a_phone_pairs_once_with_the_code_then_works_until_revoked(lan_app: FastAPI) -> None:
    computer = Peer(lan_app, COMPUTER)
    pairing = computer.post("/studio/api/pairing", headers={**WRITE, "X-Livestall-Lang": "vi"})
    assert pairing.status_code == 200, pairing.text
    body = pairing.json()
    assert body["url"].startswith(f"http://{LAN_ADDRESS}:8000/studio/pair?code={body['code']}")
    assert body["qr"].startswith("data:image/png;base64,")
    assert decode_qr(body["qr"]) == body["url"]  # what the phone's camera reads

    phone = Peer(lan_app, PHONE)
    paired = phone.get(f"/studio/pair?code={body['code']}&lang=vi", follow_redirects=False)
    assert paired.status_code == 303 and paired.headers["location"] == "/studio?lang=vi"
    cookie = paired.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert phone.get("/studio/api/products").status_code == 200
    assert phone.get("/studio").status_code == 200
    refused_write = phone.post(
        "/studio/api/products", json={"sku": "X1", "name": "a", "price": "1"}
    )
    assert refused_write.status_code == 401  # a cross-site form cannot send the header
    written = phone.post(
        "/studio/api/products", json={"sku": "X1", "name": "Trà", "price": "1"}, headers=WRITE
    )
    assert written.status_code == 200, written.text

    # the code worked once: another phone with it gets a page saying what to do, in Vietnamese
    again = Peer(lan_app, OTHER_PHONE).get(f"/studio/pair?code={body['code']}&lang=vi")
    assert again.status_code == 401
    assert "Mã ghép nối không đúng, đã dùng hoặc đã hết hạn." in again.text
    assert '<html lang="vi"' in again.text

    # only the computer manages devices; revoking one stops it at once
    assert phone.get("/studio/api/devices").status_code == 403
    assert phone.post("/studio/api/pairing", headers=WRITE).status_code == 403
    (device,) = computer.get("/studio/api/devices").json()
    assert device["address"] == PHONE[0]
    assert computer.delete(f"/studio/api/devices/{device['id']}", headers=WRITE).status_code == 204
    assert phone.get("/studio/api/products").status_code == 403


def test_devices_file_keeps_only_hashes_and_is_private(lan_app: FastAPI, tmp_path: Path) -> None:
    code = Peer(lan_app, COMPUTER).post("/studio/api/pairing", headers=WRITE).json()
    phone = Peer(lan_app, PHONE)
    phone.get(f"/studio/pair?code={code['code']}", follow_redirects=False)
    token = phone.cookies.get("livestall_device")
    assert token
    stored = tmp_path / "data" / "studio" / "devices.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert token not in stored.read_text(encoding="utf-8")


def test_without_lan_no_phone_pairs_and_no_cookie_helps(tmp_path: Path) -> None:
    app = make_app(tmp_path, lan=False)
    computer = Peer(app, COMPUTER)
    refused = computer.post("/studio/api/pairing", headers={**WRITE, "X-Livestall-Lang": "ar"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "studio.lan_off"
    assert "--lan" in refused.json()["hint"]
    phone = Peer(app, PHONE, livestall_device="x" * 43)
    assert phone.get("/studio/api/products").status_code == 403
    assert phone.get("/studio/pair?code=ABCDEFGH").status_code == 409


def test_codes_expire_and_a_peer_gets_a_few_tries(tmp_path: Path) -> None:
    now = [1000.0]
    book = PairingBook(tmp_path / "devices.json", clock=lambda: now[0])
    late = book.new_code()
    now[0] += CODE_TTL_S + 1
    with pytest.raises(PairingRefused):
        book.redeem(late.code, name="phone", address=PHONE[0])
    fresh = book.new_code()
    for _ in range(ATTEMPTS_PER_MINUTE - 2):
        with pytest.raises(PairingRefused):
            book.redeem("WRONGONE", name="phone", address=PHONE[0])
    device, token = book.redeem(fresh.code.lower(), name="phone", address=PHONE[0])
    assert book.device_for(token) == device
    with pytest.raises(PairingTooFast):  # the eleventh try within a minute, even a right one
        book.redeem(book.new_code().code, name="phone", address=PHONE[0])
    now[0] += 61
    assert book.redeem(book.new_code().code, name="phone", address=PHONE[0])
    assert book.device_for("not-a-token") is None
