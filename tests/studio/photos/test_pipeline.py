from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from file_limit import run_with_file_limit
from PIL import Image

from studio.photos.batch import Progress
from studio.photos.pipeline import CleanOptions, CutoutOptions, cutout_batch, run_batch
from studio.photos.report import BatchReport

from .badfiles import bad_inputs
from .test_load import _exif_rotated

pytestmark = pytest.mark.model


def _open(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image)


def test_shopee_background_is_pure_white_away_from_product_and_shadow(
    cup_batch: tuple[BatchReport, Path],
) -> None:
    report, out = cup_batch
    pixels = _open(out / "shopee" / "coffee-cup.jpg").astype(int)
    assert pixels.shape == (1024, 1024, 3)
    shopee = next(o for o in report.results[0].outputs if o.preset == "shopee")
    fill = shopee.fill
    margin = round(1024 * (1 - fill) / 2)
    is_white = (pixels == 255).all(axis=2)
    # the product's box is centred with a margin of (1 - fill) / 2; the contact shadow may
    # reach into the bottom margin only
    keep_out = 16  # JPEG blocks (16 px with chroma subsampling) that touch the product
    assert is_white[: margin - keep_out].all()
    assert is_white[:, : margin - keep_out].all()
    assert is_white[:, 1024 - margin + keep_out :].all()
    assert is_white[1024 - margin + 40 :].all()
    assert is_white.mean() > 0.3


def test_fill_matches_the_preset(tmp_path: Path, cup_path: Path) -> None:
    options = CleanOptions(
        out_dir=tmp_path, presets=("shopee",), background=(0, 255, 0), shadow="none"
    )
    report = run_batch([cup_path], options)
    assert report.is_ok
    pixels = _open(tmp_path / "shopee" / "coffee-cup.jpg").astype(int)
    not_green = np.abs(pixels - (0, 255, 0)).sum(axis=2) > 150
    ys, xs = np.nonzero(not_green)
    measured = max((xs.max() - xs.min() + 1) / 1024, (ys.max() - ys.min() + 1) / 1024)
    assert measured == pytest.approx(0.85, abs=0.02)
    left, right = xs.min(), 1023 - xs.max()
    assert abs(left - right) <= 0.02 * 1024  # centred


def test_outputs_obey_their_presets(cup_batch: tuple[BatchReport, Path]) -> None:
    report, out = cup_batch
    (result,) = report.results
    assert result.status == "ok" and result.engine == "isnet"
    with Image.open(out / "shopee" / "coffee-cup.jpg") as shopee:
        assert shopee.format == "JPEG" and shopee.size == (1024, 1024)
        assert not shopee.getexif()
    assert (out / "shopee" / "coffee-cup.jpg").stat().st_size <= 2 * 1024 * 1024
    with Image.open(out / "transparent" / "coffee-cup.png") as cutout:
        assert cutout.format == "PNG" and cutout.mode == "RGBA"
        alpha = np.asarray(cutout)[..., 3]
    assert alpha[0, 0] == 0 and alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255
    solid = np.nonzero(alpha >= 128)
    assert solid[0].min() <= 0.03 * alpha.shape[0]  # tight crop: product reaches the edges
    assert solid[1].max() >= 0.97 * alpha.shape[1]
    for output in result.outputs:
        assert output.path.stat().st_size == output.bytes


def test_report_and_contact_sheet_are_written(cup_batch: tuple[BatchReport, Path]) -> None:
    _report, out = cup_batch
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["counts"] == {"ok": 1, "failed": 0, "skipped": 0}
    (entry,) = data["results"]
    left, top, right, bottom = entry["bbox"]
    assert 40 < left < right < 560 and 0 <= top < bottom <= 400
    assert {o["preset"] for o in entry["outputs"]} == {"shopee", "transparent"}
    assert {"load", "predict", "matte"} <= set(entry["timings_s"])
    assert any("enlarged" in w for w in entry["warnings"])  # 600x400 photo onto 1024 px
    with Image.open(out / "contact-sheet.jpg") as sheet:
        assert sheet.format == "JPEG" and sheet.width > 400


