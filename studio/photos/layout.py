"""Where the product goes on the canvas: numbers only, no pixels are moved here.

`product_box` finds the product in a matte (ignoring specks), `place_product` scales and centres
that box on a canvas so it fills the preset's share of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

ALPHA_SOLID = 128  # matte value from which a pixel counts as product
SPECK_SHARE = 0.02  # components smaller than 2% of the largest one are specks


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in pixels: left, top, right, bottom (right/bottom exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        """Width in pixels."""
        return self.right - self.left

    @property
    def height(self) -> int:
        """Height in pixels."""
        return self.bottom - self.top

    def as_list(self) -> list[int]:
        """[left, top, right, bottom], for JSON."""
        return [self.left, self.top, self.right, self.bottom]


@dataclass(frozen=True, slots=True)
class Placement:
    """How the product box maps onto the canvas.

    ``crop`` is the product box in the source photo; it is scaled by ``scale`` and its top-left
    corner lands at ``offset`` (x, y) on a canvas of ``canvas`` (width, height) pixels.
    """

    crop: Box
    scale: float
    offset: tuple[int, int]
    canvas: tuple[int, int]

    @property
    def placed(self) -> Box:
        """The product box on the canvas."""
        x, y = self.offset
        return Box(x, y, x + self.placed_size[0], y + self.placed_size[1])

    @property
    def placed_size(self) -> tuple[int, int]:
        """Product (width, height) on the canvas, in pixels."""
        return (
            max(1, round(self.crop.width * self.scale)),
            max(1, round(self.crop.height * self.scale)),
        )

    @property
    def fill(self) -> float:
        """Share of the canvas the product takes on its binding side (the preset's fill)."""
        width, height = self.placed_size
        return max(width / self.canvas[0], height / self.canvas[1])


def product_box(alpha: np.ndarray, *, threshold: int = ALPHA_SOLID) -> Box | None:
    """Return the box around the product in a matte, or ``None`` if the matte is empty.

    Connected components smaller than 2% of the largest are ignored, so a stray speck in a
    corner does not stretch the box.
    """
    solid = (alpha >= threshold).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    if count <= 1:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.flatnonzero(areas >= max(1, areas.max() * SPECK_SHARE)) + 1
    left = int(stats[keep, cv2.CC_STAT_LEFT].min())
    top = int(stats[keep, cv2.CC_STAT_TOP].min())
    right = int((stats[keep, cv2.CC_STAT_LEFT] + stats[keep, cv2.CC_STAT_WIDTH]).max())
    bottom = int((stats[keep, cv2.CC_STAT_TOP] + stats[keep, cv2.CC_STAT_HEIGHT]).max())
    return Box(left, top, right, bottom)


def place_product(bbox: Box, canvas: tuple[int, int], *, fill: float) -> Placement:
    """Scale and centre ``bbox`` so it fills ``fill`` of the canvas on its binding side.

    The aspect of the product is kept; the side that reaches ``fill`` first binds, so the other
    side keeps at least the same margin.

    Args:
        bbox: the product box in the source photo.
        canvas: (width, height) of the output.
        fill: share of the canvas the product may take (0.85 = 7.5% margin on each side).
    """
    width, height = canvas
    scale = min(fill * width / bbox.width, fill * height / bbox.height)
    placed_w = max(1, round(bbox.width * scale))
    placed_h = max(1, round(bbox.height * scale))
    offset = ((width - placed_w) // 2, (height - placed_h) // 2)
    return Placement(crop=bbox, scale=scale, offset=offset, canvas=canvas)


def pad_box(bbox: Box, size: tuple[int, int], *, margin: float) -> Box:
    """Grow ``bbox`` by ``margin`` of its longer side on each side, clipped to ``size``."""
    pad = round(max(bbox.width, bbox.height) * margin)
    return Box(
        max(0, bbox.left - pad),
        max(0, bbox.top - pad),
        min(size[0], bbox.right + pad),
        min(size[1], bbox.bottom + pad),
    )
