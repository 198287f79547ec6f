"""Real renders, inspected with ffprobe and decoded frames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from clips.media import PHOTO, colour_share, ffprobe, frame_at, is_faststart, small_spec, write_tone
from overlays.zones import Box, safe_box
from studio.clips.pipeline import ClipProgress, render_catalog, render_clip
from studio.clips.spec import spec_from_data
from studio.errors import OutputError, PhotoUnreadable, SpecInvalid
from studio.paths import sample_catalog_path

pytestmark = pytest.mark.slow


def _render(tmp_path: Path, **overrides: object) -> tuple[Path, dict[str, object]]:
    spec = spec_from_data(small_spec(**overrides), base_dir=tmp_path)
    out = tmp_path / "clip.mp4"
    render_clip(spec, out)
    return out, json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))


def test_clip_is_h264_yuv420p_of_the_right_size_rate_and_length(tmp_path: Path) -> None:
    seen: list[ClipProgress] = []
    spec = spec_from_data(small_spec(), base_dir=tmp_path)
    report = render_clip(spec, tmp_path / "clip.mp4", on_progress=seen.append)
    info = ffprobe(report.video)
    video = [s for s in info["streams"] if s["codec_type"] == "video"]
    assert len(video) == 1 and not [s for s in info["streams"] if s["codec_type"] == "audio"]
    stream = video[0]
    assert (stream["codec_name"], stream["pix_fmt"]) == ("h264", "yuv420p")
    assert (stream["width"], stream["height"]) == (216, 384)
    assert stream["r_frame_rate"] == "10/1"
    assert abs(float(info["format"]["duration"]) - 3.0) <= 0.1  # one frame
    assert is_faststart(report.video)
    assert seen[-1].frames_done == seen[-1].frames_total == 30
    with Image.open(report.poster) as poster:
        assert (poster.format, poster.size) == ("JPEG", (216, 384))
    sidecar = json.loads(report.sidecar.read_text(encoding="utf-8"))
    assert sidecar["duration_s"] == 3.0 and sidecar["width"] == 216 and len(sidecar["scenes"]) == 2
    assert sidecar["scenes"][0]["price"] == "139.000\u00a0₫"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "clip.jpg", "clip.json", "clip.mp4", "clip.srt",
    ]  # fmt: skip


def test_music_adds_aac_looped_to_the_clip_length(tmp_path: Path) -> None:
    tone = write_tone(tmp_path / "tone.wav", 0.8)
    out, sidecar = _render(tmp_path, music={"file": str(tone), "fade_out_s": 0.5})
    info = ffprobe(out)
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert len(audio) == 1 and audio[0]["codec_name"] == "aac"
    assert abs(float(audio[0]["duration"]) - 3.0) <= 0.1  # 0.8 s tone looped to 3 s
    assert sidecar["has_audio"] is True


def _box(element: dict[str, object]) -> Box:
    x, y, w, h = element["box"]  # type: ignore[misc]
    return Box(x, y, w, h)


def _element(sidecar: dict[str, object], scene: int, kind: str) -> dict[str, object]:
    scenes = sidecar["scenes"]
    assert isinstance(scenes, list)
    return next(e for e in scenes[scene]["elements"] if e["kind"] == kind)


def test_price_tag_shows_in_its_colours_only_during_its_scene(tmp_path: Path) -> None:
    theme = {"accent": "#2962FF", "accent_text": "#FFFFFF", "badge_color": "#FFD600", "shade": 0.0}
    canvas = {"aspect": "9:16", "width": 360, "fps": 10}
    out, sidecar = _render(tmp_path, theme=theme, canvas=canvas)
    tag = _element(sidecar, 0, "price")
    box = _box(tag)
    assert float(tag["start_s"]) < 0.6  # type: ignore[arg-type]

    def share_at(t: float) -> float:
        frame = frame_at(out, t, (360, 640))
        return colour_share(frame[box.y : box.bottom, box.x : box.right], (0x29, 0x62, 0xFF))

    assert share_at(0.0) < 0.05  # not yet
    assert share_at(1.0) > 0.4  # shown, in the tag colour
    assert share_at(2.5) < 0.05  # the next scene has no price
    old = _box(_element(sidecar, 0, "old_price"))
    frame = frame_at(out, 1.0, (360, 640))
    region = frame[old.y : old.bottom, old.x : old.right]
    strike_rows = [
        colour_share(region[r : r + 1], (255, 214, 0), tolerance=90) for r in range(old.height)
    ]
    assert max(strike_rows) > 0.5  # a yellow line runs across the old price


@pytest.mark.parametrize(
    ("aspect", "width", "platform", "size"),
    [
        ("9:16", 360, "reels", (360, 640)),
        ("9:16", 360, "tiktok", (360, 640)),
        ("1:1", 360, "tiktok", (360, 360)),
        ("16:9", 640, "none", (640, 360)),
    ],
)
def test_overlays_stay_inside_the_platform_safe_box(
    tmp_path: Path, aspect: str, width: int, platform: str, size: tuple[int, int]
) -> None:
    long_name = "Cốc sứ cà phê Quảng Ninh men lam vẽ tay cao cấp dung tích ba trăm năm mươi mililit kèm đĩa lót gỗ"
    scenes = [{"photo": str(PHOTO), "title": long_name[:100], "price": 199000, "sale_price": 139000, "sku": None,
               "countdown": {"ends_in_s": 90}, "cta": "Bình luận A12 để chốt đơn", "duration_s": 1.0}]  # fmt: skip
    canvas = {"aspect": aspect, "width": width, "fps": 5}
    _out, sidecar = _render(tmp_path, scenes=scenes, canvas=canvas, platform=platform)
    safe = safe_box(platform, *size)
    kinds = set()
    boxes = []
    for element in sidecar["scenes"][0]["elements"]:  # type: ignore[index]
        kinds.add(element["kind"])
        box = _box(element)
        assert safe.contains(box), element
        assert not any(box.overlaps(other) for other in boxes), (
            element
        )  # nothing drawn over another
        boxes.append(box)
    assert {"title", "price", "old_price", "badge", "countdown", "cta"} <= kinds


def _no_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".mp4")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scenes": [{"photo": str(PHOTO)}, {"photo": "missing.jpg"}]}, "scenes[1].photo"),
        ({"scenes": [{"photo": str(PHOTO), "duration_s": 0}]}, "scenes[0].duration_s"),
        (
            {
                "scenes": [
                    {"photo": str(PHOTO)},
                    {"photo": str(PHOTO)},
                    {"photo": str(PHOTO), "price": "abc"},
                ]
            },
            "scenes[2].price",
        ),
        ({"currency": "XYZ"}, "currency"),
        ({"theme": {"font": "notes.txt"}}, "theme.font"),
        ({"music": {"file": "notes.txt"}}, "music.file"),
        ({"logo": {"file": "nope.png"}}, "logo.file"),
        ({"scenes": [{"sku": "A12"}]}, "scenes[0].sku"),
        ({"extends": "no-such-template"}, "extends"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a font, not music", encoding="utf-8")
    with pytest.raises(SpecInvalid, match=field.replace("[", r"\[").replace("]", r"\]")):
        spec = spec_from_data(small_spec(**change), base_dir=tmp_path)
        render_clip(spec, tmp_path / "clip.mp4")
    assert _no_leftovers(tmp_path) == []


def test_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    spec = spec_from_data(small_spec(), base_dir=tmp_path)
    with pytest.raises(OutputError, match="does not exist"):
        render_clip(spec, tmp_path / "nope" / "clip.mp4")


def test_a_photo_that_fails_mid_render_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a jpeg")
    scenes = [{"photo": str(PHOTO), "duration_s": 1.0}, {"photo": str(broken), "duration_s": 1.0}]
    spec = spec_from_data(small_spec(scenes=scenes), base_dir=tmp_path)
    with pytest.raises(PhotoUnreadable, match="broken.jpg"):
        render_clip(spec, tmp_path / "clip.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.jpg"]


def test_preview_is_small_and_fast(tmp_path: Path) -> None:
    spec = spec_from_data(small_spec(canvas={"aspect": "16:9", "fps": 30}), base_dir=tmp_path)
    report = render_clip(spec, tmp_path / "p.mp4", is_preview=True)
    assert (report.width, report.height, report.fps) == (640, 360, 15)


def test_catalog_makes_one_clip_per_product(tmp_path: Path) -> None:
    report = render_catalog(
        sample_catalog_path(),
        tmp_path / "clips",
        template="bold",
        skus=["A12", "B3"],
        is_preview=True,
    )
    assert [i.sku for i in report.items] == ["A12", "B3"] and not report.failed
    sidecar = json.loads((tmp_path / "clips" / "A12.json").read_text(encoding="utf-8"))
    assert sidecar["scenes"][0]["sku"] == "A12"
    assert sidecar["scenes"][0]["old_price"] == "159.000\u00a0₫"
    assert any(e["kind"] == "cta" for e in sidecar["scenes"][0]["elements"])


@pytest.mark.parametrize(
    ("transition", "motion"), [("slide", "pan_left"), ("cut", "still"), ("crossfade", "zoom_out")]
)
def test_every_transition_and_motion_renders(tmp_path: Path, transition: str, motion: str) -> None:
    out, sidecar = _render(
        tmp_path,
        transition={"kind": transition, "duration_s": 0.4},
        defaults={"motion": {"kind": motion, "amount": 0.1}},
    )
    assert sidecar["frames"] == 30
    # mid-transition the frame differs from both scenes' own frames (except for a cut)
    before, middle, after = (frame_at(out, t, (216, 384)).astype(int) for t in (1.0, 1.4, 1.9))
    assert abs(middle - after).mean() > 3.0 or transition == "cut"
    assert abs(before - after).mean() > 10.0


def test_catalog_batch_goes_on_past_a_broken_product(tmp_path: Path) -> None:
    catalog = tmp_path / "shop.yaml"
    catalog.write_text(
        "products:\n"
        f"  - {{sku: OK1, name: Cốc, price: 100000, photos: [{PHOTO}]}}\n"
        "  - {sku: BAD2, name: Đĩa, price: 50000, photos: [missing.jpg]}\n",
        encoding="utf-8",
    )
    report = render_catalog(catalog, tmp_path / "out", is_preview=True)
    assert [(i.sku, i.error is None) for i in report.items] == [("OK1", True), ("BAD2", False)]
    (failed,) = report.failed
    assert failed.error is not None and "scenes[0].photo" in str(failed.error)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "OK1.jpg",
        "OK1.json",
        "OK1.mp4",
        "OK1.srt",
    ]


def test_too_much_text_for_the_frame_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = [
        {"text": f"Dòng chữ thêm số {i} rất dài để không vừa", "position": "top", "size": "large"}
        for i in range(6)
    ]
    scenes = [
        {"photo": str(PHOTO), "title": "Cốc", "price": 1000, "texts": texts, "duration_s": 0.5}
    ]
    canvas = {"aspect": "16:9", "width": 320, "fps": 4}
    with caplog.at_level("WARNING", logger="studio.clips.layout"):
        _render(tmp_path, scenes=scenes, canvas=canvas)
    assert "do not fit" in caplog.text and "scenes[0]" in caplog.text
