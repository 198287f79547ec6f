"""Where the product's cut-out goes: large in 9:16, never out of the frame (pure)."""

from __future__ import annotations

import pytest

from overlays.zones import Box
from studio.clips.placement import place_product


@pytest.mark.parametrize("extent", [(400, 400), (300, 600), (396, 366)])
def test_tall_frame_product_is_at_least_45_percent_of_the_height(extent: tuple[int, int]) -> None:
    room = Box(0, 500, 1080, 650)  # what two title lines and a price row leave
    box = place_product(extent, room, (1080, 1920), height_share=0.5)
    assert box.height >= 0.45 * 1920
    assert box.x >= 0 and box.right <= 1080 and box.y >= 0 and box.bottom <= 1920
    assert box.y == room.y  # starts under the title, runs down behind the price


def test_a_wide_product_is_limited_by_the_frame_width() -> None:
    box = place_product((1000, 300), Box(0, 500, 1080, 650), (1080, 1920), height_share=0.5)
    assert box.width <= 0.92 * 1080 + 1 and box.height < 0.45 * 1920


@pytest.mark.parametrize("frame", [(1080, 1080), (1920, 1080)])
def test_square_and_wide_frames_keep_the_box_inside(frame: tuple[int, int]) -> None:
    box = place_product((500, 500), None, frame, height_share=0.5)
    assert box.y >= 0 and box.bottom <= frame[1] and box.height >= 0.4 * frame[1]


def test_keeps_the_ink_aspect_ratio() -> None:
    box = place_product((300, 600), Box(0, 400, 1080, 700), (1080, 1920), height_share=0.5)
    assert abs(box.width / box.height - 0.5) < 0.01