def test_warnings_carry_a_code_the_web_studio_translates(
    cup_batch: tuple[BatchReport, Path],
) -> None:
    report, _out = cup_batch
    (result,) = report.results
    upscaled = [w for w in result.warnings if w.code == "photo.upscaled"]
    assert [w.preset for w in upscaled] == ["shopee"]
    shown = upscaled[0].to_dict()
    assert float(shown["scale"]) > 1.0 and str(upscaled[0]) == shown["text"]


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path: Path, cup_path: Path) -> None:
    folder = tmp_path / "in"
    files = bad_inputs(folder, cup_path)
    shutil.copy(cup_path, folder / "cup.jpg")
    seen: list[Progress] = []
    threads: set[int] = set()

    def record(progress: Progress) -> None:
        seen.append(progress)
        threads.add(threading.get_ident())

    report = run_batch(
        [folder], CleanOptions(out_dir=tmp_path / "out", presets=("shopee",)), on_progress=record
    )
    codes = {r.source.name: r.code for r in report.results}
    assert codes == {
        "blank.png": "photo.empty",
        "corrupt.jpg": "photo.unreadable",
        "cup.jpg": "",
        "empty.jpg": "photo.unreadable",
        "huge.png": "photo.too_large",
        "notes.png": "photo.unreadable",
        "tiny.png": "photo.too_small",
        "truncated.jpg": "photo.unreadable",
    }
    assert not report.is_ok and len(report.failed) == len(files)
    assert [p.done for p in seen] == list(range(1, 9)) and seen[-1].total == 8
    assert threads == {threading.get_ident()}  # progress arrives on the caller's thread
    assert (tmp_path / "out" / "shopee" / "cup.jpg").is_file()
    assert sorted(p.name for p in (tmp_path / "out" / "shopee").iterdir()) == ["cup.jpg"]
    listed = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert listed["counts"] == {"ok": 1, "failed": 7, "skipped": 0}


def test_rerun_skips_newer_outputs_and_force_redoes_them(tmp_path: Path, cup_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(cup_path, tmp_path / "a" / "cup.jpg")
    shutil.copy(cup_path, tmp_path / "b" / "cup.jpg")  # same name, other folder
    options = CleanOptions(out_dir=tmp_path / "out", presets=("shopee",))
    first = run_batch([tmp_path / "a", tmp_path / "b"], options)
    statuses = [(r.source.parent.name, r.status, r.code) for r in first.results]
    assert statuses == [("a", "ok", ""), ("b", "failed", "output.collision")]
    output = tmp_path / "out" / "shopee" / "cup.jpg"
    written = output.stat().st_mtime_ns

    again = run_batch([tmp_path / "a"], options)
    assert [r.status for r in again.results] == ["skipped"]
    assert output.stat().st_mtime_ns == written

    forced = run_batch(
        [tmp_path / "a"], CleanOptions(out_dir=tmp_path / "out", presets=("shopee",), force=True)
    )
    assert [r.status for r in forced.results] == ["ok"]
    assert output.stat().st_mtime_ns > written


def test_disk_full_keeps_the_previous_output(tmp_path: Path, cup_path: Path) -> None:
    target = tmp_path / "out" / "shopee" / "coffee-cup.jpg"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"yesterday's good photo")
    script = f"""
import json
from pathlib import Path
from studio.photos.pipeline import CleanOptions, run_batch
options = CleanOptions(out_dir=Path({str(tmp_path / "out")!r}), presets=("shopee",), force=True)
report = run_batch([Path({str(cup_path)!r})], options)
(result,) = report.results
print(json.dumps({{"status": result.status, "code": result.code, "reason": result.reason,
                  "errors": len(report.errors)}}))
"""
    result = run_with_file_limit(script, limit_bytes=4096)
    assert result["status"] == "failed" and result["code"] == "output.unwritable"
    assert "disk is full" in result["reason"]
    assert target.read_bytes() == b"yesterday's good photo"
    assert sorted(p.name for p in target.parent.iterdir()) == ["coffee-cup.jpg"]
    assert result["errors"]  # report.json could not be written either, and that is said


def test_read_only_output_folder_is_reported(cup_path: Path, read_only_dir: Path) -> None:
    report = run_batch([cup_path], CleanOptions(out_dir=read_only_dir, presets=("shopee",)))
    (result,) = report.results
    assert result.status == "failed" and result.code == "output.unwritable"
    assert "cannot write" in result.reason
    assert report.errors and report.report_path is None


def test_cutout_is_pixel_aligned_and_honours_exif_rotation(
    tmp_path: Path, cup_path: Path, cup_rgb: np.ndarray
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(cup_path, folder / "cup.jpg")
    _exif_rotated(cup_path, folder / "turned.jpg", orientation=6)
    report = cutout_batch([folder], CutoutOptions(out_dir=tmp_path / "out"))
    assert report.is_ok
    for name in ("cup.png", "turned.png"):
        rgba = _open(tmp_path / "out" / name)
        assert rgba.shape == (400, 600, 4)
        alpha = rgba[..., 3]
        assert alpha[140, 270] > 200 and alpha[360, 300] > 200  # cup body, saucer front
        assert max(alpha[0, 0], alpha[0, -1], alpha[-1, 0], alpha[-1, -1]) < 30
    rgba = _open(tmp_path / "out" / "cup.png")
    solid = rgba[..., 3] == 255
    assert np.abs(rgba[..., :3][solid].astype(int) - cup_rgb[solid].astype(int)).max() == 0
    assert not (tmp_path / "out" / "report.json").exists()


def test_cutout_mask_only_writes_grey_masks(tmp_path: Path, cup_path: Path) -> None:
    report = cutout_batch([cup_path], CutoutOptions(out_dir=tmp_path, is_mask_only=True))
    with Image.open(tmp_path / "coffee-cup.png") as mask:
        assert report.is_ok and mask.mode == "L" and mask.size == (600, 400)
        assert np.asarray(mask)[140, 270] > 200
