"""Livestall's own chat format: JSON Lines of comment bodies, exactly as posted to the server.

One object per line: ``{"platform", "comment_id", "user_id", "user_name", "text", "ts"?}``
(``ts`` in epoch seconds). `livestall live bridge --record FILE` writes it; `livestall live replay`
reads it; any tool can produce it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from server.bridges.body import CommentBody, Parsed, dump_json_text, epoch_s_from_number

_REQUIRED = ("platform", "comment_id", "user_id", "text")


def parse_object(obj: object) -> CommentBody | None:
    """Turn one decoded line into a body (None when a required field is missing or not text)."""
    if not isinstance(obj, dict):
        return None
    if not all(isinstance(obj.get(key), str) and obj.get(key) != "" for key in _REQUIRED[:3]):
        return None
    if not isinstance(obj.get("text"), str):
        return None
    name = obj.get("user_name")
    return CommentBody(
        platform=obj["platform"],
        comment_id=obj["comment_id"],
        user_id=obj["user_id"],
        user_name=name if isinstance(name, str) else "",
        text=obj["text"],
        ts=epoch_s_from_number(obj.get("ts")),
    )


def parse_text(text: str) -> Iterator[Parsed]:
    """Yield the comments of a JSON Lines file; lines that are not valid bodies are skipped."""
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            parsed = parse_object(json.loads(line))
        except json.JSONDecodeError:
            continue
        if parsed is not None:
            yield parsed


def looks_like(sample: str) -> bool:
    """Tell whether the first line of a file is one of our comment bodies."""
    first = next((ln for ln in sample.splitlines() if ln.strip()), "")
    try:
        return parse_object(json.loads(first)) is not None
    except json.JSONDecodeError:
        return False


def dump_lines(comments: Iterable[CommentBody]) -> str:
    """Return comments as JSON Lines (UTF-8 text, not ASCII-escaped), one per line."""
    return "".join(dump_json_text(c.to_json()) + "\n" for c in comments)
