from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.photos.enhance import MAX_GAIN_CHANGE, enhance_product, white_balance_gains


def _mean_hue_deg(rgb: np.ndarray, mask: np.ndarray) -> float:
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV_FULL).astype(np.float32)
    angles = hsv[..., 0][mask] / 256 * 2 * np.pi
    return float(np.degrees(np.arctan2(np.sin(angles).mean(), np.cos(angles).mean())))


def test_product_hue_is_kept(cup_rgb: np.ndarray) -> None:
    alpha = np.zeros(cup_rgb.shape[:2], dtype=np.uint8)
    alpha[30:380, 90:470] = 255  # roughly the cup and saucer
    enhanced, _ = enhance_product(cup_rgb, alpha)
    saturated = cv2.cvtColor(cup_rgb, cv2.COLOR_RGB2HSV)[..., 1] > 80
    region = saturated & (alpha > 0)
    shift = _mean_hue_deg(enhanced, region) - _mean_hue_deg(cup_rgb, region)
    assert abs((shift + 180) % 360 - 180) < 4


def test_grey_card_with_a_cast_is_neutralised() -> None:
    card = np.full((60, 60, 3), (200, 192, 181), dtype=np.uint8)  # warm indoor light
    alpha = np.full((60, 60), 255, dtype=np.uint8)
    red, green, blue = white_balance_gains(card, alpha)
    assert red < 1 < blue
    balanced, _ = enhance_product(card, alpha)
    spread = balanced[30, 30].astype(int).max() - balanced[30, 30].astype(int).min()
    assert spread < 19 - 8  # the cast shrank


@pytest.mark.parametrize("colour", [(230, 20, 20), (20, 160, 40), (30, 40, 200)])
def test_coloured_product_gets_no_white_balance(colour: tuple[int, int, int]) -> None:
    flat = np.full((50, 50, 3), colour, dtype=np.uint8)
    assert white_balance_gains(flat, np.full((50, 50), 255, dtype=np.uint8)) == (1.0, 1.0, 1.0)


def test_gains_are_bounded() -> None:
    strong_cast = np.full((50, 50, 3), (250, 200, 170), dtype=np.uint8)
    gains = white_balance_gains(strong_cast, np.full((50, 50), 255, dtype=np.uint8))
    assert all(abs(g - 1) <= MAX_GAIN_CHANGE + 1e-6 for g in gains)
