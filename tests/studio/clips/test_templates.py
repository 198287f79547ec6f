"""Every template, in every aspect, as a seller would post it: the issue's acceptance checks.

Each clip is rendered small (270 px wide, 10 fps) from the sample catalog with a Vietnamese
title that must wrap, a brand kit with its own logo, 15 s long, and read back: the product's
cut-out box covers at least 45 % of a 9:16 frame's height; no line starts or ends inside a
listed word; every text stays in the platform's safe box; the brand logo is drawn and the
Livestall mark is not; the clip lasts 15 s (ffprobe) with an audio stream when there is music.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from overlays.zones import safe_box
from studio.clips.pipeline import render_clip
from studio.clips.spec import spec_from_data
from studio.clips.templates import template_info, template_names
from studio.paths import sample_catalog_path
from tests.studio.clips.media import ffprobe, frame_at
from tests.studio.clips.test_line_breaks import splits_a_word

TITLE = "Chả mực Hạ Long loại 1 đặc sản Quảng Ninh giòn dai"
MAGENTA = (230, 0, 200)
WIDTHS = {"9:16": 270, "1:1": 270, "16:9": 480}


@pytest.fixture(scope="module")
def brand_logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brand") / "logo.png"
    Image.new("RGBA", (200, 200), (*MAGENTA, 255)).save(path)
    return path


def spec_data(template: str, aspect: str, logo: Path, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "extends": template,
        "catalog": str(sample_catalog_path()),
        "canvas": {"aspect": aspect, "width": WIDTHS[aspect], "fps": 10},
        "scenes": [{"sku": "B3", "title": TITLE}, {"sku": "A12"}],
        "length_s": 15,
        "brand": {"shop_name": "Mực Cô Tô Shop", "page_handle": "@mucoto", "logo": str(logo)},
        "closing": {"live_time": "20:00"},
        "output": {"preset": "ultrafast", "crf": 30},
    }
    return data | extra


@pytest.mark.slow
@pytest.mark.parametrize("aspect", ["9:16", "1:1", "16:9"])
@pytest.mark.parametrize("template", template_names())
def test_template_makes_a_clip_a_seller_would_post(
    tmp_path: Path, template: str, aspect: str, brand_logo: Path
) -> None:
    spec = spec_from_data(spec_data(template, aspect, brand_logo), base_dir=tmp_path)
    report = render_clip(spec, tmp_path / "clip.mp4")
    info = ffprobe(report.video)
    assert abs(float(info["format"]["duration"]) - 15.0) <= 0.1
    has_audio = any(s["codec_type"] == "audio" for s in info["streams"])
    assert has_audio == (spec.music is not None)
    sidecar = json.loads(report.sidecar.read_text(encoding="utf-8"))
    width, height = sidecar["width"], sidecar["height"]
    safe = safe_box(spec.platform, width, height)
    assert [s["kind"] for s in sidecar["scenes"]][-1] == "closing"
    for scene in sidecar["scenes"]:
        elements = {e["kind"]: e for e in scene["elements"]}
        product = elements["product"]
        assert product["source"] == "cleaned"
        if aspect == "9:16" and scene["kind"] == "product":
            assert product["box"][3] >= 0.45 * height, (template, product)
        for element in scene["elements"]:
            x, y, w, h = element["box"]
            if element["kind"] != "product":
                assert safe.x <= x and x + w <= safe.right and safe.y <= y and y + h <= safe.bottom
            if "lines" in element:
                assert splits_a_word(element["lines"]) is None, element["lines"]
    if spec.theme.background == "color":  # below the texts and the product: backdrop only
        frame = frame_at(report.video, 3.0, (width, height)).astype(int)
        first = {e["kind"]: e["box"] for e in sidecar["scenes"][0]["elements"]}
        top = max(safe.bottom, first["product"][1] + first["product"][3]) + 2
        if top < height - 4:
            strip = frame[top:]
            assert strip.std(axis=1).mean() < 8, (template, aspect)  # rows of one colour
    assert sidecar["logo"]["file"] == "logo.png"
    x, y, w, h = sidecar["logo"]["box"]
    frame = frame_at(report.video, 3.0, (width, height)).astype(int)
    logo_px = frame[y + h // 4 : y + 3 * h // 4, x + w // 4 : x + 3 * w // 4]
    assert np.abs(logo_px - MAGENTA).sum(axis=2).mean() < 60  # the brand's logo is drawn
    assert report.subtitles is not None and TITLE.split()[0] in report.subtitles.read_text()


def test_the_livestall_mark_is_drawn_only_when_kept(tmp_path: Path) -> None:
    base = {
        "catalog": str(sample_catalog_path()),
        "canvas": {"aspect": "9:16", "width": 216, "fps": 10},
        "scenes": [{"sku": "A12", "duration_s": 1.0, "source": "raw"}],
        "music": None,
    }
    plain = render_clip(spec_from_data(base, base_dir=tmp_path), tmp_path / "a.mp4")
    assert json.loads(plain.sidecar.read_text())["logo"] is None
    # an old spec naming the mark directly, with a brand kit that does not keep it
    mark = str(Path(sample_catalog_path()).parent.parent / "logo.png")
    dropped = base | {"logo": {"file": mark}, "brand": {"shop_name": "Shop"}}
    report = render_clip(spec_from_data(dropped, base_dir=tmp_path), tmp_path / "b.mp4")
    assert json.loads(report.sidecar.read_text())["logo"] is None
    kept = base | {"brand": {"keep_livestall_mark": True}}
    report = render_clip(spec_from_data(kept, base_dir=tmp_path), tmp_path / "c.mp4")
    assert json.loads(report.sidecar.read_text())["logo"]["file"] == "logo.png"


def test_templates_are_described_for_the_grid() -> None:
    info = {t["name"]: t for t in template_info()}
    assert len(info) >= 6
    assert {t["price_entrance"] for t in info.values()} >= {"rise", "pop", "reveal", "slide"}
    assert {t["motion"] for t in info.values()} >= {"zoom_in", "pop", "slide_in"}
    assert all(t["description"] and t["aspect"] == "9:16" for t in info.values())
    assert all(5 <= float(t["duration_s"]) <= 8 for t in info.values())
