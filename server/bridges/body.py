"""The values every adapter produces: a comment body for the server, or a non-order event.

`CommentBody` is exactly the body of ``POST /api/comments`` (see docs/live.md); `ChatEvent` is a
gift, like, follow, subscription or donation that the overlay may show but that is never an
order. Adapters return these from pure functions; `server.bridges.client` sends the bodies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import Literal

EventKind = Literal[
    "gift", "like", "follow", "share", "join", "subscription", "donation", "moderation"
]


@dataclass(frozen=True, slots=True)
class CommentBody:
    """One viewer comment in the server's ingest shape.

    Attributes:
        platform: lower-case platform name (``youtube``, ``tiktok``, ``facebook``, ``twitch``...).
        comment_id: the platform's own id of the message; the server dedupes on
            ``(platform, comment_id)``, so a replay after a reconnect is harmless.
        user_id: the platform's id of the author (a stable stand-in when the platform gives none).
        user_name: the author's display name.
        text: the comment as plain text (never HTML).
        ts: when the platform says it was written, epoch seconds, or None.
    """

    platform: str
    comment_id: str
    user_id: str
    user_name: str
    text: str
    ts: float | None = None

    def to_json(self) -> dict[str, str | float]:
        """Return the JSON object posted to ``/api/comments`` (``ts`` left out when unknown)."""
        body: dict[str, str | float] = {
            "platform": self.platform,
            "comment_id": self.comment_id,
            "user_id": self.user_id,
            # The server takes names up to 200 characters; a longer one is abuse, not a name.
            "user_name": self.user_name[:200],
            "text": self.text,
        }
        if self.ts is not None:
            body["ts"] = self.ts
        return body


def dump_json_text(value: object) -> str:
    """Serialise bodies as JSON text that always encodes to UTF-8.

    Text stays readable (not ASCII-escaped); only when it holds what UTF-8 cannot carry (a lone
    UTF-16 surrogate, which platforms' JSON and ``JSON.stringify`` can produce) is it escaped
    (``\\ud800``), so the comment still travels and the server decides about it.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """A non-order event from a platform (gift, like, follow...).

    Attributes:
        platform: as in `CommentBody`.
        kind: what happened.
        user_id: who did it ("" when the platform does not say).
        user_name: their display name.
        detail: a short human summary (``"Rose x5"``, ``"15 likes"``).
        ts: epoch seconds or None.
    """

    platform: str
    kind: EventKind
    user_id: str
    user_name: str
    detail: str = ""
    ts: float | None = None


Parsed = CommentBody | ChatEvent


def stand_in_user_id(platform: str, user_name: str) -> str:
    """Return a stable user id for platforms that hide the author's id (Facebook without a Page token).

    The same display name always maps to the same id, so per-viewer limits still work.
    """
    digest = hashlib.sha1(f"{platform}\n{user_name}".encode()).hexdigest()[:16]
    return f"name:{digest}"


def content_id(*parts: str) -> str:
    """Return a stable id built from the message's own content, for sources that give no id."""
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:24]
    return f"h:{digest}"


def epoch_s_from_iso(value: str) -> float | None:
    """Parse ``2018-08-30T18:47:02+0000`` (Graph API) or any ISO 8601 time into epoch seconds."""
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # +0000 -> +00:00 for Python 3.11's fromisoformat
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def epoch_s_from_number(value: object) -> float | None:
    """Turn a platform timestamp in s, ms or µs (number or digit string) into epoch seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        return None
    if number <= 0:
        return None
    # Seconds since 1970 stay below 1e11 until the year 5138; ms below 1e14; µs above.
    if number > 1e14:
        return number / 1e6
    if number > 1e11:
        return number / 1e3
    return number


def json_records(text: str) -> list[object]:
    """Decode a recorded file that is either one JSON list or JSON Lines.

    A list that does not parse gives no records; in JSON Lines, lines that do not parse
    (blank ones included) are skipped.
    """
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            loaded = json.loads(stripped)
        except json.JSONDecodeError:
            loaded = []
        return loaded if isinstance(loaded, list) else []
    records: list[object] = []
    for line in stripped.splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


class _TextOnly(HTMLParser):
    """Collect the text of an HTML fragment; emoji images become their ``alt`` text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)
        elif tag == "br":
            self.parts.append(" ")


def text_from_html(fragment: str) -> str:
    """Return the plain text of an HTML chat message (SSN sends HTML unless ``textonly`` is set).

    Tags are dropped, entities decoded and emoji ``<img alt="😀">`` kept as their alt text, so
    ``<b>chốt</b> A12`` becomes ``chốt A12``. The result is text: the server and the overlay
    never interpret it as HTML.
    """
    if "<" not in fragment and "&" not in fragment:
        return fragment
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)
