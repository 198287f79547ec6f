"""Carts: one buyer's lines in one live are one code, one total, one QR, one page, one message,
one slip and one carrier row; lines keep their own state for stock."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import numpy as np
import pytest
from after_live_helpers import move, set_payee
from live_helpers import HOST, INGEST, LiveServer, comment
from PIL import Image

from server.payments.vietqr import parse_vietqr


def say(server: LiveServer, comment_id: str, text: str, *, user: str, name: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{server.url}/api/comments",
        json=comment(comment_id, text, user=user, name=name),
        headers=INGEST,
        timeout=10,
    ).json()
    assert answer["status"] == "accepted", answer
    return dict(answer)


def carts(server: LiveServer, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.url}/api/carts", params=params, headers=HOST, timeout=10)
    assert response.status_code == 200, response.text
    return list(response.json())


def three_lines(server: LiveServer) -> list[dict[str, Any]]:
    return [
        say(server, "c1", "chốt B3", user="u1", name="Chị Lan"),
        say(server, "c2", "chốt SP01", user="u1", name="Chị Lan"),
        say(server, "c3", "chốt A12 size M", user="u1", name="Chị Lan"),
    ]


def test_three_lines_one_code_and_the_answers_carry_the_cart(live_server: LiveServer) -> None:
    answers = three_lines(live_server)
    other = say(live_server, "c4", "chốt SP01", user="u2", name="Minh")

    codes = {a["cart"]["code"] for a in answers}
    assert len(codes) == 1
    (code,) = codes
    assert code.startswith("LS-")
    assert other["cart"]["code"] != code
    assert [len(a["cart"]["lines"]) for a in answers] == [1, 2, 3]
    assert [a["cart"]["total"] for a in answers] == ["250000", "449000", "578000"]
    assert answers[-1]["order"]["code"] == code
    assert {line["sku"] for line in answers[-1]["cart"]["lines"]} == {"B3", "SP01", "A12"}
    # the order code counter counts carts: two buyers, two numbers, no gap
    assert sorted([code, other["cart"]["code"]]) == ["LS-0001", "LS-0002"]

    (cart,) = [c for c in carts(live_server) if c["code"] == code]
    assert cart["state"] == "accepted"
    assert cart["total"] == "578000"
    assert cart["received"] == "0"
    assert cart["buyer_id"] is not None
    assert [
        (line["sku"], line["qty"], line["size"], line["unit_price"], line["state"])
        for line in cart["lines"]
    ] == [
        ("B3", 1, None, "250000", "accepted"),
        ("SP01", 1, None, "199000", "accepted"),
        ("A12", 1, "M", "129000", "accepted"),
    ]
    # every line of the cart shows the one code in the orders list too
    orders = httpx.get(f"{live_server.url}/api/orders", headers=HOST).json()
    assert {o["code"] for o in orders if o["user_id"] == "u1"} == {code}
    assert {o["cart_total"] for o in orders if o["user_id"] == "u1"} == {"578000"}


def test_one_qr_of_the_total_one_page_one_message(live_server: LiveServer) -> None:
    cv2 = pytest.importorskip("cv2")
    set_payee(live_server)
    answers = three_lines(live_server)
    code = answers[-1]["cart"]["code"]
    (cart,) = carts(live_server)

    image = httpx.get(f"{live_server.url}/o/{cart['public_id']}/qr.png")
    assert image.status_code == 200
    pixels = np.asarray(Image.open(io.BytesIO(image.content)).convert("L"))
    # OpenCV's classic detector misses some valid codes; its ArUco-based one reads them
    texts = [d().detectAndDecode(pixels)[0] for d in (cv2.QRCodeDetector, cv2.QRCodeDetectorAruco)]
    decoded = parse_vietqr(next(t for t in texts if t))
    assert (decoded.amount, decoded.purpose) == (578000, code)

    page = httpx.get(f"{live_server.url}/o/{cart['public_id']}", params={"lang": "vi"}).text
    for shown in (code, "Chả mực Hạ Long 500g", "Áo thun cotton", "Cốc sứ cà phê", "578.000"):
        assert shown in page
    assert page.count("qr.png") == 1

    message = httpx.get(
        f"{live_server.url}/api/carts/{code}/message", params={"lang": "vi"}, headers=HOST
    ).json()
    lines = message["text"].splitlines()
    assert sum(line.startswith("- ") for line in lines) == 3
    assert any("578.000" in line for line in lines)
    assert message["url"].endswith(f"/o/{cart['public_id']}")
    # the old per-line route gives the same message, for any line of the cart
    line_id = answers[0]["order"]["id"]
    old = httpx.get(
        f"{live_server.url}/api/orders/{line_id}/message", params={"lang": "vi"}, headers=HOST
    ).json()
    assert old["text"] == message["text"]


def test_one_slip_and_one_carrier_row_with_cod_left_to_pay(live_server: LiveServer) -> None:
    answers = three_lines(live_server)
    say(live_server, "c9", "chốt SP01", user="u2", name="Minh")
    code = answers[-1]["cart"]["code"]
    moved = httpx.post(
        f"{live_server.url}/api/carts/{code}/state", json={"state": "cod"}, headers=HOST
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["state"] == "cod"
    assert {line["state"] for line in moved.json()["lines"]} == {"cod"}

    slips = httpx.get(f"{live_server.url}/api/slips.html", headers=HOST).text
    assert slips.count('<section class="slip">') == 1
    assert code in slips
    for item in ("Chả mực Hạ Long 500g", "Áo thun cotton", "Cốc sứ cà phê"):
        assert item in slips

    body = httpx.get(f"{live_server.url}/api/carriers/plain.csv", headers=HOST).content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["order_code"] == code
    assert rows[0]["cod_amount"] == "578000"
    assert rows[0]["items"].count(" x1") == 3


def test_cancelled_line_leaves_the_cart_and_a_served_line_joins(live_server: LiveServer) -> None:
    lan = say(live_server, "c1", "chốt B3", user="u1", name="Lan")
    say(live_server, "c2", "chốt SP01", user="u1", name="Lan")
    say(live_server, "c3", "chốt B3", user="u2", name="Minh")
    say(live_server, "c4", "chốt B3", user="u3", name="Hoa")
    waiting = say(live_server, "c5", "chốt B3", user="u4", name="Tú")
    assert waiting["order"]["status"] == "waitlisted"
    assert waiting["cart"]["state"] == "waitlisted"
    assert waiting["cart"]["total"] == "0"

    cancelled = say(live_server, "c6", "hủy B3", user="u1", name="Lan")
    assert cancelled["cart"]["code"] == lan["cart"]["code"]
    assert cancelled["cart"]["total"] == "199000"
    assert [line["sku"] for line in cancelled["cart"]["lines"]] == ["SP01"]

    by_user = {c["user_id"]: c for c in carts(live_server)}
    assert by_user["u1"]["total"] == "199000"
    assert [(x["sku"], x["state"]) for x in by_user["u1"]["lines"]] == [
        ("B3", "cancelled"),
        ("SP01", "accepted"),
    ]
    assert by_user["u4"]["state"] == "accepted"  # the unit came back and served the waitlist
    assert by_user["u4"]["total"] == "250000"
    assert by_user["u4"]["code"] == waiting["cart"]["code"]
    stock = live_server.rows("SELECT qty FROM stock WHERE sku = 'B3'")
    assert stock == [(0,)]


def test_cart_states_follow_the_table_and_a_paid_cart_closes(live_server: LiveServer) -> None:
    first = say(live_server, "c1", "chốt SP01", user="u1", name="Lan")
    code = first["cart"]["code"]
    url = f"{live_server.url}/api/carts/{code}/state"
    refused = httpx.post(url, json={"state": "shipped"}, headers=HOST)
    assert refused.status_code == 409
    assert refused.json()["code"] == "order.rejected"
    for state in ("paid", "packed", "shipped", "returned"):
        answer = httpx.post(url, json={"state": state}, headers=HOST)
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == state
    assert live_server.rows("SELECT status FROM orders WHERE id = ?", first["order"]["id"]) == [
        ("returned",)
    ]
    # the parcel is settled: the buyer's next line opens a new cart with a new code
    later = say(live_server, "c2", "chốt B3", user="u1", name="Lan")
    assert later["cart"]["code"] not in (code, None)
    assert len(later["cart"]["lines"]) == 1
    missing = httpx.post(
        f"{live_server.url}/api/carts/LS-9999/state", json={"state": "paid"}, headers=HOST
    )
    assert missing.status_code == 404


def test_old_line_route_moves_the_whole_cart(live_server: LiveServer) -> None:
    a = say(live_server, "c1", "chốt B3", user="u1", name="Lan")
    b = say(live_server, "c2", "chốt SP01", user="u1", name="Lan")
    answer = move(live_server, a["order"]["id"], "confirmed")
    assert answer.status_code == 200
    assert answer.json()["cart_state"] == "confirmed"
    assert live_server.rows(
        "SELECT status FROM orders WHERE id IN (?, ?) ORDER BY id",
        a["order"]["id"],
        b["order"]["id"],
    ) == [("confirmed",), ("confirmed",)]
    # cancelling through a line cancels that line only
    assert move(live_server, a["order"]["id"], "cancelled").status_code == 200
    (cart,) = carts(live_server)
    assert (cart["state"], cart["total"]) == ("confirmed", "199000")


def test_payment_matches_the_cart_code_and_total(live_server: LiveServer) -> None:
    answers = three_lines(live_server)
    code = answers[-1]["cart"]["code"]
    statement = f"Date,Description,Amount,Reference\n2026-11-24,{code} chi Lan,578000,FT1\n"
    imported = httpx.post(
        f"{live_server.url}/api/payments/statement",
        params={"filename": "sao-ke.csv"},
        content=statement.encode(),
        headers=HOST,
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["paid"] == [code]
    (cart,) = carts(live_server)
    assert (cart["state"], cart["received"], cart["left_to_pay"]) == ("paid", "578000", "0")
    assert {line["state"] for line in cart["lines"]} == {"paid"}
    # a single line's price is not the cart's: it waits for the seller
    say(live_server, "c9", "chốt SP01", user="u2", name="Minh")
    minh = next(c for c in carts(live_server) if c["user_id"] == "u2")
    again = f"Date,Description,Amount,Reference\n2026-11-24,{minh['code']},100000,FT2\n"
    report = httpx.post(
        f"{live_server.url}/api/payments/statement",
        params={"filename": "sao-ke-2.csv"},
        content=again.encode(),
        headers=HOST,
    ).json()
    assert report["paid"] == [] and report["pending"] == 1


def test_carts_csv_one_row_per_cart_and_formula_safe(live_server: LiveServer) -> None:
    three_lines(live_server)
    say(live_server, "c9", "chốt SP01", user="u2", name='=HYPERLINK("x")')
    body = httpx.get(f"{live_server.url}/api/carts.csv", headers=HOST).content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    lan = next(r for r in rows if r["buyer"] == "Chị Lan")
    assert (lan["lines"], lan["total"], lan["left_to_pay"]) == ("3", "578000", "578000")
    assert next(r for r in rows if r["buyer"] != "Chị Lan")["buyer"].startswith("'=")


def test_the_list_of_lives_counts_carts(live_server: LiveServer) -> None:
    three_lines(live_server)
    say(live_server, "c9", "chốt SP01", user="u2", name="Minh")
    (live,) = httpx.get(f"{live_server.url}/api/lives", headers=HOST).json()
    assert (live["orders"], live["unpaid"], live["unshipped"]) == (2, 2, 2)
    assert live["totals"] == {"VND": "777000"}  # every line held: 578,000 + 199,000
