"""Clip rendering speed: ours vs a naive moviepy composition vs the libx264 encoder floor.

The same 12 s, 1080x1920, 30 fps, three-product clip is made three ways in one run:

  (a) naive moviepy: CompositeVideoClip of ImageClips resized per frame (Ken Burns: the photo
      covering the frame as backdrop and the whole product over it, like ours) + TextClips, the
      way moviepy's docs teach, written with write_videofile (libx264, preset medium);
  (b) ours: `studio.clips.render_clip`, once with the floor's encoder settings (libx264 preset
      medium, CRF 20) to measure our own overhead, once with our default (preset veryfast);
  (c) the encoder floor: ffmpeg re-encoding (b)'s output with libx264 preset medium.

Each runs in its own process. Wall time and CPU time (user + system, the process and ffmpeg) are
both reported: on a shared machine CPU time is the steadier figure. Peak memory is the largest
summed RSS of the process and its children, sampled every 20 ms. Then ours is timed at 9:16, 1:1 and 16:9 for frames per
second and real-time factor.

Ours renders the richest template by default (`bold`: the product pops in, the price pops with a
per-frame resize, slides between products) from the products' cut-outs, which are made once
before timing (they are cached, as in use). The closing card and the music are left out so all
three ways make the same 12 s of video.

    .venv/bin/python bench/clips.py [--rounds 3] [--skip-naive] [--out DIR] [--template NAME]
    .venv/bin/python bench/clips.py --sheet docs/img/clips/templates.jpg   # the docs' contact sheet
    .venv/bin/python bench/clips.py --examples docs/img/clips              # the docs' frames
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "assets" / "photos" / "coffee-cup.jpg"
CATALOG = ROOT / "assets" / "catalog" / "catalog.yaml"
FONT = ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf"
PRODUCTS = [("A12", "Cốc sứ cà phê Quảng Ninh", "159.000 ₫", "129.000 ₫", "-19%"),
            ("B3", "Chả mực Hạ Long 500g", None, "250.000 ₫", None),
            ("SP01", "Áo thun cotton", "199.000 ₫", "139.000 ₫", "-30%")]  # fmt: skip
SCENE_S = 4.0
DEFAULT_PRESET = "veryfast"  # studio.clips.spec.Output.preset's default
FPS = 30


RICHEST = "bold"
BRAND = {"shop_name": "Mực Cô Tô Shop", "page_handle": "@mucoto.shop"}


def spec_data(aspect: str, preset: str, template: str = RICHEST) -> dict[str, object]:
    """Our spec for the benchmark clip: three catalog products, 4 s each, cut out."""
    return {
        "extends": template,
        "catalog": str(CATALOG),
        "canvas": {"aspect": aspect, "fps": FPS},
        "scenes": [{"sku": sku, "duration_s": SCENE_S} for sku, *_ in PRODUCTS],
        "output": {"preset": preset, "crf": 20},
        "music": None,  # the floor re-encodes video only; compare like with like
        "closing": None,  # the same 12 s as the naive composition
    }


def run_ours(out: Path, aspect: str, preset: str, template: str = RICHEST) -> None:
    """(b) Render with our pipeline."""
    from studio.clips.pipeline import render_clip
    from studio.clips.spec import spec_from_data

    render_clip(spec_from_data(spec_data(aspect, preset, template), base_dir=ROOT), out)


def warm_cutouts() -> None:
    """Cut the products out once (cached), so the timed runs measure rendering, as in use."""
    from studio.clips.cutout import cleaned_photo

    cleaned_photo(PHOTO)


EXAMPLES = {
    # file: (template, aspect, width (16:9: height), locale, scenes, time)
    "classic-9x16-vi": ("classic", "9:16", 540, "vi", "cup+shirt", 2.0),
    "classic-9x16-vi-sale": ("classic", "9:16", 540, "vi", "cup+shirt", 8.0),
    "classic-crossfade": ("classic", "9:16", 540, "vi", "cup+shirt", 5.78),
    "bold-9x16-vi": ("bold", "9:16", 540, "vi", "squid", 2.0),
    "minimal-1x1-en": ("minimal", "1:1", 720, "en", "cup", 2.2),
    "classic-16x9-ar": ("classic", "16:9", 540, "ar", "cup", 2.0),  # 540 x 16/9 = 960 wide
}  # fmt: skip
SCENES = {
    "cup+shirt": [{"sku": "A12", "countdown": {"ends_in_s": 179}}, {"sku": "SP01"}],
    "squid": [{"sku": "B3", "title": "Chả mực Hạ Long đặc sản Quảng Ninh"}],
    "cup": [{"sku": "A12"}],
}


def example_frames(folder: Path) -> None:
    """Draw the docs' example frames (docs/img/clips/*.jpg) with the current templates."""
    from studio.clips.pipeline import render_still
    from studio.clips.spec import spec_from_data

    for name, (template, aspect, width, locale, scenes, at_s) in EXAMPLES.items():
        data = {
            "extends": template,
            "catalog": str(CATALOG),
            "canvas": {"aspect": aspect},
            "locale": locale,
            "scenes": SCENES[scenes],
            "brand": BRAND,
        }
        spec = spec_from_data(data, base_dir=ROOT)
        render_still(spec, folder / f"{name}.jpg", width_px=width, at_s=at_s)


