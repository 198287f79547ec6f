"""Facebook Live comments through the Graph API: the ``live_comments`` Server-Sent-Events stream,
with polling of the video's ``comments`` edge as the fallback.

A comment object is ``{"id", "message", "created_time": "2018-08-30T18:47:02+0000",
"from": {"id", "name"}}`` in both the stream (one object per ``data:`` event) and the edge
(``{"data": [...], "paging": {"cursors": {"after"}}}``). ``from`` is only present when the token
is a Page access token of the Page that broadcasts; without it the author stays anonymous and
gets a stand-in id (see `server.bridges.body.stand_in_user_id`).

Permissions and where to find the video id and token: docs/bridges.md, "Facebook Live".
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import httpx

from server.bridges.body import CommentBody, Parsed, epoch_s_from_iso, stand_in_user_id
from server.bridges.sse import SseDecoder, decode_text
from studio.errors import BridgeAuthError, BridgeSourceInvalid

PLATFORM = "facebook"
STREAMING_URL = "https://streaming-graph.facebook.com"
GRAPH_URL = "https://graph.facebook.com"
CommentRate = Literal["one_per_two_seconds", "ten_per_second", "one_hundred_per_second"]
FIELDS = "id,message,created_time,from{id,name}"

# Graph API error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
_AUTH_CODES = frozenset({102, 190})
_PERMISSION_CODES = frozenset({10, 200, 210, 283})
_RATE_CODES = frozenset({4, 17, 32, 613, 80001})

logger = logging.getLogger(__name__)


class RateLimited(ConnectionError):
    """The Graph API asked us to slow down; the caller waits `retry_after_s` before retrying."""

    def __init__(self, message: str, *, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def parse_comment(obj: object) -> CommentBody | None:
    """Turn one Graph API comment object into a body (None without an id or message)."""
    if not isinstance(obj, dict):
        return None
    comment_id, message = obj.get("id"), obj.get("message")
    if not isinstance(comment_id, str) or not comment_id or not isinstance(message, str):
        return None
    author = obj.get("from") if isinstance(obj.get("from"), dict) else {}
    assert isinstance(author, dict)
    name = str(author.get("name") or "")
    user_id = str(author.get("id") or "") or stand_in_user_id(PLATFORM, name)
    created = obj.get("created_time")
    ts = epoch_s_from_iso(created) if isinstance(created, str) else None
    return CommentBody(PLATFORM, comment_id, user_id, name, message, ts)


def parse_page(page: object) -> tuple[list[CommentBody], str | None]:
    """Return the comments of one ``/comments`` edge page and its ``after`` cursor (or None)."""
    if not isinstance(page, dict):
        return [], None
    rows = page.get("data") if isinstance(page.get("data"), list) else []
    assert isinstance(rows, list)
    comments = [c for row in rows if (c := parse_comment(row)) is not None]
    paging = page.get("paging") if isinstance(page.get("paging"), dict) else {}
    assert isinstance(paging, dict)
    cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
    assert isinstance(cursors, dict)
    after = cursors.get("after")
    return comments, after if isinstance(after, str) and after else None


def parse_text(text: str) -> Iterator[Parsed]:
    """Yield the comments of a recorded file: an SSE capture, an edge page, or JSON Lines."""
    stripped = text.strip()
    if stripped.startswith(("data:", "event:", ":", "id:")):
        for event in decode_text(stripped):
            try:
                parsed = parse_comment(json.loads(event.data))
            except json.JSONDecodeError:
                continue
            if parsed is not None:
                yield parsed
        return
    try:
        whole: object = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict) and "data" in whole:
        yield from parse_page(whole)[0]
        return
    rows = whole if isinstance(whole, list) else None
    if rows is None:
        rows = []
        for line in stripped.splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    for row in rows:
        parsed = parse_comment(row)
        if parsed is not None:
            yield parsed


def looks_like(sample: str) -> bool:
    """Tell whether the start of a file is Graph API comments (SSE capture or JSON)."""
    return '"created_time"' in sample and '"message"' in sample


@dataclass(frozen=True, slots=True)
class GraphErrorInfo:
    """The fields of a Graph API error body we act on."""

    code: int
    message: str


def graph_error(body: str) -> GraphErrorInfo | None:
    """Read ``{"error": {"code", "message"}}`` from a Graph API answer, if it is one."""
    try:
        error = json.loads(body).get("error")
    except (json.JSONDecodeError, AttributeError):
        return None
    if not isinstance(error, dict):
        return None
    return GraphErrorInfo(int(error.get("code") or 0), str(error.get("message") or ""))


def raise_for_graph_error(status: int, body: str, *, video_id: str) -> None:
    """Turn an error answer into the exception the bridge acts on (nothing for 2xx).

    Raises:
        BridgeAuthError: token expired, invalid, or lacking a permission (not retried).
        BridgeSourceInvalid: the video id does not exist or is not a live video.
        RateLimited: the app or Page hit a rate limit (retried after a pause).
        ConnectionError: anything else (retried with back-off).
    """
    if status < 400:
        return
    info = graph_error(body) or GraphErrorInfo(0, body[:200])
    if info.code in _AUTH_CODES or status == 401:
        raise BridgeAuthError(
            f"Facebook refused the Page access token: {info.message}",
            hint="the token expired or was revoked; make a new Page access token "
            "(docs/bridges.md, Facebook Live) and pass it with --facebook-token",
        )
    if info.code in _PERMISSION_CODES or status == 403:
        raise BridgeAuthError(
            f"the Page access token may not read comments of video {video_id}: {info.message}",
            hint="grant pages_read_engagement and pages_read_user_content to the token "
            "(docs/bridges.md, Facebook Live)",
        )
    if info.code in _RATE_CODES or status == 429:
        raise RateLimited(f"Facebook rate limit: {info.message}", retry_after_s=60.0)
    if info.code == 100 or status == 404:
        raise BridgeSourceInvalid(
            f"Facebook has no live video {video_id}: {info.message}",
            hint="copy the id of the live video, not of the post or the Page",
        )
    raise ConnectionError(f"Facebook answered HTTP {status}: {info.message}")


class SeenIds:
    """A bounded memory of recent comment ids, so polling never sends a comment twice."""

    def __init__(self, max_ids: int = 20_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._max_ids = max_ids

    def add(self, comment_id: str) -> bool:
        """Remember an id; return False if it was already seen."""
        if comment_id in self._ids:
            return False
        self._ids[comment_id] = None
        if len(self._ids) > self._max_ids:
            self._ids.popitem(last=False)
        return True


async def stream_comments(
    http: httpx.AsyncClient,
    video_id: str,
    token: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    rate: CommentRate = "ten_per_second",
    streaming_url: str = STREAMING_URL,
    on_connected: Callable[[], None] = lambda: None,
) -> None:
    """Read the ``live_comments`` SSE stream until it ends (the live ended or the link dropped)."""
    params = {"access_token": token, "comment_rate": rate, "fields": FIELDS}
    url = f"{streaming_url}/{video_id}/live_comments"
    timeout = httpx.Timeout(15.0, read=None)  # the stream is silent between comments
    async with http.stream("GET", url, params=params, timeout=timeout) as response:
        if response.status_code >= 400:
            body = (await response.aread()).decode("utf-8", "replace")
            raise_for_graph_error(response.status_code, body, video_id=video_id)
        on_connected()
        decoder = SseDecoder()
        async for line in response.aiter_lines():
            event = decoder.feed_line(line)
            if event is None:
                continue
            try:
                parsed = parse_comment(json.loads(event.data))
            except json.JSONDecodeError:
                logger.warning("facebook: skipped a stream event that is not JSON")
                continue
            if parsed is not None:
                await on_item(parsed)


async def poll_comments(
    http: httpx.AsyncClient,
    video_id: str,
    token: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    interval_s: float = 3.0,
    graph_url: str = GRAPH_URL,
    on_connected: Callable[[], None] = lambda: None,
    max_polls: int | None = None,
) -> None:
    """Poll the ``comments`` edge in chronological order, following the ``after`` cursor."""
    seen = SeenIds()
    after: str | None = None
    polls = 0
    while max_polls is None or polls < max_polls:
        response = await _get_comments(
            http, video_id, token, order="chronological", after=after, graph_url=graph_url
        )
        if polls == 0:
            on_connected()
        polls += 1
        comments, next_after = parse_page(response.json())
        for comment in comments:
            if seen.add(comment.comment_id):
                await on_item(comment)
        after = next_after or after
        if not next_after or not comments:
            await asyncio.sleep(interval_s)


@dataclass(slots=True)
class Resume:
    """What a Facebook source remembers between connections: the newest comment's time."""

    last_ts: float | None = None


