"""Payments after the live: VietQR per order, bank statement import, matching, buyer messages."""

from server.payments.matching import MatchReport, OrderDue, match_transactions
from server.payments.message import BankTransfer, BuyerOrder, MessageLine, buyer_message
from server.payments.qr_image import qr_png
from server.payments.sepay import receive_sepay
from server.payments.statement import parse_statement, read_statement
from server.payments.transaction import Transaction
from server.payments.vietqr import Payee, order_payload, vietqr_payload

__all__ = [
    "BankTransfer",
    "BuyerOrder",
    "MatchReport",
    "MessageLine",
    "OrderDue",
    "Payee",
    "Transaction",
    "buyer_message",
    "match_transactions",
    "order_payload",
    "parse_statement",
    "qr_png",
    "read_statement",
    "receive_sepay",
    "vietqr_payload",
]