def contact_sheet(out: Path) -> None:
    """Draw every template's poster (9:16 over 1:1) with a brand kit into one small JPEG."""
    from PIL import Image

    from studio.clips.pipeline import render_still
    from studio.clips.spec import spec_from_data
    from studio.clips.templates import template_names

    names = template_names()
    tile_w = 240
    sheet = Image.new("RGB", (tile_w * len(names), 426 + 240), (255, 255, 255))
    with tempfile.TemporaryDirectory() as folder:
        for column, name in enumerate(names):
            for aspect, top in (("9:16", 0), ("1:1", 426)):
                data = {
                    "extends": name,
                    "catalog": str(CATALOG),
                    "canvas": {"aspect": aspect},
                    "scenes": [{"sku": "B3", "title": "Chả mực Hạ Long đặc sản Quảng Ninh"}],
                    "brand": BRAND,
                }
                still = Path(folder) / f"{name}-{aspect.replace(':', 'x')}.jpg"
                render_still(spec_from_data(data, base_dir=ROOT), still, width_px=tile_w)
                with Image.open(still) as tile:
                    sheet.paste(tile, (column * tile_w, top))
    sheet.save(out, "JPEG", quality=72, optimize=True)


def run_naive(out: Path) -> None:
    """(a) The moviepy composition its documentation teaches (the baseline we must beat)."""
    from moviepy import ColorClip, CompositeVideoClip, ImageClip, TextClip

    width, height = 1080, 1920
    layers: list[object] = [
        ColorClip((width, height), color=(20, 20, 20), duration=SCENE_S * len(PRODUCTS))
    ]
    for index, (sku, name, old, price, badge) in enumerate(PRODUCTS):
        start = index * SCENE_S

        def cover(t: float) -> float:
            return 4.8 * (1.0 + 0.03 * t)  # 600x400 photo grown to cover 1080x1920, zooming

        def zoom(t: float) -> float:
            return 1.8 * (1.0 + 0.03 * t)  # the product itself, whole, zooming with it

        for scale in (cover, zoom):
            photo = ImageClip(str(PHOTO)).with_start(start).with_duration(SCENE_S)
            layers.append(photo.resized(scale).with_position("center"))
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


@dataclass(frozen=True)
class Run:
    """One measured run: wall seconds, CPU seconds (process tree) and peak memory."""

    wall_s: float
    cpu_s: float
    peak_bytes: int


