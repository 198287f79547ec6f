"""Errors are answered in the language of the page that asked (server/problems.py, docs/errors.md):
a real server on 127.0.0.1, real HTTP, each way of asking."""

from __future__ import annotations

import httpx
import pytest
from after_live_helpers import place
from live_helpers import HOST, LiveServer

BAD_COUNTDOWN = {"seconds": "250k", "label": "x" * 201}


VI = "Số giây: phải là số nguyên; Nhãn: dài quá, tối đa 200 ký tự"
AR = "الثواني: يجب أن يكون عددًا صحيحًا; العنوان: طويل جدًا، 200 حرفًا على الأكثر"
EN = "Seconds: must be a whole number; Label: is too long, at most 200 characters"


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        ({"headers": {"X-Livestall-Lang": "vi"}}, VI),
        ({"params": {"lang": "ar"}}, AR),
        ({"headers": {"Accept-Language": "vi-VN,vi;q=0.9"}}, VI),
        ({"headers": {"X-Livestall-Lang": "ar", "Accept-Language": "vi"}}, AR),
        ({}, EN),
    ],
    ids=["header", "query", "accept-language", "header-first", "none"],
)
def test_an_invalid_body_is_answered_in_the_language_asked(
    live_server: LiveServer, ask: dict[str, dict[str, str]], message: str
) -> None:
    answer = httpx.post(
        f"{live_server.url}/api/countdown",
        json=BAD_COUNTDOWN,
        headers={**HOST, **ask.get("headers", {})},
        params=ask.get("params"),
        timeout=10,
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "input.invalid"
    assert set(answer.json()["fields"]) == {"seconds", "label"}
    assert answer.json()["message"] == message  # never pydantic's "Input should be ..."


def test_a_livestall_error_is_answered_in_the_language_asked(live_server: LiveServer) -> None:
    url = f"{live_server.url}/api/orders/99999/confirm"
    vi = httpx.post(url, headers={**HOST, "X-Livestall-Lang": "vi"}, timeout=10)
    assert vi.status_code == 404
    assert vi.json()["code"] == "live.order_not_found"
    assert vi.json()["message"] == "Không tìm thấy đơn này."
    assert vi.json()["hint"] == "Tải lại danh sách đơn."
    assert "99999" in vi.json()["detail"]  # the English original, for whoever helps the seller

    plain = httpx.post(url, headers=HOST, timeout=10).json()
    assert plain["code"] == "live.order_not_found" and "99999" in plain["message"]
    assert "detail" not in plain  # a script that asks nothing gets the English text, as before


def test_a_wrong_token_is_answered_in_arabic(live_server: LiveServer) -> None:
    answer = httpx.get(
        f"{live_server.url}/api/orders",
        headers={"Authorization": "Bearer wrong", "X-Livestall-Lang": "ar"},
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.json()["message"] == "رمز الدخول مفقود أو غير صحيح."


def test_an_unreadable_statement_names_the_file_and_why_in_vietnamese(
    live_server: LiveServer,
) -> None:
    answer = httpx.post(
        f"{live_server.url}/api/payments/statement",
        params={"filename": "sao-ke.txt"},
        content=b"Ngay,So tien\n",
        headers={**HOST, "X-Livestall-Lang": "vi"},
        timeout=10,
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "payment.statement"
    assert answer.json()["message"] == (
        "Không đọc được sao kê sao-ke.txt: không phải loại file sao kê đọc được "
        "(dùng .xlsx hoặc .csv)."
    )


def test_a_refused_move_names_the_states_in_vietnamese(live_server: LiveServer) -> None:
    order_id = place(live_server, "lang-move-1", "chốt B3", user="lang-u1", name="Chị Hoa")
    answer = httpx.post(
        f"{live_server.url}/api/orders/{order_id}/state",
        json={"state": "delivered"},
        headers={**HOST, "X-Livestall-Lang": "vi"},
        timeout=10,
    )
    assert answer.status_code == 409
    assert answer.json()["message"] == (
        f"Đơn số {order_id} đang “Chờ xác nhận”, không chuyển sang “Đã giao” được."
    )
