"""Soft shadows derived from the product's matte, as an opacity map on the canvas.

A *contact* shadow is the soft dark patch where the product touches the table: a flat ellipse
as wide as the product's bottom rows, blurred. A *drop* shadow is the matte itself, offset down
and right and blurred. Both return H x W float32 opacity (0..1) for the exporter to darken the
background with; nothing is drawn here.
"""

from __future__ import annotations

import cv2
import numpy as np

from studio.photos.layout import Box
from studio.photos.presets import ShadowKind

CONTACT_OPACITY = 0.38
DROP_OPACITY = 0.28
BOTTOM_SHARE = 0.08  # the product's lowest 8% of rows decide the contact shadow's width


def cast_shadow(
    kind: ShadowKind, alpha: np.ndarray, placed: Box, canvas: tuple[int, int]
) -> np.ndarray | None:
    """Return the shadow opacity map for ``kind``, or ``None`` for no shadow.

    Args:
        kind: "contact", "drop" or "none".
        alpha: the product's matte at canvas scale, covering ``placed`` (H x W uint8).
        placed: where that matte sits on the canvas.
        canvas: (width, height) of the output.
    """
    if kind == "contact":
        return contact_shadow(alpha, placed, canvas)
    if kind == "drop":
        return drop_shadow(alpha, placed, canvas)
    return None


def contact_shadow(alpha: np.ndarray, placed: Box, canvas: tuple[int, int]) -> np.ndarray:
    """A blurred flat ellipse under the product's base."""
    width, height = canvas
    shadow = np.zeros((height, width), dtype=np.float32)
    solid = alpha >= 128
    solid_rows = np.flatnonzero(solid.any(axis=1))
    if solid_rows.size == 0:
        return shadow
    first, last = int(solid_rows[0]), int(solid_rows[-1])
    band = max(1, round((last - first + 1) * BOTTOM_SHARE))
    columns = np.flatnonzero(solid[last + 1 - band : last + 1].any(axis=0))
    base_left = placed.left + int(columns[0])
    base_right = placed.left + int(columns[-1]) + 1
    product_h = last - first + 1
    centre_x = (base_left + base_right) // 2
    half_w = max(2, round((base_right - base_left) * 0.55))
    half_h = max(2, round(product_h * 0.035))
    centre_y = min(height - 1, placed.top + last - half_h // 2)
    sigma = max(1.5, half_h * 0.8)
    reach = half_h + round(3 * sigma) + 1
    top, bottom = max(0, centre_y - reach), min(height, centre_y + reach + 1)
    left, right = max(0, centre_x - half_w - reach), min(width, centre_x + half_w + reach + 1)
    window = np.zeros((bottom - top, right - left), dtype=np.float32)
    centre = (centre_x - left, centre_y - top)
    cv2.ellipse(window, centre, (half_w, half_h), 0, 0, 360, 1.0, thickness=-1)
    blurred = cv2.GaussianBlur(window, (0, 0), sigma) * np.float32(CONTACT_OPACITY)
    shadow[top:bottom, left:right] = blurred
    return _zero_faint(shadow)


def drop_shadow(alpha: np.ndarray, placed: Box, canvas: tuple[int, int]) -> np.ndarray:
    """The matte shifted down-right by ~2% of the product and blurred."""
    width, height = canvas
    shadow = np.zeros((height, width), dtype=np.float32)
    shift = max(2, round(max(placed.width, placed.height) * 0.025))
    left, top = placed.left + shift, placed.top + shift
    right, bottom = min(width, left + alpha.shape[1]), min(height, top + alpha.shape[0])
    if right <= left or bottom <= top:
        return shadow
    shadow[top:bottom, left:right] = alpha[: bottom - top, : right - left] * np.float32(1 / 255)
    sigma = max(1.5, shift * 1.2)
    blurred: np.ndarray = cv2.GaussianBlur(shadow, (0, 0), sigma) * np.float32(DROP_OPACITY)
    return _zero_faint(blurred)


def _zero_faint(shadow: np.ndarray) -> np.ndarray:
    # Gaussian tails reach far; below half a grey level they would only make "white" 254
    shadow[shadow < np.float32(0.5 / 255)] = 0
    return shadow
