"""Which sources the server runs, and the platform secrets they need, kept in the data folder.

``sources.json`` lists the sources (their ``KIND:TARGET`` spec and whether they should run); a
server restarted mid-live starts the enabled ones again. ``source_secrets.json`` holds the
Facebook Page access tokens, written with permissions 0600 and never sent back by any route:
pages only learn a Page's id and name. "Disconnect" removes a Page's token from the file.

Specs (`parse_spec`): ``facebook:PAGE/VIDEO`` (or ``facebook:VIDEO`` with one connected Page),
``tiktok:@user``, ``youtube:URL``, ``twitch:CHANNEL``, ``ssn:SESSION``, ``file:PATH``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from server.bridges import tiktok, youtube
from studio.errors import BridgeSourceInvalid, OutputError

SourceKind = Literal["facebook", "tiktok", "youtube", "twitch", "ssn", "file"]
KINDS: tuple[SourceKind, ...] = ("facebook", "tiktok", "youtube", "twitch", "ssn", "file")
CONFIG_FILE = "sources.json"
SECRETS_FILE = "source_secrets.json"
_GRAPH_ID = re.compile(r"[0-9_]{1,64}")
SPEC_HINT = (
    "write KIND:TARGET, e.g. facebook:PAGE_ID/LIVE_VIDEO_ID, tiktok:@shop, youtube:VIDEO_URL, "
    "twitch:CHANNEL, ssn:SESSION_ID or file:PATH"
)


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source as the seller named it.

    Attributes:
        kind: the platform (or ``file`` for a recorded chat).
        target: what to follow: a video id, user, channel, session or file path.
        page_id: the Facebook Page whose token reads the video ("" for other kinds).
    """

    kind: SourceKind
    target: str
    page_id: str = ""

    @property
    def text(self) -> str:
        """The spec as written back (``facebook:PAGE/VIDEO``)."""
        target = f"{self.page_id}/{self.target}" if self.page_id else self.target
        return f"{self.kind}:{target}"

    @property
    def source_id(self) -> str:
        """A short stable id for URLs (the same spec always gets the same id)."""
        return hashlib.sha1(self.text.encode()).hexdigest()[:10]

    @property
    def can_refill(self) -> bool:
        """Whether a reconnect can ask for what was written while away."""
        return self.kind in ("facebook", "youtube", "file")


def parse_spec(spec: str) -> SourceSpec:
    """Turn ``KIND:TARGET`` into a `SourceSpec` (no I/O: the platform is asked when it starts).

    Raises:
        BridgeSourceInvalid: an unknown kind, an empty target, or a target that cannot be right.
    """
    kind, sep, target = spec.strip().partition(":")
    kind, target = kind.strip().lower(), target.strip()
    if not sep or kind not in KINDS or not target or len(target) > 500:
        raise BridgeSourceInvalid(f"cannot use source {spec[:200]!r}", hint=SPEC_HINT)
    if kind == "facebook":
        page, slash, video = target.rpartition("/")
        if not _GRAPH_ID.fullmatch(video) or (slash and not _GRAPH_ID.fullmatch(page)):
            raise BridgeSourceInvalid(
                f"{target!r} is not a Facebook PAGE_ID/LIVE_VIDEO_ID",
                hint="pick the live video from the Page's current lives in the studio",
            )
        return SourceSpec("facebook", video, page)
    if kind == "youtube":
        try:
            return SourceSpec("youtube", youtube.video_id_from(target))
        except ValueError:
            raise BridgeSourceInvalid(
                f"{target!r} is not a YouTube video id or URL",
                hint="copy the live stream's link (youtube.com/watch?v=... or youtube.com/live/...)",
            ) from None
    if kind == "tiktok":
        return SourceSpec("tiktok", tiktok.username_from(target))
    if kind == "file":
        return SourceSpec("file", str(Path(target).expanduser()))
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", target.lstrip("#")):
        raise BridgeSourceInvalid(f"{target!r} is not a {kind} name", hint=SPEC_HINT)
    return SourceSpec(kind, target.lstrip("#"))


@dataclass(frozen=True, slots=True)
class StoredSource:
    """A line of ``sources.json``: the source, whether it should run, and where it stood
    (`server.services.source_listen.ListenMemory.to_json`), so a restarted server resumes."""

    spec: SourceSpec
    is_enabled: bool
    resume: Mapping[str, str | float] = field(default_factory=dict)


class SourceConfig:
    """``sources.json`` and ``source_secrets.json`` under one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def config_path(self) -> Path:
        """The list of sources."""
        return self.folder / CONFIG_FILE

    @property
    def secrets_path(self) -> Path:
        """The Page tokens (0600)."""
        return self.folder / SECRETS_FILE

    def load_sources(self) -> list[StoredSource]:
        """Read the stored sources (an unreadable file is an empty list, the next save fixes it)."""
        data = _read_json(self.config_path)
        rows = data.get("sources") if isinstance(data.get("sources"), list) else []
        stored: list[StoredSource] = []
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or not isinstance(row.get("spec"), str):
                continue
            resume = row.get("resume") if isinstance(row.get("resume"), dict) else {}
            assert isinstance(resume, dict)
            kept = {str(k): v for k, v in resume.items() if isinstance(v, str | int | float)}
            try:
                spec = parse_spec(row["spec"])
            except BridgeSourceInvalid:
                continue
            stored.append(StoredSource(spec, row.get("enabled") is True, kept))
        return stored

    def save_sources(self, sources: list[StoredSource]) -> None:
        """Write the list of sources atomically."""
        rows = [
            {"spec": s.spec.text, "enabled": s.is_enabled, "resume": dict(s.resume)}
            for s in sources
        ]
        _write_json(self.config_path, {"sources": rows}, mode=0o644)

    def pages(self) -> dict[str, dict[str, str]]:
        """The connected Facebook Pages: id -> {"name", "token"}."""
        data = _read_json(self.secrets_path).get("facebook_pages")
        if not isinstance(data, dict):
            return {}
        return {
            str(k): {"name": str(v.get("name") or ""), "token": str(v.get("token") or "")}
            for k, v in data.items()
            if isinstance(v, dict) and v.get("token")
        }

    def page_token(self, page_id: str) -> str:
        """The stored token of a Page ("" when it is not connected); with no id, the only one."""
        pages = self.pages()
        if not page_id and len(pages) == 1:
            return next(iter(pages.values()))["token"]
        return pages.get(page_id, {}).get("token", "")

    def save_page(self, page_id: str, name: str, token: str) -> None:
        """Store a Page's token (0600)."""
        pages = self.pages()
        pages[page_id] = {"name": name, "token": token}
        _write_json(self.secrets_path, {"facebook_pages": pages}, mode=0o600)

    def forget_page(self, page_id: str) -> bool:
        """Wipe a Page's token (all Pages when `page_id` is ""); return whether one was stored."""
        pages = self.pages()
        had = bool(pages) if not page_id else page_id in pages
        kept = {} if not page_id else {k: v for k, v in pages.items() if k != page_id}
        _write_json(self.secrets_path, {"facebook_pages": kept}, mode=0o600)
        return had


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: object, *, mode: int) -> None:
    """Write through a temporary file created with `mode`, then rename (never world-readable)."""
    temp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
        os.chmod(temp, mode)  # an older temp file may have had other permissions
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot save the live sources ({exc.strerror})",
            hint="set LIVESTALL_HOME to a folder you can write to",
        ) from None
