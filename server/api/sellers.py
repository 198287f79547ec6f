"""The seller's own platform accounts (host token): their comments are never orders."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from server.api.deps import HostAuth, LiveDep
from server.services import sellers
from server.store.capture_queries import SellerAccount
from studio.errors import ViewerNotFound

router = APIRouter(prefix="/api", tags=["sellers"], dependencies=[HostAuth])


class SellerIn(BaseModel):
    """An account by platform and user id, or a viewer seen in the chat (``viewer_id``)."""

    model_config = ConfigDict(extra="forbid")

    platform: str | None = Field(default=None, max_length=32)
    user_id: str | None = Field(default=None, max_length=200)
    user_name: str = Field(default="", max_length=200)
    viewer_id: int | None = None


class SellerOut(BaseModel):
    """One of the seller's accounts."""

    id: int
    platform: str
    user_id: str
    user_name: str


def _out(account: SellerAccount) -> SellerOut:
    return SellerOut(
        id=account.id,
        platform=account.platform,
        user_id=account.user_id,
        user_name=account.user_name,
    )


@router.get("/sellers", response_model=list[SellerOut])
async def list_sellers(live: LiveDep) -> list[SellerOut]:
    """The accounts marked as the seller's own."""
    return [_out(account) for account in await sellers.list_accounts(live)]


@router.post("/sellers", response_model=SellerOut)
async def add_seller(body: SellerIn, live: LiveDep) -> SellerOut:
    """Mark an account as the seller's: its comments from now on are shown, never ordered."""
    account = await sellers.add_account(
        live,
        platform=body.platform,
        user_id=body.user_id,
        user_name=body.user_name,
        viewer_id=body.viewer_id,
    )
    return _out(account)


@router.delete("/sellers/{account_id}")
async def remove_seller(account_id: int, live: LiveDep) -> dict[str, bool]:
    """Forget one of the seller's accounts (its next comments are read as a buyer's)."""
    if not await sellers.remove_account(live, account_id):
        raise ViewerNotFound(f"no seller account {account_id}", hint="refresh the list")
    return {"removed": True}
