"""A pure decoder for Server-Sent Events (the ``text/event-stream`` format, WHATWG HTML §9.2).

Used by the Facebook bridge (Graph API ``live_comments``) and the Social Stream Ninja bridge
(``/sse/SESSION``). Feed it lines; it returns the events they complete. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SseEvent:
    """One dispatched event: its type (``message`` by default), data and last event id."""

    data: str
    event: str = "message"
    last_id: str = ""


@dataclass(slots=True)
class SseDecoder:
    """Accumulate ``field: value`` lines and dispatch an event at each blank line."""

    _data: list[str] = field(default_factory=list)
    _event: str = ""
    last_id: str = ""

    def feed_line(self, line: str) -> SseEvent | None:
        """Take one line (without its line ending); return the event it completes, if any."""
        line = line.rstrip("\r\n")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment / keep-alive
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self.last_id = value
        return None

    def _dispatch(self) -> SseEvent | None:
        if not self._data:
            self._event = ""
            return None
        event = SseEvent("\n".join(self._data), self._event or "message", self.last_id)
        self._data, self._event = [], ""
        return event


def decode_text(text: str) -> list[SseEvent]:
    """Decode a whole recorded event stream (a final event without a blank line still counts)."""
    decoder = SseDecoder()
    events = [e for line in text.splitlines() if (e := decoder.feed_line(line)) is not None]
    last = decoder.feed_line("")
    return [*events, last] if last is not None else events
