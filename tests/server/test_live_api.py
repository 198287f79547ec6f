"""HTTP contract of the live server, against a real uvicorn and the SQLite file it writes."""

from __future__ import annotations

import httpx
import pytest
from live_helpers import HOST, INGEST, LiveServer, comment

from server.api.schemas import CommentAnswer


def post(server: LiveServer, body: object) -> httpx.Response:
    return httpx.post(f"{server.url}/api/comments", json=body, headers=INGEST, timeout=10)


def test_order_is_on_disk_when_acknowledged(live_server: LiveServer) -> None:
    answer = post(live_server, comment("c1", "chốt A12 size M 0912345678")).json()

    CommentAnswer.model_validate(answer, strict=False)  # the documented response model
    assert answer["status"] == "accepted"
    assert answer["intent"] == "order"
    assert answer["items"] == [{"sku": "A12", "qty": 1, "size": "M", "color": None}]
    assert answer["order"]["status"] == "accepted"
    assert answer["order"]["repeat"] is False
    rows = live_server.rows("SELECT id, sku, variant, qty, status, phone FROM orders")
    assert rows == [(answer["order"]["id"], "A12", "M|trắng", 1, "accepted", "0912345678")]
    assert live_server.rows("SELECT qty FROM stock WHERE sku='A12' AND variant='M|trắng'") == [(3,)]
    types = [r[0] for r in live_server.rows("SELECT type FROM events ORDER BY seq")]
    assert types == ["comment", "order", "stock"]
    # the overlay copy of the comment hides the phone number
    (payload,) = live_server.rows("SELECT payload FROM events WHERE type='comment'")[0]
    assert "0912345678" not in str(payload)
    assert "091****678" in str(payload)


def test_same_comment_id_is_one_comment_however_late(live_server: LiveServer) -> None:
    first = post(live_server, comment("c1", "B3 x2")).json()
    post(live_server, comment("c2", "hello shop", user="u2"))
    again = post(live_server, [comment("c1", "B3 x2"), comment("c3", "SOLD B3", user="u3")]).json()

    assert again[0]["status"] == "duplicate"
    assert again[0]["order"]["id"] == first["order"]["id"]
    assert again[1]["status"] == "accepted"
    assert live_server.rows("SELECT count(*) FROM comments") == [(3,)]
    assert live_server.rows("SELECT count(*) FROM orders") == [(2,)]
    assert live_server.rows("SELECT qty FROM stock WHERE sku='B3'") == [(0,)]


def test_sold_out_waitlists_and_cancel_serves_the_waitlist(live_server: LiveServer) -> None:
    first = post(live_server, comment("c1", "B3 x3", user="u1")).json()["order"]
    waiting = post(live_server, comment("c2", "SOLD B3", user="u2")).json()["order"]
    assert (first["status"], waiting["status"], waiting["waitlist_position"]) == (
        "accepted",
        "waitlisted",
        1,
    )

    cancelled = httpx.post(f"{live_server.url}/api/orders/{first['id']}/cancel", headers=HOST)

    assert cancelled.json()["status"] == "cancelled"
    statuses = dict(live_server.rows("SELECT id, status FROM orders"))
    assert statuses == {first["id"]: "cancelled", waiting["id"]: "accepted"}
    assert live_server.rows("SELECT qty FROM stock WHERE sku='B3'") == [(2,)]
    assert live_server.rows("SELECT count(*) FROM waitlist") == [(0,)]


def test_viewer_cancel_comment_returns_stock(live_server: LiveServer) -> None:
    post(live_server, comment("c1", "B3 x2", user="u1"))
    answer = post(live_server, comment("c2", "hủy B3", user="u1")).json()

    assert answer["intent"] == "cancel"
    assert [o["status"] for o in answer["orders"]] == ["cancelled"]
    assert live_server.rows("SELECT qty FROM stock WHERE sku='B3'") == [(3,)]


def test_viewer_repeating_an_order_makes_one_order(live_server: LiveServer) -> None:
    first = post(live_server, comment("c1", "SOLD B3", user="u1")).json()
    repeat = post(live_server, comment("c2", "SOLD B3", user="u1")).json()

    assert repeat["order"]["id"] == first["order"]["id"]
    assert repeat["order"]["repeat"] is True
    assert live_server.rows("SELECT count(*) FROM orders") == [(1,)]


