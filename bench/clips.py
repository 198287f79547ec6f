"""Clip rendering speed: ours vs a naive moviepy composition vs the libx264 encoder floor.

The same 12 s, 1080x1920, 30 fps, three-product clip is made three ways in one run:

  (a) naive moviepy: CompositeVideoClip of ImageClip + resize-per-frame (Ken Burns) + TextClips,
      the way moviepy's docs teach, written with write_videofile (libx264, preset medium);
  (b) ours: `studio.clips.render_clip` (libx264, preset medium, CRF 20);
  (c) the encoder floor: ffmpeg re-encoding (b)'s output with libx264 preset medium.

Each runs in its own process; peak memory is the largest summed RSS of that process and its
children (ffmpeg), sampled every 20 ms. Then ours is timed at 9:16, 1:1 and 16:9 for frames per
second and real-time factor.

    .venv/bin/python bench/clips.py [--rounds 3] [--skip-naive] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "assets" / "photos" / "coffee-cup.jpg"
CATALOG = ROOT / "assets" / "catalog" / "catalog.yaml"
FONT = ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf"
PRODUCTS = [("A12", "Cốc sứ cà phê Quảng Ninh", "159.000 ₫", "129.000 ₫", "-19%"),
            ("B3", "Chả mực Hạ Long 500g", None, "250.000 ₫", None),
            ("SP01", "Áo thun cotton", "199.000 ₫", "139.000 ₫", "-30%")]  # fmt: skip
SCENE_S = 4.0
FPS = 30


def spec_data(aspect: str) -> dict[str, object]:
    """Our spec for the benchmark clip: three catalog products, 4 s each, classic template."""
    return {
        "extends": "classic",
        "catalog": str(CATALOG),
        "canvas": {"aspect": aspect, "fps": FPS},
        "scenes": [{"sku": sku, "duration_s": SCENE_S} for sku, *_ in PRODUCTS],
        "output": {"preset": "medium", "crf": 20},
        "music": None,  # the floor re-encodes video only; compare like with like
    }


def run_ours(out: Path, aspect: str) -> None:
    """(b) Render with our pipeline."""
    from studio.clips.pipeline import render_clip
    from studio.clips.spec import spec_from_data

    render_clip(spec_from_data(spec_data(aspect), base_dir=ROOT), out)


def run_naive(out: Path) -> None:
    """(a) The moviepy composition its documentation teaches (the baseline we must beat)."""
    from moviepy import ColorClip, CompositeVideoClip, ImageClip, TextClip

    width, height = 1080, 1920
    layers: list[object] = [
        ColorClip((width, height), color=(20, 20, 20), duration=SCENE_S * len(PRODUCTS))
    ]
    for index, (sku, name, old, price, badge) in enumerate(PRODUCTS):
        start = index * SCENE_S

        def zoom(t: float) -> float:
            return 1.8 * (1.0 + 0.03 * t)  # 600 px photo grown to the frame, then Ken Burns

        photo = (
            ImageClip(str(PHOTO))
            .with_start(start)
            .with_duration(SCENE_S)
            .resized(zoom)
            .with_position("center")
        )
        layers.append(photo)
        texts = [
            (name, 80, "white", 240),
            (price, 96, "white", 1250),
            (f"Bình luận {sku} để chốt đơn", 46, "white", 1400),
        ]
        if old:
            texts.append((old, 52, "yellow", 1160))
        if badge:
            texts.append((badge, 60, "yellow", 1100))
        for text, size, colour, y in texts:
            clip = TextClip(
                font=str(FONT),
                text=text,
                font_size=size,
                color=colour,
                stroke_color="black",
                stroke_width=3,
            )
            layers.append(
                clip.with_start(start + 0.5)
                .with_duration(SCENE_S - 0.5)
                .with_position(("center", y))
            )
    video = CompositeVideoClip(layers, size=(width, height))
    video.write_videofile(
        str(out), fps=FPS, codec="libx264", preset="medium", audio=False, logger=None
    )


def run_floor(source: Path, out: Path) -> None:
    """(c) ffmpeg alone re-encoding our clip with the same encoder settings."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(source), "-c:v", "libx264", "-preset", "medium",
         "-crf", "20", "-pix_fmt", "yuv420p", "-an", str(out)],
        check=True,
    )  # fmt: skip


