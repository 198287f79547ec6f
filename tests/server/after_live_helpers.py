"""Helpers for the after-live tests: place orders through the real API, read them back."""

from __future__ import annotations

import httpx
from live_helpers import HOST, INGEST, LiveServer, comment


def place(server: LiveServer, comment_id: str, text: str, *, user: str, name: str) -> int:
    """Post an order comment as a bridge would; return the new order's id."""
    answer = httpx.post(
        f"{server.url}/api/comments",
        json=comment(comment_id, text, user=user, name=name),
        headers=INGEST,
        timeout=10,
    ).json()
    assert answer["status"] == "accepted", answer
    return int(answer["order"]["id"])


def order_fields(server: LiveServer, order_id: int) -> tuple[str, str, str]:
    """Return (code, public_id, status) of an order as stored on disk."""
    ((code, public_id, status),) = server.rows(
        "SELECT code, public_id, status FROM orders WHERE id = ?", order_id
    )
    return str(code), str(public_id), str(status)


def move(server: LiveServer, order_id: int, state: str) -> httpx.Response:
    """Ask the host API to move an order."""
    return httpx.post(
        f"{server.url}/api/orders/{order_id}/state",
        json={"state": state},
        headers=HOST,
        timeout=10,
    )


def set_payee(server: LiveServer, *, sepay_api_key: str | None = None) -> None:
    """Store a Vietcombank account as the shop's payee."""
    body: dict[str, object] = {"bank": "970436", "account": "0011001234567", "name": "NGUYEN VAN A"}
    if sepay_api_key is not None:
        body["sepay_api_key"] = sepay_api_key
    response = httpx.put(f"{server.url}/api/payments/settings", json=body, headers=HOST, timeout=10)
    assert response.status_code == 200, response.text
