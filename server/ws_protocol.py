"""The websocket protocol uvicorn runs for us: its sans-I/O one, plus a direct frame writer.

Why: through ASGI, fanning one event out to 500 clients costs, per client, a task wake-up and an
awaited ``send`` through Starlette's and uvicorn's wrappers down to ``transport.write``; that
was most of the server's CPU in ``bench/live.py`` and put our p99 at 2-7x a bare
``websockets.broadcast`` relay (docs/benchmarks.md). ``websockets.broadcast`` writes each frame
synchronously to every connection instead. This protocol lets the app do the same: an event's
frame is encoded once by the caller (`text_frame`) and written straight to each connection's
transport by `FanoutProtocol.write_frame`, which refuses (returns False) whenever the
connection cannot take it right now: closing, closed, or its write buffer above the high-water
mark. The caller then falls back to the ordinary awaited ``send``, which waits for the buffer to
drain. The app calls the writer only after it accepted the websocket.

The app finds the writer in the ASGI scope: ``scope["extensions"][FRAME_WRITER]["write"]``
(`frame_writer`). Servers without it (another ASGI server, Starlette's TestClient) simply use
the awaited path. This module is the only one relying on uvicorn internals — the attributes
``transport``, ``conn``, ``scope``, ``writable`` and ``close_sent`` of
`WebSocketsSansIOProtocol` — and ``tests/server/test_ws_protocol.py`` fails if they change.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode

FRAME_WRITER = "livestall.frame_writer"
"""The ASGI scope extension holding ``{"write": Callable[[bytes], bool]}``."""

FrameWriter = Callable[[bytes], bool]


def text_frame(text: str) -> bytes:
    """Encode `text` as one unmasked, uncompressed websocket text frame (server to client)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def frame_writer(scope: MutableMapping[str, Any]) -> FrameWriter | None:
    """Return the connection's direct frame writer, or None when the server offers none."""
    extension = scope.get("extensions", {}).get(FRAME_WRITER)
    if extension is None:
        return None
    write: FrameWriter = extension["write"]
    return write


class FanoutProtocol(WebSocketsSansIOProtocol):
    """uvicorn's ``websockets-sansio`` protocol, whose app may also write encoded frames."""

    async def run_asgi(self) -> None:
        """Offer `write_frame` to the app (when frames go uncompressed), then run it."""
        if not self.conn.extensions:  # per-message deflate would need per-client encoding
            self.scope["extensions"][FRAME_WRITER] = {"write": self.write_frame}
        await super().run_asgi()

    def write_frame(self, frame: bytes) -> bool:
        """Write an encoded frame now, if the connection can take it without waiting.

        Args:
            frame: from `text_frame` (or several such frames joined).

        Returns:
            True when written; False when the connection is not open or its write buffer is
            above the high-water mark (nothing was written; send through ASGI instead).
        """
        # A lost connection's transport is closing too; a close the app sent waits for the
        # peer's reply with the transport still open, hence `close_sent`.
        if self.close_sent or self.transport.is_closing() or not self.writable.is_set():
            return False
        self.transport.write(frame)
        return True
