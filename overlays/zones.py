"""Platform safe zones (data) and where overlays go inside them. Pure: numbers in, numbers out.

Each platform's app draws its own buttons, captions and progress bar over a 9:16 video; text and
prices placed there are hidden. The zones are fractions of the frame, so they scale to any size.
Sources are listed in docs/clips.md ("Safe zones"); change a number here only with a source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from studio.errors import InputError

Platform = Literal["tiktok", "reels", "shorts", "none"]
VAnchor = Literal["top", "bottom"]


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in pixels: left, top, width, height."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """One past the last column."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """One past the last row."""
        return self.y + self.height

    def contains(self, other: Box) -> bool:
        """Return True when `other` lies entirely inside this box."""
        return (
            other.x >= self.x
            and other.y >= self.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def overlaps(self, other: Box) -> bool:
        """Return True when the two boxes share at least one pixel."""
        return not (
            other.x >= self.right
            or other.right <= self.x
            or other.y >= self.bottom
            or other.bottom <= self.y
        )


@dataclass(frozen=True, slots=True)
class SafeZone:
    """Parts of a 9:16 frame an app covers, as fractions of its width / height."""

    top: float
    bottom: float
    left: float
    right: float


# 9:16 only: the apps' overlays are drawn on the vertical player. Sources: docs/clips.md.
ZONES: dict[str, SafeZone] = {
    # TikTok: top 150 px, bottom 440 px, right 150 px of 1080x1920 (TikTok Creative Center).
    "tiktok": SafeZone(top=150 / 1920, bottom=440 / 1920, left=0.0, right=150 / 1080),
    # Instagram / Facebook Reels: top 14 %, bottom 35 %, 6 % at each side (Meta Business Help Center).
    "reels": SafeZone(top=0.14, bottom=0.35, left=0.06, right=0.06),
    # YouTube Shorts: title, channel and subscribe button in the bottom ~25 %, action column
    # on the right, search and menu bar at the top.
    "shorts": SafeZone(top=140 / 1920, bottom=480 / 1920, left=0.0, right=140 / 1080),
    "none": SafeZone(top=0.0, bottom=0.0, left=0.0, right=0.0),
}

# Always keep this much air inside the safe area (title-safe margin, as broadcast graphics do).
MARGIN_FRACTION = 0.04


def get_zone(platform: str) -> SafeZone:
    """Return the safe zone of a platform.

    Raises:
        InputError: for an unknown platform name.
    """
    try:
        return ZONES[platform]
    except KeyError:
        raise InputError(
            f"unknown platform {platform!r}", hint=f"choose one of {', '.join(ZONES)}"
        ) from None


def safe_box(platform: str, width: int, height: int) -> Box:
    """Return the part of a `width` x `height` frame where text and prices stay visible.

    The platform's zones apply to vertical frames only; square and landscape frames (feed posts,
    Facebook, YouTube) keep just the title-safe margin.
    """
    zone = get_zone(platform) if height > width else ZONES["none"]
    margin = round(min(width, height) * MARGIN_FRACTION)
    left = round(width * zone.left) + margin
    right = width - round(width * zone.right) - margin
    top = round(height * zone.top) + margin
    bottom = height - round(height * zone.bottom) - margin
    return Box(left, top, max(1, right - left), max(1, bottom - top))


def place_column(
    sizes: Sequence[tuple[int, int]],
    area: Box,
    *,
    anchor: VAnchor,
    align: Literal["left", "center", "right"],
    gap_px: int,
) -> list[Box]:
    """Stack boxes of the given (width, height) from the top or bottom of `area`.

    Boxes wider than the area are kept at their size but aligned to its left edge; callers wrap
    or shrink content to `area.width` first.

    Returns:
        One box per size, in the order given (the first is nearest the anchor edge).
    """
    boxes: list[Box] = []
    cursor = area.y if anchor == "top" else area.bottom
    for width, height in sizes:
        if align == "left" or width >= area.width:
            x = area.x
        elif align == "center":
            x = area.x + (area.width - width) // 2
        else:
            x = area.right - width
        if anchor == "top":
            boxes.append(Box(x, cursor, width, height))
            cursor += height + gap_px
        else:
            cursor -= height
            boxes.append(Box(x, cursor, width, height))
            cursor -= gap_px
    return boxes