def measure(argv: list[str]) -> Run:
    """Run this script with `argv` in a child process and measure it with its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        raise SystemExit(f"{argv} failed with exit code {code}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, peak)


def _mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def _best(runs: list[Run]) -> Run:
    return Run(
        min(r.wall_s for r in runs), min(r.cpu_s for r in runs), max(r.peak_bytes for r in runs)
    )


def main() -> None:
    """Run the comparison and print Markdown tables."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow moviepy baseline")
    parser.add_argument("--out", type=Path, default=None, help="keep the videos in this folder")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of ours and of the floor (best kept)"
    )
    parser.add_argument("--template", default=RICHEST, help="template ours renders")
    parser.add_argument("--sheet", type=Path, help="write the templates' contact sheet and stop")
    parser.add_argument("--examples", type=Path, help="write the docs' example frames and stop")
    parser.add_argument(
        "--run", nargs="+", help=argparse.SUPPRESS
    )  # internal: one measured variant
    args = parser.parse_args()
    if args.sheet:
        contact_sheet(args.sheet)
        return
    if args.examples:
        example_frames(args.examples)
        return
    if args.run:
        kind, *rest = args.run
        if kind == "ours":
            run_ours(Path(rest[0]), rest[1], rest[2], rest[3])
        elif kind == "naive":
            run_naive(Path(rest[0]))
        else:
            run_floor(Path(rest[0]), Path(rest[1]))
        return
    warm_cutouts()
    folder = args.out or Path(tempfile.mkdtemp(prefix="livestall-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    duration = SCENE_S * len(PRODUCTS)
    frames = round(duration * FPS)
    load_before = os.getloadavg()[0]
    same = folder / "ours-medium.mp4"
    # rounds interleave the variants so all see the same machine load; the best of each is kept
    runs: dict[str, list[Run]] = {"medium": [], "floor": [], "default": [], "naive": []}
    for _round in range(args.rounds):
        runs["medium"].append(
            measure(["--run", "ours", str(same), "9:16", "medium", args.template])
        )
        runs["floor"].append(measure(["--run", "floor", str(same), str(folder / "floor.mp4")]))
        runs["default"].append(
            measure(
                ["--run", "ours", str(folder / "ours.mp4"), "9:16", DEFAULT_PRESET, args.template]
            )
        )
    if not args.skip_naive:
        runs["naive"].append(measure(["--run", "naive", str(folder / "naive.mp4")]))
    best = {key: _best(got) for key, got in runs.items() if got}
    print(
        f"clip: {duration:.0f} s, 1080x1920, {FPS} fps, {len(PRODUCTS)} products (template "
        f"{args.template}, cut-outs), libx264 CRF 20; "
        f"{os.cpu_count()} cores, load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}; "
        f"best of {args.rounds} (ours, floor), 1 run (naive)\n"
    )
    print("| way | x264 preset | wall time | CPU time | fps | peak memory (process + ffmpeg) |")
    print("| --- | --- | --- | --- | --- | --- |")
    rows = [
        ("naive", "(a) naive moviepy composition", "medium"),
        ("medium", "(b) ours, same encoder settings", "medium"),
        ("default", "(b) ours, default settings", DEFAULT_PRESET),
        ("floor", "(c) ffmpeg re-encode of (b) (encoder floor)", "medium"),
    ]
    for key, label, preset in rows:
        if key in best:
            run = best[key]
            print(
                f"| {label} | {preset} | {run.wall_s:.1f} s | {run.cpu_s:.1f} s | "
                f"{frames / run.wall_s:.1f} | {_mib(run.peak_bytes)} |"
            )
    medium, floor = best["medium"], best["floor"]
    print(
        f"\nours (medium) / floor: wall {medium.wall_s / floor.wall_s:.2f}x, CPU {medium.cpu_s / floor.cpu_s:.2f}x (goal <= 1.5x)"
    )
    if "naive" in best:
        naive = best["naive"]
        for key in ("medium", "default"):
            run = best[key]
            print(
                f"naive / ours ({key}): wall {naive.wall_s / run.wall_s:.1f}x, "
                f"CPU {naive.cpu_s / run.cpu_s:.1f}x faster (goal >= 5x)"
            )
    print(
        f"ours peak memory: {_mib(max(medium.peak_bytes, best['default'].peak_bytes))} (goal <= 1024 MiB)"
    )
    print(f"\nours, default settings ({DEFAULT_PRESET}):\n")
    print("| aspect | size | wall time | CPU time | fps | real-time factor |")
    print("| --- | --- | --- | --- | --- | --- |")
    for aspect, size in (("9:16", "1080x1920"), ("1:1", "1080x1080"), ("16:9", "1920x1080")):
        if aspect == "9:16":
            run = best["default"]
        else:
            run = _best(
                [
                    measure(
                        [
                            "--run",
                            "ours",
                            str(folder / "aspect.mp4"),
                            aspect,
                            DEFAULT_PRESET,
                            args.template,
                        ]
                    )  # fmt: skip
                    for _ in range(args.rounds)
                ]
            )
        print(
            f"| {aspect} | {size} | {run.wall_s:.1f} s | {run.cpu_s:.1f} s | "
            f"{frames / run.wall_s:.1f} | {duration / run.wall_s:.2f}x |"
        )
    summary = {
        k: {
            "wall_s": round(v.wall_s, 2),
            "cpu_s": round(v.cpu_s, 2),
            "peak_mib": round(v.peak_bytes / 2**20),
        }
        for k, v in best.items()
    }
    print("\n" + json.dumps(summary))


if __name__ == "__main__":
    main()
