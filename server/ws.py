"""Websocket endpoints: ``/ws/overlay`` (read-only) and ``/ws/viewer`` (read + comment).

No business logic here: check the Origin and the per-address connection limit, resume from
``?since=<seq>`` out of storage (or, from further back than `RESUME_MAX_EVENTS`, send a snapshot
with the `RECENT_EVENTS` last feed events), then relay the bus. Every event is the JSON text
serialised once when it was stored. Messages without a
``seq`` (``snapshot`` has one, ``ack`` and ``error`` do not) are replies to this client only.
With ``?batch=1`` a client accepts a JSON array of events in one frame when several are queued
for it (the pages use it; one event per frame otherwise).

Live events skip ASGI when they can: once a client has its history and nothing is queued for
it, the bus writes each event's frame, encoded once for all clients, straight onto its
connection (`server.ws_protocol`); events are queued, and sent by `_relay` through ASGI, only
while the connection cannot take them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from sqlalchemy import Connection

from server.bus import Event, EventWriter, Subscription
from server.events import (
    FEED_EVENT_TYPES,
    JsonValue,
    countdown_data,
    dump_json,
    product_card,
)
from server.live import Live
from server.request_text import find_unstorable
from server.services.ingest import IncomingComment, ingest_comments
from server.store import product_queries, session_queries
from server.store.rows import StoredEvent
from server.ws_protocol import FrameWriter, frame_writer, text_frame
from studio.errors import SlowClient

logger = logging.getLogger(__name__)
router = APIRouter()

CLOSE_POLICY = 1008
CLOSE_TOO_SLOW = 4008  # "resume with ?since=<seq>"
CLOSE_NEW_SESSION = 4009  # a new live started: reconnect for its snapshot
REPLAY_PAGE = 500
# A client that missed at most this many events gets them all (a short drop keeps its feed
# exactly); one further back gets a snapshot instead (bounded, whatever the live's length).
RESUME_MAX_EVENTS = 2000
# How many feed events (`FEED_EVENT_TYPES`) a snapshot carries: the overlay shows 8 comments,
# the viewer page 50, and an order comment comes with its order event.
RECENT_EVENTS = 150


def origin_allowed(origin: str | None, host_header: str | None, allowed: tuple[str, ...]) -> bool:
    """Same-origin pages, configured origins and non-browser clients (no Origin) may connect."""
    if origin is None:
        return True
    if host_header and origin in (f"http://{host_header}", f"https://{host_header}"):
        return True
    return origin in allowed


def _snapshot(conn: Connection, live: Live) -> tuple[int, str]:
    """The current state and the last `RECENT_EVENTS` feed events, as one message.

    Returns:
        The seq the snapshot stands for, and its JSON text. ``recent`` holds stored event
        texts as they are (``seq`` up to the snapshot's, oldest first), joined in unparsed.
    """
    session = session_queries.get_session(conn, live.session_id)
    products = product_queries.list_products(conn, live.session_id)
    pinned = next((p for p in products if p.sku == session.pinned_sku), None)
    countdown = None
    if session.countdown_ends_at is not None and session.countdown_ends_at > time.time():
        countdown = countdown_data(
            session.countdown_ends_at, session.countdown_label, now=time.time()
        )
    recent = session_queries.recent_events(
        conn,
        session.id,
        types=FEED_EVENT_TYPES,
        until_seq=session.last_seq,
        limit=RECENT_EVENTS,
    )
    data: dict[str, JsonValue] = {
        "seq": session.last_seq,
        "type": "snapshot",
        "session_id": session.id,
        "pinned": product_card(pinned) if pinned else None,
        "products": [product_card(p) for p in products],
        "countdown": countdown,
    }
    text = dump_json(data)[:-1] + ',"recent":' + _json_array(e.payload for e in recent) + "}"
    return session.last_seq, text


def _events_after(conn: Connection, *, session_id: int, since: int) -> list[StoredEvent]:
    return session_queries.events_after(conn, session_id, since, limit=REPLAY_PAGE)


async def _send_history(
    websocket: WebSocket, live: Live, since: int | None, session: int | None
) -> int:
    """Send what the client missed; return the last seq sent.

    That is the stored events after `since` when they are at most `RESUME_MAX_EVENTS`;
    otherwise (no `since`, a `since` from another session or too far back, `since=0` on a long
    live) a snapshot: the state now plus the recent feed events, never the whole history.
    """
    if since is not None and session in (None, live.session_id):
        last_seq = (
            await live.read(lambda c: session_queries.get_session(c, live.session_id))
        ).last_seq
        if since <= last_seq and last_seq - since <= RESUME_MAX_EVENTS:
            sent = since
            while True:
                stored = await live.read(
                    functools.partial(_events_after, session_id=live.session_id, since=sent)
                )
                for event in stored:
                    await websocket.send_text(event.payload)
                    sent = event.seq
                if len(stored) < REPLAY_PAGE:
                    return sent
    seq, text = await live.read(lambda c: _snapshot(c, live))
    await websocket.send_text(text)
    return seq


class _NewSession(Exception):
    pass


@dataclass(slots=True)
class _Sent:
    """The last seq this client was sent, by `_relay` or by the direct writer: both skip
    events up to it (history read from storage may hold events the bus delivers afterwards,
    and the bus may deliver an event twice after filling a gap)."""

    seq: int


def _unsent(events: Sequence[Event], sent: _Sent) -> list[Event]:
    fresh: list[Event] = []
    last = sent.seq
    for event in events:
        if event.seq > last:
            fresh.append(event)
            last = event.seq
    return fresh


async def _relay(
    websocket: WebSocket,
    subscription: Subscription,
    sent: _Sent,
    *,
    session_id: int,
    is_batched: bool,
) -> None:
    while True:
        events = await subscription.next_batch()
        if any(event.session_id != session_id for event in events):
            raise _NewSession
        batch = _unsent(events, sent)
        if not batch:
            continue
        if is_batched and len(batch) > 1:
            # One frame for everything queued: a client that fell behind catches up with one
            # write instead of one per event (the texts are the stored ones, joined).
            await websocket.send_text(_json_array(event.text for event in batch))
        else:
            for event in batch:
                await websocket.send_text(event.text)
        sent.seq = batch[-1].seq


async def _serve(
    websocket: WebSocket,
    live: Live,
    *,
    since: int | None,
    session: int | None,
    is_batched: bool,
    receiver: asyncio.Task[None] | None = None,
) -> None:
    subscription = live.bus.subscribe(live.topic, max_queue=live.settings.client_queue_size)
    session_id = live.session_id
    tasks: list[asyncio.Task[None]] = [receiver] if receiver else []
    try:
        sent = _Sent(await _send_history(websocket, live, since, session))
        write_frame = frame_writer(websocket.scope)
        if write_frame is not None:
            subscription.attach_writer(
                _event_writer(write_frame, sent, session_id=session_id, is_batched=is_batched)
            )
        tasks = [
            asyncio.create_task(
                _relay(websocket, subscription, sent, session_id=session_id, is_batched=is_batched)
            ),
            receiver or asyncio.create_task(_drain(websocket)),
        ]
        overflow = asyncio.create_task(subscription.wait_overflow())
        tasks.append(overflow)
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = None if task is overflow else task.exception()
            if isinstance(error, _NewSession):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(websocket.close(CLOSE_NEW_SESSION, "new live"), 2.0)
            if task is overflow or isinstance(error, SlowClient):
                tasks[0].cancel()
                logger.info("closing a slow websocket client (dropped %d)", subscription.dropped)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        websocket.close(CLOSE_TOO_SLOW, "too slow: resume with since"), 2.0
                    )
    except (WebSocketDisconnect, OSError):
        pass  # gone while we were sending its history (uvicorn's ClientDisconnected is an OSError)
    finally:
        live.bus.unsubscribe(subscription)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _event_writer(
    write_frame: FrameWriter, sent: _Sent, *, session_id: int, is_batched: bool
) -> EventWriter:
    """Write events of `session_id` straight to the connection; refuse others (see `_relay`).

    Called for every client with the same events: the bytes are built once (`_frame`,
    `_frames`) and looked up for the others. Events already sent are skipped, as in `_relay`.
    """

    def write(events: Sequence[Event]) -> bool:
        # Sessions only grow along the stream: checking both ends checks every event.
        if events[0].session_id != session_id or events[-1].session_id != session_id:
            return False
        fresh = _unsent(events, sent)
        if not fresh:
            return True
        if len(fresh) == 1:
            is_written = write_frame(_frame(fresh[0].text))
        else:
            is_written = write_frame(_frames(tuple(event.text for event in fresh), is_batched))
        if is_written:
            sent.seq = fresh[-1].seq
        return is_written

    return write


@functools.lru_cache(maxsize=256)
def _frame(text: str) -> bytes:
    return text_frame(text)


@functools.lru_cache(maxsize=64)
def _frames(texts: tuple[str, ...], is_batched: bool) -> bytes:
    """Several events as `_relay` sends them: one JSON array frame, or one frame each."""
    if is_batched:
        return text_frame(_json_array(texts))
    return b"".join(_frame(text) for text in texts)


def _json_array(texts: Iterable[str]) -> str:
    """Stored event texts (JSON objects) joined into one JSON array, as batched clients get it."""
    return "[" + ",".join(texts) + "]"


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what an overlay sends until it disconnects."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


def _live(websocket: WebSocket) -> Live:
    live: Live = websocket.app.state.live
    return live


def _client_ip(websocket: WebSocket) -> str:
    return websocket.client.host if websocket.client else "?"


async def _admit(websocket: WebSocket, live: Live) -> bool:
    """Accept the websocket, or close it with 1008 and return False.

    Refused: a page from an origin not allowed, and an address opening connections faster than
    the per-address limit (``ip_rate_per_s``, ``ip_burst``), counted across both endpoints.
    """
    if not origin_allowed(
        websocket.headers.get("origin"),
        websocket.headers.get("host"),
        live.settings.allowed_origins,
    ) or not live.ip_limiter.allow(f"connect:{_client_ip(websocket)}", time.time()):
        await websocket.close(CLOSE_POLICY)
        return False
    await websocket.accept()
    return True


@router.websocket("/ws/overlay")
async def overlay_socket(
    websocket: WebSocket,
    since: Annotated[int | None, Query(ge=0)] = None,
    session: Annotated[int | None, Query(ge=1)] = None,
    batch: Annotated[bool, Query()] = False,
) -> None:
    """Read-only event stream for the OBS overlay (and the host console)."""
    live = _live(websocket)
    if not await _admit(websocket, live):
        return
    await _serve(websocket, live, since=since, session=session, is_batched=batch)


@router.websocket("/ws/viewer")
async def viewer_socket(
    websocket: WebSocket,
    since: Annotated[int | None, Query(ge=0)] = None,
    name: Annotated[str, Query(max_length=60)] = "",
    uid: Annotated[str, Query(max_length=64)] = "",
    session: Annotated[int | None, Query(ge=1)] = None,
    batch: Annotated[bool, Query()] = False,
) -> None:
    """Event stream for the viewer page; viewers send ``{"type": "comment", "text": ...}``."""
    live = _live(websocket)
    if not await _admit(websocket, live):
        return
    client_ip = _client_ip(websocket)
    viewer_id = uid.strip() or uuid.uuid4().hex
    receiver = asyncio.create_task(
        _receive_comments(websocket, live, name=name.strip(), uid=viewer_id, client_ip=client_ip)
    )
    await _serve(websocket, live, since=since, session=session, is_batched=batch, receiver=receiver)


async def _receive_comments(
    websocket: WebSocket, live: Live, *, name: str, uid: str, client_ip: str
) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        raw = message.get("text") or ""
        reply = await _viewer_comment(live, raw, name=name, uid=uid, client_ip=client_ip)
        await websocket.send_text(dump_json(reply))


async def _viewer_comment(
    live: Live, raw: str, *, name: str, uid: str, client_ip: str
) -> dict[str, JsonValue]:
    if len(raw) > live.settings.ws_max_message_bytes:
        return {"type": "error", "code": "too_long", "message": "message too long"}
    try:
        message = json.loads(raw)
    except ValueError:
        return {"type": "error", "code": "bad_json", "message": "send JSON"}
    if not isinstance(message, dict) or message.get("type") != "comment":
        return {"type": "error", "code": "bad_type", "message": 'expected {"type": "comment"}'}
    text = message.get("text")
    client_id = message.get("id")
    if find_unstorable({"text": text, "id": client_id, "name": name, "uid": uid}) is not None:
        # NUL or half an emoji (a lone surrogate): no database or JSON answer can hold it.
        return {"type": "error", "code": "bad_text", "message": "remove the unusual character"}
    if not isinstance(text, str) or not name:
        return {
            "type": "error",
            "code": "bad_comment",
            "message": "connect with ?name= and send text",
        }
    now = time.time()
    if not live.viewer_limiter.allow(f"web:{uid}", now) or not live.ip_limiter.allow(
        f"comment:{client_ip}", now
    ):
        return {"type": "error", "code": "rate_limited", "message": "slow down"}
    comment = IncomingComment(
        platform="web",
        comment_id=f"{uid}:{client_id}" if isinstance(client_id, str) else uuid.uuid4().hex,
        user_id=uid,
        user_name=name,
        text=text,
        ts=now,
    )
    (answer,) = await ingest_comments(live, [comment])
    return {"type": "ack", **answer}
