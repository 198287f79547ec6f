"""Bad inputs made on the fly in a temporary folder (never stored in the repository)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image


def huge_png(path: Path, *, side_px: int = 20000) -> Path:
    """A PNG whose header claims side_px x side_px (a decompression bomb) in under 100 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side_px, side_px, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )
    return path


def bad_inputs(folder: Path, good_jpeg: Path) -> dict[str, Path]:
    """Every kind of unreadable or unusable photo, keyed by what is wrong with it."""
    folder.mkdir(parents=True, exist_ok=True)
    data = good_jpeg.read_bytes()
    files = {
        "empty": folder / "empty.jpg",
        "truncated": folder / "truncated.jpg",
        "corrupt": folder / "corrupt.jpg",
        "not-an-image": folder / "notes.png",
        "tiny": folder / "tiny.png",
        "huge": folder / "huge.png",
        "blank": folder / "blank.png",
    }
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(data[: len(data) // 3])
    files["corrupt"].write_bytes(data[:200] + bytes(range(256)) * 20)
    files["not-an-image"].write_text("shopping list: cups, saucers\n", encoding="utf-8")
    Image.new("RGB", (1, 1), (200, 30, 30)).save(files["tiny"])
    huge_png(files["huge"])
    Image.new("RGB", (320, 240), (236, 236, 236)).save(files["blank"])
    return files
