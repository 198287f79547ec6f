"""Discount badge and pill labels."""

from __future__ import annotations

import numpy as np

from overlays.badge import BadgeStyle, PillStyle, badge_text, render_badge, render_pill


def test_badge_text() -> None:
    assert badge_text(30) == "-30%"


def test_badge_is_a_disc_of_its_colour_with_text() -> None:
    layer = render_badge(
        30, BadgeStyle(size_px=40, color=(255, 214, 0, 255), text_color=(30, 30, 30, 255))
    )
    assert layer.width == layer.height
    rgba = layer.rgba.astype(int)
    centre_row = rgba[layer.height // 2]
    assert (np.abs(centre_row[:, :3] - (30, 30, 30)).sum(axis=1) < 30).any()  # the text
    assert rgba[0, 0, 3] == 0  # corners are outside the disc
    opaque = rgba[rgba[:, :, 3] == 255][:, :3]
    assert (np.abs(opaque - (255, 214, 0)).sum(axis=1) < 10).mean() > 0.5


def test_pill_wraps_to_its_width() -> None:
    layer = render_pill(
        "Bình luận A12 để chốt đơn ngay hôm nay nhé các bạn",
        PillStyle(size_px=40),
        language="vi",
        max_width_px=300,
    )
    assert layer.width <= 300
    assert layer.height > 60  # two lines
