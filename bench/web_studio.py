"""Web studio overhead: a photo batch and a clip preview through the studio against direct calls.

- baseline: `studio.photos.run_batch` and `studio.clips.render_clip(is_preview=True)` called
  directly, as ``livestall photos clean`` and ``livestall clip render --preview`` do.
- ours: the same work through the studio's HTTP API on 127.0.0.1 (upload, job in the worker pool,
  progress rows in SQLite, polled until done), timed from the upload request to the finished job.

Both sides run after one warm-up of each (model loaded, ffmpeg and fonts in the page cache).
Prints seconds per side, the ratio, and the clip preview's latency (what the seller waits for).
Run: ``.venv/bin/python bench/web_studio.py [--photos 4] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from server.serve import start_studio
from studio.clips.pipeline import render_clip
from studio.clips.spec import spec_from_data
from studio.paths import sample_catalog_path, sample_photos_dir
from studio.photos import CleanOptions, run_batch

HEADERS = {"X-Livestall": "studio"}


def direct_photos(photos: list[Path], out: Path) -> float:
    started = time.perf_counter()
    run_batch(
        photos,
        CleanOptions(out_dir=out, presets=("shopee",), jobs=1, force=True, has_contact_sheet=False),
    )
    return time.perf_counter() - started


def direct_preview(out: Path) -> float:
    catalog = sample_catalog_path()
    spec = spec_from_data(
        {"extends": "classic", "catalog": str(catalog), "scenes": [{"sku": "A12"}]},
        base_dir=catalog.parent,
    )
    started = time.perf_counter()
    render_clip(spec, out, is_preview=True)
    return time.perf_counter() - started


def wait(client: httpx.Client, job_id: str) -> None:
    while client.get(f"/studio/api/jobs/{job_id}").json()["status"] in ("queued", "running"):
        time.sleep(0.02)


def studio_photos(client: httpx.Client, photos: list[Path]) -> float:
    started = time.perf_counter()
    files = [("files", (p.name, p.read_bytes(), "image/jpeg")) for p in photos]
    upload = client.post("/studio/api/photos/uploads", files=files).json()
    job = client.post(
        "/studio/api/photos/jobs", json={"upload_id": upload["upload_id"], "presets": ["shopee"]}
    ).json()
    wait(client, job["id"])
    return time.perf_counter() - started


def studio_preview(client: httpx.Client) -> float:
    started = time.perf_counter()
    job = client.post("/studio/api/clips/jobs", json={"skus": ["A12"], "is_preview": True}).json()
    wait(client, job["id"])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        photos = []
        for index in range(args.photos):
            target = folder / "in" / f"cup-{index}.jpg"
            target.parent.mkdir(exist_ok=True)
            shutil.copy(sample_photos_dir() / "coffee-cup.jpg", target)
            photos.append(target)
        running = start_studio(sample_catalog_path(), data_dir=folder / "data")
        client = httpx.Client(base_url=running.url, headers=HEADERS, timeout=300)
        try:
            direct_photos(photos[:1], folder / "warm")
            studio_photos(client, photos[:1])
            direct_preview(folder / "warm.mp4")
            studio_preview(client)
            ours_p, base_p, ours_c, base_c = [], [], [], []
            for round_index in range(args.rounds):
                base_p.append(direct_photos(photos, folder / f"direct-{round_index}"))
                ours_p.append(studio_photos(client, photos))
                base_c.append(direct_preview(folder / f"direct-{round_index}.mp4"))
                ours_c.append(studio_preview(client))
        finally:
            client.close()
            running.stop()
    for label, ours, base in (
        (f"photos x{args.photos} (shopee)", ours_p, base_p),
        ("clip preview (A12, 4 s)", ours_c, base_c),
    ):
        o, b = statistics.median(ours), statistics.median(base)
        print(f"{label:28} studio {o:6.2f} s  direct {b:6.2f} s  ratio {o / b:4.2f}")


if __name__ == "__main__":
    main()
