"""The seller's Facebook Page as the server reads it: check a Page token, list the Page's current
live videos, and read a live video's whole comment list (for `server.services.reconcile`).

Graph API calls (developers.facebook.com/docs/graph-api):

- ``GET /{page-id}?fields=id,name``: the token works for this Page;
- ``GET /{page-id}/live_videos?broadcast_status=["LIVE"]&fields=id,title,status,creation_time``:
  the lives the seller can pick;
- ``GET /{live-video-id}/comments?order=chronological&filter=stream&live_filter=no_filter``,
  following ``paging.cursors.after``: every comment, oldest first.

Errors are mapped by `server.bridges.facebook.raise_for_graph_error` (token refused, no such
video, rate limit). Tokens travel as the ``access_token`` parameter of outgoing calls only; they
are never logged or returned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from server.bridges import facebook
from server.bridges.body import CommentBody, epoch_s_from_iso

LIVE_FIELDS = "id,title,status,creation_time"
MAX_COMMENT_PAGES = 500  # 100 comments a page: 50,000 comments, more than any live we serve


@dataclass(frozen=True, slots=True)
class PageInfo:
    """A connected Page: what pages may show of it."""

    page_id: str
    name: str


@dataclass(frozen=True, slots=True)
class LiveVideo:
    """One of the Page's current live videos."""

    video_id: str
    title: str
    started_s: float | None


async def check_page(page_id: str, token: str, *, graph_url: str) -> PageInfo:
    """Ask the Graph API who the token's Page is.

    Raises:
        BridgeAuthError: the token is refused or lacks a permission.
        BridgeSourceInvalid: there is no such Page.
        ConnectionError: the Graph API cannot be reached.
    """
    async with httpx.AsyncClient() as http:
        response = await _get(
            http, f"{graph_url}/{page_id}", {"access_token": token, "fields": "id,name"}, page_id
        )
    data = response.json() if response.content else {}
    return PageInfo(str(data.get("id") or page_id), str(data.get("name") or ""))


async def current_lives(page_id: str, token: str, *, graph_url: str) -> list[LiveVideo]:
    """The Page's videos that are live now, newest first (as the Graph API lists them)."""
    params = {
        "access_token": token,
        "broadcast_status": json.dumps(["LIVE"]),
        "fields": LIVE_FIELDS,
    }
    async with httpx.AsyncClient() as http:
        response = await _get(http, f"{graph_url}/{page_id}/live_videos", params, page_id)
    rows = response.json().get("data") if response.content else []
    lives: list[LiveVideo] = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            created = row.get("creation_time")
            lives.append(
                LiveVideo(
                    row["id"],
                    str(row.get("title") or ""),
                    epoch_s_from_iso(created) if isinstance(created, str) else None,
                )
            )
    return lives


async def all_comments(video_id: str, token: str, *, graph_url: str) -> list[CommentBody]:
    """Every comment of a live video, oldest first, unfiltered (``live_filter=no_filter``)."""
    found: list[CommentBody] = []
    after: str | None = None
    params: dict[str, str | int] = {
        "access_token": token,
        "fields": facebook.FIELDS,
        "order": "chronological",
        "filter": "stream",
        "live_filter": "no_filter",
        "limit": 100,
    }
    async with httpx.AsyncClient() as http:
        for _ in range(MAX_COMMENT_PAGES):
            query = {**params, "after": after} if after else params
            response = await _get(http, f"{graph_url}/{video_id}/comments", query, video_id)
            comments, after = facebook.parse_page(response.json())
            found.extend(comments)
            if after is None or not comments:
                break
    return found


async def _get(
    http: httpx.AsyncClient, url: str, params: Mapping[str, str | int], what: str
) -> httpx.Response:
    try:
        response = await http.get(url, params=params, timeout=15.0)
    except httpx.HTTPError as exc:
        # The exception's text may hold the URL with the token: name only what failed.
        raise ConnectionError(f"Facebook cannot be reached ({type(exc).__name__})") from None
    facebook.raise_for_graph_error(response.status_code, response.text, video_id=what)
    return response
