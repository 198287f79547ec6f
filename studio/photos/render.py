"""Turn one photo and its matte into one preset's finished pixels (no files touched here)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from studio.photos.enhance import enhance_product
from studio.photos.export import compose
from studio.photos.layout import Box, Placement, place_product
from studio.photos.load import Photo
from studio.photos.matte import Matte, decontaminate
from studio.photos.presets import Preset
from studio.photos.report import PhotoWarning
from studio.photos.shadow import cast_shadow

MAX_UPSCALE = 2.0


@dataclass(frozen=True, slots=True)
class Rendered:
    """A preset's image before encoding: pixels (RGB or RGBA), where the product went, notes."""

    pixels: np.ndarray
    placement: Placement
    warnings: tuple[PhotoWarning, ...]


def render_preset(
    photo: Photo, matte: Matte, bbox: Box, preset: Preset, *, is_enhanced: bool
) -> Rendered:
    """Crop, scale, enhance, shadow and lay the product out as ``preset`` asks.

    Args:
        photo: the decoded photo.
        matte: its alpha (same size).
        bbox: the product box in the photo (from `layout.product_box`).
        preset: the rules to follow.
        is_enhanced: run white balance / contrast / denoise / sharpen on the product.
    """
    canvas = preset.canvas_px(bbox.width, bbox.height)
    placement = place_product(bbox, canvas, fill=preset.fill)
    scale = placement.scale
    # take a few source pixels beyond the solid box so soft edges are not cut
    pad = 2 + math.ceil(2 / scale)
    width, height = photo.size
    region = Box(
        max(0, bbox.left - pad),
        max(0, bbox.top - pad),
        min(width, bbox.right + pad),
        min(height, bbox.bottom + pad),
    )
    size = (max(1, round(region.width * scale)), max(1, round(region.height * scale)))
    rgb_crop = photo.rgb[region.top : region.bottom, region.left : region.right]
    alpha_crop = matte.alpha[region.top : region.bottom, region.left : region.right]
    shrinking = scale < 1
    rgb = cv2.resize(rgb_crop, size, interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC)
    alpha = cv2.resize(
        alpha_crop, size, interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    )
    if is_enhanced:
        rgb, _ = enhance_product(rgb, alpha)
    rgb = decontaminate(rgb, alpha)
    offset = (
        placement.offset[0] - round((bbox.left - region.left) * scale),
        placement.offset[1] - round((bbox.top - region.top) * scale),
    )
    placed = Box(offset[0], offset[1], offset[0] + size[0], offset[1] + size[1])
    shadow = cast_shadow(preset.shadow, alpha, placed, canvas)
    pixels = compose(canvas, preset.background, rgb, alpha, offset, shadow)
    warnings: list[PhotoWarning] = []
    if scale > MAX_UPSCALE:
        text = (
            f"{preset.name}: the product was enlarged {scale:.1f}x from a small photo and may "
            "look soft; a closer or larger photo gives a sharper result"
        )
        values = (("scale", f"{scale:.1f}"),)
        warnings.append(PhotoWarning("photo.upscaled", preset.name, text, values))
    return Rendered(pixels, placement, tuple(warnings))
