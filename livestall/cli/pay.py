"""`livestall pay`: payment QR codes and payment matching after the live."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from livestall.cli.output import console, err_console, print_json
from server.payments.banks import bank_by_bin, find_bank
from server.payments.layouts import LAYOUTS_BY_NAME
from server.payments.matching import Match, MatchReport, OrderDue, match_transactions
from server.payments.qr_image import write_qr_png
from server.payments.statement import Statement, read_statement
from server.payments.vietqr import Payee, transfer_note, vietqr_payload
from studio.errors import InputError
from studio.money import check_currency, format_price, parse_amount

app = typer.Typer(
    help="Payment QR codes (VietQR) and bank-statement matching.", no_args_is_help=True
)


def _payee_bin(text: str) -> tuple[str, str]:
    """Return (BIN, bank short name) from a BIN or a bank name; unknown 6-digit BINs pass."""
    bank = bank_by_bin(text)
    if bank is not None:
        return bank.bin, bank.short_name
    if len(text) == 6 and text.isdigit():
        err_console.print(f"[yellow]note[/] BIN {text} is not in our NAPAS list; using it as given")
        return text, text
    bank = find_bank(text)
    return bank.bin, bank.short_name


@app.command("qr")
def qr(
    bin_code: Annotated[
        str, typer.Option("--bin", help="Bank NAPAS BIN (970436) or name (Vietcombank, VCB).")
    ],
    account: Annotated[str, typer.Option("--account", help="Account number to receive into.")],
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")],
    amount: Annotated[
        str | None,
        typer.Option("--amount", help="Amount in đồng (185000 or 185.000); omit for a static QR."),
    ] = None,
    memo: Annotated[str, typer.Option("--memo", help="Transfer note, e.g. the order code.")] = "",
    name: Annotated[
        str, typer.Option("--name", help="Account holder, printed under the QR code.")
    ] = "",
    is_card: Annotated[
        bool, typer.Option("--card", help="ACCOUNT is a 16-19 digit card number.")
    ] = False,
) -> None:
    """Write a VietQR code as a PNG and print its payload text on stdout."""
    bin_value, bank_name = _payee_bin(bin_code.strip())
    payee = Payee(bin_value, account.strip(), name, "card" if is_card else "account")
    value = parse_amount(amount, field="--amount") if amount is not None else None
    payload = vietqr_payload(payee, amount=value, purpose=memo)
    caption = [f"{bank_name} · {payee.account}"]
    caption += [name] if name else []
    caption += [format_price(value, "VND", "vi")] if value is not None else []
    caption += [transfer_note(memo)] if memo else []
    write_qr_png(payload, out, caption=tuple(caption))
    if memo and transfer_note(memo) != memo:
        err_console.print(f"[yellow]note[/] transfer note written as {transfer_note(memo)!r}")
    err_console.print(f"[green]wrote[/] {out}")
    typer.echo(payload)


def read_orders(path: Path) -> list[OrderDue]:
    """Read ORDERS.csv: columns ``code``, ``total`` and optional ``currency``, ``received``.

    Raises:
        InputError: missing file or column, or a row with a bad amount (names the row).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", hint="check the path") from exc
    rows = list(csv.DictReader(text.splitlines()))
    fields = {f.strip().lower() for f in (rows[0].keys() if rows else [])}
    if not {"code", "total"} <= fields:
        raise InputError(
            f"{path}: needs the columns code and total",
            hint="first line like: code,total,currency",
        )
    orders = []
    for number, row in enumerate(rows, start=2):
        cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        where = f"{path.name} row {number}"
        orders.append(
            OrderDue(
                code=cells["code"],
                total=parse_amount(cells["total"], field=f"{where} total"),
                currency=check_currency(cells.get("currency") or "VND"),
                received=parse_amount(cells.get("received") or "0", field=f"{where} received"),
            )
        )
    return orders


def _match_json(match: Match) -> dict[str, Any]:
    txn = match.transaction
    return {
        "transaction": txn.id,
        "date": txn.posted.isoformat(),
        "amount": str(txn.amount),
        "memo": txn.memo,
        "outcome": match.outcome,
        "orders": list(match.orders),
        "owed": None if match.owed is None else str(match.owed),
        "note": match.note,
    }


def _report_json(statement: Statement, report: MatchReport) -> dict[str, Any]:
    return {
        "statement": statement.source,
        "layout": statement.layout,
        "paid": [_match_json(m) for m in report.paid],
        "review": [_match_json(m) for m in report.review],
        "unmatched": [_match_json(m) for m in report.unmatched],
        "money_out": report.money_out,
        "duplicate_rows": statement.duplicate_rows,
        "skipped_rows": [{"row": s.row, "reason": s.reason} for s in statement.skipped],
    }


def _table(title: str, matches: tuple[Match, ...]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("date", "amount", "memo", "orders", "owed", "note"):
        table.add_column(column, overflow="fold")
    for m in matches:
        currency = m.transaction.currency
        table.add_row(
            m.transaction.posted.isoformat(),
            format_price(m.transaction.amount, currency, "vi"),
            m.transaction.memo,
            ", ".join(m.orders),
            "" if m.owed is None else format_price(m.owed, currency, "vi"),
            m.note,
        )
    return table


@app.command("match")
def match(
    statement_path: Annotated[
        Path, typer.Argument(metavar="STATEMENT", help="Bank statement export (.xlsx or .csv).")
    ],
    orders_path: Annotated[
        Path, typer.Option("--orders", help="CSV with code,total[,currency][,received].")
    ],
    layout: Annotated[
        str | None,
        typer.Option("--layout", help=f"Force a layout: {', '.join(LAYOUTS_BY_NAME)}."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Match a bank statement's transfers to orders; only exact single-order transfers are paid."""
    statement = read_statement(statement_path, layout=layout)
    report = match_transactions(statement.transactions, read_orders(orders_path))
    if as_json:
        print_json(_report_json(statement, report))
        return
    console.print(f"{statement.source}: layout [bold]{statement.layout}[/]")
    for title, matches in (
        ("Paid (exact amount, one order code)", report.paid),
        ("For you to decide", report.review),
        ("No order code in the memo", report.unmatched),
    ):
        if matches:
            console.print(_table(title, matches))
    received = sum((m.transaction.amount for m in report.paid), Decimal(0))
    console.print(
        f"[green]{len(report.paid)} paid[/] ({format_price(received, 'VND', 'vi')}), "
        f"[yellow]{len(report.review)} to decide[/], {len(report.unmatched)} without order code, "
        f"{report.money_out} money out, {statement.duplicate_rows} duplicate row(s) ignored"
    )
    for skipped in statement.skipped:
        err_console.print(f"[yellow]skipped[/] row {skipped.row}: {skipped.reason}")
