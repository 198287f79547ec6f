"""Synthesize the bundled background-music loops (assets/music/*-loop.m4a).

Our own work, no samples: four-bar chord progressions (soft pad, plucked triangle-wave
arpeggio, synthesized kick and hi-hats), one loop each of `upbeat` (I-V-vi-IV in C, 120 BPM,
8 s), `chill` (vi-IV-I-V, 90 BPM, no kick, 10.7 s) and `hype` (128 BPM, double hats, 7.5 s),
each looping seamlessly, encoded to AAC. Dedicated to the public domain (CC0 1.0).

    .venv/bin/python bench/music_loop.py [OUT NAME]   # no arguments: every loop into assets/music
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


# the bundled loops: name -> (file, tempo, chords, arpeggio level, kick level, hats per beat)
LOOPS = {
    "upbeat": ("upbeat-loop.m4a", 120, BARS, 0.22, 0.5, 1),
    "chill": ("chill-loop.m4a", 90, [(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)], 0.16, 0.0, 1),
    "hype": ("hype-loop.m4a", 128, [(57, 60, 64), (53, 57, 60), (60, 64, 67), (55, 59, 62)], 0.24, 0.6, 2),
}  # fmt: skip


def synthesize(
    bpm: int = BPM, bars: list[tuple[int, int, int]] = BARS, *, pluck_level: float = 0.22,
    kick_level: float = 0.5, hats: int = 1,
) -> np.ndarray:  # fmt: skip
    """Return the loop as float stereo samples in [-1, 1], shape (n, 2)."""
    beat_s = 60 / bpm
    bar_s = 4 * beat_s
    total = int(len(bars) * bar_s * RATE)
    pad, pluck, drums = np.zeros(total), np.zeros(total), np.zeros(total)
    rng = np.random.default_rng(6)
    for bar, chord in enumerate(bars):
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
            _place(
                pluck, pluck_level * tone * _envelope(n, 0.004, 0.12), start_s + step * beat_s / 2
            )
        for beat in range(4):
            n = int(0.3 * RATE)
            tt = np.arange(n) / RATE
            sweep = np.sin(2 * np.pi * (50 * tt + 70 * (1 - np.exp(-tt * 30)) / 30))
            _place(drums, kick_level * sweep * _envelope(n, 0.002, 0.08), start_s + beat * beat_s)
            for hit in range(hats):
                hat = np.diff(rng.standard_normal(int(0.06 * RATE) + 1))
                _place(
                    drums,
                    0.05 * hat * _envelope(len(hat), 0.001, 0.015),
                    start_s + (beat + (hit + 1) / (hats + 1)) * beat_s,
                )
    left = pad + pluck * 0.8 + drums
    right = pad + pluck * 1.2 + drums
    stereo = np.stack([left, right], axis=1)
    return stereo / np.abs(stereo).max() * 10 ** (-3 / 20)


def write(out: Path, name: str = "upbeat") -> None:
    """Synthesize and encode one of `LOOPS` to AAC in an M4A file."""
    _file, bpm, bars, pluck, kick, hats = LOOPS[name]
    stereo = synthesize(bpm, bars, pluck_level=pluck, kick_level=kick, hats=hats)
    samples = (stereo * 32767).astype("<i2")
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
    if len(sys.argv) > 1:
        write(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "upbeat")
    else:
        for loop, (file, *_rest) in LOOPS.items():
            write(OUT.parent / file, loop)
