"""Handing out the seller's photos and clips: only from allowed folders, only real media.

A catalog may name any path as a photo (``tokens.json``, ``/etc/passwd``, a link out of the
folder), and the studio's folder also holds its catalog and job records. `media_file` serves a
file only when it resolves inside one of the allowed folders and its first bytes say it is a
photo (or, where asked, a clip); the ``Content-Type`` comes from those bytes, never from the name,
and ``X-Content-Type-Options: nosniff`` stops a browser from guessing otherwise. Anything else,
including a path with a NUL byte, is "not found".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from fastapi.responses import FileResponse

from server.settings import Settings
from studio.images import HEAD_BYTES, media_type
from studio.paths import data_dir

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "image/avif"})
CLIP_TYPES = frozenset({"video/mp4"})


def find_media(
    written: str | Path, roots: Sequence[Path], *, allowed: Collection[str] = IMAGE_TYPES
) -> tuple[Path, str] | None:
    """Return (file, media type) when `written` may be served, else None.

    Args:
        written: a path, absolute or relative to the first root that holds it.
        roots: the folders files may be served from.
        allowed: the media types that may be served.

    Returns:
        The resolved file and its sniffed media type, or None: outside every root, not a
        regular file, unreadable, or not one of `allowed` by its first bytes.
    """
    text = str(written)
    if not text or "\x00" in text:
        return None
    for root in roots:
        base = root.resolve()
        try:
            target = (base / text).resolve()
        except (OSError, ValueError):
            return None
        if target == base or not target.is_relative_to(base) or not target.is_file():
            continue
        try:
            with target.open("rb") as file:
                kind = media_type(file.read(HEAD_BYTES))
        except OSError:
            return None
        return (target, kind) if kind is not None and kind in allowed else None
    return None


def media_response(found: tuple[Path, str]) -> FileResponse:
    """A file response with the sniffed type, ``nosniff`` and revalidation on each use."""
    path, kind = found
    return FileResponse(
        path,
        media_type=kind,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
    )


def photo_roots(settings: Settings) -> tuple[Path, ...]:
    """The folders a catalog's photos may be served from: the catalog's own, and the studio's."""
    roots = [settings.catalog_path.expanduser().resolve().parent]
    if settings.is_studio:
        roots.append((settings.data_dir or data_dir()) / "studio")
    return tuple(roots)
