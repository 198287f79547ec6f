"""SePay webhooks (server/payments/sepay.py): API-key check, body -> Transaction.

The body is the example of SePay's documentation ("SePay Webhooks" → quick start / integrate),
with the content changed to carry one of our order codes where a test needs it.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from server.payments.matching import OrderDue, match_transactions
from server.payments.sepay import check_api_key, parse_sepay, receive_sepay
from studio.errors import PaymentPayloadInvalid, WebhookRejected

KEY = "k3y-for-tests-2f9c"
SEPAY_EXAMPLE = {
    "id": 92704,
    "gateway": "Vietcombank",
    "transactionDate": "2023-03-25 14:02:37",
    "accountNumber": "0123499999",
    "code": None,
    "content": "chuyen tien mua iphone",
    "transferType": "in",
    "transferAmount": 2277000,
    "accumulated": 19077000,
    "subAccount": None,
    "referenceCode": "MBVCB.3278907687",
    "description": "",
}


def _body(**changes: object) -> bytes:
    return json.dumps({**SEPAY_EXAMPLE, **changes}).encode("utf-8")


def test_documented_example_becomes_a_transaction() -> None:
    txn = receive_sepay(_body(), f"Apikey {KEY}", api_key=KEY)
    assert txn.id == "sepay:92704"
    assert txn.posted == date(2023, 3, 25)
    assert txn.amount == Decimal(2277000)
    assert txn.memo == "chuyen tien mua iphone"
    assert txn.reference == "MBVCB.3278907687"
    assert txn.source == "sepay"


def test_money_out_is_negative() -> None:
    assert parse_sepay(_body(transferType="out")).amount == Decimal(-2277000)


def test_payment_code_detected_by_sepay_joins_the_memo() -> None:
    assert parse_sepay(_body(code="LS0042")).memo == "chuyen tien mua iphone LS0042"
    assert parse_sepay(_body(content="LS0042 ao", code="LS0042")).memo == "LS0042 ao"


@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Bearer {KEY}", "Apikey wrong-key", f"Apikey {KEY}x", "Apikey", KEY],
)
def test_wrong_or_missing_key_is_refused(authorization: str | None) -> None:
    with pytest.raises(WebhookRejected) as info:
        check_api_key(authorization, api_key=KEY)
    assert info.value.http_status == 401


def test_scheme_is_case_insensitive() -> None:
    check_api_key(f"apikey {KEY}", api_key=KEY)


def test_no_configured_key_refuses_everything() -> None:
    with pytest.raises(WebhookRejected, match="no SePay API key"):
        check_api_key("Apikey ", api_key="")


def test_bad_key_is_refused_before_the_body_is_read_and_changes_nothing() -> None:
    orders = [OrderDue("LS-0042", Decimal(2277000))]
    seen: frozenset[str] = frozenset()
    state_before = (tuple(orders), seen)
    with pytest.raises(WebhookRejected):
        receive_sepay(b"not even json", "Apikey stolen", api_key=KEY)
    with pytest.raises(WebhookRejected):
        receive_sepay(_body(content="LS-0042"), "Apikey stolen", api_key=KEY)
    assert (tuple(orders), seen) == state_before
    # The same delivery with the right key pays the order.
    txn = receive_sepay(_body(content="LS-0042"), f"Apikey {KEY}", api_key=KEY)
    assert [m.outcome for m in match_transactions([txn], orders, seen_ids=seen).paid] == ["paid"]


def test_a_retried_delivery_is_seen_once() -> None:
    orders = [OrderDue("LS-0042", Decimal(2277000))]
    txn = parse_sepay(_body(content="LS-0042"))
    first = match_transactions([txn], orders)
    again = match_transactions(
        [parse_sepay(_body(content="LS-0042"))],
        orders,
        seen_ids=frozenset(first.new_transaction_ids),
    )
    assert again.paid == () and again.already_seen == ("sepay:92704",)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        json.dumps({"id": 1}).encode(),
        _body(transferAmount=-5),
        _body(transferType="sideways"),
        _body(transactionDate="25/03/2023"),
    ],
)
def test_malformed_bodies_are_payload_errors(body: bytes) -> None:
    with pytest.raises(PaymentPayloadInvalid):
        parse_sepay(body)
