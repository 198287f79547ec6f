"""Opening an image a seller or a viewer gave us, with the pixel count checked first.

A "decompression bomb" is a small file that declares a huge image (a 30 KB PNG of 40000 x 40000
px decodes to 4.8 GB). Pillow warns above `Image.MAX_IMAGE_PIXELS` (about 89 MP) and refuses
twice that; `open_image` turns both, and anything over our own `MAX_PIXELS`, into one error,
`PhotoTooLarge` (``photo.too_large``: HTTP 413, exit 2), before any pixel is decoded. Every place
that opens an uploaded photo, a catalog photo, a clip photo or a logo goes through it.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image

from studio.errors import PhotoTooLarge

MAX_PIXELS = 80_000_000  # 80 MP: every phone camera fits; a 20000x20000 "photo" (400 MP) does not
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
