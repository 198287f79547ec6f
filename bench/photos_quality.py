"""Cutout quality against human-made ground truth: ours, rembg's, and the classical fallback.

    .venv/bin/python bench/photos_quality.py [--masks ../shared/data/masks]

Scores every evaluation pair in ``../shared/data/masks`` (the GrabCut set and the
alphamatting.com training set; see its SOURCES.md) with the standard salient-object metrics of
pysodmetrics: MAE (lower is better), max and mean F-measure, S-measure and mean E-measure
(higher is better). Contenders, all on the same IS-Net model file and session:

- ``rembg``: rembg's own ``DisCustomSession.predict`` (what ``rembg p`` writes as the mask);
- ``isnet``: our default matte (float32 pre/post, no min-max stretch);
- ``isnet+refine``: ours with ``--refine`` (guided filter in the edge band);
- ``classic``: the GrabCut fallback (``--engine classic``).

Nothing here is tuned on these images; they are read from ``../shared`` and never copied.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import py_sod_metrics
from PIL import Image
from rembg.sessions.base import BaseSession

from studio.models import get_model
from studio.models.registry import DEFAULT_MODEL
from studio.models.rembg_reference import open_rembg_session
from studio.photos.engines.classic import ClassicEngine
from studio.photos.engines.isnet import IsNetEngine
from studio.photos.matte import refine_edges

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Scores:
    """Running metrics for one contender."""

    mae: py_sod_metrics.MAE = field(default_factory=py_sod_metrics.MAE)
    fm: py_sod_metrics.Fmeasure = field(default_factory=py_sod_metrics.Fmeasure)
    sm: py_sod_metrics.Smeasure = field(default_factory=py_sod_metrics.Smeasure)
    em: py_sod_metrics.Emeasure = field(default_factory=py_sod_metrics.Emeasure)
    seconds: float = 0.0
    count: int = 0

    def step(self, prediction: np.ndarray, truth: np.ndarray, seconds: float) -> None:
        """Add one image's prediction (uint8 0..255) against its ground truth."""
        for metric in (self.mae, self.fm, self.sm, self.em):
            metric.step(pred=prediction, gt=truth)
        self.seconds += seconds
        self.count += 1

    def row(self) -> dict[str, float]:
        """The summary figures."""
        fm = self.fm.get_results()["fm"]
        em = self.em.get_results()["em"]
        return {
            "MAE": float(self.mae.get_results()["mae"]),
            "maxF": float(np.max(fm["curve"])),
            "meanF": float(np.mean(fm["curve"])),
            "S": float(self.sm.get_results()["sm"]),
            "meanE": float(np.mean(em["curve"])),
            "s/img": self.seconds / max(1, self.count),
        }


def pairs(masks: Path) -> list[tuple[str, Path, Path]]:
    """(set name, image, mask) for every pair under ``masks``."""
    found = []
    for mask in sorted(masks.glob("*/masks/*.png")):
        images = list((mask.parent.parent / "images").glob(f"{mask.stem}.*"))
        if images:
            found.append((mask.parent.parent.name, images[0], mask))
    return found


def predict_all(
    image: Image.Image, rembg: BaseSession, isnet: IsNetEngine, classic: ClassicEngine
) -> dict[str, tuple[np.ndarray, float]]:
    """Every contender's mask for one image, with the seconds each took."""
    rgb = np.asarray(image)
    tick = time.perf_counter()
    theirs = np.asarray(rembg.predict(image)[0])
    theirs_s = time.perf_counter() - tick
    tick = time.perf_counter()
    ours = isnet.finish(isnet.predict(isnet.prepare(rgb)), image.size)
    ours_s = time.perf_counter() - tick
    tick = time.perf_counter()
    refined = refine_edges(rgb, ours)
    refine_s = time.perf_counter() - tick
    tick = time.perf_counter()
    fallback = classic.finish(classic.predict(classic.prepare(rgb)), image.size)
    classic_s = time.perf_counter() - tick
    return {
        "rembg": (theirs, theirs_s),
        "isnet": (ours, ours_s),
        "isnet+refine": (refined, ours_s + refine_s),
        "classic": (fallback, classic_s),
    }


def main() -> None:
    """Score every contender on every pair and print one table per set and overall."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--masks", type=Path, default=REPO.parent / "shared" / "data" / "masks")
    args = parser.parse_args()
    found = pairs(args.masks)
    if not found:
        raise SystemExit(f"no evaluation pairs under {args.masks}")
    rembg = open_rembg_session(get_model(DEFAULT_MODEL))
    isnet = IsNetEngine.open(DEFAULT_MODEL)
    classic = ClassicEngine()
    names = ("rembg", "isnet", "isnet+refine", "classic")
    groups = sorted({group for group, _, _ in found}) + ["all"]
    table = {(group, name): Scores() for group in groups for name in names}
    for group, image_path, mask_path in found:
        with Image.open(image_path) as opened:
            image = opened.convert("RGB")
        with Image.open(mask_path) as opened:
            truth = np.asarray(opened.convert("L"))
        results = predict_all(image, rembg, isnet, classic)
        for name, (prediction, seconds) in results.items():
            for key in (group, "all"):
                table[(key, name)].step(prediction, truth, seconds)
    for group in groups:
        count = table[(group, "rembg")].count
        print(f"\n{group} ({count} pairs)")
        print(f"{'engine':<14}{'MAE':>8}{'maxF':>8}{'meanF':>8}{'S':>8}{'meanE':>8}{'s/img':>8}")
        for name in names:
            row = table[(group, name)].row()
            print(f"{name:<14}" + "".join(f"{value:>8.4f}" for value in row.values()))
    ours_mae = table[("all", "isnet")].row()["MAE"]
    theirs_mae = table[("all", "rembg")].row()["MAE"]
    print(f"\nMAE ours/rembg: {ours_mae / theirs_mae:.3f} (goal <= 1.000)")


if __name__ == "__main__":
    main()
