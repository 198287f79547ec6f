"""Order capture across server processes (PostgreSQL + Redis): words the seller taught one
process, and the shop's accounts marked on one, hold on every other (the ``capture`` event)."""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import count

import httpx
import pytest
from deadlines import EVENT_SPREAD_S
from live_helpers import HOST, INGEST
from scale_helpers import Cluster

pytestmark = pytest.mark.slow


def post(url: str, comment_id: str, user: str, text: str) -> dict[str, object]:
    body = {"platform": "facebook", "comment_id": comment_id, "user_id": user, "text": text}
    response = httpx.post(f"{url}/api/comments", json=body, headers=INGEST, timeout=30)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + EVENT_SPREAD_S
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not seen on the other process within {EVENT_SPREAD_S} s")


def test_taught_words_and_shop_accounts_reach_every_process(cluster: Cluster) -> None:
    cluster.start(2)
    first, second = cluster.url(0), cluster.url(1)
    ids = count()

    guess = post(first, "g1", "lan", "lấy 1 mẫu hoa mai nhé")
    assert guess["intent"] == "none"  # words nobody taught yet
    order = post(first, "g2", "lan", "lấy 1 hộp chả nha")
    assert order["confidence"] == "review"
    assert isinstance(order["order"], dict)
    fixed = httpx.post(
        f"{first}/api/orders/{order['order']['id']}/resolve",
        json={"action": "fix", "items": [{"sku": "SP01", "qty": 1}], "remember_alias": "hoa mai"},
        headers=HOST,
        timeout=30,
    )
    assert fixed.status_code == 200, fixed.text

    def taught() -> bool:
        answer = post(second, f"t{next(ids)}", "hoa", "lấy 1 mẫu hoa mai nhé")
        return answer["intent"] == "order" and answer["confidence"] == "sure"

    until(taught)

    marked = httpx.post(
        f"{first}/api/sellers",
        json={"platform": "facebook", "user_id": "shop-page", "user_name": "Shop"},
        headers=HOST,
        timeout=30,
    )
    assert marked.status_code == 200, marked.text

    def ignored() -> bool:
        answer = post(second, f"s{next(ids)}", "shop-page", "Shop ghi nhận: chốt SP01")
        return answer["intent"] == "none"

    until(ignored)
    rows = cluster.rows("SELECT rule FROM comments WHERE comment_id LIKE 's%' ORDER BY id DESC")
    assert rows[0] == ("seller-account",)
