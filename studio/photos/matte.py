"""Foreground mattes: the engine table, edge refinement and colour decontamination.

An engine works in three calls so the batch pipeline can overlap them: ``prepare`` (CPU, any
thread), ``predict`` (the model; one call at a time), ``finish`` (back to photo size, any thread).
`compute_matte` runs the three in a row for a single photo.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from studio.errors import ModelMissing, UnknownEngine
from studio.photos.engines.classic import ClassicEngine
from studio.photos.engines.isnet import IsNetEngine
from studio.photos.load import Photo

log = logging.getLogger(__name__)

EDGE_LOW = 8  # matte values strictly between these two are "edge"
EDGE_HIGH = 247
SOLID = 240
EMPTY_PROBABILITY = 0.5  # a photo whose strongest foreground response is below this is empty


@dataclass(frozen=True, slots=True)
class Matte:
    """The product's alpha for one photo: H x W uint8, pixel-aligned with ``Photo.rgb``."""

    alpha: np.ndarray
    engine: str

    @property
    def is_empty(self) -> bool:
        """True when no pixel is confidently product."""
        return int(self.alpha.max(initial=0)) < round(255 * EMPTY_PROBABILITY)


class MatteEngine(Protocol):
    """What the pipeline needs from a matte engine."""

    name: str

    def prepare(self, rgb: np.ndarray) -> np.ndarray:
        """Turn a photo into the engine's input (thread-safe)."""
        ...

    def predict(self, prepared: np.ndarray) -> np.ndarray:
        """Run the engine on a prepared input; return a float32 foreground map (0..1)."""
        ...

    def finish(self, raw: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """Resize a foreground map to ``size`` (width, height) as uint8 alpha (thread-safe)."""
        ...


ENGINE_NAMES: tuple[str, ...] = (IsNetEngine.name, ClassicEngine.name)


def open_engine(name: str, *, model: str, allow_classic: bool = False) -> MatteEngine:
    """Return a ready engine: ``isnet`` (the model, session shared per process) or ``classic``.

    With ``allow_classic`` a missing model falls back to the classic engine (and says so in the
    log; the report names the engine that ran).

    Raises:
        UnknownEngine: ``name`` is not an engine.
        ModelMissing: the model is not installed and the fallback was not allowed.
    """
    if name == ClassicEngine.name:
        return ClassicEngine()
    if name != IsNetEngine.name:
        raise UnknownEngine(
            f"no matte engine {name!r}", hint=f"choose one of {', '.join(ENGINE_NAMES)}"
        )
    try:
        return IsNetEngine.open(model)
    except ModelMissing:
        if not allow_classic:
            raise
        log.warning("model %s is not installed; using the classic engine", model)
        return ClassicEngine()


def compute_matte(photo: Photo, engine: MatteEngine) -> Matte:
    """Run ``engine`` on one photo (prepare, predict, finish)."""
    raw = engine.predict(engine.prepare(photo.rgb))
    return Matte(engine.finish(raw, photo.size), engine.name)


def edge_band(alpha: np.ndarray, *, radius_px: int) -> np.ndarray:
    """Boolean mask of pixels within ``radius_px`` of the matte's soft edge."""
    edge = ((alpha > EDGE_LOW) & (alpha < EDGE_HIGH)).astype(np.uint8)
    if radius_px <= 0:
        return edge.astype(bool)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius_px + 1, 2 * radius_px + 1))
    return cv2.dilate(edge, kernel).astype(bool)


def refine_edges(rgb: np.ndarray, alpha: np.ndarray, *, radius_px: int = 4) -> np.ndarray:
    """Snap the matte's edge to the photo's edges with a guided filter, inside the edge band only.

    Pixels away from the edge keep their value, so this costs a band, not a full-frame matting.
    """
    band = edge_band(alpha, radius_px=radius_px * 2)
    if not band.any():
        return alpha
    ys, xs = np.nonzero(band)
    pad = radius_px * 2
    top, bottom = max(0, ys.min() - pad), min(alpha.shape[0], ys.max() + pad + 1)
    left, right = max(0, xs.min() - pad), min(alpha.shape[1], xs.max() + pad + 1)
    guide = cv2.cvtColor(rgb[top:bottom, left:right], cv2.COLOR_RGB2GRAY).astype(np.float32)
    guide *= np.float32(1 / 255)
    target = alpha[top:bottom, left:right].astype(np.float32) * np.float32(1 / 255)
    filtered = _guided_filter(guide, target, radius_px=radius_px, eps=1e-3)
    refined = alpha.copy()
    window = refined[top:bottom, left:right]
    in_band = band[top:bottom, left:right]
    window[in_band] = np.clip(filtered[in_band] * 255 + 0.5, 0, 255).astype(np.uint8)
    return refined


def _guided_filter(
    guide: np.ndarray, target: np.ndarray, *, radius_px: int, eps: float
) -> np.ndarray:
    size = (2 * radius_px + 1, 2 * radius_px + 1)
    mean_i = cv2.boxFilter(guide, -1, size)
    mean_p = cv2.boxFilter(target, -1, size)
    cov_ip = cv2.boxFilter(guide * target, -1, size) - mean_i * mean_p
    var_i = cv2.boxFilter(guide * guide, -1, size) - mean_i * mean_i
    a = cov_ip / (var_i + np.float32(eps))
    b = mean_p - a * mean_i
    result: np.ndarray = cv2.boxFilter(a, -1, size) * guide + cv2.boxFilter(b, -1, size)
    return result


def decontaminate(rgb: np.ndarray, alpha: np.ndarray, *, radius_px: int = 6) -> np.ndarray:
    """Replace the colour of semi-transparent edge pixels with the nearby product colour.

    At a soft edge the photo's pixel mixes product and old background (a wooden table, a green
    wall); composited on white it shows as a dark or tinted fringe. Each edge pixel takes the
    average colour of the solid product pixels around it (normalised convolution).
    """
    band = edge_band(alpha, radius_px=1)
    if not band.any():
        return rgb
    ys, xs = np.nonzero(band)
    pad = radius_px * 3 + 2
    top, bottom = max(0, ys.min() - pad), min(alpha.shape[0], ys.max() + pad + 1)
    left, right = max(0, xs.min() - pad), min(alpha.shape[1], xs.max() + pad + 1)
    window_alpha = alpha[top:bottom, left:right]
    window_band = band[top:bottom, left:right]
    solid = (window_alpha >= SOLID).astype(np.float32)
    sigma = float(radius_px)
    weight = cv2.GaussianBlur(solid, (0, 0), sigma)
    window_rgb = rgb[top:bottom, left:right].astype(np.float32)
    colour = cv2.GaussianBlur(window_rgb * solid[..., None], (0, 0), sigma)
    has_colour = window_band & (window_alpha < SOLID) & (weight > 1e-3)
    cleaned = rgb.copy()
    estimate = colour[has_colour] / weight[has_colour][:, None]
    cleaned[top:bottom, left:right][has_colour] = np.clip(estimate + 0.5, 0, 255).astype(np.uint8)
    return cleaned
