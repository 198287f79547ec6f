"""Files a seller uploads to the studio: checked by content, limited, kept inside the data folder.

A photo is accepted when its first bytes are those of a JPEG, PNG, WebP or HEIC file *and*
Pillow can read its header: the name and the browser's content type are never trusted. A name
is reduced to its last path part, accents are dropped and anything outside ``[A-Za-z0-9._-]``
becomes ``-``, so ``../../etc/passwd`` is stored as ``etc-passwd`` under the upload's own folder.
Every path handed out is checked to resolve inside the studio's folder (`inside`).
"""

from __future__ import annotations

import codecs
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from PIL import UnidentifiedImageError
from pillow_heif import register_heif_opener
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from server.body_guard import allow_body
from studio.errors import (
    PhotoTooLarge,
    UploadDamaged,
    UploadEmpty,
    UploadNotPhoto,
    UploadRejected,
)
from studio.images import image_kind, open_image

MAX_NAME_CHARS = 80
FORM_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and headers around the files
MAX_CATALOG_BYTES = 2 * 1024 * 1024
CATALOG_SUFFIXES = (".csv", ".tsv", ".txt", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Incoming:
    """One uploaded file as received: the name the browser gave and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An accepted photo: where it is, its safe name, format and pixel size."""

    path: Path
    name: str
    kind: str
    width: int
    height: int
    bytes: int


def safe_name(filename: str, *, default: str = "file") -> str:
    """Return a file name that cannot leave its folder or hide as a dot file.

    >>> safe_name("../../Ảnh chụp/IMG 01.JPG")
    'IMG-01.JPG'
    """
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    plain = unicodedata.normalize("NFKD", last.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only).strip("-.")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if len(cleaned) > MAX_NAME_CHARS:
        stem, dot, suffix = cleaned.rpartition(".")
        keep = MAX_NAME_CHARS - len(suffix) - 1
        cleaned = f"{stem[:keep]}.{suffix}" if dot and 0 < len(suffix) <= 5 else cleaned[:80]
    return cleaned or default


def inside(root: Path, relative: str) -> Path:
    """Return ``root / relative`` if it stays inside `root` (after resolving links and ``..``).

    Raises:
        UploadRejected: the path points outside `root`.
    """
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise UploadRejected(
            f"{relative!r} is outside the studio folder", hint="use the links the studio gives"
        )
    return target


def sniff_image(data: bytes, *, name: str) -> tuple[str, int, int]:
    """Return (format, width, height) of an uploaded photo, judged by its content.

    Raises:
        UploadRejected: not a JPEG/PNG/WebP/HEIC photo, or unreadable.
        PhotoTooLarge: over 80 MP, or a decompression bomb (HTTP 413).
    """
    kind = image_kind(data)
    if kind is None:
        raise UploadNotPhoto(
            f"{name}: not a photo (JPEG, PNG, WebP or HEIC)",
            hint="export it from your phone or camera as JPEG",
        )
    if kind == "heic":
        register_heif_opener()
    try:
        with open_image(data, name=name) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadDamaged(
            f"{name}: the photo is damaged ({exc})", hint="open it on your computer and save again"
        ) from None
    return kind, width, height


def check_batch(files: Sequence[Incoming], *, max_files: int, max_bytes: int) -> None:
    """Refuse a batch that has no file, too many files, or a file over the size limit.

    Raises:
        UploadRejected: naming the limit and the file.
    """
    if not files:
        raise UploadRejected("no file was uploaded", hint="choose or drop at least one photo")
    if len(files) > max_files:
        raise UploadRejected(
            f"{len(files)} files in one upload; the limit is {max_files}",
            hint=f"upload at most {max_files} at a time",
        )
    for item in files:
        if len(item.data) > max_bytes:
            raise UploadRejected(
                f"{safe_name(item.filename)}: {len(item.data) // 1024} KB is over the "
                f"{max_bytes // 1024} KB limit",
                hint="resize the photo or raise LIVESTALL_STUDIO_MAX_UPLOAD_BYTES",
            )
        if not item.data:
            raise UploadEmpty(f"{safe_name(item.filename)}: the file is empty")


def store_photos(
    root: Path, files: Sequence[Incoming], *, max_files: int, max_bytes: int
) -> tuple[str, list[StoredFile]]:
    """Check a batch of photos and store them under ``root/uploads/<upload id>/``.

    Nothing is written unless every file passes.

    Returns:
        The upload id and the stored files, in upload order (names made unique).

    Raises:
        UploadRejected: too many files, too big, not a photo.
    """
    check_batch(files, max_files=max_files, max_bytes=max_bytes)
    checked = [(item, sniff_image(item.data, name=safe_name(item.filename))) for item in files]
    return _write_photos(root, checked)


@dataclass(frozen=True, slots=True)
class RejectedFile:
    """A file of a batch that was not stored, and why."""

    name: str
    error: UploadRejected | PhotoTooLarge


def store_batch(
    root: Path, files: Sequence[Incoming], *, max_files: int, max_bytes: int
) -> tuple[str, list[StoredFile], list[RejectedFile]]:
    """Store every good photo of a batch and report each bad one: one bad file stops nothing.

    Returns:
        The upload id ("" when no file was good: nothing is written), the stored files and the
        rejected files, each in upload order.

    Raises:
        UploadRejected: no file, or too many files.
    """
    if not files or len(files) > max_files:
        check_batch(files, max_files=max_files, max_bytes=max_bytes)
    checked: list[tuple[Incoming, tuple[str, int, int]]] = []
    rejected: list[RejectedFile] = []
    for item in files:
        name = safe_name(item.filename)
        try:
            check_batch([item], max_files=1, max_bytes=max_bytes)
            checked.append((item, sniff_image(item.data, name=name)))
        except (UploadRejected, PhotoTooLarge) as exc:
            rejected.append(RejectedFile(name, exc))
    if not checked:
        return "", [], rejected
    upload_id, stored = _write_photos(root, checked)
    return upload_id, stored, rejected


def _write_photos(
    root: Path, checked: Sequence[tuple[Incoming, tuple[str, int, int]]]
) -> tuple[str, list[StoredFile]]:
    upload_id = secrets.token_hex(6)
    folder = inside(root, f"uploads/{upload_id}")
    folder.mkdir(parents=True)
    stored: list[StoredFile] = []
    used: set[str] = set()
    for item, (kind, width, height) in checked:
        name = _unique(_with_suffix(safe_name(item.filename, default="photo"), kind), used)
        path = folder / name
        path.write_bytes(item.data)
        stored.append(StoredFile(path, name, kind, width, height, len(item.data)))
    return upload_id, stored


def check_catalog_upload(item: Incoming, *, max_bytes: int = MAX_CATALOG_BYTES) -> str:
    """Return the safe name of an uploaded catalog (CSV or YAML) after checking it is one.

    The text itself is decoded by `studio.catalog.read_catalog_file` (UTF-8, or UTF-16 as Excel's
    "Unicode Text" saves it: that one is let through although it is full of NUL bytes).

    Raises:
        UploadRejected: wrong kind of file, too big, or not a text file.
    """
    name = safe_name(item.filename, default="catalog.csv")
    suffix = Path(name).suffix.lower()
    if suffix not in CATALOG_SUFFIXES:
        raise UploadRejected(f"{name}: not a catalog file", hint="upload a .csv or .yaml file")
    if len(item.data) > max_bytes:
        raise UploadRejected(f"{name}: the catalog is over {max_bytes // 1024} KB")
    is_utf16 = item.data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in item.data[:4096] and not is_utf16:
        raise UploadRejected(f"{name}: this is not a text file", hint="save it as CSV UTF-8")
    return name


async def read_files(
    request: Request, field: str, *, max_files: int, max_bytes: int
) -> list[Incoming]:
    """Read the files of a multipart form field within the limits.

    A body declared larger than every allowed file together is refused before it is read; a
    chunked one is counted as it streams and refused once past that size (`allow_body`); the
    form parser stops at one file past the limit, so a huge upload never fills the disk.

    Raises:
        UploadRejected: the body is too large, or the form is not multipart / has too many parts.
        RequestTooLarge: a chunked body went past the limit while it was read.
    """
    max_body_bytes = max_files * max_bytes + FORM_OVERHEAD_BYTES
    allow_body(request, max_body_bytes)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body_bytes:
        raise UploadRejected(
            f"the upload is {int(declared) // 1024} KB, more than {max_files} files of "
            f"{max_bytes // 1024} KB",
            hint=f"upload at most {max_files} photos of {max_bytes // 1024} KB at a time",
        )
    try:
        form = await request.form(max_files=max_files + 1, max_fields=20)
    except HTTPException as exc:
        raise UploadRejected(f"the upload was refused: {exc.detail}") from None
    try:
        parts = [part for part in form.getlist(field) if isinstance(part, UploadFile)]
        return [Incoming(p.filename or "file", await p.read(max_bytes + 1)) for p in parts]
    finally:
        await form.close()


def _with_suffix(name: str, kind: str) -> str:
    stem = Path(name).stem or "photo"
    suffix = Path(name).suffix.lower().lstrip(".")
    same = {"jpg": ("jpg", "jpeg"), "heic": ("heic", "heif")}.get(kind, (kind,))
    return f"{stem}.{suffix if suffix in same else kind}"


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 1
    while candidate.lower() in used:
        number += 1
        candidate = f"{Path(name).stem}-{number}{Path(name).suffix}"
    used.add(candidate.lower())
    return candidate
