from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from file_limit import run_with_file_limit
from PIL import Image

from studio.errors import OutputError, TooLargeForPreset
from studio.photos.export import compose, encode, write_atomic


def test_compose_keeps_background_pure_outside_product_and_shadow() -> None:
    product = np.full((40, 60, 3), (200, 20, 20), dtype=np.uint8)
    alpha = np.zeros((40, 60), dtype=np.uint8)
    alpha[5:35, 5:55] = 255
    shadow = np.zeros((100, 100), dtype=np.float32)
    shadow[70:75, 30:70] = 0.3
    out = compose((100, 100), (255, 255, 255), product, alpha, (20, 20), shadow)
    assert out.shape == (100, 100, 3)
    assert tuple(out[30, 40]) == (200, 20, 20)
    assert tuple(out[72, 50]) == (179, 179, 179)
    untouched = np.ones((100, 100), dtype=bool)
    untouched[20:60, 20:80] = False
    untouched[70:75, 30:70] = False
    assert (out[untouched] == 255).all()


def test_compose_transparent_puts_matte_in_alpha() -> None:
    product = np.full((10, 10, 3), 90, dtype=np.uint8)
    alpha = np.full((10, 10), 128, dtype=np.uint8)
    out = compose((30, 30), None, product, alpha, (25, 25), None)  # partly outside: cut
    assert out.shape == (30, 30, 4)
    assert out[27, 27, 3] == 128 and tuple(out[27, 27, :3]) == (90, 90, 90)
    assert out[0, 0, 3] == 0


def test_encode_lowers_quality_until_the_file_fits() -> None:
    noise = np.random.default_rng(5).integers(0, 256, (400, 400, 3), dtype=np.uint8)
    first = encode(noise, "jpg", quality=95, max_bytes=None, name="noise")
    limit = len(first.data) // 2
    fitted = encode(noise, "jpg", quality=95, max_bytes=limit, name="noise")
    assert len(fitted.data) <= limit
    assert 40 <= fitted.quality < 95
    assert Image.open(io.BytesIO(fitted.data)).size == (400, 400)


def test_encode_says_when_it_cannot_fit() -> None:
    noise = np.random.default_rng(6).integers(0, 256, (300, 300, 3), dtype=np.uint8)
    with pytest.raises(TooLargeForPreset, match="quality 40"):
        encode(noise, "webp", quality=90, max_bytes=2000, name="noise")
    with pytest.raises(TooLargeForPreset, match="PNG"):
        encode(noise, "png", quality=100, max_bytes=2000, name="noise")


def test_jpeg_carries_srgb_and_no_exif() -> None:
    pixels = np.full((20, 20, 3), 128, dtype=np.uint8)
    image = Image.open(io.BytesIO(encode(pixels, "jpg", quality=90, max_bytes=None, name="x").data))
    assert image.info.get("icc_profile")
    assert not image.getexif()


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "shopee" / "cup.jpg"
    target.parent.mkdir()
    target.write_bytes(b"old good photo")
    script = f"""
import json
from pathlib import Path
from studio.errors import OutputError
from studio.photos.export import write_atomic
try:
    write_atomic(Path({str(target)!r}), b"x" * 16384)
    print(json.dumps({{"raised": False}}))
except OutputError as exc:
    print(json.dumps({{"raised": True, "hint": exc.hint}}))
"""
    caught = run_with_file_limit(script, limit_bytes=4096)
    assert caught["raised"] is True
    assert "disk is full" in caught["hint"]
    assert target.read_bytes() == b"old good photo"
    assert sorted(p.name for p in target.parent.iterdir()) == ["cup.jpg"]


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "cup.jpg", b"data")
