"""`livestall clip`: runs the Typer app, then opens the files it wrote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from livestall.cli.app import main
from studio.paths import sample_catalog_path, sample_photos_dir

PHOTO = sample_photos_dir() / "coffee-cup.jpg"


@pytest.fixture(autouse=True)
def _data_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut-outs are cached in a data folder of the test session, not the user's."""
    monkeypatch.setenv("LIVESTALL_HOME", str(tmp_path_factory.getbasetemp() / "clip-home"))


def _video_stream(path: Path) -> dict[str, object]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_streams", "-of", "json", str(path)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    stream: dict[str, object] = json.loads(result.stdout)["streams"][0]
    return stream


@pytest.mark.slow
def test_quick_makes_a_clip_poster_and_sidecar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cup.mp4"
    code = main(
        ["clip", "quick", str(PHOTO), "--title", "Cốc sứ", "--price", "199.000", "--sale-price", "139000",
         "--aspect", "1:1", "--locale", "en", "--preview", "--out", str(out), "--json"]
    )  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["video"] == str(out) and printed["scenes"][0]["price"] == "₫139,000"
    assert printed["has_audio"] is True  # the classic template brings its music loop
    stream = _video_stream(out)
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", 360, 360)
    assert out.with_suffix(".jpg").is_file() and out.with_suffix(".json").is_file()


@pytest.mark.slow
def test_render_a_spec_file(tmp_path: Path) -> None:
    spec = tmp_path / "promo.yaml"
    spec.write_text(
        yaml.safe_dump(
            {"extends": "minimal", "canvas": {"width": 180, "fps": 10},
             "scenes": [{"photo": str(PHOTO), "title": "Cốc", "price": 99000, "duration_s": 1}],
             "output": {"preset": "ultrafast"}},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert main(["clip", "render", str(spec), "--out", str(tmp_path / "promo.mp4")]) == 0
    assert _video_stream(tmp_path / "promo.mp4")["height"] == 320


def test_render_a_bad_spec_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        yaml.safe_dump({"scenes": [{"photo": str(PHOTO), "price": "lots"}]}), encoding="utf-8"
    )
    assert main(["clip", "render", str(spec), "--out", str(tmp_path / "x.mp4")]) == 2
    assert "scenes[0].price" in capsys.readouterr().err
    assert not (tmp_path / "x.mp4").exists()


def test_output_in_a_missing_folder_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "clip",
            "quick",
            str(PHOTO),
            "--title",
            "x",
            "--price",
            "1",
            "--out",
            str(tmp_path / "no" / "x.mp4"),
        ]
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_catalog_writes_one_clip_per_sku(tmp_path: Path) -> None:
    out = tmp_path / "clips"
    assert (
        main(
            [
                "clip",
                "catalog",
                str(sample_catalog_path()),
                "--out",
                str(out),
                "--preview",
                "--sku",
                "B3",
                "--template",
                "bold",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["B3.jpg", "B3.json", "B3.mp4", "B3.srt"]


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clip", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "ClipSpec" and "scenes" in schema["required"]


@pytest.mark.slow
def test_catalog_with_a_broken_product_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "shop.yaml"
    catalog.write_text(
        f"products:\n  - {{sku: OK1, name: Cốc, price: 1000, photos: [{PHOTO}]}}\n"
        "  - {sku: BAD2, name: Đĩa, price: 500, photos: [missing.jpg]}\n",
        encoding="utf-8",
    )
    assert main(["clip", "catalog", str(catalog), "--out", str(tmp_path / "out"), "--preview"]) == 2
    captured = capsys.readouterr()
    assert "OK1" in captured.out and "BAD2" in captured.err


@pytest.mark.slow
def test_quick_takes_a_template_a_length_and_a_brand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        yaml.safe_dump({"shop_name": "Mực Cô Tô", "primary": "#0057B8"}), encoding="utf-8"
    )
    out = tmp_path / "cup.mp4"
    code = main(
        ["clip", "quick", str(PHOTO), "--title", "Chả mực Hạ Long đặc sản Quảng Ninh",
         "--price", "250000", "--template", "spotlight", "--length", "15", "--brand", str(brand),
         "--music", "chill", "--preview", "--out", str(out), "--json"]
    )  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert abs(printed["duration_s"] - 15) <= 0.1 and printed["has_audio"] is True
    assert [s["kind"] for s in printed["scenes"]] == ["product", "product", "closing"]
    assert printed["scenes"][0]["source"] == "cleaned"
    assert out.with_suffix(".srt").is_file()


def test_templates_json_lists_six_looks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clip", "templates", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) >= 6 and {"name", "description", "motion", "music"} <= set(listed[0])
