"""Safe zones as data, and stacking boxes inside them."""

from __future__ import annotations

import pytest

from overlays.zones import ZONES, Box, get_zone, place_column, safe_box
from studio.errors import InputError


@pytest.mark.parametrize(
    ("platform", "size", "expected"),
    [
        # TikTok 1080x1920: top 150, bottom 440, right 150, plus a 43 px title-safe margin
        ("tiktok", (1080, 1920), Box(43, 193, 1080 - 150 - 86, 1920 - 150 - 440 - 86)),
        # Reels: top 14 %, bottom 35 %, 6 % each side
        ("reels", (1080, 1920), Box(65 + 43, 269 + 43, 1080 - 130 - 86, 1920 - 269 - 672 - 86)),
        ("none", (1080, 1920), Box(43, 43, 994, 1834)),
        # square and landscape frames keep only the margin, whatever the platform
        ("tiktok", (1920, 1080), Box(43, 43, 1834, 994)),
        ("reels", (1080, 1080), Box(43, 43, 994, 994)),
    ],
)
def test_safe_box_per_platform(platform: str, size: tuple[int, int], expected: Box) -> None:
    assert safe_box(platform, *size) == expected


def test_every_platform_zone_is_a_fraction() -> None:
    for zone in ZONES.values():
        for value in (zone.top, zone.bottom, zone.left, zone.right):
            assert 0.0 <= value < 0.5


def test_text_kept_out_of_tiktoks_right_column_and_bottom() -> None:
    box = safe_box("tiktok", 1080, 1920)
    assert box.right <= 1080 - 150
    assert box.bottom <= 1920 - 440
    assert not box.overlaps(Box(930, 0, 150, 1920))


def test_unknown_platform_names_the_choices() -> None:
    with pytest.raises(InputError, match="tiktok"):
        get_zone("myspace")


def test_place_column_from_top_and_bottom() -> None:
    area = Box(10, 100, 500, 800)
    top = place_column([(100, 50), (300, 20)], area, anchor="top", align="center", gap_px=5)
    assert top == [Box(210, 100, 100, 50), Box(110, 155, 300, 20)]
    bottom = place_column([(100, 50), (500, 20)], area, anchor="bottom", align="left", gap_px=5)
    assert bottom == [Box(10, 850, 100, 50), Box(10, 825, 500, 20)]
    right = place_column([(100, 50)], area, anchor="top", align="right", gap_px=0)
    assert right == [Box(410, 100, 100, 50)]
    assert all(area.contains(b) for b in top + bottom + right)
