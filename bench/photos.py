"""Photo studio throughput: `livestall photos` against `rembg p`, same photos, same model.

    .venv/bin/python bench/photos.py [--count 8] [--rounds 2] [--masks ../shared/data/masks]

Makes ~1.5 MP photos (1500x1000) from the bundled samples and the shared evaluation images
(upscaled and cropped) in a temporary folder, then runs, each in its own process:

- the bare model: one forward pass (median of 3, after a warm-up, all twelve outputs) of the
  provisioned IS-Net file, and of the trimmed graph our engine runs (`studio.models.trim`);
- rembg's own batch command with the same model file (its custom-model session, so it never
  downloads): ``rembg p -m dis_custom -x '{"model_path": ...}' IN OUT``, run from rembg's
  ``p_command.py`` itself (the ``rembg`` script also imports its HTTP server's gradio);
- ``livestall photos clean IN --out OUT -p shopee`` (matte + enhance + layout + shadow + export);
- ``livestall photos cutout IN --out OUT``
(both through the ``photos`` Typer sub-app, i.e. without importing the other command groups).

Wall time includes process start and model loading for every command. Peak memory is each
child's own maximum RSS (``os.wait4``). With ``--rounds`` > 1 the best round of each is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SIZE = (1500, 1000)

# rembg's `p` command, loaded from its own file: `rembg.commands/__init__.py` also imports the
# HTTP server command and with it gradio, which the `p` command does not use.
REMBG_P_SNIPPET = """
import importlib.util, sys, rembg
path = rembg.__path__[0] + "/commands/p_command.py"
spec = importlib.util.spec_from_file_location("rembg.commands.p_command", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.p_command.main(args=sys.argv[1:], prog_name="rembg p")
"""

# `livestall photos ...`: our Typer sub-app, run without the root group (which also imports the
# live server and the clip renderer; their import cost is not part of the photo batch)
LIVESTALL_PHOTOS_SNIPPET = """
import sys, typer
from livestall.cli.photos import app
sys.exit(typer.main.get_command(app).main(args=sys.argv[1:], prog_name="livestall photos"))
"""

FORWARD_SNIPPET = """
import json, statistics, sys, time
import numpy as np
import onnxruntime as ort
from studio.models import get_model
from studio.models.pull import require_model
from studio.models.session import default_threads, session_options
from studio.models.trim import runnable_model
path = require_model(get_model("isnet-general-use"))
if sys.argv[1] == "trimmed":
    path = runnable_model(path)
options = session_options(threads=default_threads())
session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
feed = {session.get_inputs()[0].name: np.random.default_rng(0).random((1, 3, 1024, 1024), dtype=np.float32) - 0.5}
session.run(None, feed)
times = []
for _ in range(3):
    tick = time.perf_counter()
    session.run(None, feed)
    times.append(time.perf_counter() - tick)
print(json.dumps({"forward_s": statistics.median(times)}))
"""


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, CPU seconds (user + system), peak RSS in MiB, stdout."""

    wall_s: float
    cpu_s: float
    peak_mib: float
    stdout: str


def make_photos(folder: Path, count: int, masks: Path) -> list[Path]:
    """Write ``count`` JPEGs of 1500x1000 px made from real photos (upscaled, cropped)."""
    sources = sorted((REPO / "assets" / "photos").glob("*.jpg"))
    sources += sorted(masks.glob("*/images/*")) if masks.is_dir() else []
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for index in range(count):
        source = sources[index % len(sources)]
        with Image.open(source) as opened:
            image = opened.convert("RGB")
        scale = max(SIZE[0] / image.width, SIZE[1] / image.height) * 1.05
        image = image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC
        )
        left, top = (image.width - SIZE[0]) // 2, (image.height - SIZE[1]) // 2
        image = image.crop((left, top, left + SIZE[0], top + SIZE[1]))
        path = folder / f"photo-{index:02d}-{source.stem}.jpg"
        image.save(path, quality=92)
        made.append(path)
    return made


def run(command: list[str]) -> Run:
    """Run a command as a child process; return wall time and its own peak RSS."""
    tick = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - tick
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"{' '.join(command[:3])[:80]} failed (exit {os.waitstatus_to_exitcode(status)}):\n"
            + stderr[-2000:]
        )
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def best(runs: list[Run]) -> Run:
    """The fastest run, with the highest peak memory seen (memory is not a lucky draw)."""
    fastest = min(runs, key=lambda r: r.wall_s)
    return Run(
        fastest.wall_s,
        min(r.cpu_s for r in runs),
        max(r.peak_mib for r in runs),
        fastest.stdout,
    )


