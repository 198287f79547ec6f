"""Bank statement export layouts as data: which header texts name which column, per bank.

Where each layout's column names come from is in docs/payments.md ("Statement layouts").
Adding a bank is adding one ``StatementLayout`` to ``LAYOUTS``; ``statement.py`` does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatementLayout:
    """Column names of one bank's export; each tuple lists accepted header texts.

    Header texts are compared after removing diacritics, case and punctuation, against the whole
    cell and against each part of a bilingual cell split on "/" or a line break.
    """

    name: str
    bank: str
    date: tuple[str, ...]
    memo: tuple[str, ...]
    credit: tuple[str, ...] = ()
    debit: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()  # one signed column instead of credit + debit
    reference: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()


LAYOUTS: tuple[StatementLayout, ...] = (
    StatementLayout(
        name="vietcombank",
        bank="Vietcombank",
        date=("ngay giao dich", "ngay gd", "transaction date"),
        reference=("so tham chieu", "reference no", "so ct"),
        debit=("so tien ghi no", "ghi no"),
        credit=("so tien ghi co", "ghi co"),
        memo=("mo ta", "dien giai", "narrative"),
    ),
    StatementLayout(
        name="techcombank",
        bank="Techcombank",
        date=("ngay giao dich", "transaction date"),
        reference=("so but toan", "reference number", "transaction no"),
        memo=("dien giai", "description", "details"),
        debit=("no",),
        credit=("co",),
        balance=("so du", "running balance"),
    ),
    StatementLayout(
        name="mb",
        bank="MB",
        date=("ngay hach toan", "posting date", "ngay giao dich"),
        reference=("so but toan", "ma giao dich", "so tham chieu"),
        debit=("phat sinh no",),
        credit=("phat sinh co",),
        balance=("so du",),
        memo=("noi dung", "dien giai", "description"),
    ),
    StatementLayout(
        name="acb",
        bank="ACB",
        date=("ngay giao dich", "ngay hieu luc"),
        reference=("so gd", "so giao dich"),
        memo=("noi dung", "noi dung giao dich"),
        credit=("gui vao", "tien gui vao"),
        debit=("rut ra", "tien rut ra"),
        balance=("so du",),
    ),
    StatementLayout(
        name="generic",
        bank="",
        date=("date", "ngay", "transaction date", "ngay giao dich"),
        memo=("description", "memo", "content", "noi dung", "dien giai", "mo ta"),
        credit=("credit", "money in"),
        debit=("debit", "money out"),
        amount=("amount", "so tien"),
        reference=("reference", "id", "transaction id"),
        balance=("balance",),
    ),
)
LAYOUTS_BY_NAME: dict[str, StatementLayout] = {layout.name: layout for layout in LAYOUTS}
