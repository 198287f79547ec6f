"""The seller's own platform accounts: the host's and staff's comments are never orders.

The host posts "Shop ghi nhận: bạn Minh 1 đôi B3 size 40" and syntax examples; staff answer
questions. Accounts are kept across lives (they are the shop's, not one live's) and every server
process learns of a change through a ``capture`` event.
"""

from __future__ import annotations

from sqlalchemy import Connection

from server.events import EventLog
from server.live import Live
from server.store import capture_queries, viewer_queries
from server.store.capture_queries import SellerAccount
from studio.errors import InputError, ViewerNotFound


async def add_account(
    live: Live,
    *,
    platform: str | None = None,
    user_id: str | None = None,
    user_name: str = "",
    viewer_id: int | None = None,
) -> SellerAccount:
    """Mark an account as the seller's: by platform and user id, or by a viewer seen in the chat.

    Raises:
        InputError: neither a viewer nor a platform and user id was given.
        ViewerNotFound: no viewer with that id.
    """

    def work(conn: Connection, log: EventLog) -> SellerAccount:
        nonlocal platform, user_id, user_name
        if viewer_id is not None:
            viewer = viewer_queries.get_viewer(conn, viewer_id)
            if viewer is None:
                raise ViewerNotFound(f"no viewer {viewer_id}", hint="refresh the comments")
            platform, user_id, user_name = viewer.platform, viewer.user_id, viewer.user_name
        if not platform or not user_id:
            raise InputError(
                "give the account's platform and user id, or pick it in the comments",
                hint="pick one of the shop's comments and mark it as the shop's account",
            )
        account = capture_queries.add_seller_account(
            conn, platform, user_id, user_name, now=log.now
        )
        log.emit("capture", {"kind": "sellers"})
        return account

    account = await live.write(work)
    await live.reload_capture()
    return account


async def remove_account(live: Live, account_id: int) -> bool:
    """Forget one of the seller's accounts; False when there was none with that id."""

    def work(conn: Connection, log: EventLog) -> bool:
        removed = capture_queries.remove_seller_account(conn, account_id)
        if removed:
            log.emit("capture", {"kind": "sellers"})
        return removed

    removed = await live.write(work)
    await live.reload_capture()
    return removed


async def list_accounts(live: Live) -> list[SellerAccount]:
    """Every account the seller marked as their own, oldest first."""
    return await live.read(capture_queries.list_seller_accounts)
