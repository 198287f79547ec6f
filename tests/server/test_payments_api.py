"""Payments on the live server: bank settings, statement import, review queue, SePay webhook."""

from __future__ import annotations

import json

import httpx
from after_live_helpers import move, order_fields, place, set_payee
from live_helpers import HOST, LiveServer

API_KEY = "sepay-secret-key-1234"


def _statement(codes: dict[str, str]) -> bytes:
    """A generic-layout CSV: exact, case-mangled, wrong amount, duplicate row, unrelated."""
    a, b, c = codes["a"], codes["b"], codes["c"]
    lines = [
        "Date,Description,Amount,Reference",
        f"2026-11-24,{a} chuyen khoan,250000,FT001",
        f"2026-11-24,{b.lower().replace('-', ' ')} mua ao,199000,FT002",
        f"2026-11-24,thanh toan {c},100000,FT003",
        f"2026-11-24,{a} chuyen khoan,250000,FT001",
        "2026-11-24,tien nha thang 11,5000000,FT004",
        "2026-11-24,phi dich vu,-11000,FT005",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _snapshot(server: LiveServer) -> tuple[object, ...]:
    return (
        server.rows("SELECT id, status, received FROM orders ORDER BY id"),
        server.rows("SELECT id, status, received FROM carts ORDER BY id"),
        server.rows("SELECT * FROM payment_transactions ORDER BY id"),
        server.rows("SELECT * FROM order_events ORDER BY id"),
    )


def _three_orders(server: LiveServer) -> dict[str, tuple[int, str]]:
    ids = {
        "a": place(server, "c1", "chốt B3", user="u1", name="Lan"),
        "b": place(server, "c2", "chốt SP01", user="u2", name="Minh"),
        "c": place(server, "c3", "chốt SP01", user="u3", name="Hà"),
    }
    return {key: (oid, order_fields(server, oid)[0]) for key, oid in ids.items()}


def _import(server: LiveServer, data: bytes) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/payments/statement",
        params={"filename": "sao-ke.csv"},
        content=data,
        headers=HOST,
        timeout=20,
    )


