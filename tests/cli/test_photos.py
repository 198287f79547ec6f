"""`livestall photos`: run the commands, then open the files they wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from livestall.cli.app import main
from studio.paths import sample_photos_dir
from studio.photos.presets import PRESETS

CUP = sample_photos_dir() / "coffee-cup.jpg"


def test_presets_lists_every_preset_with_its_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["photos", "presets", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in listed] == list(PRESETS)
    shopee = next(p for p in listed if p["name"] == "shopee")
    assert shopee["max_bytes"] == 2 * 1024 * 1024 and shopee["aspect"] == [1, 1]
    assert all(p["rule"] and p["source"] for p in listed)


def test_presets_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["photos", "presets"]) == 0
    assert "lazada" in capsys.readouterr().out


@pytest.mark.model
def test_clean_writes_presets_report_and_sheet_and_fails_on_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "shots"
    folder.mkdir()
    shutil.copy(CUP, folder / "cup.jpg")
    (folder / "broken.jpg").write_bytes(CUP.read_bytes()[:500])
    out = tmp_path / "out"
    code = main(
        ["photos", "clean", str(folder), "--out", str(out), "--preset", "tiktok", "--bg", "#f5f0e6"]
    )
    captured = capsys.readouterr()
    assert code == 1  # something failed
    assert "broken.jpg" in captured.err and "photo.unreadable" in captured.err
    assert "1 done" in captured.out
    with Image.open(out / "tiktok" / "cup.jpg") as image:
        assert image.size == (1200, 1200)
        assert image.getpixel((3, 3)) == pytest.approx((245, 240, 230), abs=2)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"ok": 1, "failed": 1, "skipped": 0}
    assert (out / "contact-sheet.jpg").is_file()

    assert (
        main(["photos", "clean", str(folder / "cup.jpg"), "--out", str(out), "-p", "tiktok"]) == 0
    )
    assert "1 skipped" in capsys.readouterr().out


@pytest.mark.model
def test_cutout_mask_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["photos", "cutout", str(CUP), "--out", str(tmp_path), "--mask-only"]) == 0
    with Image.open(tmp_path / "coffee-cup.png") as mask:
        assert mask.mode == "L" and mask.size == (600, 400)
        pixels = np.asarray(mask)
    assert pixels[140, 270] > 200 and pixels[2, 2] < 30
    assert "1 done" in capsys.readouterr().out


def test_unknown_preset_is_a_clear_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["photos", "clean", str(CUP), "--out", str(tmp_path), "-p", "ebay"]) == 2
    err = capsys.readouterr().err
    assert "photo.unknown_preset" in err and "shopee" in err


def test_bad_background_colour(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["photos", "clean", str(CUP), "--out", str(tmp_path), "--bg", "sky"]) == 2
    assert "#RRGGBB" in capsys.readouterr().err


def test_classic_engine_runs_without_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("U2NET_HOME", str(tmp_path / "no-models"))
    args = ["photos", "cutout", str(CUP), "--out", str(tmp_path / "out")]
    assert main(args) == 1
    assert "model.missing" in capsys.readouterr().err
    assert main([*args, "--allow-classic", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["engine"] == "classic"
    with Image.open(tmp_path / "out" / "coffee-cup.png") as cutout:
        assert cutout.mode == "RGBA" and cutout.size == (600, 400)
