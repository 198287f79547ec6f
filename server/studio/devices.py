"""Phones paired with the studio: the pairing code and QR (on the computer), the pairing link
(opened on the phone), the list of devices and revoking one (`server.studio.pairing`)."""

from __future__ import annotations

import html
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from server.problems import request_lang
from server.studio.pairing import DEVICE_COOKIE, DEVICE_MAX_AGE_S, is_loopback, lan_address
from server.studio.state import StudioDep
from studio.error_texts import error_text
from studio.errors import LanOff, NotThisComputer, PairingRefused

router = APIRouter(prefix="/studio/api", tags=["studio"])  # mounted local-only
pair_router = APIRouter(include_in_schema=False)  # the phone's link: open to the LAN

_LOOPBACK_ONLY = "pairing and devices are managed on the computer itself"


def _on_this_computer(request: Request) -> None:
    if not is_loopback(request.client.host if request.client is not None else ""):
        raise NotThisComputer(_LOOPBACK_ONLY, hint="use the studio on the computer")


@router.post("/pairing")
async def new_pairing(request: Request, studio: StudioDep) -> dict[str, Any]:
    """A one-time code and the QR a phone scans to open the studio (``--lan`` only).

    Raises:
        LanOff: the studio listens on this computer only.
        NotThisComputer: asked from a paired phone, not the computer.
    """
    _on_this_computer(request)
    address = lan_address() if studio.settings.studio_lan else None
    if address is None:
        raise LanOff(
            "the studio listens on this computer only",
            hint="start it with: livestall studio --lan",
        )
    code = studio.pairing.new_code()
    lang = request_lang(request)
    url = f"http://{address}:{studio.settings.port}/studio/pair?code={code.code}&lang={lang}"
    qr = segno.make(url, error="m").png_data_uri(scale=8, border=3)
    return {"code": code.code, "url": url, "expires_at": code.expires_at, "qr": qr}


@router.get("/devices")
async def list_devices(request: Request, studio: StudioDep) -> list[dict[str, Any]]:
    """The paired phones and tablets, oldest first."""
    _on_this_computer(request)
    return [
        {"id": d.id, "name": d.name, "address": d.address, "paired_at": d.paired_at}
        for d in studio.pairing.devices()
    ]


@router.delete("/devices/{device_id}", status_code=204)
async def revoke_device(device_id: str, request: Request, studio: StudioDep) -> Response:
    """Unpair a device: its next request is refused."""
    _on_this_computer(request)
    if not studio.pairing.revoke(device_id):
        raise NotThisComputer(f"no paired device {device_id}", hint="refresh the list")
    return Response(status_code=204)


@pair_router.get("/studio/pair", response_model=None)
async def pair(request: Request, studio: StudioDep, code: str = "") -> Response:
    """The link in the QR: pair this device, then open the studio (or say why not)."""
    lang = request_lang(request)
    peer = request.client.host if request.client is not None else ""
    if not studio.settings.studio_lan:
        return _refusal(LanOff("the studio listens on this computer only"), lang, 409)
    try:
        _device, token = studio.pairing.redeem(
            code[:64], name=request.headers.get("user-agent", "")[:300], address=peer
        )
    except PairingRefused as exc:
        return _refusal(exc, lang, exc.http_status)
    answer = RedirectResponse(f"/studio?lang={lang}", status_code=303)
    answer.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_MAX_AGE_S,
        httponly=True,
        samesite="strict",
        path="/",
    )
    return answer


def _refusal(error: Exception, lang: str, status: int) -> HTMLResponse:
    code = getattr(error, "code", "error")
    text = error_text(code, lang)
    direction = "rtl" if lang == "ar" else "ltr"
    page = (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Livestall</title><body style="font: 18px sans-serif; padding: 24px">'
        f'<h1 style="font-size: 22px">{html.escape(text["message"])}</h1>'
        f"<p>{html.escape(text['hint'])}</p></body></html>"
    )
    return HTMLResponse(page, status_code=status)
