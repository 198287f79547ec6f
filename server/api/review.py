"""The review queue (host token): orders placed on a guess, confirmed, fixed or rejected.

``GET /api/orders?review=1`` lists the queue (`server.api.orders`); the actions are here, the work
in `server.services.review`.
"""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from server.api.deps import HostAuth, LiveDep
from server.api.orders import order_out
from server.api.schemas import OrderOut
from server.services import review
from server.store import capture_queries
from server.store.capture_queries import LearnedAlias

router = APIRouter(prefix="/api", tags=["review"], dependencies=[HostAuth])


class FixLineIn(BaseModel):
    """One line the seller picked for the buyer."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=32)
    qty: int = Field(default=1, ge=1, le=999)
    size: str | None = Field(default=None, max_length=40)
    color: str | None = Field(default=None, max_length=40)


class ResolveIn(BaseModel):
    """What the seller decided about the parser's guess."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["confirm", "reject", "fix"]
    items: list[FixLineIn] = Field(default_factory=list, max_length=20)
    remember_alias: str | None = Field(default=None, max_length=200)


class AliasOut(BaseModel):
    """A phrase this live learned from a fix; ``is_saved`` once it is in the catalog file."""

    id: int
    phrase: str
    sku: str
    order_id: int | None
    is_saved: bool


class ResolveOut(BaseModel):
    """The order reviewed, the orders a fix placed, and the phrase learned (if any)."""

    order: OrderOut
    placed: list[OrderOut]
    alias: AliasOut | None


def alias_out(alias: LearnedAlias) -> AliasOut:
    """The API shape of a learned phrase."""
    return AliasOut(
        id=alias.id,
        phrase=alias.phrase,
        sku=alias.sku,
        order_id=alias.order_id,
        is_saved=alias.is_saved,
    )


@router.post("/orders/{order_id}/resolve", response_model=ResolveOut)
async def resolve_order(order_id: int, body: ResolveIn, live: LiveDep) -> ResolveOut:
    """Confirm the guess, reject it (the stock goes back) or fix it with the right lines.

    ``remember_alias`` teaches the live that this phrase names the (fixed) product, for the rest
    of the live; ``POST /api/aliases/{id}/save`` writes it into the catalog.
    """
    lines = [review.FixLine(i.sku, i.qty, i.size, i.color) for i in body.items]
    done = await review.resolve(
        live, order_id, body.action, lines=lines, remember_alias=body.remember_alias
    )
    return ResolveOut(
        order=await order_out(live, done.order_id),
        placed=[await order_out(live, placed) for placed in done.placed],
        alias=alias_out(done.alias) if done.alias is not None else None,
    )


class UnplacedOut(BaseModel):
    """An order comment that made no order yet: which size, colour or product is missing."""

    comment_ref: int
    viewer_id: int
    user_name: str
    text: str
    received_at: float
    reason: str | None
    rule: str
    items: list[dict[str, object]]


class PlaceIn(BaseModel):
    """The lines the seller chose for a comment that made no order."""

    model_config = ConfigDict(extra="forbid")

    items: list[FixLineIn] = Field(min_length=1, max_length=20)
    remember_alias: str | None = Field(default=None, max_length=200)


@router.get("/review/unplaced", response_model=list[UnplacedOut])
async def list_unplaced(live: LiveDep) -> list[UnplacedOut]:
    """Order comments that made no order for a reason the seller can settle (which size?),
    oldest first: placed from here, they keep their buyer and their comment."""
    session_id = live.session_id
    found = await live.read(lambda conn: capture_queries.unplaced_comments(conn, session_id))
    return [
        UnplacedOut(
            comment_ref=c.id,
            viewer_id=c.viewer_id,
            user_name=c.user_name,
            text=c.text,
            received_at=c.received_at,
            reason=c.reason,
            rule=c.rule,
            items=json.loads(c.items_json).get("items", []),
        )
        for c in found
    ]


@router.post("/review/unplaced/{comment_ref}", response_model=ResolveOut)
async def place_unplaced(comment_ref: int, body: PlaceIn, live: LiveDep) -> ResolveOut:
    """Place the chosen lines for the comment's buyer (``review: fixed``)."""
    lines = [review.FixLine(i.sku, i.qty, i.size, i.color) for i in body.items]
    done = await review.place_for_comment(
        live, comment_ref, lines, remember_alias=body.remember_alias
    )
    return ResolveOut(
        order=await order_out(live, done.order_id),
        placed=[await order_out(live, placed) for placed in done.placed],
        alias=alias_out(done.alias) if done.alias is not None else None,
    )


@router.get("/aliases", response_model=list[AliasOut])
async def list_aliases(live: LiveDep) -> list[AliasOut]:
    """The phrases this live learned from the seller's fixes, oldest first."""
    session_id = live.session_id
    found = await live.read(lambda conn: capture_queries.list_aliases(conn, session_id))
    return [alias_out(alias) for alias in found]


@router.post("/aliases/{alias_id}/save", response_model=AliasOut)
async def save_alias(alias_id: int, live: LiveDep) -> AliasOut:
    """Write a learned phrase into the catalog file as an alias of its product."""
    return alias_out(await review.save_alias(live, alias_id))
