"""The buyer book: buyers remembered from one live to the next on the same database — returned
parcels on their badge and card, ``blocked`` in every live, ``deposit`` in the message, CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
from after_live_helpers import set_payee
from live_helpers import HOST, HOST_TOKEN, INGEST, INGEST_TOKEN, LiveServer, comment

from server.app import build_app
from server.serve import start_in_thread


def say(server: LiveServer, comment_id: str, text: str, *, user: str, name: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{server.url}/api/comments",
        json=comment(comment_id, text, user=user, name=name),
        headers=INGEST,
        timeout=10,
    ).json()
    return dict(answer)


def walk(server: LiveServer, code: str, *states: str) -> None:
    for state in states:
        answer = httpx.post(
            f"{server.url}/api/carts/{code}/state", json={"state": state}, headers=HOST
        )
        assert answer.status_code == 200, answer.text


def new_live(server: LiveServer) -> None:
    answer = httpx.post(f"{server.url}/api/sessions", json={"title": "Buổi 2"}, headers=HOST)
    assert answer.status_code == 201, answer.text


def carts_by_user(server: LiveServer) -> dict[str, dict[str, Any]]:
    found = httpx.get(f"{server.url}/api/carts", headers=HOST).json()
    return {c["user_id"]: c for c in found}


def card(server: LiveServer, user: str) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/buyers/youtube/{user}", headers=HOST)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def first_live(server: LiveServer) -> None:
    lan = say(server, "a1", "chốt B3 0912345678", user="u1", name="Chị Lan")
    say(server, "a2", "chốt SP01", user="u1", name="Chị Lan")
    minh = say(server, "a3", "chốt SP01", user="u2", name="Minh")
    say(server, "a4", "hủy SP01", user="u1", name="Chị Lan")
    walk(server, lan["cart"]["code"], "cod", "packed", "shipped", "returned")
    walk(server, minh["cart"]["code"], "paid", "packed", "shipped", "delivered")


def test_a_returned_parcel_shows_on_the_badge_and_card_in_the_next_live(
    live_server: LiveServer,
) -> None:
    first_live(live_server)
    new_live(live_server)
    say(live_server, "b1", "chốt SP01", user="u1", name="Chị Lan")
    say(live_server, "b2", "chốt SP01", user="u2", name="Minh")
    say(live_server, "b3", "chốt SP01", user="u3", name="Hoa")

    carts = carts_by_user(live_server)
    assert carts["u1"]["badge"] == {"kind": "returned", "carts": 1, "returned": 1, "deposit": False}
    assert carts["u2"]["badge"]["kind"] == "regular"
    assert carts["u2"]["badge"]["carts"] == 1
    assert carts["u3"]["badge"]["kind"] == "new"

    lan = card(live_server, "u1")
    assert lan["buyer_id"] == carts["u1"]["buyer_id"]
    assert "Chị Lan" in lan["names"]
    assert "0912345678" in lan["phones"]
    assert (lan["carts"], lan["returned"], lan["delivered"], lan["cancelled_lines"]) == (2, 1, 0, 1)
    assert lan["lives"] == 2
    assert lan["owed"] == "199000"  # this live's cart, not paid yet
    assert [h["state"] for h in lan["history"]] == ["returned", "accepted"]
    assert lan["flags"] == [] and lan["note"] == ""
    minh = card(live_server, "u2")
    assert (minh["delivered"], minh["paid"], minh["returned"]) == (1, 1, 0)
    missing = httpx.get(f"{live_server.url}/api/buyers/youtube/nobody", headers=HOST)
    assert missing.status_code == 404


def test_a_blocked_buyer_makes_no_order_in_the_next_live(live_server: LiveServer) -> None:
    first_live(live_server)
    buyer_id = card(live_server, "u1")["buyer_id"]
    patched = httpx.patch(
        f"{live_server.url}/api/buyers/{buyer_id}",
        json={"blocked": True, "note": "bom hàng 2 lần"},
        headers=HOST,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["flags"] == ["blocked"]
    new_live(live_server)
    before = live_server.rows("SELECT count(*) FROM orders")
    answer = say(live_server, "b1", "chốt SP01", user="u1", name="Chị Lan")
    assert (answer["status"], answer["reason"], answer["order"]) == (
        "rejected",
        "viewer_blocked",
        None,
    )
    assert live_server.rows("SELECT count(*) FROM orders") == before
    assert "u1" not in carts_by_user(live_server)
    # unblocking lets them order again
    httpx.patch(f"{live_server.url}/api/buyers/{buyer_id}", json={"blocked": False}, headers=HOST)
    assert say(live_server, "b2", "chốt SP01", user="u1", name="Chị Lan")["order"] is not None
    assert card(live_server, "u1")["note"] == "bom hàng 2 lần"


def test_deposit_asks_for_a_transfer_even_for_cod(live_server: LiveServer) -> None:
    set_payee(live_server)
    answer = say(live_server, "a1", "chốt SP01", user="u1", name="Lan")
    code = answer["cart"]["code"]
    walk(live_server, code, "cod")
    url = f"{live_server.url}/api/carts/{code}/message"
    plain = httpx.get(url, params={"lang": "vi"}, headers=HOST).json()["text"]
    assert "Thanh toán khi nhận hàng" in plain and "chuyển khoản trước" not in plain
    buyer_id = carts_by_user(live_server)["u1"]["buyer_id"]
    httpx.patch(f"{live_server.url}/api/buyers/{buyer_id}", json={"deposit": True}, headers=HOST)
    asked = httpx.get(url, params={"lang": "vi"}, headers=HOST).json()["text"]
    assert "Shop cần bạn chuyển khoản trước khi gửi hàng." in asked
    assert f"Nội dung chuyển khoản (ghi đúng): {code}" in asked
    english = httpx.get(url, params={"lang": "en"}, headers=HOST).json()["text"]
    assert "pay by transfer before the parcel is sent" in english
    assert carts_by_user(live_server)["u1"]["badge"]["deposit"] is True


def test_book_csv_is_formula_safe_and_merge_joins_accounts(live_server: LiveServer) -> None:
    first_live(live_server)
    say(live_server, "a9", "chốt SP01", user="u3", name="=cmd|' /C calc'!A0")
    lan, other = card(live_server, "u1")["buyer_id"], card(live_server, "u3")["buyer_id"]
    httpx.patch(f"{live_server.url}/api/buyers/{lan}", json={"note": "=1+1"}, headers=HOST)
    merged = httpx.post(
        f"{live_server.url}/api/buyers/{lan}/merge", json={"other": other}, headers=HOST
    )
    assert merged.status_code == 200, merged.text
    assert {a["user_id"] for a in merged.json()["accounts"]} == {"u1", "u3"}
    assert card(live_server, "u3")["buyer_id"] == lan

    body = httpx.get(f"{live_server.url}/api/buyers.csv", headers=HOST).content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    row = next(r for r in rows if r["buyer_id"] == str(lan))
    assert row["note"] == "'=1+1"
    assert row["returned"] == "1"
    assert "'=" not in row["names"] or row["names"].startswith("'")
    assert all(not r["names"].startswith("=") for r in rows)


def test_same_phone_is_offered_for_a_merge(live_server: LiveServer) -> None:
    say(live_server, "p1", "chốt SP01 0912 345 678", user="u1", name="Lan FB")
    say(live_server, "p2", "chốt B3 0912345678", user="u5", name="Lan TikTok")
    lan = card(live_server, "u1")
    assert [s["user_name"] for s in lan["same_phone"]] == ["Lan TikTok"]
    other = lan["same_phone"][0]["buyer_id"]
    merged = httpx.post(
        f"{live_server.url}/api/buyers/{lan['buyer_id']}/merge", json={"other": other}, headers=HOST
    ).json()
    assert {a["user_id"] for a in merged["accounts"]} == {"u1", "u5"}
    assert merged["same_phone"] == []
    assert merged["carts"] == 2


def test_the_book_moves_to_another_database(
    live_server: LiveServer, tmp_path: Path, live_catalog: Path
) -> None:
    first_live(live_server)
    lan = card(live_server, "u1")["buyer_id"]
    httpx.patch(
        f"{live_server.url}/api/buyers/{lan}",
        json={"blocked": True, "note": "=bom hàng"},
        headers=HOST,
    )
    exported = httpx.get(f"{live_server.url}/api/buyers.csv", headers=HOST).content

    app = build_app(
        live_catalog,
        f"sqlite:///{tmp_path / 'other.sqlite'}",
        data_dir=tmp_path / "other",
        host_token=HOST_TOKEN,
        ingest_token=INGEST_TOKEN,
    )
    other = start_in_thread(app)
    try:
        report = httpx.post(
            f"{other.url}/api/buyers.csv",
            content=exported,
            headers={**HOST, "Content-Type": "text/csv"},
        ).json()
        assert (report["rows"], report["created"], report["updated"]) == (2, 2, 0)
        moved = httpx.get(f"{other.url}/api/buyers/youtube/u1", headers=HOST).json()
        assert (moved["flags"], moved["note"]) == (["blocked"], "=bom hàng")
        answer = httpx.post(
            f"{other.url}/api/comments",
            json=comment("x1", "chốt SP01", user="u1", name="Chị Lan"),
            headers=INGEST,
        ).json()
        assert (answer["status"], answer["reason"]) == ("rejected", "viewer_blocked")
        again = httpx.post(
            f"{other.url}/api/buyers.csv",
            content=exported,
            headers={**HOST, "Content-Type": "text/csv"},
        ).json()
        assert (again["created"], again["updated"]) == (0, 2)  # the same file twice: no copies
        bad = httpx.post(f"{other.url}/api/buyers.csv", content=b"name\nx\n", headers=HOST)
        assert bad.status_code == 422
    finally:
        other.stop()


def test_flags_as_a_list_or_a_map(live_server: LiveServer) -> None:
    say(live_server, "f1", "chốt SP01", user="u1", name="Lan")
    buyer_id = card(live_server, "u1")["buyer_id"]
    url = f"{live_server.url}/api/buyers/{buyer_id}"
    assert httpx.patch(url, json={"flags": ["deposit"]}, headers=HOST).json()["flags"] == [
        "deposit"
    ]
    both = httpx.patch(url, json={"flags": {"blocked": True}}, headers=HOST).json()
    assert both["flags"] == ["deposit", "blocked"]
    assert httpx.patch(url, json={"flags": []}, headers=HOST).json()["flags"] == []
    assert httpx.patch(url, json={"flags": ["vip"]}, headers=HOST).status_code == 422
    missing = httpx.patch(f"{live_server.url}/api/buyers/99999", json={"note": "x"}, headers=HOST)
    assert missing.status_code == 404


def test_rules_give_flags_when_parcels_come_back(live_server: LiveServer) -> None:
    url = f"{live_server.url}/api/buyers/rules"
    assert httpx.get(url, headers=HOST).json() == {
        "deposit_after_returned": 0,
        "block_after_returned": 0,
    }
    saved = httpx.put(
        url, json={"deposit_after_returned": 1, "block_after_returned": 2}, headers=HOST
    )
    assert saved.status_code == 200, saved.text
    first = say(live_server, "r1", "chốt SP01", user="u1", name="Lan")
    walk(live_server, first["cart"]["code"], "cod", "packed", "shipped", "returned")
    assert card(live_server, "u1")["flags"] == ["deposit"]
    new_live(live_server)
    second = say(live_server, "r2", "chốt SP01", user="u1", name="Lan")
    walk(live_server, second["cart"]["code"], "cod", "packed", "shipped", "returned")
    assert card(live_server, "u1")["flags"] == ["deposit", "blocked"]
    refused = say(live_server, "r3", "chốt SP01", user="u1", name="Lan")
    assert (refused["status"], refused["reason"]) == ("rejected", "viewer_blocked")
