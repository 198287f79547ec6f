"""The buyer book for the host: one person across platforms and lives (host token).

``GET /api/buyers/{platform}/{user_id}`` is the buyer's card (names, phones, history, flags,
note, other buyers with the same phone); ``GET /api/buyers/id/{buyer_id}`` the same by id;
``PATCH /api/buyers/{buyer_id}`` sets the flags (``deposit``, ``blocked``) and the note;
``POST /api/buyers/{buyer_id}/merge`` makes two buyers one; ``GET /api/buyers.csv`` exports
the book and ``POST /api/buyers.csv`` imports one.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.payments import read_capped
from server.events import EventLog
from server.services import buyers as book
from server.services.buyers import BuyerCard
from studio.sheets import excel_csv

router = APIRouter(prefix="/api", tags=["buyers"], dependencies=[HostAuth])


class AccountOut(BaseModel):
    """A platform account of the buyer."""

    platform: str
    user_id: str
    user_name: str


class HistoryCartOut(BaseModel):
    """One cart in the buyer's history."""

    code: str
    live_id: int
    state: str
    total: str
    received: str
    currency: str
    created_at: float


class SamePhoneOut(BaseModel):
    """Another buyer whose carts or comments gave one of this buyer's phones (merge it?)."""

    buyer_id: int
    user_name: str


class ImportOut(BaseModel):
    """What an import of the book did."""

    rows: int
    created: int
    updated: int
    merged: int
    skipped: list[str]


class BuyerOut(BaseModel):
    """The buyer's card."""

    buyer_id: int
    names: list[str]
    phones: list[str]
    addresses: list[str]
    accounts: list[AccountOut]
    lives: int
    carts: int
    paid: int
    delivered: int
    returned: int
    cancelled_lines: int
    owed: str
    flags: list[str]
    note: str
    history: list[HistoryCartOut]
    same_phone: list[SamePhoneOut] = []


FlagName = Literal["deposit", "blocked"]


class BuyerPatch(BaseModel):
    """The seller's flags and note (fields left out are kept): ``{"blocked": true}``, or
    ``{"flags": ["deposit"]}`` (exactly these set, the others cleared), or
    ``{"flags": {"blocked": false}}``."""

    model_config = ConfigDict(extra="forbid")

    deposit: bool | None = None
    blocked: bool | None = None
    flags: list[FlagName] | dict[FlagName, bool] | None = None
    note: str | None = Field(default=None, max_length=2000)

    def wanted(self, name: FlagName) -> bool | None:
        """The value asked for one flag, None when the body leaves it alone."""
        if isinstance(self.flags, list):
            return name in self.flags
        if isinstance(self.flags, dict) and name in self.flags:
            return self.flags[name]
        return self.deposit if name == "deposit" else self.blocked


class MergeIn(BaseModel):
    """The other buyer to fold into this one."""

    model_config = ConfigDict(extra="forbid")

    other: int = Field(ge=1)


def buyer_out(c: BuyerCard) -> BuyerOut:
    """The card as the API shows it."""
    return BuyerOut(
        buyer_id=c.buyer_id,
        names=list(c.names),
        phones=list(c.phones),
        addresses=list(c.addresses),
        accounts=[AccountOut(platform=p, user_id=u, user_name=n) for p, u, n in c.accounts],
        lives=c.lives,
        carts=c.carts,
        paid=c.paid,
        delivered=c.delivered,
        returned=c.returned,
        cancelled_lines=c.cancelled_lines,
        owed=str(c.owed),
        flags=c.flags,
        note=c.note,
        history=[
            HistoryCartOut(
                code=h.code,
                live_id=h.live_id,
                state=h.state,
                total=str(h.total),
                received=str(h.received),
                currency=h.currency,
                created_at=h.created_at,
            )
            for h in c.history
        ],
        same_phone=[SamePhoneOut(buyer_id=b, user_name=n) for b, n in c.same_phone],
    )


