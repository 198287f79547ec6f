"""Plates, blending and frames."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pillow_heif
import pytest
from PIL import Image, ImageDraw

from clips.media import PHOTO
from overlays.layers import Layer
from overlays.zones import Box
from studio.clips.motion import MotionKind, ken_burns
from studio.clips.render import blend, build_plate, read_photo
from studio.clips.spec import Theme
from studio.clips.sprite import Sprite
from studio.errors import PhotoUnreadable


def _reference(frame: np.ndarray, rgba: np.ndarray, opacity: float) -> np.ndarray:
    alpha = rgba[:, :, 3:4].astype(np.float64) / 255.0 * opacity
    return frame.astype(np.float64) * (1 - alpha) + rgba[:, :, :3].astype(np.float64) * alpha


@pytest.mark.parametrize("opacity", [1.0, 0.5, 0.1])
def test_blend_matches_float_alpha_compositing(opacity: float) -> None:
    rng = np.random.default_rng(6)
    rgba = rng.integers(0, 256, (40, 50, 4), dtype=np.uint8)
    frame = rng.integers(0, 256, (100, 120, 3), dtype=np.uint8)
    expected = frame.copy().astype(np.float64)
    expected[30:70, 20:70] = _reference(frame[30:70, 20:70], rgba, opacity)
    sprite = Sprite.from_layer(Layer(rgba), kind="x", scene=0, at=(20, 30), span=(0.0, 1.0))
    out = frame.copy()
    blend(out, sprite, opacity)
    assert np.abs(out.astype(np.float64) - expected).max() <= 2.0
    assert np.array_equal(out[:30], frame[:30])  # nothing outside the sprite changes


def test_blend_clips_at_the_frame_edge() -> None:
    sprite = Sprite.from_layer(
        Layer(np.full((20, 20, 4), 255, np.uint8)), kind="x", scene=0, at=(-5, 90), span=(0.0, 1.0)
    )
    frame = np.zeros((100, 100, 3), np.uint8)
    blend(frame, sprite, 1.0, dy=0)
    assert frame[90:, :15].min() == 255 and frame[:90].max() == 0 and frame[:, 15:].max() == 0
    assert sprite.box == Box(-5, 90, 20, 20)


@pytest.mark.parametrize("kind", ["zoom_in", "zoom_out", "pan_left"])
@pytest.mark.parametrize("progress", [0.0, 1.0])
def test_the_moving_photo_never_leaves_its_box(kind: MotionKind, progress: float) -> None:
    photo = read_photo(PHOTO)
    theme = Theme(shade=0.0, background="color", background_color="#000000")
    box = Box(0, 100, 216, 120)
    plate = build_plate(photo, (216, 384), amount=0.1, theme=theme, photo_box=box)
    assert plate.shape == (422, 238, 3)
    affine = ken_burns(kind, 0.1, progress, plate=(238, 422), frame=(216, 384))
    frame = cv2.warpAffine(plate, np.array(affine.rows()), (216, 384))
    rows = np.flatnonzero(frame.max(axis=(1, 2)) > 30)
    assert box.y - 1 <= rows[0] and rows[-1] <= box.bottom
    if kind == "zoom_in" and progress == 1.0:  # fully zoomed in, it fills the box's height
        assert rows[0] <= box.y + 2 and rows[-1] >= box.bottom - 3


def test_photo_of_the_frames_shape_fills_it() -> None:
    square = np.full((300, 300, 3), 200, np.uint8)
    plate = build_plate(square, (200, 200), amount=0.0, theme=Theme(shade=0.0))
    assert plate.shape == (200, 200, 3) and plate.min() == 200


def test_unreadable_photo_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "x.jpg"
    bad.write_bytes(b"nope")
    with pytest.raises(PhotoUnreadable, match="x.jpg"):
        read_photo(bad)


def test_heic_photos_from_phones_are_read(tmp_path: Path) -> None:
    heic = tmp_path / "cup.heic"
    with Image.open(PHOTO) as image:
        pillow_heif.from_pillow(image).save(str(heic))  # without registering Pillow's opener
    # a fresh interpreter, so nothing else in this test run has registered HEIC support
    code = f"from studio.clips.render import read_photo; print(read_photo(__import__('pathlib').Path({str(heic)!r})).shape)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "(400, 600, 3)"


def test_a_cut_out_product_stands_on_the_backdrop(tmp_path: Path) -> None:
    cutout = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(cutout).ellipse((40, 40, 160, 160), fill=(0, 200, 0, 255))
    cutout.save(tmp_path / "cut.png")
    photo = read_photo(tmp_path / "cut.png")
    assert photo.shape == (200, 200, 4)
    theme = Theme(shade=0.0, background="color", background_color="#000080")
    plate = build_plate(photo, (200, 200), amount=0.0, theme=theme, photo_box=Box(0, 0, 200, 200))
    assert tuple(plate[100, 100]) == (0, 200, 0)  # the product
    assert tuple(plate[5, 5]) == (0, 0, 128)  # transparent corner: the backdrop, not white
    assert plate[162:168, 80:120, 2].mean() < 120  # a shadow falls just under the product


def test_an_opaque_png_is_read_as_rgb(tmp_path: Path) -> None:
    Image.new("RGBA", (20, 10), (1, 2, 3, 255)).save(tmp_path / "opaque.png")
    assert read_photo(tmp_path / "opaque.png").shape == (10, 20, 3)
