"""Lives as a list, test orders and the two stocks, over real HTTP against a studio server.

A new live keeps the earlier live's orders (browsable, CSV, slips; rows in the database), asks
for the seller's OK first; the go-live tab's test order takes no stock and no order code and is
left out of exports and totals; the live's stock can be taken back into the catalog.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import httpx
import yaml
from studio_web_helpers import HOST_TOKEN

from server.serve import RunningServer

HOST = {"Authorization": f"Bearer {HOST_TOKEN}"}
INGEST = {"Authorization": "Bearer studio-ingest-token"}


def data_folder(server: RunningServer) -> Path:
    return Path(server.server.config.app.state.live.settings.data_dir)


def db_rows(server: RunningServer, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_folder(server) / "live.sqlite") as db:
        return db.execute(sql, args).fetchall()


def buy(client: httpx.Client, comment_id: str, text: str, user: str) -> dict[str, object]:
    body = {"platform": "youtube", "comment_id": comment_id, "user_id": user, "user_name": user}
    response = client.post("/api/comments", json={**body, "text": text}, headers=INGEST)
    assert response.status_code == 200, response.text
    order = response.json()["order"]
    assert order is not None and order["status"] == "accepted"
    return dict(order)


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def stock_of(client: httpx.Client, sku: str) -> int:
    products = client.get("/api/products", headers=HOST).json()["products"]
    return int(next(p for p in products if p["sku"] == sku)["stock"])


def test_a_new_live_keeps_every_earlier_order(
    client: httpx.Client, studio_server: RunningServer
) -> None:
    first = client.post("/studio/api/live/start", json={"title": "Sáng"}).json()["session_id"]
    order = buy(client, "k1", "chốt B3", "lan")
    moved = client.post(f"/api/orders/{order['id']}/state", json={"state": "cod"}, headers=HOST)
    assert moved.status_code == 200, moved.text
    code = moved.json()["code"]

    # Without the seller's OK nothing changes, and the page can say what stays.
    refused = client.post("/studio/api/live/start", json={"title": "Tối"})
    assert refused.status_code == 409 and refused.json()["code"] == "live.start_unconfirmed"
    assert client.get("/studio/api/live").json()["session_id"] == first
    preview = client.get("/studio/api/live/start").json()["live"]
    assert (preview["id"], preview["orders"], preview["unpaid"]) == (first, 1, 1)

    started = client.post("/studio/api/live/start", json={"title": "Tối", "is_confirmed": True})
    second = started.json()["session_id"]
    assert second != first

    lives = client.get("/studio/api/live/lives").json()
    assert [(x["id"], x["title"], x["is_current"]) for x in lives[:2]] == [
        (second, "Tối", True),
        (first, "Sáng", False),
    ]
    earlier = lives[1]
    assert (earlier["orders"], earlier["unpaid"], earlier["unshipped"]) == (1, 1, 1)
    assert earlier["ended_at"] is not None and earlier["totals"] == {"VND": "250000"}
    assert client.get("/api/lives", headers=HOST).json() == lives

    # The earlier live's order: in the database, the studio, the host console, CSV and slips.
    assert db_rows(studio_server, "SELECT session_id, status FROM orders WHERE code = ?", code) == [
        (first, "cod")
    ]
    assert client.get("/studio/api/live/orders").json() == []
    shown = client.get("/studio/api/live/orders", params={"live": first}).json()
    assert [(o["code"], o["status"]) for o in shown] == [(code, "cod")]
    host = client.get("/api/orders", params={"live": first}, headers=HOST).json()
    assert [o["code"] for o in host] == [code]
    exported = csv_rows(client.get("/studio/api/live/orders.csv", params={"live": first}))
    assert [r["order_code"] for r in exported] == [code]
    slips = client.get("/studio/api/live/slips.html", params={"live": first})
    assert slips.status_code == 200 and code in slips.text
    assert code not in client.get("/studio/api/live/slips.html").text  # the new live's only
    host_slips = client.get("/api/slips.html", params={"live": first}, headers=HOST)
    assert code in host_slips.text
    missing = client.get("/studio/api/live/orders", params={"live": 999})
    assert missing.status_code == 404 and missing.json()["code"] == "live.not_found"


def test_test_order_takes_no_stock_no_code_and_is_never_exported(
    client: httpx.Client, studio_server: RunningServer
) -> None:
    client.post("/studio/api/live/start", json={"is_confirmed": True})
    live_id = client.get("/studio/api/live").json()["session_id"]
    real = buy(client, "t1", "chốt A12", "minh")
    before = stock_of(client, "A12")

    answer = client.post("/studio/api/live/test").json()["answer"]
    assert answer["status"] == "accepted" and answer["order"]["status"] == "accepted"
    assert stock_of(client, "A12") == before
    test_id = answer["order"]["id"]
    [(is_test, test_code)] = db_rows(
        studio_server, "SELECT is_test, code FROM orders WHERE id = ?", test_id
    )
    assert is_test == 1 and str(test_code).startswith("TEST-")

    # The next real buyer gets the code right after the previous real one.
    after = buy(client, "t2", "chốt A12", "hoa")
    codes = dict(
        db_rows(
            studio_server, "SELECT id, code FROM orders WHERE id IN (?, ?)", real["id"], after["id"]
        )
    )
    real_number = int(str(codes[real["id"]]).split("-")[1])
    assert codes[after["id"]] == f"LS-{real_number + 1:04d}"

    shown = {o["id"]: o for o in client.get("/studio/api/live/orders").json()}
    assert shown[test_id]["is_test"] is True and shown[real["id"]]["is_test"] is False
    host = {o["id"]: o for o in client.get("/api/orders", headers=HOST).json()}
    assert host[test_id]["is_test"] is True
    exported = csv_rows(client.get("/studio/api/live/orders.csv"))
    assert {r["order_id"] for r in exported} == {str(real["id"]), str(after["id"])}
    for order_id in (test_id, real["id"]):
        moved = client.post(f"/api/orders/{order_id}/state", json={"state": "cod"}, headers=HOST)
        assert moved.status_code == 200, moved.text
    ghn = client.get("/api/carriers/plain.csv", params={"live": live_id}, headers=HOST)
    assert str(test_code) not in ghn.text and str(codes[real["id"]]) in ghn.text
    assert str(test_code) not in client.get("/studio/api/live/slips.html").text
    summary = client.get("/studio/api/live/lives").json()[0]
    assert (summary["orders"], summary["tests"]) == (2, 1)
    assert summary["totals"] == {"VND": "258000"}  # two A12 at 129 000, not three

    # Cancelling the test order gives back no stock it never took.
    stock = stock_of(client, "A12")
    cancelled = client.post(f"/api/orders/{test_id}/cancel", headers=HOST)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert stock_of(client, "A12") == stock


def test_live_stock_goes_back_into_the_catalog_when_asked(
    client: httpx.Client, studio_server: RunningServer
) -> None:
    client.post("/studio/api/live/start", json={"is_confirmed": True})
    catalog_file = data_folder(studio_server) / "studio" / "catalog.yaml"
    catalog_b3 = stock_of_catalog(catalog_file, "B3")
    assert client.get("/studio/api/live/stock").json()["differences"] == []
    buy(client, "s1", "chốt B3 2", "tuan")

    differences = client.get("/studio/api/live/stock").json()["differences"]
    assert differences == [
        {
            "sku": "B3",
            "name": "Chả mực Hạ Long 500g",
            "variant": "",
            "catalog": catalog_b3,
            "live": catalog_b3 - 2,
        }
    ]
    assert client.get("/studio/api/live/start").json()["stock_differences"] == 1
    applied = client.post("/studio/api/live/stock/apply").json()
    assert applied["updated"] == 1 and applied["differences"] == []
    assert stock_of_catalog(catalog_file, "B3") == catalog_b3 - 2
    listed = client.get("/studio/api/products").json()["products"]
    assert next(p for p in listed if p["sku"] == "B3")["stock"] == catalog_b3 - 2


def stock_of_catalog(path: Path, sku: str) -> int:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return int(next(p for p in data["products"] if p["sku"] == sku)["stock"])
