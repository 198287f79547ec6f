"""SePay bank-notification webhooks -> ``Transaction``, with the API-key check SePay documents.

SePay (https://sepay.vn) watches a seller's bank account and POSTs one JSON object per
transaction to a URL the seller sets. Documented at developer.sepay.vn ("SePay Webhooks":
"Tích hợp webhook" for the body, "Xác thực" for authentication):

- body: ``{"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37",
  "accountNumber": "0123499999", "code": null, "content": "chuyen tien mua iphone",
  "transferType": "in", "transferAmount": 2277000, "accumulated": 19077000,
  "subAccount": null, "referenceCode": "MBVCB.3278907687", "description": ""}``;
- authentication "API Key": header ``Authorization: Apikey <the key set in SePay>``;
- the receiver answers 200 with ``{"success": true}``; SePay retries on errors, so the same
  ``id`` can arrive twice — ``Transaction.id`` is ``sepay:<id>`` and matching skips seen ids.

SePay also offers HMAC-SHA256 signing; its exact signed string is not in the material we could
check, so only the API-key mode is implemented (docs/payments.md).

Pure: the HTTP route (server/api) passes the raw body and the header in.
"""

from __future__ import annotations

import hmac
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from server.payments.transaction import Transaction
from studio.errors import PaymentPayloadInvalid, WebhookRejected

AUTH_SCHEME = "apikey"
SOURCE = "sepay"


class SepayTransaction(BaseModel):
    """The JSON body of one SePay webhook (unknown fields are ignored)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int
    gateway: str = ""
    transaction_date: str = Field(alias="transactionDate")
    account_number: str | None = Field(default=None, alias="accountNumber")
    code: str | None = None
    content: str = ""
    transfer_type: Literal["in", "out"] = Field(alias="transferType")
    transfer_amount: Decimal = Field(alias="transferAmount", ge=0)
    reference_code: str | None = Field(default=None, alias="referenceCode")


def check_api_key(authorization: str | None, *, api_key: str) -> None:
    """Accept the request only if it carries ``Authorization: Apikey <api_key>``.

    The comparison is constant-time. Call this before reading the body.

    Raises:
        WebhookRejected: when no key is configured, the header is missing, or the key differs.
    """
    if not api_key:
        raise WebhookRejected(
            "no SePay API key is configured, so no webhook can be trusted",
            hint="set the same API key in SePay (Webhooks → Authentication) and in Livestall",
        )
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != AUTH_SCHEME or not hmac.compare_digest(
        given.strip().encode("utf-8"), api_key.encode("utf-8")
    ):
        raise WebhookRejected(
            "webhook refused: missing or wrong 'Authorization: Apikey …' header",
            hint="check that the API key in SePay matches the one in Livestall",
        )


def _posted(text: str) -> date:
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:
        raise PaymentPayloadInvalid(
            f"SePay transactionDate {text!r} is not 'YYYY-MM-DD HH:MM:SS'"
        ) from None


def parse_sepay(body: bytes) -> Transaction:
    """Turn a SePay webhook body into a ``Transaction`` (money out becomes a negative amount).

    SePay's detected payment ``code`` is added to the memo when the content lacks it, so the
    order-code match sees it either way.

    Raises:
        PaymentPayloadInvalid: when the body is not SePay transaction JSON.
    """
    try:
        event = SepayTransaction.model_validate_json(body)
    except ValidationError as exc:
        raise PaymentPayloadInvalid(
            f"webhook body is not a SePay transaction: {exc.errors()[0]['msg']}"
        ) from None
    memo = " ".join(event.content.split())
    if event.code and event.code not in memo:
        memo = f"{memo} {event.code}".strip()
    sign = 1 if event.transfer_type == "in" else -1
    return Transaction(
        id=f"{SOURCE}:{event.id}",
        posted=_posted(event.transaction_date),
        amount=sign * event.transfer_amount,
        memo=memo,
        reference=event.reference_code or "",
        source=SOURCE,
    )


def receive_sepay(body: bytes, authorization: str | None, *, api_key: str) -> Transaction:
    """Check the API key, then parse the body: the one call a webhook route makes.

    Raises:
        WebhookRejected: bad or missing key (HTTP 401); the body is not even read.
        PaymentPayloadInvalid: the body is not SePay transaction JSON (HTTP 422).
    """
    check_api_key(authorization, api_key=api_key)
    return parse_sepay(body)