async def catch_up(
    http: httpx.AsyncClient,
    video_id: str,
    token: str,
    since_ts: float,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    graph_url: str = GRAPH_URL,
    max_pages: int = 10,
) -> int:
    """Deliver the comments written while the stream was down, oldest first.

    The SSE stream has no resume point, so after a drop the comments edge is read newest first
    until it reaches `since_ts`. Comments at exactly `since_ts` are sent again; the server
    answers ``duplicate`` for those.

    Returns:
        How many comments were delivered.
    """
    found: list[CommentBody] = []
    after: str | None = None
    for _ in range(max_pages):
        response = await _get_comments(
            http, video_id, token, order="reverse_chronological", after=after, graph_url=graph_url
        )
        comments, after = parse_page(response.json())
        newer = [c for c in comments if c.ts is None or c.ts >= since_ts]
        found.extend(newer)
        if len(newer) < len(comments) or after is None:
            break
    for comment in reversed(found):
        await on_item(comment)
    return len(found)


async def listen(
    video_id: str,
    token: str,
    on_item: Callable[[Parsed], Awaitable[None]],
    *,
    rate: CommentRate = "ten_per_second",
    streaming_url: str = STREAMING_URL,
    graph_url: str = GRAPH_URL,
    on_connected: Callable[[], None] = lambda: None,
    resume: Resume | None = None,
) -> None:
    """Follow a live video's comments: the SSE stream first, polling if the stream is refused.

    With `resume` from an earlier connection, the comments written during the gap are fetched
    first (`catch_up`). Auth errors are raised at once (retrying cannot fix a dead token); a
    stream that fails for another reason falls back to polling, which runs until cancelled.
    """
    if not token:
        raise BridgeSourceInvalid(
            "the Facebook bridge needs a Page access token",
            hint="pass --facebook-token or set FACEBOOK_PAGE_TOKEN (docs/bridges.md, Facebook Live)",
        )
    state = resume if resume is not None else Resume()

    async def remember(item: Parsed) -> None:
        if isinstance(item, CommentBody) and item.ts is not None:
            state.last_ts = max(state.last_ts or item.ts, item.ts)
        await on_item(item)

    async with httpx.AsyncClient() as http:
        if state.last_ts is not None:
            await catch_up(http, video_id, token, state.last_ts, remember, graph_url=graph_url)
        try:
            await stream_comments(
                http,
                video_id,
                token,
                remember,
                rate=rate,
                streaming_url=streaming_url,
                on_connected=on_connected,
            )
            return
        except (BridgeAuthError, BridgeSourceInvalid, RateLimited):
            raise
        except (httpx.HTTPError, ConnectionError) as exc:
            logger.warning("facebook: live_comments stream failed (%s); polling instead", exc)
        await poll_comments(
            http, video_id, token, remember, graph_url=graph_url, on_connected=on_connected
        )


async def _get_comments(
    http: httpx.AsyncClient,
    video_id: str,
    token: str,
    *,
    order: Literal["chronological", "reverse_chronological"],
    after: str | None,
    graph_url: str,
) -> httpx.Response:
    """GET one page of the ``comments`` edge; raise the mapped error if the Graph API refused."""
    params: dict[str, str | int] = {
        "access_token": token,
        "fields": FIELDS,
        "order": order,
        "filter": "stream",
        # The default, filter_low_quality, may hide short comments such as "A12 x2".
        "live_filter": "no_filter",
        "limit": 100,
    }
    if after:
        params["after"] = after
    response = await http.get(f"{graph_url}/{video_id}/comments", params=params, timeout=15.0)
    raise_for_graph_error(response.status_code, response.text, video_id=video_id)
    return response
