"""Shared fixtures for the photo studio tests: one model session, the sample cup, one batch run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.models.registry import DEFAULT_MODEL
from studio.paths import sample_photos_dir
from studio.photos.engines.isnet import IsNetEngine
from studio.photos.pipeline import CleanOptions, run_batch
from studio.photos.report import BatchReport

REPO = Path(__file__).resolve().parents[3]


def shared_masks_dir() -> Path:
    """The evaluation pairs beside the checkout (``$LIVESTALL_MASKS`` overrides)."""
    explicit = os.environ.get("LIVESTALL_MASKS")
    return Path(explicit) if explicit else REPO.parent / "shared" / "data" / "masks"


@pytest.fixture(scope="session")
def engine() -> IsNetEngine:
    """The IS-Net engine on the process's one shared session (loaded once for all tests)."""
    return IsNetEngine.open(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def cup_path() -> Path:
    """The bundled sample: a red cup and saucer, centred, on a wooden table (600x400)."""
    return sample_photos_dir() / "coffee-cup.jpg"


@pytest.fixture(scope="session")
def cup_rgb(cup_path: Path) -> np.ndarray:
    """The cup photo's pixels."""
    return np.asarray(Image.open(cup_path).convert("RGB"))


@pytest.fixture(scope="session")
def cup_batch(
    tmp_path_factory: pytest.TempPathFactory, cup_path: Path, engine: IsNetEngine
) -> Iterator[tuple[BatchReport, Path]]:
    """One `run_batch` of the cup into shopee + transparent, shared by the read-only checks."""
    out = tmp_path_factory.mktemp("cup-batch")
    report = run_batch([cup_path], CleanOptions(out_dir=out, presets=("shopee", "transparent")))
    yield report, out


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written into.

    As root, permission bits are ignored, so there the folder is ``/proc``, which refuses new
    files as a read-only mount does.
    """
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    probe = locked / "probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        yield locked
    else:
        probe.unlink()
        yield Path("/proc")
    finally:
        locked.chmod(0o755)
