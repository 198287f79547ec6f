"""Titles wrap between words in real clips: the sidecar's lines never split a listed word."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from overlays.words import vietnamese_words
from studio.clips.pipeline import render_clip
from studio.clips.spec import spec_from_data
from tests.studio.clips.media import PHOTO, ffprobe, frame_at, small_spec

TITLES = [
    "Chả mực Hạ Long loại 1 đặc sản Quảng Ninh giòn dai",
    "Cá khô Cô Tô tẩm gia vị chả mực giã tay",
    "Nước mắm Mường Khương nguyên chất thơm ngon",
]


def splits_a_word(lines: list[str]) -> str | None:
    """Return the listed word a break falls inside, if any (case-insensitive)."""
    words = vietnamese_words().phrases
    for upper, lower in zip(lines, lines[1:], strict=False):
        tail, head = upper.split(" "), lower.split(" ")
        for left in range(1, 4):
            for right in range(1, 4):
                phrase = " ".join([*tail[-left:], *head[:right]]).lower().strip(",.!?")
                if phrase in words:
                    return phrase
    return None


@pytest.mark.parametrize("aspect", ["9:16", "1:1", "16:9"])
def test_titles_break_between_words_and_lines_are_balanced(tmp_path: Path, aspect: str) -> None:
    scenes = [{"photo": str(PHOTO), "title": t, "duration_s": 1.0} for t in TITLES]
    width = {"9:16": 360, "1:1": 360, "16:9": 640}[aspect]
    data = small_spec(canvas={"aspect": aspect, "width": width, "fps": 10}, scenes=scenes)
    report = render_clip(spec_from_data(data, base_dir=tmp_path), tmp_path / "t.mp4")
    sidecar = json.loads(report.sidecar.read_text(encoding="utf-8"))
    for scene in sidecar["scenes"]:
        title = next(e for e in scene["elements"] if e["kind"] == "title")
        lines = title["lines"]
        assert " ".join(lines).replace("…", "") in scene["title"]
        assert splits_a_word(lines) is None, lines
        if len(lines) == 2:
            short, long = sorted(len(line) for line in lines)
            assert short >= long * 0.45, lines  # balanced, not a full line and a word
    assert ffprobe(report.video)["streams"][0]["width"] == width


def test_the_title_is_drawn_where_the_sidecar_says(tmp_path: Path) -> None:
    scenes = [{"photo": str(PHOTO), "title": TITLES[0], "duration_s": 2.0}]
    data = small_spec(canvas={"aspect": "9:16", "width": 360, "fps": 10}, scenes=scenes)
    report = render_clip(spec_from_data(data, base_dir=tmp_path), tmp_path / "t.mp4")
    title = json.loads(report.sidecar.read_text())["scenes"][0]["elements"][0]
    assert title["kind"] == "title" and len(title["lines"]) == 2
    x, y, w, h = title["box"]
    frame = frame_at(report.video, 1.8, (report.width, report.height))
    white = (frame[y : y + h, x : x + w].min(axis=2) > 220).mean()
    assert white > 0.05  # the white title's ink is inside its box
    # two lines of ink: a gap row between them
    rows = (frame[y : y + h, x : x + w].min(axis=2) > 220).any(axis=1)
    assert np.count_nonzero(np.diff(rows.astype(int)) != 0) >= 3


def test_arabic_title_keeps_its_words_and_direction(tmp_path: Path) -> None:
    text = "عرض خاص على فنجان القهوة الخزفي الأحمر مع الصحن والملعقة"
    scenes = [{"photo": str(PHOTO), "title": text, "duration_s": 1.0}]
    data = small_spec(
        locale="ar", canvas={"aspect": "9:16", "width": 360, "fps": 10}, scenes=scenes
    )
    report = render_clip(spec_from_data(data, base_dir=tmp_path), tmp_path / "a.mp4")
    lines = json.loads(report.sidecar.read_text())["scenes"][0]["elements"][0]["lines"]
    assert len(lines) >= 2 and " ".join(lines) == text
