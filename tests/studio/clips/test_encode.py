"""The ffmpeg command, audio probing and output paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from clips.media import write_tone
from studio.clips.encode import (
    AudioInput,
    EncodeSettings,
    check_output_path,
    encoder_command,
    probe_audio,
    temp_path_beside,
)
from studio.errors import OutputError, SpecInvalid


def test_command_is_h264_yuv420p_faststart_and_silent_without_music() -> None:
    command = encoder_command(
        "ffmpeg", EncodeSettings(1080, 1920, 30, 360, 20, "medium"), Path("/x/out.mp4")
    )
    text = " ".join(command)
    assert "-c:v libx264 -preset medium -crf 20 -pix_fmt yuv420p" in text
    assert "-movflags +faststart" in text and "-f rawvideo -pix_fmt yuv420p -s 1080x1920" in text
    assert "-c:a" not in command and "-t 12.000000" in text


def test_music_is_looped_faded_and_cut_to_the_clip() -> None:
    audio = AudioInput(Path("/m.mp3"), 0.5, 1.0, 2.0)
    text = " ".join(
        encoder_command(
            "ffmpeg", EncodeSettings(640, 360, 10, 50, 23, "fast", audio), Path("o.mp4")
        )
    )
    assert "-stream_loop -1 -i /m.mp3" in text
    assert "volume=0.500,afade=t=in:st=0:d=1.000,afade=t=out:st=3.000:d=2.000" in text
    assert "-c:a aac" in text and "-t 5.000000" in text


def test_probe_audio_reads_the_duration(tmp_path: Path) -> None:
    assert probe_audio(write_tone(tmp_path / "t.wav", 1.25)) == pytest.approx(1.25, abs=0.02)
    text = tmp_path / "t.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(SpecInvalid, match="music.file"):
        probe_audio(text)


def test_output_path_checks(tmp_path: Path) -> None:
    assert check_output_path(tmp_path / "a.mp4") == tmp_path / "a.mp4"
    with pytest.raises(OutputError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "a.mp4")
    with pytest.raises(OutputError, match="is a folder"):
        check_output_path(tmp_path)


def test_temp_files_are_hidden_beside_the_target(tmp_path: Path) -> None:
    first = temp_path_beside(tmp_path / "a.mp4", ".mp4")
    second = temp_path_beside(tmp_path / "a.mp4", ".mp4")
    assert first != second and first.parent == tmp_path and first.name.startswith(".a.mp4.")
    assert first.stat().st_mode & 0o044  # readable like any other file, unlike mkstemp's 0600