def main() -> None:
    """Run the benchmark and print our figure, the baseline, and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--masks", type=Path, default=REPO.parent / "shared" / "data" / "masks")
    args = parser.parse_args()
    model = Path(os.environ.get("U2NET_HOME", Path.home() / ".u2net")) / "isnet-general-use.onnx"
    with tempfile.TemporaryDirectory(prefix="livestall-bench-") as tmp:
        root = Path(tmp)
        photos = make_photos(root / "in", args.count, args.masks)
        megapixels = np.mean([SIZE[0] * SIZE[1] / 1e6 for _ in photos])
        print(
            f"{len(photos)} photos of {SIZE[0]}x{SIZE[1]} ({megapixels:.1f} MP), {os.cpu_count()} cores"
        )
        forward_times: list[float] = []
        trimmed_times: list[float] = []
        rembg: list[Run] = []
        clean: list[Run] = []
        cutout: list[Run] = []
        for round_index in range(args.rounds):
            out = root / f"round-{round_index}"
            forward = run([str(BIN / "python"), "-c", FORWARD_SNIPPET, "provisioned"])
            forward_times.append(json.loads(forward.stdout)["forward_s"])
            trimmed = run([str(BIN / "python"), "-c", FORWARD_SNIPPET, "trimmed"])
            trimmed_times.append(json.loads(trimmed.stdout)["forward_s"])
            extras = json.dumps({"model_path": str(model)})
            rembg.append(
                run(
                    [
                        str(BIN / "python"),
                        "-c",
                        REMBG_P_SNIPPET,
                        "-m",
                        "dis_custom",
                        "-x",
                        extras,
                        str(root / "in"),
                        str(out / "rembg"),
                    ]
                )
            )
            clean.append(
                run(
                    [
                        str(BIN / "python"),
                        "-c",
                        LIVESTALL_PHOTOS_SNIPPET,
                        "clean",
                        str(root / "in"),
                        "--out",
                        str(out / "clean"),
                        "-p",
                        "shopee",
                        "--json",
                    ]
                )
            )
            cutout.append(
                run(
                    [
                        str(BIN / "python"),
                        "-c",
                        LIVESTALL_PHOTOS_SNIPPET,
                        "cutout",
                        str(root / "in"),
                        "--out",
                        str(out / "cutout"),
                        "--json",
                    ]
                )
            )
        report(
            len(photos),
            min(forward_times),
            min(trimmed_times),
            best(rembg),
            best(clean),
            best(cutout),
        )


def report(
    count: int, forward_s: float, trimmed_s: float, rembg: Run, clean: Run, cutout: Run
) -> None:
    """Print the table and the ratios the issue's goals are stated in."""
    cutout_batch_s = json.loads(cutout.stdout)["total_s"]
    clean_batch_s = json.loads(clean.stdout)["total_s"]
    floor_s = forward_s * count
    trimmed_floor_s = trimmed_s * count
    print(f"bare forward pass, provisioned file: {forward_s:.2f} s (x{count} = {floor_s:.1f} s)")
    print(
        f"bare forward pass, trimmed graph we run: {trimmed_s:.2f} s "
        f"(x{count} = {trimmed_floor_s:.1f} s)"
    )
    print(f"{'command':<26}{'wall s':>8}{'img/s':>8}{'CPU s':>8}{'peak MiB':>10}{'batch s':>9}")
    rows = (
        ("rembg p (baseline)", rembg, float("nan")),
        ("photos clean -p shopee", clean, clean_batch_s),
        ("photos cutout", cutout, cutout_batch_s),
    )
    for name, measured, batch_s in rows:
        print(
            f"{name:<26}{measured.wall_s:>8.1f}{count / measured.wall_s:>8.2f}"
            f"{measured.cpu_s:>8.1f}{measured.peak_mib:>10.0f}{batch_s:>9.1f}"
        )
    print(
        f"clean vs rembg: {rembg.wall_s / clean.wall_s:.2f}x images/s (goal >= 1.3x), "
        f"{rembg.cpu_s / clean.cpu_s:.2f}x less CPU, "
        f"memory {clean.peak_mib / rembg.peak_mib:.2f}x (goal <= 1.0x)"
    )
    print(
        f"cutout vs N x forward (provisioned file): {cutout.wall_s / floor_s:.2f}x wall incl. "
        f"start-up and model load, {cutout_batch_s / floor_s:.2f}x the batch alone "
        "(goal <= 1.15x)"
    )
    print(
        f"cutout vs N x forward (trimmed graph): {cutout.wall_s / trimmed_floor_s:.2f}x wall, "
        f"{cutout_batch_s / trimmed_floor_s:.2f}x the batch alone"
    )


if __name__ == "__main__":
    main()
