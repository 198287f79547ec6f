"""The classical fallback engine: OpenCV GrabCut seeded from the photo's border.

Used only when asked for (``--engine classic``) or when no model is installed and the seller
allowed it (``--allow-classic``). It assumes what phone product shots usually show: the product
near the middle, the border of the frame is background. On a plain backdrop the seed comes from
colour distance to the border (keying); otherwise GrabCut starts from "everything inside the
border may be product". It is much weaker than IS-Net; `bench/photos_quality.py` reports its
scores beside the model's.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_PX = 400  # GrabCut's cost grows with pixels; the matte is upsampled afterwards
BORDER_SHARE = 0.04
PLAIN_BORDER_STD = 12.0  # Lab units: a border this uniform is a backdrop we can key
KEY_DISTANCE = 28.0
ITERATIONS = 4


class ClassicEngine:
    """Matte engine using GrabCut (and colour keying on plain backdrops); no model needed."""

    name = "classic"

    def prepare(self, rgb: np.ndarray) -> np.ndarray:
        """Return the photo shrunk to at most 400 px on its longer side (uint8 RGB)."""
        height, width = rgb.shape[:2]
        scale = min(1.0, WORK_PX / max(height, width))
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)

    def predict(self, prepared: np.ndarray) -> np.ndarray:
        """Segment the small photo; return its float32 foreground map (0..1)."""
        height, width = prepared.shape[:2]
        border = max(1, round(min(height, width) * BORDER_SHARE))
        seed = _seed_mask(prepared, border)
        if not np.any(seed == cv2.GC_PR_FGD) or not np.any(seed == cv2.GC_BGD):
            return np.zeros((height, width), dtype=np.float32)
        bgr = cv2.cvtColor(prepared, cv2.COLOR_RGB2BGR)
        background_model = np.zeros((1, 65), dtype=np.float64)
        foreground_model = np.zeros((1, 65), dtype=np.float64)
        try:
            cv2.grabCut(
                bgr,
                seed,
                (0, 0, width, height),
                background_model,
                foreground_model,
                ITERATIONS,
                cv2.GC_INIT_WITH_MASK,
            )
        except cv2.error:
            return np.zeros((height, width), dtype=np.float32)
        is_fg = (seed == cv2.GC_FGD) | (seed == cv2.GC_PR_FGD)
        soft: np.ndarray = cv2.GaussianBlur(is_fg.astype(np.float32), (0, 0), 1.0)
        return soft

    def finish(self, raw: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """Upsample the foreground map to ``size`` (width, height); return uint8 alpha."""
        resized = cv2.resize(raw, size, interpolation=cv2.INTER_LINEAR)
        return np.clip(resized * np.float32(255.0) + np.float32(0.5), 0, 255).astype(np.uint8)


def _seed_mask(rgb: np.ndarray, border: int) -> np.ndarray:
    """GrabCut's starting labels: border = background, inside = probable product/background."""
    height, width = rgb.shape[:2]
    seed = np.full((height, width), cv2.GC_PR_FGD, dtype=np.uint8)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    ring = np.ones((height, width), dtype=bool)
    ring[border : height - border, border : width - border] = False
    border_pixels = lab[ring]
    if border_pixels.size and float(border_pixels.std(axis=0).mean()) < PLAIN_BORDER_STD:
        backdrop = np.median(border_pixels, axis=0)
        distance = np.linalg.norm(lab - backdrop, axis=2)
        seed[distance < KEY_DISTANCE] = cv2.GC_PR_BGD
    seed[ring] = cv2.GC_BGD
    return seed
