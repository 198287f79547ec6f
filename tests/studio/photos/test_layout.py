from __future__ import annotations

import numpy as np
import pytest

from studio.photos.layout import Box, pad_box, place_product, product_box


@pytest.mark.parametrize(
    ("bbox", "canvas", "fill"),
    [
        (Box(0, 0, 400, 400), (1024, 1024), 0.85),
        (Box(10, 20, 410, 220), (1024, 1024), 0.85),  # wide: width binds
        (Box(10, 20, 110, 520), (1000, 1000), 0.8),  # tall: height binds
        (Box(0, 0, 3000, 2000), (2000, 2000), 0.85),  # shrinking
        (Box(5, 5, 105, 305), (1080, 1920), 0.7),  # 9:16 story canvas
    ],
)
def test_place_product_fills_binding_side_and_centres(
    bbox: Box, canvas: tuple[int, int], fill: float
) -> None:
    placement = place_product(bbox, canvas, fill=fill)
    placed = placement.placed
    assert placement.fill == pytest.approx(fill, abs=0.002)
    assert placed.width / placed.height == pytest.approx(bbox.width / bbox.height, rel=0.01)
    assert abs(placed.left - (canvas[0] - placed.right)) <= 1
    assert abs(placed.top - (canvas[1] - placed.bottom)) <= 1
    assert placed.left >= 0 and placed.top >= 0
    assert placed.right <= canvas[0] and placed.bottom <= canvas[1]


def test_product_box_ignores_specks() -> None:
    alpha = np.zeros((200, 300), dtype=np.uint8)
    alpha[50:150, 100:220] = 255
    alpha[2:4, 2:4] = 255  # dust in a corner
    alpha[190:193, 290:293] = 200
    assert product_box(alpha) == Box(100, 50, 220, 150)


def test_product_box_keeps_large_second_part() -> None:
    alpha = np.zeros((200, 300), dtype=np.uint8)
    alpha[50:150, 20:120] = 255
    alpha[60:140, 180:260] = 255  # a second shoe of the pair
    assert product_box(alpha) == Box(20, 50, 260, 150)


@pytest.mark.parametrize("value", [0, 40, 127])
def test_product_box_of_empty_matte_is_none(value: int) -> None:
    assert product_box(np.full((50, 50), value, dtype=np.uint8)) is None


def test_pad_box_is_clipped_to_image() -> None:
    assert pad_box(Box(5, 5, 105, 55), (110, 60), margin=0.1) == Box(0, 0, 110, 60)
    assert pad_box(Box(50, 50, 150, 100), (400, 400), margin=0.1) == Box(40, 40, 160, 110)
