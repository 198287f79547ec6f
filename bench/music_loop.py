"""Synthesize the bundled background-music loop (assets/music/upbeat-loop.m4a).

Our own work, no samples: a four-bar I-V-vi-IV progression in C at 120 BPM (soft pad, plucked
arpeggio, kick on the beat, hi-hat off the beat), 8 s that loop seamlessly, encoded to AAC.

    .venv/bin/python bench/music_loop.py [OUT]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

RATE = 44100
BPM = 120
BEAT_S = 60 / BPM
BARS = [(60, 64, 67), (55, 59, 62), (57, 60, 64), (53, 57, 60)]  # C, G/B... as MIDI triads
OUT = Path(__file__).resolve().parent.parent / "assets" / "music" / "upbeat-loop.m4a"


def _freq(midi: int) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _envelope(length: int, attack_s: float, decay_s: float) -> np.ndarray:
    t = np.arange(length) / RATE
    attack = np.clip(t / attack_s, 0.0, 1.0) if attack_s > 0 else np.ones(length)
    return attack * np.exp(-t / decay_s)


def _place(track: np.ndarray, sound: np.ndarray, start_s: float) -> None:
    start = int(start_s * RATE)
    end = min(len(track), start + len(sound))
    track[start:end] += sound[: end - start]


def synthesize() -> np.ndarray:
    """Return the loop as float stereo samples in [-1, 1], shape (n, 2)."""
    bar_s = 4 * BEAT_S
    total = int(len(BARS) * bar_s * RATE)
    pad, pluck, drums = np.zeros(total), np.zeros(total), np.zeros(total)
    rng = np.random.default_rng(6)
    for bar, chord in enumerate(BARS):
        start_s = bar * bar_s
        length = int(bar_s * RATE)
        t = np.arange(length) / RATE
        swell = (
            np.sin(np.pi * np.arange(length) / length) ** 0.5
        )  # in and out within the bar: loops
        for note in chord:
            pad[int(start_s * RATE) : int(start_s * RATE) + length] += (
                0.12 * swell * np.sin(2 * np.pi * _freq(note - 12) * t)
            )
        for step in range(8):  # eighth-note arpeggio, up then down
            note = chord[[0, 1, 2, 1, 0, 1, 2, 1][step]] + 12
            n = int(0.45 * RATE)
            tt = np.arange(n) / RATE
            tone = 2 / np.pi * np.arcsin(np.sin(2 * np.pi * _freq(note) * tt))  # triangle wave
            _place(pluck, 0.22 * tone * _envelope(n, 0.004, 0.12), start_s + step * BEAT_S / 2)
        for beat in range(4):
            n = int(0.3 * RATE)
            tt = np.arange(n) / RATE
            sweep = np.sin(2 * np.pi * (50 * tt + 70 * (1 - np.exp(-tt * 30)) / 30))
            _place(drums, 0.5 * sweep * _envelope(n, 0.002, 0.08), start_s + beat * BEAT_S)
            hat = np.diff(rng.standard_normal(int(0.06 * RATE) + 1))
            _place(
                drums,
                0.05 * hat * _envelope(len(hat), 0.001, 0.015),
                start_s + (beat + 0.5) * BEAT_S,
            )
    left = pad + pluck * 0.8 + drums
    right = pad + pluck * 1.2 + drums
    stereo = np.stack([left, right], axis=1)
    return stereo / np.abs(stereo).max() * 10 ** (-3 / 20)


def write(out: Path) -> None:
    """Synthesize and encode the loop to AAC in an M4A file."""
    samples = (synthesize() * 32767).astype("<i2")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "loop.wav"
        with wave.open(str(wav), "wb") as handle:
            handle.setnchannels(2)
            handle.setsampwidth(2)
            handle.setframerate(RATE)
            handle.writeframes(samples.tobytes())
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-i",
                str(wav),
                "-c:a",
                "aac",
                "-b:a",
                "96k",
                "-movflags",
                "+faststart",
                str(out),
            ],
            check=True,
        )


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