def test_per_viewer_limit_refuses_more(live_server: LiveServer) -> None:
    patched = httpx.patch(
        f"{live_server.url}/api/products/SP01", json={"limit_per_viewer": 2}, headers=HOST
    )
    assert patched.status_code == 200
    post(live_server, comment("c1", "SP01 x2", user="u1"))
    refused = post(live_server, comment("c2", "SP01 x1", user="u1")).json()

    assert refused["order"] is None
    assert refused["reason"] == "limit"


def test_missing_variant_is_refused_with_a_reason(live_server: LiveServer) -> None:
    answer = post(live_server, comment("c1", "chốt A12")).json()

    assert answer["intent"] == "order"
    assert answer["order"] is None
    assert answer["reason"] == "variant.missing"
    assert live_server.rows("SELECT count(*) FROM orders") == [(0,)]


def test_question_makes_no_order(live_server: LiveServer) -> None:
    answer = post(live_server, comment("c1", "A12 giá bao nhiêu?")).json()

    assert answer["intent"] == "question"
    assert answer["order"] is None


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("POST", "/api/comments", {}),
        ("POST", "/api/comments", HOST),
        ("POST", "/api/products/B3/pin", INGEST),
        ("GET", "/api/orders", {"Authorization": "Bearer wrong"}),
        ("GET", "/api/orders.csv", {"Authorization": "Basic xyz"}),
    ],
)
def test_wrong_token_is_401_with_code_and_hint(
    live_server: LiveServer, method: str, path: str, headers: dict[str, str]
) -> None:
    response = httpx.request(
        method, f"{live_server.url}{path}", headers=headers, json=comment("c", "x")
    )

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "live.auth"
    assert body["message"] and body["hint"]


def test_errors_map_to_status_and_code(live_server: LiveServer) -> None:
    missing = httpx.post(f"{live_server.url}/api/products/ZZ9/pin", headers=HOST)
    too_cheap = httpx.patch(
        f"{live_server.url}/api/products/B3", json={"sale_price": 999999}, headers=HOST
    )
    no_order = httpx.post(f"{live_server.url}/api/orders/999/confirm", headers=HOST)

    assert (missing.status_code, missing.json()["code"]) == (404, "live.product_not_found")
    assert (too_cheap.status_code, too_cheap.json()["code"]) == (422, "input.invalid")
    assert no_order.status_code == 404


