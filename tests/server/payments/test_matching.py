"""Matching transfers to orders (server/payments/matching.py)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from server.payments.matching import (
    CodeFinder,
    MatchReport,
    OrderDue,
    match_transactions,
)
from server.payments.statement import read_statement
from server.payments.transaction import Transaction

DATA = Path(__file__).parent / "data"


def _orders() -> list[OrderDue]:
    with (DATA / "orders_30.csv").open(encoding="utf-8") as handle:
        return [
            OrderDue(row["code"], Decimal(row["total"]), row["currency"])
            for row in csv.DictReader(handle)
        ]


def _txn(memo: str, amount: int, ref: str = "1", *, currency: str = "VND") -> Transaction:
    return Transaction(ref, date(2026, 11, 24), Decimal(amount), memo, currency=currency)


@pytest.mark.parametrize(
    "memo",
    [
        "LS-0042",
        "ls0042",
        "Ls 0042 chuyen tien",
        "thanh toan don ls - 00 42",
        "MBVCB.3278907687.LS0042.CT tu 0071001234567",
        "Đơn LS.0042 của Hạnh",
        "(LS-0042)",
        "LS\u20130042 (en dash from a phone keyboard)",
        "LS_0042,LS,0042",
    ],
)
def test_code_is_found_whatever_the_spacing_case_or_dashes(memo: str) -> None:
    assert CodeFinder.for_codes(["LS-0042"]).find(memo) == ("LS-0042",)


@pytest.mark.parametrize("memo", ["LS-00421", "ALS-0042", "LS-004", "L-0042", "chuyen tien"])
def test_longer_or_different_codes_do_not_match(memo: str) -> None:
    assert CodeFinder.for_codes(["LS-0042"]).find(memo) == ()


def test_statement_fixture_matches_exactly_the_right_orders() -> None:
    statement = read_statement(DATA / "vietcombank_30.csv")
    report = match_transactions(statement.transactions, _orders())
    assert [m.orders[0] for m in report.paid] == [f"LS-{i:04d}" for i in range(1, 23)]
    review = {(m.outcome, m.orders) for m in report.review}
    assert review == {
        ("partial", ("LS-0023",)),  # wrong amount: half
        ("overpaid", ("LS-0024",)),  # wrong amount: 20,000 too much
        ("ambiguous", ("LS-0026", "LS-0027")),  # one transfer, two orders
        ("overpaid", ("LS-0002",)),  # a second payment of an order already paid
    }
    assert sorted(m.transaction.memo for m in report.unmatched) == [
        "Nhan tien tu ban be",
        "Tra lai tien gui thang 11",
        "don LS-00012",
    ]
    assert report.money_out == 2
    assert report.already_seen == ()


def _apply(report: MatchReport, orders: list[OrderDue]) -> list[OrderDue]:
    """What the server does with a report: record paid amounts on the orders."""
    paid = {m.orders[0]: m.transaction.amount for m in report.paid}
    return [
        OrderDue(o.code, o.total, o.currency, o.received + paid.get(o.code, Decimal(0)))
        for o in orders
    ]


def test_reimporting_the_same_statement_changes_nothing() -> None:
    transactions = read_statement(DATA / "vietcombank_30.csv").transactions
    orders = _orders()
    first = match_transactions(transactions, orders)
    seen = frozenset(first.new_transaction_ids)
    orders_after = _apply(first, orders)
    second = match_transactions(transactions, orders_after, seen_ids=seen)
    assert (second.paid, second.review, second.unmatched) == ((), (), ())
    assert set(second.already_seen) == seen
    assert _apply(second, orders_after) == orders_after


def test_exact_amount_with_nothing_received_is_paid() -> None:
    report = match_transactions([_txn("LS-0001", 107000)], [OrderDue("LS-0001", Decimal(107000))])
    assert [m.outcome for m in report.paid] == ["paid"]
    assert report.paid[0].owed == Decimal(107000)


def test_two_halves_are_both_left_for_the_seller() -> None:
    orders = [OrderDue("LS-0001", Decimal(100000))]
    halves = [_txn("LS-0001", 50000, "a"), _txn("LS-0001 phan con lai", 50000, "b")]
    report = match_transactions(halves, orders)
    assert report.paid == ()
    assert [m.outcome for m in report.review] == ["partial", "partial"]
    assert "now paid in full" in report.review[1].note


def test_earlier_received_money_counts() -> None:
    orders = [OrderDue("LS-0001", Decimal(100000), received=Decimal(40000))]
    report = match_transactions([_txn("LS-0001", 60000)], orders)
    assert report.paid == ()
    assert report.review[0].owed == Decimal(60000)


def test_currency_mismatch_is_for_review() -> None:
    orders = [OrderDue("LS-0001", Decimal(20), "USD")]
    report = match_transactions([_txn("LS-0001", 20)], orders)
    assert [m.outcome for m in report.review] == ["currency"]


def test_transfer_without_code_suggests_orders_of_the_same_amount() -> None:
    orders = [OrderDue("LS-0001", Decimal(107000)), OrderDue("LS-0002", Decimal(99000))]
    report = match_transactions([_txn("chuyen tien mua ao", 107000)], orders)
    assert report.unmatched[0].orders == ("LS-0001",)
    assert report.paid == ()


def test_duplicate_ids_in_one_batch_count_once() -> None:
    orders = [OrderDue("LS-0001", Decimal(107000))]
    report = match_transactions(
        [_txn("LS-0001", 107000, "x"), _txn("LS-0001", 107000, "x")], orders
    )
    assert len(report.paid) == 1
    assert report.already_seen == ("x",)


def test_finder_reports_codes_in_order_and_tells_similar_codes_apart() -> None:
    finder = CodeFinder.for_codes(["LS-1", "LS-12", "LS-0042", "LS0042"])
    assert finder.find("don ls-12 va LS 0042") == ("LS-12", "LS-0042", "LS0042")
    assert finder.find("LS-1 ao") == ("LS-1",)
    assert finder.find("nothing here") == ()
