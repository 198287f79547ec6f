"""The RGBA layer every overlay renders to, and the few ways layers are combined.

A `Layer` is drawn once (text, price tag, badge, logo) and then reused for every frame it appears
on; the clip renderer only blends it. Pixels are straight (not premultiplied) alpha, uint8.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, UnidentifiedImageError

from studio.errors import InputError
from studio.images import open_image

RGBA = tuple[int, int, int, int]
HAlign = Literal["left", "center", "right"]


def parse_color(text: str) -> RGBA:
    """Turn ``#RRGGBB`` or ``#RRGGBBAA`` into an RGBA tuple.

    Raises:
        ValueError: when the text is not such a colour (spec validation turns it into a field error).
    """
    value = text.strip().lstrip("#")
    if len(value) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise ValueError(f"{text!r} is not a colour like #E53935 or #E53935CC")
    channels = [int(value[i : i + 2], 16) for i in range(0, len(value), 2)]
    if len(channels) == 3:
        channels.append(255)
    return (channels[0], channels[1], channels[2], channels[3])


@dataclass(frozen=True, slots=True)
class Layer:
    """An RGBA picture to lay over video: H x W x 4 uint8, straight alpha."""

    rgba: np.ndarray

    @property
    def width(self) -> int:
        """Width in pixels."""
        return int(self.rgba.shape[1])

    @property
    def height(self) -> int:
        """Height in pixels."""
        return int(self.rgba.shape[0])

    @classmethod
    def blank(cls, width: int, height: int) -> Layer:
        """Return a fully transparent layer."""
        return cls(np.zeros((height, width, 4), dtype=np.uint8))

    @classmethod
    def from_image(cls, image: Image.Image) -> Layer:
        """Wrap a Pillow image (converted to RGBA)."""
        return cls(np.asarray(image.convert("RGBA"), dtype=np.uint8).copy())

    def to_image(self) -> Image.Image:
        """Return the layer as a Pillow RGBA image."""
        return Image.fromarray(self.rgba)

    def ink_box(self) -> tuple[int, int, int, int] | None:
        """Return (left, top, right, bottom) of the non-transparent pixels, or None if empty."""
        alpha = self.rgba[:, :, 3]
        rows = np.flatnonzero(alpha.any(axis=1))
        cols = np.flatnonzero(alpha.any(axis=0))
        if rows.size == 0:
            return None
        return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1

    def cropped_to_ink(self, margin_px: int) -> Layer:
        """Return the layer cut to its ink with `margin_px` of transparent border on each side."""
        box = self.ink_box()
        if box is None:
            return Layer.blank(1, 1)
        left, top, right, bottom = box
        inner = self.rgba[top:bottom, left:right]
        out = np.zeros(
            (inner.shape[0] + 2 * margin_px, inner.shape[1] + 2 * margin_px, 4), np.uint8
        )
        out[margin_px : margin_px + inner.shape[0], margin_px : margin_px + inner.shape[1]] = inner
        return Layer(out)

    def scaled_to_height(self, height_px: int) -> Layer:
        """Return the layer resized (Lanczos) to a height, keeping its aspect ratio."""
        width = max(1, round(self.width * height_px / self.height))
        return Layer.from_image(
            self.to_image().resize((width, height_px), Image.Resampling.LANCZOS)
        )


def stack(layers: Sequence[Layer], *, gap_px: int, align: HAlign = "center") -> Layer:
    """Stack layers top to bottom with a gap, aligned left, centre or right."""
    parts = [layer for layer in layers if layer.width > 1 or layer.height > 1]
    if not parts:
        return Layer.blank(1, 1)
    width = max(p.width for p in parts)
    height = sum(p.height for p in parts) + gap_px * (len(parts) - 1)
    out = np.zeros((height, width, 4), np.uint8)
    y = 0
    for part in parts:
        x = {"left": 0, "center": (width - part.width) // 2, "right": width - part.width}[align]
        out[y : y + part.height, x : x + part.width] = part.rgba
        y += part.height + gap_px
    return Layer(out)


def side_by_side(layers: Sequence[Layer], *, gap_px: int) -> Layer:
    """Put layers left to right with a gap, centred vertically."""
    parts = [layer for layer in layers if layer.width > 1 or layer.height > 1]
    if not parts:
        return Layer.blank(1, 1)
    height = max(p.height for p in parts)
    width = sum(p.width for p in parts) + gap_px * (len(parts) - 1)
    out = np.zeros((height, width, 4), np.uint8)
    x = 0
    for part in parts:
        y = (height - part.height) // 2
        out[y : y + part.height, x : x + part.width] = part.rgba
        x += part.width + gap_px
    return Layer(out)


def on_panel(content: Layer, *, color: RGBA, padding_px: tuple[int, int], radius_px: int) -> Layer:
    """Put a layer on a rounded rectangle of `color`, with (horizontal, vertical) padding."""
    pad_x, pad_y = padding_px
    width, height = content.width + 2 * pad_x, content.height + 2 * pad_y
    panel = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(panel).rounded_rectangle(
        (0, 0, width - 1, height - 1), radius=min(radius_px, height // 2), fill=color
    )
    panel.alpha_composite(content.to_image(), (pad_x, pad_y))
    return Layer.from_image(panel)


def load_logo(path: Path, *, height_px: int) -> Layer:
    """Read a logo (PNG with transparency, or any image) and scale it to a height.

    Raises:
        InputError: when the file is missing or not an image.
        PhotoTooLarge: over 80 MP, or a decompression bomb.
    """
    try:
        with open_image(path, name=str(path)) as image:
            image.load()
            layer = Layer.from_image(image)
    except (FileNotFoundError, UnidentifiedImageError, OSError) as exc:
        raise InputError(
            f"{path}: cannot read the logo ({exc.__class__.__name__})",
            hint="use a PNG or JPEG file",
        ) from None
    return layer.scaled_to_height(height_px)
