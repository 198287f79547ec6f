"""Load a photo once: decode, apply EXIF rotation, convert to 8-bit sRGB (bombs refused first).

Every later stage works on the `Photo` this module returns; nothing else opens the file.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from studio.errors import PhotoTooSmall, PhotoUnreadable
from studio.images import MAX_PIXELS, open_image

log = logging.getLogger(__name__)

pillow_heif.register_heif_opener()

MIN_SIDE_PX = 16
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True, slots=True)
class Photo:
    """A decoded photo, ready for every stage.

    ``rgb`` is H x W x 3 uint8, EXIF-rotated, in sRGB. ``mtime_s`` is the file's modification
    time (for skip-if-newer).
    """

    source: Path
    rgb: np.ndarray
    mtime_s: float

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.rgb.shape[1]), int(self.rgb.shape[0])


def load_photo(path: Path, *, max_pixels: int = MAX_PIXELS) -> Photo:
    """Read ``path`` into a `Photo`.

    Raises:
        PhotoUnreadable: empty, corrupt, truncated or not an image.
        PhotoTooLarge: more than ``max_pixels`` pixels, or a decompression bomb (checked
            before decoding, by `studio.images.open_image`).
        PhotoTooSmall: a side shorter than 16 px.
    """
    try:
        data = path.read_bytes()
        mtime_s = path.stat().st_mtime
    except OSError as exc:
        raise PhotoUnreadable(
            f"{path}: cannot read the file ({exc.strerror})", hint="check the path"
        ) from exc
    if not data:
        raise PhotoUnreadable(f"{path}: the file is empty", hint="copy the photo again")
    return Photo(path, decode_photo(data, name=str(path), max_pixels=max_pixels), mtime_s)


def decode_photo(data: bytes, *, name: str, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Decode image bytes to an EXIF-rotated H x W x 3 uint8 sRGB array.

    Raises:
        PhotoUnreadable, PhotoTooLarge, PhotoTooSmall: as `load_photo`.
    """
    try:
        image = open_image(data, name=name, max_pixels=max_pixels)
        width, height = image.size
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoUnreadable(
            f"{name}: not a readable image ({exc})",
            hint="export it again as JPEG or PNG; the file may be truncated or not a photo",
        ) from exc
    if min(width, height) < MIN_SIDE_PX:
        raise PhotoTooSmall(
            f"{name}: {width}x{height} px is too small for a product photo",
            hint=f"use a photo at least {MIN_SIDE_PX} px on each side (800+ for marketplaces)",
        )
    return _to_srgb(ImageOps.exif_transpose(image), name=name)


def _to_srgb(image: Image.Image, *, name: str) -> np.ndarray:
    icc = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: scale to 8 bits instead of clipping at 255
        wide = np.asarray(image, dtype=np.uint32)
        peak = 65535 if image.mode.startswith("I;16") or wide.max() > 255 else 255
        image = Image.fromarray((wide * 255 // peak).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # transparent areas of a PNG become white, as a seller would expect to see them
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        image = flat
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError) as exc:
            log.info("%s: colour profile ignored (%s)", name, exc)
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(rgb)
