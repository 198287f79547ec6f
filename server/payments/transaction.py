"""A money movement on the seller's account: what statements and bank webhooks both produce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Transaction:
    """One movement on the seller's account, from a statement or a bank-notification webhook.

    Attributes:
        id: stable identity: ``<source>:<bank reference>``, or ``<source>:<hash of the row>``
            when the export has no reference column. Re-importing gives the same ids.
        posted: the transaction date.
        amount: signed: money in is positive, money out negative.
        memo: the transfer content the sender typed (where the order code should be).
        reference: the bank's own reference, "" when the export has none.
        source: the layout or service it came from ("vietcombank", "sepay").
        currency: ISO 4217 code of the account.
    """

    id: str
    posted: date
    amount: Decimal
    memo: str
    reference: str = ""
    source: str = ""
    currency: str = "VND"