class RulesBody(BaseModel):
    """Flags that follow from returned parcels (0: off)."""

    model_config = ConfigDict(extra="forbid")

    deposit_after_returned: int = Field(default=0, ge=0, le=100)
    block_after_returned: int = Field(default=0, ge=0, le=100)


@router.get("/buyers/rules", response_model=RulesBody)
async def get_rules(live: LiveDep) -> RulesBody:
    """The seller's rules: after how many returned parcels a buyer is asked for a deposit, or
    blocked (0: never)."""
    rules = await live.read(book.load_rules)
    return RulesBody(
        deposit_after_returned=rules.deposit_after_returned,
        block_after_returned=rules.block_after_returned,
    )


@router.put("/buyers/rules", response_model=RulesBody)
async def put_rules(body: RulesBody, live: LiveDep) -> RulesBody:
    """Set the rules; they apply from the next parcel marked ``returned``."""
    rules = book.Rules(body.deposit_after_returned, body.block_after_returned)
    await live.write(lambda conn, _log: book.save_rules(conn, rules))
    return body


@router.get("/buyers.csv", response_class=Response)
async def export_buyers(live: LiveDep) -> Response:
    """The whole book as CSV (UTF-8 with a BOM; text cells kept text by `studio.sheets`)."""
    body = await live.read(lambda conn: excel_csv(book.CSV_COLUMNS, book.csv_rows(conn)))
    return Response(
        content=body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="buyers.csv"'},
    )


MAX_BOOK_BYTES = 20 * 1024 * 1024


@router.post("/buyers.csv", response_model=ImportOut)
async def import_buyers(request: Request, live: LiveDep) -> ImportOut:
    """Import a book (request body: the CSV ``GET /api/buyers.csv`` writes, ≤ 20 MiB): each
    row's accounts become one buyer with the row's flags and note."""
    data = await read_capped(request, MAX_BOOK_BYTES, hint="split the book into smaller files")

    def work(conn: Connection, log: EventLog) -> ImportOut:
        report = book.import_csv(conn, data, now=log.now)
        return ImportOut(
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            merged=report.merged,
            skipped=list(report.skipped),
        )

    return await live.write(work)


@router.get("/buyers/id/{buyer_id}", response_model=BuyerOut)
async def get_buyer_by_id(buyer_id: int, live: LiveDep) -> BuyerOut:
    """The buyer's card by buyer id (as ``GET /api/carts`` gives it)."""
    return buyer_out(await live.read(lambda conn: book.card(conn, buyer_id)))


@router.get("/buyers/{platform}/{user_id}", response_model=BuyerOut)
async def get_buyer(platform: str, user_id: str, live: LiveDep) -> BuyerOut:
    """The card of the buyer behind a platform account, across every live."""

    def read(conn: Connection) -> BuyerCard:
        return book.card(conn, book.buyer_id_of(conn, platform, user_id))

    return buyer_out(await live.read(read))


@router.patch("/buyers/{buyer_id}", response_model=BuyerOut)
async def patch_buyer(buyer_id: int, body: BuyerPatch, live: LiveDep) -> BuyerOut:
    """Set ``deposit`` (ask for a transfer before shipping), ``blocked`` (the buyer's comments
    never order, in every live) or the note."""

    blocked = body.wanted("blocked")

    def work(conn: Connection, log: EventLog) -> BuyerCard:
        updated = book.update(
            conn, buyer_id, deposit=body.wanted("deposit"), blocked=blocked, note=body.note
        )
        if blocked:
            for viewer_id in book.viewer_ids(conn, buyer_id):
                log.emit("viewer_blocked", {"viewer_id": viewer_id})
        return updated

    return buyer_out(await live.write(work))


@router.post("/buyers/{buyer_id}/merge", response_model=BuyerOut)
async def merge_buyers(buyer_id: int, body: MergeIn, live: LiveDep) -> BuyerOut:
    """Fold buyer ``other`` into this one (the seller confirmed they are one person)."""
    return buyer_out(await live.write(lambda conn, _log: book.merge(conn, buyer_id, body.other)))