def test_payee_settings_round_trip_without_echoing_the_key(live_server: LiveServer) -> None:
    set_payee(live_server, sepay_api_key=API_KEY)
    stored = httpx.get(f"{live_server.url}/api/payments/settings", headers=HOST).json()
    assert stored == {
        "bin": "970436",
        "bank": "Vietcombank",
        "account": "0011001234567",
        "name": "NGUYEN VAN A",
        "has_sepay_key": True,
    }
    assert API_KEY not in json.dumps(stored)
    bad = httpx.put(
        f"{live_server.url}/api/payments/settings",
        json={"bank": "970436", "account": "12-34"},
        headers=HOST,
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "payment.field"


def test_statement_pays_exact_matches_and_reimport_changes_nothing(
    live_server: LiveServer,
) -> None:
    orders = _three_orders(live_server)
    data = _statement({k: code for k, (_id, code) in orders.items()})

    first = _import(live_server, data)
    assert first.status_code == 200, first.text
    report = first.json()
    assert sorted(report["paid"]) == sorted([orders["a"][1], orders["b"][1]])
    assert report["pending"] == 2  # wrong amount for c, the unrelated transfer
    assert report["money_out"] == 1
    assert order_fields(live_server, orders["a"][0])[2] == "paid"
    assert order_fields(live_server, orders["b"][0])[2] == "paid"
    assert order_fields(live_server, orders["c"][0])[2] == "accepted"
    actors = live_server.rows(
        "SELECT actor FROM order_events WHERE order_id = ? AND to_status = 'paid'",
        orders["a"][0],
    )
    assert actors == [("statement",)]

    before = _snapshot(live_server)
    again = _import(live_server, data).json()
    # money out is never stored, so it is counted again; nothing else is
    assert again == {"paid": [], "pending": 0, "already_seen": 4, "money_out": 1}
    assert _snapshot(live_server) == before


def test_pending_transfer_is_paid_only_when_the_seller_accepts(live_server: LiveServer) -> None:
    orders = _three_orders(live_server)
    _import(live_server, _statement({k: code for k, (_id, code) in orders.items()}))
    pending = httpx.get(f"{live_server.url}/api/payments/pending", headers=HOST).json()
    partial = next(p for p in pending if p["outcome"] == "partial")
    assert partial["order_codes"] == [orders["c"][1]]

    decided = httpx.post(
        f"{live_server.url}/api/payments/decide",
        json={"id": partial["id"], "action": "accept"},
        headers=HOST,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "accepted"
    # 100,000 of 199,000: counted on the buyer's cart, but the cart is not paid yet
    assert live_server.rows(
        "SELECT status, received FROM carts WHERE code = ?", orders["c"][1]
    ) == [("accepted", "100000")]
    assert live_server.rows("SELECT status FROM orders WHERE id = ?", orders["c"][0]) == [
        ("accepted",)
    ]
    unrelated = next(p for p in pending if p["outcome"] == "unmatched")
    ignored = httpx.post(
        f"{live_server.url}/api/payments/decide",
        json={"id": unrelated["id"], "action": "ignore"},
        headers=HOST,
    )
    assert ignored.json()["status"] == "ignored"
    assert httpx.get(f"{live_server.url}/api/payments/pending", headers=HOST).json() == []
    twice = httpx.post(
        f"{live_server.url}/api/payments/decide",
        json={"id": unrelated["id"], "action": "accept", "order_codes": [orders["c"][1]]},
        headers=HOST,
    )
    assert twice.status_code == 404


def _sepay_body(txn_id: int, content: str, amount: int) -> bytes:
    return json.dumps(
        {
            "id": txn_id,
            "gateway": "Vietcombank",
            "transactionDate": "2026-11-24 20:15:00",
            "accountNumber": "0011001234567",
            "code": None,
            "content": content,
            "transferType": "in",
            "transferAmount": amount,
            "accumulated": 0,
            "subAccount": None,
            "referenceCode": "MBVCB.1",
            "description": "",
        }
    ).encode("utf-8")


def test_sepay_webhook_with_a_bad_key_is_refused_and_changes_nothing(
    live_server: LiveServer,
) -> None:
    set_payee(live_server, sepay_api_key=API_KEY)
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    code = order_fields(live_server, order_id)[0]
    body = _sepay_body(92704, f"{code} chuyen tien", 250000)
    before = _snapshot(live_server)

    for header in ({}, {"Authorization": "Apikey wrong"}, {"Authorization": f"Bearer {API_KEY}"}):
        refused = httpx.post(f"{live_server.url}/api/payments/sepay", content=body, headers=header)
        assert refused.status_code == 401
        assert refused.json()["code"] == "payment.webhook"
    assert _snapshot(live_server) == before

    good = {"Authorization": f"Apikey {API_KEY}"}
    accepted = httpx.post(f"{live_server.url}/api/payments/sepay", content=body, headers=good)
    assert accepted.json() == {"success": True}
    assert order_fields(live_server, order_id)[2] == "paid"
    after = _snapshot(live_server)
    retried = httpx.post(f"{live_server.url}/api/payments/sepay", content=body, headers=good)
    assert retried.json() == {"success": True}
    assert _snapshot(live_server) == after  # SePay retries: same id, nothing new


def test_webhook_without_a_configured_key_is_refused(live_server: LiveServer) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    body = _sepay_body(1, order_fields(live_server, order_id)[0], 250000)
    refused = httpx.post(
        f"{live_server.url}/api/payments/sepay",
        content=body,
        headers={"Authorization": "Apikey anything"},
    )
    assert refused.status_code == 401
    assert live_server.rows("SELECT count(*) FROM payment_transactions") == [(0,)]


def test_statement_upload_is_size_capped(live_server: LiveServer) -> None:
    big = b"Date,Description,Amount\n" + b"x" * (5 * 1024 * 1024 + 10)
    refused = _import(live_server, big)
    assert refused.status_code == 413
    assert move(live_server, 999, "paid").status_code == 404


def test_buyer_message_names_total_bank_note_and_page(live_server: LiveServer) -> None:
    set_payee(live_server)
    order_id = place(live_server, "c1", "chốt A12 size L", user="u1", name="Lan")
    code, public_id, _ = order_fields(live_server, order_id)

    vi = httpx.get(f"{live_server.url}/api/orders/{order_id}/message", headers=HOST).json()
    assert vi["url"] == f"{live_server.url}/o/{public_id}"
    for part in (f"Chào Lan! Đơn {code}", "Cốc sứ cà phê (L / trắng)", "129.000", "Vietcombank"):
        assert part in vi["text"]
    assert f"Nội dung chuyển khoản (ghi đúng): {code}" in vi["text"]
    assert vi["url"] in vi["text"]

    assert move(live_server, order_id, "cod").status_code == 200
    en = httpx.get(
        f"{live_server.url}/api/orders/{order_id}/message", params={"lang": "en"}, headers=HOST
    ).json()
    assert "Cash on delivery" in en["text"]
    assert "0011001234567" not in en["text"]


def test_transfer_for_a_cancelled_order_waits_with_a_refund_note(live_server: LiveServer) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    code = order_fields(live_server, order_id)[0]
    assert move(live_server, order_id, "cancelled").status_code == 200
    data = f"Date,Description,Amount,Reference\n2026-11-24,{code},250000,FT9\n".encode()

    assert _import(live_server, data).json()["pending"] == 1

    (pending,) = httpx.get(f"{live_server.url}/api/payments/pending", headers=HOST).json()
    assert pending["order_codes"] == [code]
    assert f"{code} (cancelled)" in pending["note"]
    assert order_fields(live_server, order_id)[2] == "cancelled"
