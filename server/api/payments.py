"""Payments after the live: the seller's bank, statement import, review queue, SePay webhook.

Every import or webhook is matched and stored in one database transaction: transactions
already stored are skipped (their ids are stable), exact matches mark their cart paid (a cart
is one buyer's lines in one live: one code, one total), and everything else waits in the
review queue for the seller (``GET /api/payments/pending``).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.body_guard import allow_body
from server.events import EventLog
from server.payments.banks import bank_by_bin, find_bank
from server.payments.matching import CodeFinder, MatchReport, OrderDue, match_transactions
from server.payments.sepay import check_api_key, receive_sepay
from server.payments.statement import parse_statement
from server.payments.transaction import Transaction
from server.payments.vietqr import Payee, vietqr_payload
from server.services.progress import apply_payment
from server.store import cart_queries, payment_queries
from server.store.payment_queries import StoredPayment
from studio.errors import PaymentNotFound, UploadRejected

router = APIRouter(prefix="/api/payments", tags=["payments"], dependencies=[HostAuth])
webhook_router = APIRouter(prefix="/api/payments", tags=["payments"])

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
MAX_WEBHOOK_BYTES = 64 * 1024
EXPECTS_MONEY = ("accepted", "confirmed", "cod", "paid", "packed", "shipped", "delivered")
NOT_EXPECTING = ("cancelled", "waitlisted")


class PayeeIn(BaseModel):
    """The seller's bank account: ``bank`` is a 6-digit BIN or a bank name ("VCB")."""

    bank: str = Field(min_length=2, max_length=100)
    account: str = Field(min_length=1, max_length=19)
    name: str = Field(default="", max_length=100)
    sepay_api_key: str | None = Field(default=None, max_length=200)


class PayeeOut(BaseModel):
    """The stored bank account (the SePay key itself is never sent back)."""

    bin: str
    bank: str
    account: str
    name: str
    has_sepay_key: bool


class ImportOut(BaseModel):
    """What one import or webhook did."""

    paid: list[str]
    pending: int
    already_seen: int
    money_out: int


class PaymentOut(BaseModel):
    """A stored bank transaction for the review queue."""

    id: str
    source: str
    posted: str
    amount: str
    currency: str
    memo: str
    outcome: str
    order_codes: list[str]
    note: str
    status: str


class DecideIn(BaseModel):
    """The seller's decision: count the money for ``order_codes`` (default: those named in
    the memo), or ignore the transaction."""

    id: str = Field(min_length=1, max_length=200)
    action: Literal["accept", "ignore"]
    order_codes: list[str] = Field(default_factory=list, max_length=20)


def _payee_out(payee: Payee | None, *, has_key: bool) -> PayeeOut:
    if payee is None:
        return PayeeOut(bin="", bank="", account="", name="", has_sepay_key=has_key)
    bank = bank_by_bin(payee.bin)
    return PayeeOut(
        bin=payee.bin,
        bank=bank.short_name if bank else "",
        account=payee.account,
        name=payee.name,
        has_sepay_key=has_key,
    )


@router.get("/settings", response_model=PayeeOut)
async def get_payee(live: LiveDep) -> PayeeOut:
    """The seller's bank account for payment QR codes."""

    def read(conn: Connection) -> PayeeOut:
        has_key = bool(payment_queries.load_sepay_key(conn))
        return _payee_out(payment_queries.load_payee(conn), has_key=has_key)

    return await live.read(read)


@router.put("/settings", response_model=PayeeOut)
async def put_payee(body: PayeeIn, live: LiveDep) -> PayeeOut:
    """Set the bank account (checked against the VietQR rules) and optionally the SePay key."""
    bank_bin = body.bank.strip() if body.bank.strip().isdigit() else find_bank(body.bank).bin
    payee = Payee(bin=bank_bin, account=body.account.strip(), name=body.name.strip())
    vietqr_payload(payee)  # raises PaymentFieldInvalid naming the bad field

    def work(conn: Connection, _log: EventLog) -> PayeeOut:
        payment_queries.save_payee(conn, payee)
        if body.sepay_api_key is not None:
            payment_queries.save_sepay_key(conn, body.sepay_api_key.strip())
        return _payee_out(payee, has_key=bool(payment_queries.load_sepay_key(conn)))

    return await live.write(work)


def record_transactions(
    conn: Connection, log: EventLog, transactions: list[Transaction], *, actor: str
) -> MatchReport:
    """Match new transactions against the orders and store them, in the caller's transaction.

    Returns:
        The matcher's report (``already_seen`` lists what was stored before and left alone).
    """
    seen = payment_queries.seen_transaction_ids(conn, (t.id for t in transactions))
    carts = cart_queries.carts_in_states(conn, EXPECTS_MONEY)
    by_code = {c.code: c for c in carts}
    dues = [OrderDue(c.code, c.total, c.currency, c.received) for c in carts]
    report = match_transactions(transactions, dues, seen_ids=seen)
    for match in report.paid:
        payment_queries.insert_transaction(conn, match, status="applied", now=log.now)
        cart = by_code[match.orders[0]]
        apply_payment(conn, log, cart, match.transaction.amount, actor=actor)
    for match in report.review:
        payment_queries.insert_transaction(conn, match, status="pending", now=log.now)
    closed = cart_queries.carts_in_states(conn, NOT_EXPECTING)
    finder = CodeFinder.for_codes(o.code for o in closed) if closed else None
    states = {o.code: o.status for o in closed}
    for match in report.unmatched:
        named = finder.find(match.transaction.memo) if finder else ()
        if named:  # money for a cancelled or waitlisted order: the seller may owe a refund
            listed = ", ".join(f"{code} ({states[code]})" for code in named)
            match = replace(match, orders=named, note=f"memo names {listed}; decide or refund")
        payment_queries.insert_transaction(conn, match, status="pending", now=log.now)
    return report


