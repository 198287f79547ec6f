"""Opening an image a seller or a viewer gave us, with the pixel count checked first.

A "decompression bomb" is a small file that declares a huge image (a 30 KB PNG of 40000 x 40000
px decodes to 4.8 GB). Pillow warns above `Image.MAX_IMAGE_PIXELS` (about 89 MP) and refuses
twice that; `open_image` turns both, and anything over our own `MAX_PIXELS`, into one error,
`PhotoTooLarge` (``photo.too_large``: HTTP 413, exit 2), before any pixel is decoded. Every place
that opens an uploaded photo, a catalog photo, a clip photo or a logo goes through it.

`media_type` says what a file is from its first bytes (never its name), so a server hands out
only real photos and clips, with the right ``Content-Type``.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image

from studio.errors import PhotoTooLarge

MAX_PIXELS = 80_000_000  # 80 MP: every phone camera fits; a 20000x20000 "photo" (400 MP) does not
HEAD_BYTES = 16
# (first bytes, offset, media type). ISO-BMFF files (HEIC, AVIF, MP4) share "ftyp" at offset 4;
# the brand after it (offset 8) tells a photo from a video.
MEDIA_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"WEBP", 8, "image/webp"),
    *((b"ftyp" + brand, 4, "image/heic") for brand in (b"heic", b"heix", b"mif1", b"msf1")),
    (b"ftypavif", 4, "image/avif"),
    *(
        (b"ftyp" + brand, 4, "video/mp4")
        for brand in (b"isom", b"iso2", b"iso5", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash")
    ),
)
# The photo formats the pipeline reads (HEIC through pillow-heif), as (kind, first bytes, offset):
# what an upload or an imported catalog may name as a product photo.
IMAGE_SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("jpg", b"\xff\xd8\xff", 0),
    ("png", b"\x89PNG\r\n\x1a\n", 0),
    ("webp", b"WEBP", 8),
    ("heic", b"ftyp", 4),
)
_HINT = "resize it below 80 MP (8000 x 10000 px) and try again; no phone photo is that large"


def open_image(source: Path | bytes, *, name: str, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open an image lazily (header only), refusing one with too many pixels.

    Args:
        source: the file, or its bytes.
        name: how the seller knows it (a file name), for the message.
        max_pixels: the largest width x height accepted.

    Returns:
        The opened image; its pixels are decoded on ``load()``. The caller closes it.

    Raises:
        PhotoTooLarge: over `max_pixels`, or a size Pillow calls a decompression bomb.
        UnidentifiedImageError, OSError: not an image Pillow knows (as `PIL.Image.open`).
    """
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here it is an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoTooLarge(
            f"{name}: the image is too large to open safely ({exc})", hint=_HINT
        ) from None
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise PhotoTooLarge(
            f"{name}: {width}x{height} px is over the {max_pixels // 1_000_000} MP limit",
            hint=_HINT,
        )
    return image


def media_type(head: bytes) -> str | None:
    """Return the media type of a file from its first `HEAD_BYTES` bytes.

    Args:
        head: the file's first bytes.

    Returns:
        ``image/jpeg``, ``image/png``, ``image/webp``, ``image/heic``, ``image/avif`` or
        ``video/mp4``; None for anything else (text, JSON, a database, HTML).
    """
    return next(
        (kind for magic, at, kind in MEDIA_SIGNATURES if head[at : at + len(magic)] == magic),
        None,
    )


def image_kind(head: bytes) -> str | None:
    """Return ``jpg``, ``png``, ``webp`` or ``heic`` when `head` starts such a file, else None.

    Args:
        head: the file's first bytes (`HEAD_BYTES` are enough).
    """
    return next(
        (kind for kind, magic, at in IMAGE_SIGNATURES if head[at : at + len(magic)] == magic),
        None,
    )
