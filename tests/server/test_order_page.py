"""The buyer's order page: their own order only, the same 404 for every other id, QR decodes."""

from __future__ import annotations

import io
import secrets

import httpx
import numpy as np
import pytest
from after_live_helpers import move, order_fields, place, set_payee
from live_helpers import LiveServer
from PIL import Image

from server.api.order_page import choose_locale
from server.payments.vietqr import parse_vietqr


def _neighbours(public_id: str) -> list[str]:
    flipped = [
        public_id[:i] + ("A" if public_id[i] != "A" else "B") + public_id[i + 1 :]
        for i in (0, len(public_id) // 2, len(public_id) - 1)
    ]
    return [
        *flipped,
        public_id[:-1],
        public_id + "x",
        public_id.upper(),
        secrets.token_urlsafe(16),
        "1",
        "2",
        "LS-0001",
        "LS-0002",
        "-" * 22,
        "0" * 40,
    ]


def test_page_shows_own_order_and_nothing_of_other_buyers(live_server: LiveServer) -> None:
    set_payee(live_server)
    mine = place(live_server, "c1", "chốt B3 0912345678", user="u1", name="Trần Thị Lan")
    other = place(live_server, "c2", "chốt SP01 0987654321", user="u2", name="Phạm Văn Minh")
    code, public_id, _ = order_fields(live_server, mine)
    other_code, other_public, _ = order_fields(live_server, other)

    page = httpx.get(f"{live_server.url}/o/{public_id}", params={"lang": "vi"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    for shown in (code, "Chả mực Hạ Long 500g", "250.000", "Chờ shop xác nhận", "0011001234567"):
        assert shown in page.text
    for hidden in (other_code, other_public, "Áo thun", "Minh", "0987654321", "0912345678"):
        assert hidden not in page.text

    missing = [httpx.get(f"{live_server.url}/o/{guess}") for guess in _neighbours(public_id)]
    assert {r.status_code for r in missing} == {404}
    assert len({r.text for r in missing}) == 1  # one answer for every wrong id
    assert all(code not in r.text and other_code not in r.text for r in missing)


def test_qr_decodes_to_the_order_payload_and_disappears_once_paid(
    live_server: LiveServer,
) -> None:
    cv2 = pytest.importorskip("cv2")
    set_payee(live_server)
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    code, public_id, _ = order_fields(live_server, order_id)

    image = httpx.get(f"{live_server.url}/o/{public_id}/qr.png")
    assert image.headers["content-type"] == "image/png"
    pixels = Image.open(io.BytesIO(image.content)).convert("L")
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(np.asarray(pixels))
    decoded = parse_vietqr(text)
    assert (decoded.bin, decoded.account, decoded.amount, decoded.purpose) == (
        "970436",
        "0011001234567",
        250000,
        code,
    )
    assert move(live_server, order_id, "paid").status_code == 200
    assert httpx.get(f"{live_server.url}/o/{public_id}/qr.png").status_code == 404
    assert "qr.png" not in httpx.get(f"{live_server.url}/o/{public_id}").text


@pytest.mark.parametrize(
    ("lang", "accept", "expected"),
    [
        ("en", "vi", "en"),
        (None, "ar-EG,ar;q=0.9", "ar"),
        (None, "fr-FR,en;q=0.8", "en"),
        (None, None, "vi"),
        ("xx", "de", "vi"),
    ],
)
def test_locale_comes_from_lang_then_accept_language(
    lang: str | None, accept: str | None, expected: str
) -> None:
    assert choose_locale(lang, accept) == expected


def test_arabic_page_is_right_to_left(live_server: LiveServer) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    public_id = order_fields(live_server, order_id)[1]
    page = httpx.get(f"{live_server.url}/o/{public_id}", headers={"Accept-Language": "ar"})
    assert "dir='rtl'" in page.text
    assert "الطلب" in page.text


def test_page_ids_never_reach_the_public_event_stream(live_server: LiveServer) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    for state in ("confirmed", "paid", "packed"):
        assert move(live_server, order_id, state).status_code == 200
    public_id = order_fields(live_server, order_id)[1]

    payloads = [str(row[0]) for row in live_server.rows("SELECT payload FROM events")]
    assert any('"packed"' in p for p in payloads)  # the moves were announced
    assert all(public_id not in p for p in payloads)
