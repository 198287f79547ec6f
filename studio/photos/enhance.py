"""Fix a phone photo's colours gently: white balance, local contrast, mild denoise and sharpen.

Every step is bounded so the product keeps its own colour: white balance only trusts pixels that
are already near-neutral on the product and moves each channel by at most 8%, contrast works on
lightness alone (CLAHE on Lab L), and the denoise/sharpen pair is mild. Runs on the product crop
at output size, after the matte, so the old background never skews the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_GAIN_CHANGE = 0.08
NEUTRAL_MAX_SATURATION = 0.12
NEUTRAL_MIN_VALUE = 0.45
NEUTRAL_MIN_SHARE = 0.005
CLAHE_CLIP = 1.6
CLAHE_BLEND = 0.5
SHARPEN_AMOUNT = 0.5
SHARPEN_SIGMA = 1.0


@dataclass(frozen=True, slots=True)
class Enhancement:
    """What `enhance_product` did, for the report."""

    gains: tuple[float, float, float]


def white_balance_gains(rgb: np.ndarray, alpha: np.ndarray) -> tuple[float, float, float]:
    """Per-channel gains that make the product's near-neutral highlights neutral (white patch).

    Returns (1, 1, 1) when the product has too few neutral pixels to judge (a red cup on its
    own says nothing about the light); gains are limited to 1 ± 8%.
    """
    on_product = alpha >= 200
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV_FULL)
    saturation = hsv[..., 1].astype(np.float32) / 255
    value = hsv[..., 2].astype(np.float32) / 255
    neutral = on_product & (saturation < NEUTRAL_MAX_SATURATION) & (value > NEUTRAL_MIN_VALUE)
    if neutral.sum() < max(16, NEUTRAL_MIN_SHARE * on_product.sum()):
        return (1.0, 1.0, 1.0)
    means = rgb[neutral].astype(np.float32).mean(axis=0)
    target = float(means.mean())
    low, high = 1 - MAX_GAIN_CHANGE, 1 + MAX_GAIN_CHANGE
    red, green, blue = (float(np.clip(target / max(m, 1.0), low, high)) for m in means)
    return (red, green, blue)


def enhance_product(rgb: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, Enhancement]:
    """Return an enhanced copy of ``rgb`` (H x W x 3 uint8) and what was done.

    Args:
        rgb: the product crop at output size.
        alpha: its matte (H x W uint8), used to pick the pixels the statistics come from.
    """
    gains = white_balance_gains(rgb, alpha)
    balanced = rgb
    if gains != (1.0, 1.0, 1.0):
        lut = np.stack(
            [np.clip(np.arange(256, dtype=np.float32) * g, 0, 255) for g in gains], axis=1
        ).astype(np.uint8)
        balanced = np.stack([lut[rgb[..., c], c] for c in range(3)], axis=2)
    lab = cv2.cvtColor(balanced, cv2.COLOR_RGB2LAB)
    lightness = lab[..., 0]
    clahe = cv2.createCLAHE(clipLimit=CLAHE_CLIP, tileGridSize=(8, 8))
    lab[..., 0] = cv2.addWeighted(
        clahe.apply(lightness), CLAHE_BLEND, lightness, 1 - CLAHE_BLEND, 0
    )
    contrasted = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
    denoised = cv2.bilateralFilter(contrasted, d=5, sigmaColor=12, sigmaSpace=3)
    blurred = cv2.GaussianBlur(denoised, (0, 0), SHARPEN_SIGMA)
    sharpened = cv2.addWeighted(denoised, 1 + SHARPEN_AMOUNT, blurred, -SHARPEN_AMOUNT, 0)
    return sharpened, Enhancement(gains=gains)
