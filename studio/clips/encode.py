"""ffmpeg in a subprocess: raw yuv420p frames in on stdin, H.264 + AAC MP4 out.

Frames are converted to yuv420p in-process (cv2, BT.601 limited range, tagged as such) so half
the bytes cross the pipe and ffmpeg does no colour conversion. Everything is written to a
temporary file beside the target and renamed only when complete: a failed or interrupted render
leaves nothing half-written at the output path.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import cv2
import imageio_ffmpeg
import numpy as np

from studio.errors import OutputError, RenderError, SpecInvalid, SystemDependencyMissing

logger = logging.getLogger(__name__)

_BUFFERS = 3  # frames in flight between drawing and ffmpeg
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")


def ffmpeg_exe() -> str:
    """Return the ffmpeg program: the system one, else the one bundled with imageio-ffmpeg.

    Raises:
        SystemDependencyMissing: when neither exists.
    """
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError:
        raise SystemDependencyMissing(
            "ffmpeg not found",
            hint="install it (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg)",
        ) from None


@dataclass(frozen=True, slots=True)
class AudioInput:
    """Music under the clip: file, gain and fades (looped when shorter than the clip), and an
    optional voice-over laid from the start, with the music ducked under it."""

    file: Path | None  # None: silence under the voice-over
    volume: float
    fade_in_s: float
    fade_out_s: float
    voice: Path | None = None
    voice_volume: float = 1.0


@dataclass(frozen=True, slots=True)
class EncodeSettings:
    """What the encoder produces."""

    width: int
    height: int
    fps: int
    frames: int
    crf: int
    preset: str
    audio: AudioInput | None = None

    @property
    def duration_s(self) -> float:
        """Exact length of the video stream."""
        return self.frames / self.fps


def encoder_command(exe: str, settings: EncodeSettings, target: Path) -> list[str]:
    """Build the ffmpeg command line (pure). Video comes from stdin as raw yuv420p."""
    command = [
        exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{settings.width}x{settings.height}",
        "-framerate", str(settings.fps), "-i", "pipe:0",
    ]  # fmt: skip
    audio = settings.audio
    if audio is not None:
        if audio.file is None:
            command += ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]
        else:
            command += ["-stream_loop", "-1", "-i", str(audio.file)]
        if audio.voice is not None:
            command += ["-i", str(audio.voice)]
    command += [
        "-map", "0:v:0",
        "-c:v", "libx264", "-preset", settings.preset, "-crf", str(settings.crf),
        "-pix_fmt", "yuv420p", "-r", str(settings.fps),
        "-colorspace", "smpte170m", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
    ]  # fmt: skip
    if audio is not None:
        command += _audio_arguments(audio, settings.duration_s)
    command += [
        "-t",
        f"{settings.duration_s:.6f}",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(target),
    ]
    return command


def _audio_arguments(audio: AudioInput, end: float) -> list[str]:
    """ffmpeg arguments for the music (looped, gain, fades), ducked under the voice-over.

    Ducking is ffmpeg's `sidechaincompress`: while the voice speaks, the music drops by up to
    ~18 dB (ratio 8 above -26 dBFS), and comes back within 0.4 s of a pause.
    """
    fades = [f"volume={audio.volume:.3f}"]
    if audio.fade_in_s > 0:
        fades.append(f"afade=t=in:st=0:d={min(audio.fade_in_s, end / 2):.3f}")
    if audio.fade_out_s > 0:
        fade_out = min(audio.fade_out_s, end / 2)
        fades.append(f"afade=t=out:st={end - fade_out:.3f}:d={fade_out:.3f}")
    encode = ["-c:a", "aac", "-b:a", "128k", "-ar", "48000"]
    if audio.voice is None:
        return ["-map", "1:a:0", "-af", ",".join(fades), *encode]
    graph = (
        f"[1:a:0]{','.join(fades)},aformat=sample_rates=48000:channel_layouts=stereo[music];"
        f"[2:a:0]volume={audio.voice_volume:.3f},aformat=sample_rates=48000:channel_layouts=stereo,"
        "apad,asplit=2[voice][key];"
        "[music][key]sidechaincompress=threshold=0.05:ratio=8:attack=20:release=400[ducked];"
        "[ducked][voice]amix=inputs=2:duration=first:normalize=0[mixed]"
    )
    return ["-filter_complex", graph, "-map", "[mixed]", *encode]


def probe_audio(path: Path, *, field: str = "music.file") -> float:
    """Return the duration of an audio file, checking ffmpeg can read an audio stream from it.

    Raises:
        SpecInvalid: naming `field` when the file has no readable audio.
    """
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True, text=True, errors="replace", check=False,
    )  # fmt: skip
    info = result.stderr
    match = _DURATION.search(info)
    if match is None or "Audio:" not in info:
        raise SpecInvalid(
            f"{field}: {path} has no audio ffmpeg can read", hint="use an MP3, M4A, OGG or WAV file"
        )
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def check_output_path(path: Path) -> Path:
    """Return the absolute output path after checking its folder exists and is writable.

    Raises:
        OutputError: naming the path when its folder is missing or read-only.
    """
    target = path.expanduser().absolute()
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(
            f"{target}: the folder {folder} does not exist",
            hint=f"create it first (mkdir -p {folder})",
        )
    if not os.access(folder, os.W_OK):
        raise OutputError(
            f"{target}: cannot write in {folder}", hint="choose a folder you can write to"
        )
    if target.is_dir():
        raise OutputError(f"{target}: is a folder", hint="give a file name such as promo.mp4")
    return target


def temp_path_beside(target: Path, suffix: str) -> Path:
    """Create and return an empty hidden file next to `target`.

    Same folder, so the final rename is atomic; the usual permissions (umask), unlike the 0600
    of `tempfile.mkstemp`, so the renamed clip is readable like any other file.
    """
    for _ in range(100):
        path = target.parent / f".{target.name}.{secrets.token_hex(4)}.partial{suffix}"
        try:
            path.open("xb").close()
        except FileExistsError:
            continue
        return path
    raise OutputError(
        f"{target}: cannot create a temporary file beside it", hint="check the folder"
    )


class VideoEncoder:
    """A running ffmpeg process taking RGB frames; use through `open_encoder`.

    `write` converts a frame to yuv420p into one of a few preallocated buffers and hands it to a
    writer thread, so drawing the next frame overlaps with ffmpeg reading this one (cv2 and pipe
    writes release the GIL). No frame is copied beyond that one conversion.
    """

    def __init__(
        self, process: subprocess.Popen[bytes], settings: EncodeSettings, log: IO[bytes]
    ) -> None:
        self._process = process
        self._settings = settings
        self._log = log
        self._free: queue.Queue[np.ndarray] = queue.Queue()
        for _ in range(_BUFFERS):
            self._free.put(np.empty((settings.height * 3 // 2, settings.width), np.uint8))
        self._filled: queue.Queue[np.ndarray | None] = queue.Queue()
        self._failure: str | None = None
        self._writer = threading.Thread(target=self._drain, name="ffmpeg-writer", daemon=True)
        self._writer.start()
        self.frames_written = 0

    def _drain(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while True:
            buffer = self._filled.get()
            if buffer is None:
                return
            try:
                if self._failure is None:
                    stdin.write(buffer.data)
            except (BrokenPipeError, ValueError) as exc:
                self._failure = exc.__class__.__name__
            finally:
                self._free.put(buffer)

    def write(self, rgb: np.ndarray) -> None:
        """Convert one H x W x 3 RGB frame to yuv420p and queue it for ffmpeg.

        Raises:
            RenderError: when ffmpeg has stopped (its error message is included).
        """
        if self._failure is not None:
            raise RenderError(f"ffmpeg stopped: {self._error_text()}", hint="see the message above")
        buffer = self._free.get()
        cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420, dst=buffer)
        self._filled.put(buffer)
        self.frames_written += 1

    def finish(self) -> None:
        """Send the last frames, close the input and wait for ffmpeg to finish the file.

        Raises:
            RenderError: when ffmpeg exits with an error.
        """
        self._filled.put(None)
        self._writer.join()
        stdin = self._process.stdin
        assert stdin is not None
        with contextlib.suppress(BrokenPipeError):  # ffmpeg already exited; its code tells us how
            stdin.close()
        code = self._process.wait()
        if code != 0 or self._failure is not None:
            raise RenderError(
                f"ffmpeg failed (exit {code}): {self._error_text()}",
                hint="check the music file and disk space",
            )

    def abort(self) -> None:
        """Stop ffmpeg (and the writer thread) after an error elsewhere."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._filled.put(None)
        self._writer.join()
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()

    def _error_text(self) -> str:
        self._log.flush()
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return " / ".join(lines[-3:]) or "no message"


@contextmanager
def open_encoder(settings: EncodeSettings, target: Path) -> Iterator[VideoEncoder]:
    """Start ffmpeg writing to `target` (a temporary path); stop it on any error.

    Raises:
        SystemDependencyMissing: when ffmpeg is missing.
        RenderError: when ffmpeg fails.
    """
    command = encoder_command(ffmpeg_exe(), settings, target)
    logger.info("encoding: %s", " ".join(command))
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log, bufsize=0
        )
        encoder = VideoEncoder(process, settings, log)
        try:
            yield encoder
            encoder.finish()
        except BaseException:
            encoder.abort()
            raise
