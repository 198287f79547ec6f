"""A product's cleaned cut-out for clips: made on the fly with the photo pipeline, then cached.

Clips show the product cut out, on the template's backdrop, by default. A photo that already
has transparency (a `livestall photos` cut-out, the web studio's cleaned photo) is used as it
is; any other photo goes once through `studio.photos.run_batch` with the ``transparent`` preset
(IS-Net, or GrabCut when no model is installed), and the PNG is kept in a cache folder named by
the photo's content hash, so the next clip of the same product starts at once.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
from pathlib import Path

from PIL import UnidentifiedImageError

from studio.errors import LivestallError, SpecInvalid
from studio.images import open_image
from studio.paths import data_dir
from studio.photos import CleanOptions, run_batch

logger = logging.getLogger(__name__)
_MAKING = threading.Lock()  # one cut-out at a time: the model is heavy, and a photo is cut once


def cutout_cache_dir() -> Path:
    """Return the folder cached cut-outs are kept in (``<data dir>/cache/cutouts``)."""
    return data_dir() / "cache" / "cutouts"


def has_transparency(path: Path) -> bool:
    """Whether an image file has an alpha channel with some transparent pixel (a cut-out)."""
    try:
        # through `open_image`: a decompression bomb is `photo.too_large`, not a Pillow crash
        with open_image(path, name=path.name) as image:
            if image.mode not in ("RGBA", "LA", "PA", "P") and "transparency" not in image.info:
                return False
            alpha = image.convert("RGBA").getchannel("A")
            low, _high = alpha.getextrema()
            return bool(low < 255)
    except (UnidentifiedImageError, OSError):
        return False


def cleaned_photo(photo: Path, *, cache_dir: Path | None = None, field: str = "photo") -> Path:
    """Return the cut-out of `photo`: itself when it is one, else a cached or new PNG.

    Args:
        photo: the product photo as shot (JPEG, PNG, HEIC) or a cut-out.
        cache_dir: where cut-outs are kept (default `cutout_cache_dir`).
        field: the spec field naming the photo, for errors.

    Raises:
        SpecInvalid: naming `field` when no product can be cut out of the photo.
    """
    if has_transparency(photo):
        return photo
    folder = cache_dir or cutout_cache_dir()
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()[:24]
    cached = folder / f"{digest}.png"
    if cached.is_file():
        return cached
    with _MAKING:
        if not cached.is_file():  # another thread may have made it while this one waited
            _make(photo, folder, digest, field)
    return cached


def _make(photo: Path, folder: Path, digest: str, field: str) -> None:
    cached = folder / f"{digest}.png"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".cut-") as work:
        options = CleanOptions(
            out_dir=Path(work),
            presets=("transparent",),
            allow_classic=True,
            jobs=1,
            has_contact_sheet=False,
        )
        try:
            report = run_batch([photo], options)
        except LivestallError as exc:
            raise SpecInvalid(f"{field}: {exc.message}", hint=exc.hint) from None
        made = [out.path for result in report.results for out in result.outputs]
        if not made:
            reason = next((r.reason for r in report.results if r.reason), "no product found")
            raise SpecInvalid(
                f"{field}: {photo.name}: cannot cut the product out ({reason})",
                hint="use a photo of one product on a plain backdrop, or choose the photo as shot",
            )
        temp = folder / f".{digest}.partial.png"
        shutil.copyfile(made[0], temp)
        temp.replace(cached)
    logger.info("cut out %s -> %s", photo, cached)