def test_csv_export_opens_in_excel(live_server: LiveServer) -> None:
    post(live_server, comment("c1", "chốt A12 size L 0912 345 678", name="Nguyễn Thị Lan"))
    post(live_server, comment("c2", "=SP01 x1", user="u2", name="Bình"))

    response = httpx.get(f"{live_server.url}/api/orders.csv", headers=HOST)

    assert response.headers["content-type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("order_id,created_at_utc,status,sku,product")
    assert "Nguyễn Thị Lan" in lines[1] and "Cốc sứ cà phê" in lines[1]
    assert ",'=SP01 x1," in lines[2]  # a formula from a viewer stays text


def test_host_edits_stock_and_serves_waitlist(live_server: LiveServer) -> None:
    post(live_server, comment("c1", "B3 x3", user="u1"))
    waiting = post(live_server, comment("c2", "B3 x1", user="u2")).json()["order"]

    response = httpx.patch(f"{live_server.url}/api/products/B3", json={"stock": 2}, headers=HOST)

    assert response.json()["stock"] == 1
    assert live_server.rows("SELECT status FROM orders WHERE id=?", waiting["id"]) == [
        ("accepted",)
    ]


def test_orders_list_filters(live_server: LiveServer) -> None:
    post(live_server, comment("c1", "B3 x1", user="u1"))
    post(live_server, comment("c2", "SP01 x1", user="u2"))

    only_b3 = httpx.get(f"{live_server.url}/api/orders", params={"sku": "b3"}, headers=HOST).json()

    assert [o["sku"] for o in only_b3] == ["B3"]
    assert only_b3[0]["user_name"] == "Lan"


def test_blocked_viewer_and_blocked_words_are_rejected(live_server: LiveServer) -> None:
    first = post(live_server, comment("c1", "SP01 x1", user="troll")).json()
    viewer_id = live_server.rows("SELECT viewer_id FROM orders WHERE id=?", first["order"]["id"])
    blocked = httpx.post(f"{live_server.url}/api/viewers/{viewer_id[0][0]}/block", headers=HOST)
    assert blocked.json()["is_blocked"] is True

    after_block = post(live_server, comment("c2", "SP01 x1", user="troll")).json()
    rude = post(live_server, comment("c3", "shop này vcl", user="u9")).json()
    too_long = post(live_server, comment("c4", "a" * 600, user="u8")).json()

    assert (after_block["status"], after_block["reason"]) == ("rejected", "viewer_blocked")
    assert (rude["status"], rude["reason"]) == ("rejected", "blocked_word")
    assert (too_long["status"], too_long["reason"]) == ("rejected", "too_long")
    assert live_server.rows("SELECT count(*) FROM orders") == [(1,)]
    comment_events = live_server.rows("SELECT payload FROM events WHERE type='comment'")
    assert len(comment_events) == 1  # rejected comments never reach the overlay


def test_blocked_words_are_editable(live_server: LiveServer) -> None:
    put = httpx.put(
        f"{live_server.url}/api/moderation/words", json={"words": ["spam link"]}, headers=HOST
    )
    assert put.json() == {"words": ["spam link"]}

    answer = post(live_server, comment("c1", "Xem SPAM   link nè")).json()

    assert answer["reason"] == "blocked_word"
    assert live_server.rows("SELECT value FROM settings_kv WHERE key='blocked_words'") == [
        ('["spam link"]',)
    ]


def test_openapi_documents_every_endpoint(live_server: LiveServer) -> None:
    paths = httpx.get(f"{live_server.url}/openapi.json").json()["paths"]

    for path in (
        "/api/comments",
        "/api/products/{sku}/pin",
        "/api/products/{sku}",
        "/api/countdown",
        "/api/orders",
        "/api/orders/{order_id}/confirm",
        "/api/orders/{order_id}/cancel",
        "/api/orders.csv",
        "/api/viewers/{viewer_id}/block",
    ):
        assert path in paths, path


def test_pages_are_served_with_a_strict_policy(live_server: LiveServer) -> None:
    for page in ("overlay", "host", "viewer"):
        response = httpx.get(f"{live_server.url}/{page}")
        assert response.status_code == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "token" not in str(response.url)


def test_flooding_viewer_is_rate_limited_but_replays_cost_nothing(live_server: LiveServer) -> None:
    flood = [comment(f"f{i}", f"đẹp quá {i}", user="flooder") for i in range(12)]

    first = post(live_server, flood).json()
    replay = post(live_server, flood).json()

    assert [a["status"] for a in first] == ["accepted"] * 10 + ["rejected"] * 2
    assert {a["reason"] for a in first[10:]} == {"rate_limited"}
    assert {a["status"] for a in replay} == {"duplicate"}
    assert live_server.rows("SELECT count(*) FROM comments WHERE status='rejected'") == [(2,)]


def test_host_lists_comments_with_rule_and_reason(live_server: LiveServer) -> None:
    post(live_server, comment("c1", "chốt A12 0912345678", user="u1"))
    post(live_server, comment("c2", "A12 giá bao nhiêu?", user="u2"))

    listed = httpx.get(f"{live_server.url}/api/comments", headers=HOST).json()
    questions = httpx.get(
        f"{live_server.url}/api/comments", params={"intent": "question"}, headers=HOST
    ).json()

    assert [c["comment_id"] for c in listed] == ["c2", "c1"]  # newest first
    assert listed[1]["reason"] == "variant.missing"
    assert listed[1]["rule"] and listed[1]["text"] == "chốt A12 0912345678"  # host sees the phone
    assert [c["comment_id"] for c in questions] == ["c2"]
    assert httpx.get(f"{live_server.url}/api/comments").status_code == 401


def test_the_bare_address_opens_the_host_console(live_server: LiveServer) -> None:
    answer = httpx.get(f"{live_server.url}/", follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == "/host"
