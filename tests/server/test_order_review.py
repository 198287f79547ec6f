"""Order capture on a real server: the review queue, learned phrases, the seller's accounts,
changes, addresses kept with the order (issue 23). Catalog: the labelled sets' own
(`tests/data/vocab/catalog.yaml`: numeric codes, nicknames, a size chart)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from live_helpers import HOST, HOST_TOKEN, INGEST, INGEST_TOKEN, LiveServer, comment
from vocab_shop import vocab_shop


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[LiveServer, Path]]:
    with vocab_shop(tmp_path, host_token=HOST_TOKEN, ingest_token=INGEST_TOKEN) as running:
        yield LiveServer(running.running, running.db_path), running.catalog


def post(server: LiveServer, body: object) -> dict[str, object]:
    response = httpx.post(f"{server.url}/api/comments", json=body, headers=INGEST, timeout=10)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def resolve(server: LiveServer, order_id: object, body: dict[str, object]) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/orders/{order_id}/resolve", json=body, headers=HOST, timeout=10
    )


def queue(server: LiveServer) -> list[dict[str, object]]:
    orders: list[dict[str, object]] = httpx.get(
        f"{server.url}/api/orders", params={"review": 1}, headers=HOST
    ).json()
    return orders


def stock(server: LiveServer, sku: str, variant: str) -> int:
    (row,) = server.rows("SELECT qty FROM stock WHERE sku=? AND variant=?", sku, variant)
    return int(str(row[0]))


def order_id(answer: dict[str, object]) -> object:
    order = answer["order"]
    assert isinstance(order, dict), answer
    return order["id"]


def test_a_guess_holds_its_stock_and_waits_for_the_seller(
    shop: tuple[LiveServer, Path],
) -> None:
    server, _ = shop
    guess = post(server, comment("c1", "cho e cái váy 350 size M nha", user="lan"))
    sure = post(server, comment("c2", "chốt 15 x2", user="minh"))

    assert (guess["intent"], guess["confidence"]) == ("order", "review")
    assert sure["confidence"] == "sure"
    assert stock(server, "V350", "M|be") == 4  # first come, first served: the unit is held
    listed = queue(server)
    assert [(o["id"], o["sku"], o["review"], o["comment_text"]) for o in listed] == [
        (order_id(guess), "V350", "pending", "cho e cái váy 350 size M nha")
    ]
    assert "by-kind" in str(listed[0]["rule"])  # the console shows why

    done = resolve(server, order_id(guess), {"action": "confirm"})

    assert done.status_code == 200, done.text
    assert done.json()["order"]["review"] == "confirmed"
    assert queue(server) == []
    assert server.rows("SELECT status, review FROM orders WHERE id=?", order_id(guess)) == [
        ("accepted", "confirmed")
    ]
    assert stock(server, "V350", "M|be") == 4


def test_reject_cancels_the_guess_and_returns_its_stock(shop: tuple[LiveServer, Path]) -> None:
    server, _ = shop
    guess = post(server, comment("c1", "lấy em cái áo sọc size XL", user="lan"))
    assert guess["confidence"] == "review", guess
    assert stock(server, "TS-01", "XL|đen") == 7

    done = resolve(server, order_id(guess), {"action": "reject"})

    assert done.status_code == 200, done.text
    assert server.rows("SELECT status, review FROM orders") == [("cancelled", "rejected")]
    assert stock(server, "TS-01", "XL|đen") == 8
    assert queue(server) == []
    history = server.rows("SELECT to_status, actor FROM order_events ORDER BY id")
    assert history[-1] == ("cancelled", "host")


def test_fix_places_the_right_line_and_remembers_the_phrase(
    shop: tuple[LiveServer, Path],
) -> None:
    server, catalog = shop
    guess = post(server, comment("c1", "lấy em cái áo sọc size XL 0901234567", user="lan"))
    assert guess["confidence"] == "review", guess

    done = resolve(
        server,
        order_id(guess),
        {
            "action": "fix",
            "items": [{"sku": "SETKE", "qty": 1, "size": "L", "color": "xanh"}],
            "remember_alias": "áo sọc",
        },
    )

    assert done.status_code == 200, done.text
    body = done.json()
    assert body["order"]["review"] == "replaced"
    assert body["order"]["status"] == "cancelled"
    (placed,) = body["placed"]
    assert (placed["sku"], placed["size"], placed["color"], placed["review"]) == (
        "SETKE",
        "L",
        "xanh",
        "fixed",
    )
    assert placed["user_id"] == "lan"
    assert placed["phone"] == "0901234567"  # the buyer's comment, phone and place stay hers
    assert placed["comment_text"] == "lấy em cái áo sọc size XL 0901234567"
    assert stock(server, "TS-01", "XL|đen") == 8
    assert stock(server, "SETKE", "L|xanh") == 5
    assert body["alias"]["phrase"] == "áo sọc"

    # the rest of the live reads the phrase as the product, and is sure of it
    later = post(server, comment("c2", "2 áo sọc size M", user="hoa"))
    assert later["items"] == [{"sku": "SETKE", "qty": 2, "size": "M", "color": None}]
    assert later["confidence"] == "sure"
    assert stock(server, "SETKE", "M|xanh") == 4

    # offered for saving into the catalog
    (alias,) = httpx.get(f"{server.url}/api/aliases", headers=HOST).json()
    assert alias["is_saved"] is False
    saved = httpx.post(f"{server.url}/api/aliases/{alias['id']}/save", headers=HOST)
    assert saved.status_code == 200, saved.text
    products = yaml.safe_load(catalog.read_text(encoding="utf-8"))["products"]
    setke = next(p for p in products if p["sku"] == "SETKE")
    assert "áo sọc" in setke["aliases"]
    assert "set kẻ xanh" in setke["aliases"]  # the seller's own words stay
    assert len(products) == 12


def test_a_fix_the_live_cannot_take_changes_nothing(shop: tuple[LiveServer, Path]) -> None:
    server, _ = shop
    guess = post(server, comment("c1", "lấy em cái áo sọc size XL", user="lan"))

    refused = httpx.post(
        f"{server.url}/api/orders/{order_id(guess)}/resolve",
        json={"action": "fix", "items": [{"sku": "SETKE", "qty": 1, "size": "XXL"}]},
        headers={**HOST, "X-Livestall-Lang": "vi"},
    )

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "order.fix"
    assert "SETKE" in problem["message"] and "XXL" in problem["message"]
    assert server.rows("SELECT status, review FROM orders") == [("accepted", "pending")]
    assert stock(server, "TS-01", "XL|đen") == 7
    assert [o["id"] for o in queue(server)] == [order_id(guess)]


def test_the_sellers_own_comments_are_never_orders(shop: tuple[LiveServer, Path]) -> None:
    server, _ = shop
    example = post(server, comment("s1", "Mẫu: chốt 15 x2", user="shop-page", name="Shop Hạ Long"))
    assert example["intent"] == "order"  # before the seller marks the account
    httpx.post(f"{server.url}/api/orders/{order_id(example)}/cancel", headers=HOST)
    (viewer_id,) = server.rows("SELECT id FROM viewers WHERE user_id='shop-page'")[0]

    marked = httpx.post(f"{server.url}/api/sellers", json={"viewer_id": viewer_id}, headers=HOST)
    assert marked.status_code == 200, marked.text
    assert marked.json()["user_name"] == "Shop Hạ Long"

    note = post(
        server,
        comment("s2", "Shop ghi nhận: bạn Minh 1 đôi 105 size 40 đen", user="shop-page"),
    )
    assert (note["intent"], note["order"]) == ("none", None)
    assert server.rows("SELECT rule FROM comments WHERE comment_id='s2'") == [("seller-account",)]
    assert stock(server, "105", "40|đen") == 5
    buyer = post(server, comment("b1", "chốt 105 size 40 đen", user="minh"))
    assert buyer["intent"] == "order" and order_id(buyer)

    (account,) = httpx.get(f"{server.url}/api/sellers", headers=HOST).json()
    httpx.delete(f"{server.url}/api/sellers/{account['id']}", headers=HOST)
    again = post(server, comment("s3", "chốt 15", user="shop-page"))
    assert again["intent"] == "order"


def test_a_change_replaces_the_buyers_line(shop: tuple[LiveServer, Path]) -> None:
    server, _ = shop
    httpx.post(f"{server.url}/api/products/TS-01/pin", headers=HOST)
    first = post(server, comment("c1", "chốt M đen", user="lan"))
    assert first["items"] == [{"sku": "TS-01", "qty": 1, "size": "M", "color": "đen"}]

    change = post(server, comment("c2", "đổi sang màu trắng", user="lan"))

    assert change["intent"] == "change"
    replaced = change["replaced"]
    assert isinstance(replaced, list)
    assert [o["id"] for o in replaced] == [order_id(first)]
    assert server.rows("SELECT variant, status FROM orders ORDER BY id") == [
        ("M|đen", "cancelled"),
        ("M|trắng", "accepted"),
    ]
    assert stock(server, "TS-01", "M|đen") == 8
    assert stock(server, "TS-01", "M|trắng") == 7


def test_a_replayed_chat_of_names_and_addresses_fills_the_orders_table(
    shop: tuple[LiveServer, Path],
) -> None:
    server, _ = shop
    chat = [
        comment("r1", "lấy 2 hộp chả mực nha", user="a", name="Lan"),
        comment("r2", "giao 27 Trần Hưng Đạo P.5 Q.3 lấy 2 chai mắm", user="b", name="Hùng"),
        comment("r3", "điểm danh shop ơi", user="c", name="Mai"),
        comment("r4", "ship Q3 bao lâu vậy shop?", user="d", name="Tú"),
        comment("r5", "chốt 203 sđt 0912 345 678", user="e", name="Hà"),
    ]

    answers = post(server, chat)

    assert isinstance(answers, list)
    assert [a["intent"] for a in answers] == ["order", "order", "none", "question", "order"]
    assert answers[1]["address"] == "27 Trần Hưng Đạo P.5 Q.3"
    rows = server.rows("SELECT sku, qty, phone, address FROM orders ORDER BY id")
    assert rows == [
        ("15", 2, None, None),
        ("27", 2, None, "27 Trần Hưng Đạo P.5 Q.3"),
        ("203", 1, "0912345678", None),
    ]
    assert server.rows("SELECT count(*) FROM orders WHERE sku='Q3'") == [(0,)]


def test_an_order_comment_that_made_no_order_waits_for_the_seller(
    shop: tuple[LiveServer, Path],
) -> None:
    server, _ = shop
    asked = post(server, comment("c1", "chốt đôi 105 size 40 nha 0912345678", user="lan"))
    assert (asked["intent"], asked["order"], asked["reason"]) == ("order", None, "variant.missing")
    post(server, comment("c2", "shop ơi đẹp quá", user="hoa"))

    (waiting,) = httpx.get(f"{server.url}/api/review/unplaced", headers=HOST).json()
    assert (waiting["text"], waiting["reason"]) == (
        "chốt đôi 105 size 40 nha 0912345678",
        "variant.missing",
    )
    assert waiting["items"] == [{"sku": "105", "qty": 1, "size": "40", "color": None}]

    line = {"sku": "105", "qty": 1, "size": "40", "color": "trắng"}
    placed = httpx.post(
        f"{server.url}/api/review/unplaced/{waiting['comment_ref']}",
        json={"items": [line]},
        headers=HOST,
    )
    assert placed.status_code == 200, placed.text
    (order,) = placed.json()["placed"]
    assert (order["user_id"], order["phone"], order["review"]) == ("lan", "0912345678", "fixed")
    assert order["comment_text"] == "chốt đôi 105 size 40 nha 0912345678"
    assert stock(server, "105", "40|trắng") == 4
    assert httpx.get(f"{server.url}/api/review/unplaced", headers=HOST).json() == []
    twice = httpx.post(
        f"{server.url}/api/review/unplaced/{waiting['comment_ref']}",
        json={"items": [line]},
        headers=HOST,
    )
    assert twice.status_code == 409  # one comment, one order: never placed twice
    assert stock(server, "105", "40|trắng") == 4
