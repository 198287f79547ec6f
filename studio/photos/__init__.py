"""Marketplace-ready product photos: cutout, clean (matte, enhance, layout, shadow, export)."""

from __future__ import annotations

from studio.photos.batch import Progress
from studio.photos.pipeline import CleanOptions, CutoutOptions, cutout_batch, run_batch
from studio.photos.presets import DEFAULT_PRESETS, PRESETS, Preset, get_preset
from studio.photos.report import BatchReport, PhotoResult

__all__ = [
    "DEFAULT_PRESETS",
    "PRESETS",
    "BatchReport",
    "CleanOptions",
    "CutoutOptions",
    "PhotoResult",
    "Preset",
    "Progress",
    "cutout_batch",
    "get_preset",
    "run_batch",
]
