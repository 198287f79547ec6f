"""Helpers for clip tests: ffprobe, decoded frames, a synthesized tone, small specs."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.paths import sample_photos_dir

PHOTO = sample_photos_dir() / "coffee-cup.jpg"
CITRUS = sample_photos_dir() / "citrus-slices.jpg"


def ffprobe(path: Path) -> dict[str, Any]:
    """Return ffprobe's JSON (streams and format) for a media file."""
    exe = shutil.which("ffprobe")
    if exe is None:
        pytest.skip("ffprobe not installed (scripts/system-deps.sh installs ffmpeg)")
    result = subprocess.run(
        [exe, "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def frame_at(path: Path, t: float, size: tuple[int, int]) -> np.ndarray:
    """Decode the frame shown at time `t` as H x W x 3 RGB."""
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{t:.3f}", "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    width, height = size
    return np.frombuffer(result.stdout, np.uint8)[: width * height * 3].reshape(height, width, 3)


def write_tone(path: Path, seconds: float, *, freq_hz: float = 440.0, rate: int = 22050) -> Path:
    """Write a mono 16-bit WAV sine tone."""
    count = int(seconds * rate)
    samples = (0.3 * 32767 * np.sin(2 * math.pi * freq_hz * np.arange(count) / rate)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def small_spec(**overrides: Any) -> dict[str, Any]:
    """Plain spec data for a small, fast clip: 216x384, 10 fps, ultrafast, two 1.5 s scenes."""
    data: dict[str, Any] = {
        "canvas": {"aspect": "9:16", "width": 216, "fps": 10},
        "platform": "tiktok",
        "locale": "vi",
        "currency": "VND",
        "scenes": [
            {
                "photo": str(PHOTO),
                "title": "Cốc sứ",
                "price": 199000,
                "sale_price": 139000,
                "duration_s": 1.5,
            },
            {"photo": str(CITRUS), "title": "Cam", "duration_s": 1.5},
        ],
        "transition": {"kind": "crossfade", "duration_s": 0.3},
        "output": {"preset": "ultrafast", "crf": 28},
        "product": {"source": "raw"},  # the photo as shot: no cut-out model in the fast tests
    }
    data.update(overrides)
    return data


def colour_share(region: np.ndarray, rgb: tuple[int, int, int], *, tolerance: int = 40) -> float:
    """Fraction of pixels within `tolerance` (sum of channel differences) of a colour."""
    diff = np.abs(region.astype(np.int32) - np.array(rgb)).sum(axis=2)
    return float((diff < tolerance).mean())


def is_faststart(path: Path) -> bool:
    """True when the moov atom comes before mdat (playable while downloading)."""
    head = path.read_bytes()
    return 0 <= head.find(b"moov") < head.find(b"mdat")


__all__ = [
    "CITRUS",
    "PHOTO",
    "colour_share",
    "ffprobe",
    "frame_at",
    "is_faststart",
    "small_spec",
    "write_tone",
]
