"""Music and voice-over: bundled loops, ducking under the voice, audio as long as the video."""

from __future__ import annotations

import math
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from studio.clips.music import TRACKS
from studio.clips.pipeline import render_clip
from studio.clips.spec import spec_from_data
from tests.studio.clips.media import ffprobe, small_spec, write_tone

RATE = 48000


def write_voice(path: Path, *, speak_s: float, silent_s: float, freq_hz: float = 1000.0) -> Path:
    """A 'voice': a 1 kHz tone for `speak_s`, then silence."""
    rate = 22050
    t = np.arange(int(speak_s * rate)) / rate
    spoken = 0.5 * np.sin(2 * math.pi * freq_hz * t)
    samples = np.concatenate([spoken, np.zeros(int(silent_s * rate))])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def decoded_audio(video: Path) -> np.ndarray:
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-vn", "-ac", "1", "-ar", str(RATE),
         "-f", "s16le", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return np.frombuffer(result.stdout, "<i2").astype(np.float64) / 32768


def level(samples: np.ndarray, start_s: float, end_s: float, freq_hz: float) -> float:
    """Amplitude of one frequency in a window (a single DFT bin)."""
    window = samples[int(start_s * RATE) : int(end_s * RATE)]
    t = np.arange(len(window)) / RATE
    return float(abs(np.dot(window, np.exp(-2j * math.pi * freq_hz * t))) * 2 / len(window))


@pytest.mark.parametrize("track", sorted(TRACKS))
def test_each_bundled_loop_plays_for_the_whole_clip(tmp_path: Path, track: str) -> None:
    assert TRACKS[track].path().stat().st_size < 200_000
    data = small_spec(music={"track": track, "fade_out_s": 0.0})
    report = render_clip(spec_from_data(data, base_dir=tmp_path), tmp_path / "m.mp4")
    audio = [s for s in ffprobe(report.video)["streams"] if s["codec_type"] == "audio"]
    assert len(audio) == 1 and abs(float(audio[0]["duration"]) - 3.0) < 0.1
    assert np.abs(decoded_audio(report.video)[int(2.6 * RATE) :]).max() > 0.01  # still playing


def test_music_ducks_under_the_voice_over_and_comes_back(tmp_path: Path) -> None:
    music = write_tone(tmp_path / "music.wav", 1.0, freq_hz=440.0)
    voice = write_voice(tmp_path / "voice.wav", speak_s=1.5, silent_s=0.1)
    data = small_spec(
        music={"file": str(music), "volume": 1.0, "fade_in_s": 0.0, "fade_out_s": 0.0},
        voice={"file": str(voice)},
    )
    report = render_clip(spec_from_data(data, base_dir=tmp_path), tmp_path / "v.mp4")
    assert report.has_audio
    samples = decoded_audio(report.video)
    ducked = level(samples, 0.5, 1.4, 440.0)
    back = level(samples, 2.3, 2.9, 440.0)
    assert level(samples, 0.5, 1.4, 1000.0) > 0.2  # the voice is heard
    assert ducked < back / 2  # at least 6 dB down while the voice speaks
    assert back > 0.1  # and the music comes back in the pause


def test_a_voice_over_without_music(tmp_path: Path) -> None:
    voice = write_voice(tmp_path / "voice.wav", speak_s=1.0, silent_s=0.5)
    data = small_spec(voice={"file": str(voice)})
    report = render_clip(spec_from_data(data, base_dir=tmp_path), tmp_path / "o.mp4")
    samples = decoded_audio(report.video)
    assert level(samples, 0.2, 0.9, 1000.0) > 0.2 and abs(len(samples) / RATE - 3.0) < 0.1
