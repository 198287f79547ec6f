from __future__ import annotations

import numpy as np

from studio.photos.layout import Box
from studio.photos.shadow import cast_shadow


def _disc(size: int) -> np.ndarray:
    ys, xs = np.mgrid[0:size, 0:size]
    centre = size / 2
    inside = (xs - centre) ** 2 + (ys - centre) ** 2 < (size * 0.45) ** 2
    return (inside * 255).astype(np.uint8)


def test_contact_shadow_sits_under_the_base_only() -> None:
    alpha = _disc(200)
    placed = Box(400, 300, 600, 500)
    shadow = cast_shadow("contact", alpha, placed, (1000, 1000))
    assert shadow is not None and shadow.shape == (1000, 1000)
    rows = np.flatnonzero(shadow.any(axis=1))
    columns = np.flatnonzero(shadow.any(axis=0))
    assert 470 < rows.mean() < 510  # at the product's bottom edge
    assert 450 < columns.mean() < 550
    assert shadow.max() <= 0.4
    assert shadow[:300].max() == 0 and shadow[:, :300].max() == 0


def test_drop_shadow_is_offset_down_right() -> None:
    alpha = _disc(100)
    placed = Box(100, 100, 200, 200)
    shadow = cast_shadow("drop", alpha, placed, (400, 400))
    assert shadow is not None
    ys, xs = np.nonzero(shadow > 0.1)
    assert xs.mean() > 150 and ys.mean() > 150


def test_no_shadow() -> None:
    assert cast_shadow("none", _disc(10), Box(0, 0, 10, 10), (20, 20)) is None
