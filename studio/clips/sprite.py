"""A drawn overlay, premultiplied once, with where and when it shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from overlays.layers import Layer
from overlays.zones import Box


@dataclass(frozen=True, slots=True)
class Sprite:
    """An overlay ready to blend: premultiplied colour, alpha and inverse alpha (uint8)."""

    kind: str
    scene: int  # -1 for clip-wide sprites (the logo)
    box: Box
    premult: np.ndarray  # h x w x 3
    alpha: np.ndarray  # h x w x 3 (alpha repeated, for cv2 maths)
    inverse: np.ndarray  # h x w x 3, 255 - alpha
    start_s: float
    end_s: float
    lines: tuple[str, ...] = ()  # for text: the lines as drawn (the sidecar lists them)

    @classmethod
    def from_layer(
        cls,
        layer: Layer,
        *,
        kind: str,
        scene: int,
        at: tuple[int, int],
        span: tuple[float, float],
        lines: tuple[str, ...] = (),
    ) -> Sprite:
        """Premultiply a layer once, for blending at (x, y) during [start, end)."""
        rgba = layer.rgba
        alpha = np.repeat(rgba[:, :, 3:4], 3, axis=2)
        premult = ((rgba[:, :, :3].astype(np.uint16) * alpha + 127) // 255).astype(np.uint8)
        box = Box(at[0], at[1], layer.width, layer.height)
        return cls(kind, scene, box, premult, alpha, 255 - alpha, span[0], span[1], lines)
