"""The registry of recorded-chat formats, and auto-detection for `livestall live replay`.

Each format is one adapter module's pure pair ``looks_like(sample)`` / ``parse_text(text)``.
Detection tries them in `DETECTION_ORDER`: the most specific markers first, our own JSON Lines
before the looser JSON shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from server.bridges import facebook, jsonl, ssn, tiktok, twitch, youtube
from server.bridges.body import Parsed
from studio.errors import RecordingUnreadable

SAMPLE_CHARS = 64_000


@dataclass(frozen=True, slots=True)
class ChatFormat:
    """One recorded-chat format: its name, detector and parser."""

    name: str
    looks_like: Callable[[str], bool]
    parse_text: Callable[[str], Iterator[Parsed]]


FORMATS: dict[str, ChatFormat] = {
    f.name: f
    for f in (
        ChatFormat("jsonl", jsonl.looks_like, jsonl.parse_text),
        ChatFormat("twitch", twitch.looks_like, twitch.parse_text),
        ChatFormat("youtube", youtube.looks_like, youtube.parse_text),
        ChatFormat("tiktok", tiktok.looks_like, tiktok.parse_text),
        ChatFormat("ssn", ssn.looks_like, ssn.parse_text),
        ChatFormat("facebook", facebook.looks_like, facebook.parse_text),
    )
}
DETECTION_ORDER = ("jsonl", "twitch", "youtube", "tiktok", "ssn", "facebook")


def get_format(name: str) -> ChatFormat:
    """Return a format by name.

    Raises:
        RecordingUnreadable: for an unknown name.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise RecordingUnreadable(
            f"no chat format {name!r}", hint=f"choose one of auto, {', '.join(FORMATS)}"
        ) from None


def detect_format(sample: str) -> ChatFormat | None:
    """Return the format whose markers the start of a file shows, or None."""
    for name in DETECTION_ORDER:
        if FORMATS[name].looks_like(sample):
            return FORMATS[name]
    return None


def read_recording(path: Path, fmt: str = "auto") -> tuple[ChatFormat, list[Parsed]]:
    """Read a recorded chat file and parse it in its own format.

    Args:
        path: the file (UTF-8; a BOM is accepted).
        fmt: a name from `FORMATS`, or ``auto`` to detect it.

    Returns:
        The format used and every comment and event in file order.

    Raises:
        RecordingUnreadable: missing or unreadable file, unknown format, or nothing in it.
    """
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise RecordingUnreadable(
            f"{path}: cannot read the chat file ({exc.strerror})", hint="check the path"
        ) from exc
    chosen = detect_format(text[:SAMPLE_CHARS]) if fmt == "auto" else get_format(fmt)
    if chosen is None:
        raise RecordingUnreadable(
            f"{path}: not a chat format we know",
            hint=f"give --format ({', '.join(FORMATS)}); see docs/bridges.md for each format",
        )
    items = list(chosen.parse_text(text))
    if not items:
        raise RecordingUnreadable(
            f"{path}: no comments found as {chosen.name}",
            hint="check the file, or give another --format",
        )
    return chosen, items