def _import_out(report: MatchReport) -> ImportOut:
    return ImportOut(
        paid=[m.orders[0] for m in report.paid],
        pending=len(report.review) + len(report.unmatched),
        already_seen=len(report.already_seen),
        money_out=report.money_out,
    )


async def read_capped(
    request: Request, max_bytes: int, *, hint: str = "export a shorter period from the bank"
) -> bytes:
    """Read a request body of at most ``max_bytes`` (this route's own limit)."""
    allow_body(request, max_bytes)  # this route's own limit, not the JSON one (body_guard)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise UploadRejected(f"upload is larger than {max_bytes // 1024} KiB", hint=hint)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/statement", response_model=ImportOut)
async def import_statement(
    request: Request,
    live: LiveDep,
    filename: Annotated[str, Query(min_length=5, max_length=200)],
    layout: str | None = None,
) -> ImportOut:
    """Import a bank statement export (request body: the .csv/.xlsx file; ``?filename=``).

    Importing the same statement again changes nothing.
    """
    data = await read_capped(request, MAX_STATEMENT_BYTES)
    statement = await asyncio.to_thread(parse_statement, data, filename=filename, layout=layout)
    transactions = list(statement.transactions)
    report = await live.write(
        lambda conn, log: record_transactions(conn, log, transactions, actor="statement")
    )
    return _import_out(report)


def _payment_out(p: StoredPayment) -> PaymentOut:
    return PaymentOut(
        id=p.id,
        source=p.source,
        posted=p.posted,
        amount=str(p.amount),
        currency=p.currency,
        memo=p.memo,
        outcome=p.outcome,
        order_codes=list(p.order_codes),
        note=p.note,
        status=p.status,
    )


@router.get("/pending", response_model=list[PaymentOut])
async def list_pending(live: LiveDep) -> list[PaymentOut]:
    """Transactions the matcher would not apply on its own, oldest first."""
    rows = await live.read(lambda conn: payment_queries.list_transactions(conn, status="pending"))
    return [_payment_out(p) for p in rows]


@router.post("/decide", response_model=PaymentOut)
async def decide(body: DecideIn, live: LiveDep) -> PaymentOut:
    """Accept a pending transaction for its orders (money counted, paid when covered) or
    ignore it."""

    def work(conn: Connection, log: EventLog) -> PaymentOut:
        txn = payment_queries.get_transaction(conn, body.id)
        if txn is None or txn.status != "pending":
            raise PaymentNotFound(
                f"no pending transaction {body.id!r}", hint="refresh the payments list"
            )
        if body.action == "ignore":
            payment_queries.decide_transaction(
                conn, txn.id, status="ignored", actor="host", now=log.now
            )
        else:
            _accept(conn, log, txn, tuple(body.order_codes) or txn.order_codes)
        stored = payment_queries.get_transaction(conn, txn.id)
        assert stored is not None
        return _payment_out(stored)

    return await live.write(work)


def _accept(conn: Connection, log: EventLog, txn: StoredPayment, codes: tuple[str, ...]) -> None:
    carts = cart_queries.carts_by_code(conn, codes)
    missing = [c for c in codes if c not in carts]
    if not codes or missing:
        raise PaymentNotFound(
            f"no order {', '.join(missing) or '(none named)'} for transaction {txn.id!r}",
            hint="give the order codes this money is for",
        )
    remaining = txn.amount
    for index, code in enumerate(codes):
        cart = carts[code]
        is_last = index == len(codes) - 1
        share = remaining if is_last else min(remaining, cart.left_to_pay)
        apply_payment(conn, log, cart, share, actor=f"host:{txn.id}")
        remaining -= share
    payment_queries.decide_transaction(conn, txn.id, status="accepted", actor="host", now=log.now)


@webhook_router.post("/sepay")
async def sepay_webhook(
    request: Request,
    live: LiveDep,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, bool]:
    """SePay bank-notification webhook (``Authorization: Apikey <key>``; no host token)."""
    api_key = await live.read(payment_queries.load_sepay_key)
    check_api_key(authorization, api_key=api_key)  # before the body is read
    body = await read_capped(request, MAX_WEBHOOK_BYTES)
    transaction = receive_sepay(body, authorization, api_key=api_key)
    await live.write(lambda conn, log: record_transactions(conn, log, [transaction], actor="sepay"))
    return {"success": True}