def _tree_rss_bytes(root: int) -> int:
    """Summed resident memory of a process and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    family, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        children = [
            pid for pid, parent in parents.items() if parent == current and pid not in family
        ]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in family)


def measure(argv: list[str]) -> tuple[float, int]:
    """Run this script with `argv` in a child process; return (seconds, peak tree RSS bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, *argv])
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_bytes(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"{argv} failed with exit code {code}")
    return seconds, peak


def _mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def main() -> None:
    """Run the comparison and print a Markdown table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow moviepy baseline")
    parser.add_argument("--out", type=Path, default=None, help="keep the videos in this folder")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of ours and of the floor (best kept)"
    )
    parser.add_argument(
        "--run", nargs="+", help=argparse.SUPPRESS
    )  # internal: one measured variant
    args = parser.parse_args()
    if args.run:
        kind, *rest = args.run
        {"ours": lambda: run_ours(Path(rest[0]), rest[1]), "naive": lambda: run_naive(Path(rest[0])),
         "floor": lambda: run_floor(Path(rest[0]), Path(rest[1]))}[kind]()  # fmt: skip
        return
    folder = args.out or Path(tempfile.mkdtemp(prefix="livestall-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    duration = SCENE_S * len(PRODUCTS)
    frames = round(duration * FPS)
    load_before = os.getloadavg()[0]
    # rounds interleave ours and the floor so both see the same machine load; best of each is kept
    runs: dict[str, list[tuple[float, int]]] = {"ours": [], "floor": [], "naive": []}
    for _round in range(args.rounds):
        runs["ours"].append(measure(["--run", "ours", str(folder / "ours-9x16.mp4"), "9:16"]))
        runs["floor"].append(
            measure(["--run", "floor", str(folder / "ours-9x16.mp4"), str(folder / "floor.mp4")])
        )
    if not args.skip_naive:
        runs["naive"].append(measure(["--run", "naive", str(folder / "naive.mp4")]))
    results = {
        key: (min(r[0] for r in got), max(r[1] for r in got)) for key, got in runs.items() if got
    }
    print(
        f"clip: {duration:.0f} s, 1080x1920, {FPS} fps, {len(PRODUCTS)} products, libx264 preset medium; "
        f"{os.cpu_count()} cores, load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}; "
        f"best of {args.rounds} (ours, floor), 1 run (naive)"
    )
    print("| way | wall time | fps | peak memory (process + ffmpeg) |")
    print("| --- | --- | --- | --- |")
    labels = {
        "naive": "(a) naive moviepy composition",
        "ours": "(b) ours (`render_clip`)",
        "floor": "(c) ffmpeg re-encode (encoder floor)",
    }
    for key in ("naive", "ours", "floor"):
        if key in results:
            seconds, peak = results[key]
            print(f"| {labels[key]} | {seconds:.1f} s | {frames / seconds:.1f} | {_mib(peak)} |")
    ours_s, floor_s = results["ours"][0], results["floor"][0]
    print(f"\nours / floor = {ours_s / floor_s:.2f}x (goal <= 1.5x)")
    if "naive" in results:
        print(f"naive / ours = {results['naive'][0] / ours_s:.1f}x faster (goal >= 5x)")
    print(f"ours peak memory = {_mib(results['ours'][1])} (goal <= 1024 MiB)")
    print("\n| aspect | size | wall time | fps | real-time factor |")
    print("| --- | --- | --- | --- | --- |")
    for aspect, size in (("9:16", "1080x1920"), ("1:1", "1080x1080"), ("16:9", "1920x1080")):
        if aspect == "9:16":
            seconds = ours_s
        else:
            seconds = min(
                measure(["--run", "ours", str(folder / "aspect.mp4"), aspect])[0]
                for _ in range(args.rounds)
            )
        print(
            f"| {aspect} | {size} | {seconds:.1f} s | {frames / seconds:.1f} | {duration / seconds:.2f}x |"
        )
    summary = {
        k: {"seconds": round(v[0], 2), "peak_mib": round(v[1] / 2**20)} for k, v in results.items()
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
