"""Deliver comment bodies to a live server's ``POST /api/comments``: batches, retries, status.

`IngestClient.submit` puts a comment in the `Outbox` (on disk); `IngestClient.run` sends the
oldest comments in batches, in order. A server that is down, restarting or overloaded is retried
with exponential back-off and full jitter (`backoff_delay_s`); the batch stays in the outbox
until the server has answered for it. The server dedupes ``(platform, comment_id)``, so a batch
re-sent after a lost answer comes back as ``duplicate`` and counts once. A comment the server
refuses for good (any other 4xx: an unusable body, text it cannot store) is dropped and logged,
never retried, so it cannot hold up the comments behind it (`IngestClient.run`).

A refused ingest token stops the client with a `BridgeAuthError` that says what to renew.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from server.bridges.body import CommentBody, dump_json_text
from server.bridges.outbox import Outbox, Queued
from studio.errors import BridgeAuthError

logger = logging.getLogger(__name__)

LinkState = Literal["starting", "connected", "reconnecting", "stopped"]


def backoff_delay_s(attempt: int, *, base_s: float, cap_s: float, rand: float) -> float:
    """Return the wait before retry number `attempt` (0-based): full jitter over an exponential cap.

    Args:
        attempt: how many tries have failed in a row, minus one.
        base_s: the first cap.
        cap_s: the largest cap.
        rand: a number in [0, 1) (``random.random()``; fixed in tests).
    """
    ceiling = min(cap_s, base_s * 2.0 ** min(attempt, 30))
    return ceiling * rand


@dataclass(slots=True)
class LinkStatus:
    """What the status line shows for one connection (a platform source or the server link).

    Attributes:
        state: connected / reconnecting / ...
        comments: comments handled in total.
        last_error: the last failure, for the seller ("" when none).
    """

    state: LinkState = "starting"
    comments: int = 0
    events: int = 0
    last_error: str = ""
    _recent: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))

    def count(self, now_s: float) -> None:
        """Record one comment at `now_s` (monotonic seconds)."""
        self.comments += 1
        self._recent.append(now_s)

    def per_minute(self, now_s: float) -> int:
        """Return how many comments were counted in the last 60 s."""
        while self._recent and self._recent[0] < now_s - 60.0:
            self._recent.popleft()
        return len(self._recent)


@dataclass(slots=True)
class DeliveryCounts:
    """How the server answered, comment by comment."""

    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    orders: int = 0


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """Where and how to deliver.

    Attributes:
        server_url: the live server's base URL (``http://127.0.0.1:8000``).
        token: the ingest token.
        batch_size: most comments per request.
        base_backoff_s, max_backoff_s: retry waits (see `backoff_delay_s`).
        timeout_s: per request.
    """

    server_url: str
    token: str
    batch_size: int = 50
    base_backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    timeout_s: float = 10.0


class ServerUnavailable(ConnectionError):
    """The server answered 5xx/429 or could not be reached; the batch is retried."""

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class IngestClient:
    """Send comments from an `Outbox` to ``POST /api/comments``.

    Args:
        options: server, token, batching and back-off.
        outbox: where submitted comments wait.
        http: an ``httpx.AsyncClient`` owned by the caller.
        on_result: called with every per-comment answer (a dict as the server sent it).
    """

    def __init__(
        self,
        options: ClientOptions,
        outbox: Outbox,
        http: httpx.AsyncClient,
        *,
        on_result: Callable[[dict[str, Any]], None] = lambda r: None,
    ) -> None:
        self.options = options
        self.outbox = outbox
        self.link = LinkStatus()
        self.counts = DeliveryCounts()
        self._http = http
        self._on_result = on_result
        self._batch_size = options.batch_size  # halved while the server answers 413
        self.last_delivery_s = time.monotonic()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def endpoint(self) -> str:
        """The full ingest URL."""
        return self.options.server_url.rstrip("/") + "/api/comments"

    def submit(self, body: CommentBody) -> bool:
        """Queue one comment for delivery; False if the outbox is full (counted as dropped)."""
        stored = self.outbox.push(body)
        if stored:
            self._idle.clear()
            self._wake.set()
        return stored

    async def drain(self) -> None:
        """Wait until every queued comment has been answered by the server."""
        if len(self.outbox):
            self._idle.clear()
            self._wake.set()
        await self._idle.wait()

    async def run(self) -> None:
        """Deliver forever (until cancelled): oldest first, one batch at a time.

        How the server's answer is handled (the one place every bridge and replay posts through):

        - 2xx: each comment's answer is recorded and the batch leaves the outbox;
        - 5xx, 408, 425, 429, an answer that is not JSON, or no connection: the batch is kept
          and retried with exponential back-off (``Retry-After`` when the server gives one);
        - any other 4xx: the server will never take this body. A batch is split to find the
          comment(s) at fault; a single comment is dropped, logged and counted as rejected,
          so one bad comment never blocks the ones behind it;
        - 401, 403: the token is wrong for every comment: stop with `BridgeAuthError`.

        Raises:
            BridgeAuthError: when the server refuses the ingest token.
        """
        attempt = 0
        while True:
            batch = self.outbox.peek(self._batch_size)
            if not batch:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                await self._deliver(batch)
            except (httpx.TransportError, ServerUnavailable) as exc:
                self.link.state = "reconnecting"
                self.link.last_error = _describe(exc)
                retry_after = exc.retry_after_s if isinstance(exc, ServerUnavailable) else None
                delay = retry_after or backoff_delay_s(
                    attempt,
                    base_s=self.options.base_backoff_s,
                    cap_s=self.options.max_backoff_s,
                    rand=random.random(),
                )
                attempt += 1
                logger.info("server unavailable (%s); retry in %.1f s", self.link.last_error, delay)
                await asyncio.sleep(delay)
                continue
            attempt = 0
            self.link.state = "connected"

    async def _deliver(self, batch: list[Queued]) -> None:
        """Post `batch` and record the answers, dropping what the server refuses for good.

        Raises:
            httpx.TransportError, ServerUnavailable: nothing more of the batch was answered
                (what was answered already has left the outbox).
        """
        try:
            results = await self._post([q.body for q in batch])
        except _PayloadTooLarge:
            if len(batch) == 1:  # one comment the server will never take
                self._drop(batch[0], "too large for the server (HTTP 413)")
            else:
                self._batch_size = max(1, len(batch) // 2)
            return
        except _Refused as exc:
            if len(batch) == 1:
                self._drop(batch[0], str(exc))
                return
            for queued in batch:  # find the comment(s) at fault, deliver the rest in order
                await self._deliver([queued])
            return
        self._batch_size = self.options.batch_size
        self._record(batch, results)

    def _drop(self, queued: Queued, reason: str) -> None:
        """Take a comment the server refused for good out of the outbox, and say so."""
        body = queued.body
        logger.warning(
            "dropped comment %s/%s from %r: %s",
            body.platform,
            body.comment_id,
            body.user_name,
            reason,
        )
        self.link.last_error = f"dropped comment {body.comment_id}: {reason}"
        self._record([queued], [_rejected(queued, reason)])

    def _record(self, batch: list[Queued], results: list[dict[str, Any]]) -> None:
        now = time.monotonic()
        for result in results:
            status = result.get("status")
            if status == "accepted":
                self.counts.accepted += 1
                if result.get("order"):
                    self.counts.orders += 1
            elif status == "duplicate":
                self.counts.duplicate += 1
            elif status == "rejected":
                self.counts.rejected += 1
            self._on_result(result)
        self.last_delivery_s = now
        for _ in batch:
            self.link.count(now)
        self.outbox.ack([q.seq for q in batch])

    async def _post(self, bodies: list[CommentBody]) -> list[dict[str, Any]]:
        response = await self._http.post(
            self.endpoint,
            content=dump_json_text([b.to_json() for b in bodies]).encode("utf-8"),
            headers={
                "Authorization": f"Bearer {self.options.token}",
                "Content-Type": "application/json",
            },
            timeout=self.options.timeout_s,
        )
        code = response.status_code
        if code in (401, 403):
            raise BridgeAuthError(
                f"the live server at {self.options.server_url} refused the ingest token (HTTP {code})",
                hint="copy the ingest token printed by `livestall live serve` into "
                "LIVESTALL_INGEST_TOKEN, or run the bridge on the server's machine",
            )
        if code == 413:
            raise _PayloadTooLarge()
        if code in RETRIED_4XX or code >= 500:
            retry_after = _retry_after_s(response.headers.get("Retry-After"))
            raise ServerUnavailable(f"HTTP {code}", retry_after_s=retry_after)
        if 400 <= code < 500:
            raise _Refused(f"HTTP {code} {response.text[:300]}".strip())
        if code >= 300:
            raise ServerUnavailable(f"unexpected HTTP {code}")
        try:
            return _results(response.json(), bodies)
        except ValueError:  # a proxy's page, a cut answer: nothing was recorded as answered
            raise ServerUnavailable(f"HTTP {code} but the answer is not JSON") from None


# 4xx answers that mean "not now" rather than "never": timeout, too early, rate limited.
RETRIED_4XX = frozenset({408, 425, 429})


class _PayloadTooLarge(Exception):
    pass


class _Refused(Exception):
    """A 4xx answer: the server will never take this body as it is."""


def _rejected(queued: Queued, reason: str) -> dict[str, Any]:
    return {"comment_id": queued.body.comment_id, "status": "rejected", "reason": reason}


def _retry_after_s(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _results(payload: object, bodies: list[CommentBody]) -> list[dict[str, Any]]:
    """Normalise the server's answer to one dict per comment (a list, or ``{"results": [...]}``)."""
    if isinstance(payload, dict):
        payload = payload.get("results", [payload])
    if not isinstance(payload, list):
        return [{"comment_id": b.comment_id, "status": "accepted"} for b in bodies]
    return [r for r in payload if isinstance(r, dict)]


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, ServerUnavailable) else text


TOKEN_ENV = "LIVESTALL_INGEST_TOKEN"


def find_ingest_token(tokens_file: Path, *, environ: dict[str, str] | None = None) -> str:
    """Return the ingest token: ``$LIVESTALL_INGEST_TOKEN``, else ``"ingest"`` in the server's
    ``tokens.json`` (present when the bridge runs on the server's machine).

    Raises:
        BridgeAuthError: when neither gives a token.
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        return token
    try:
        stored = json.loads(tokens_file.read_text(encoding="utf-8")).get("ingest")
    except (OSError, ValueError, AttributeError):
        stored = None
    if isinstance(stored, str) and stored:
        return stored
    raise BridgeAuthError(
        "no ingest token for the live server",
        hint=f"set {TOKEN_ENV} to the ingest token printed by `livestall live serve` "
        f"(or run the bridge where the server keeps {tokens_file})",
    )
