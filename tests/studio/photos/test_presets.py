from __future__ import annotations

import pytest

from studio.errors import InputError, UnknownPreset
from studio.photos.presets import (
    DEFAULT_PRESETS,
    PRESETS,
    WHITE,
    customise,
    get_preset,
    parse_background,
)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_consistent(name: str) -> None:
    preset = get_preset(name)
    assert 0.1 <= preset.fill <= 1.0
    assert preset.format in ("jpg", "png", "webp")
    assert preset.rule and preset.source
    if preset.background is None:
        assert preset.format != "jpg"  # JPEG has no alpha
    width, height = preset.canvas_px(400, 300)
    assert max(width, height) <= preset.size_px


@pytest.mark.parametrize(
    ("name", "min_px", "max_mb"),
    [("amazon", 1600, 10), ("tiktok", 800, 5), ("shopee", 1024, 2), ("lazada", 850, 3)],
)
def test_marketplace_presets_follow_their_rules(name: str, min_px: int, max_mb: int) -> None:
    preset = get_preset(name)
    assert preset.aspect == (1, 1)
    assert preset.background == WHITE
    assert preset.size_px >= min_px
    assert preset.max_bytes is not None and preset.max_bytes <= max_mb * 1024 * 1024
    assert preset.fill >= 0.8


def test_defaults_exist() -> None:
    assert all(name in PRESETS for name in DEFAULT_PRESETS)


def test_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(UnknownPreset) as caught:
        get_preset("ebay")
    assert "shopee" in caught.value.hint


def test_transparent_override_switches_jpeg_to_png() -> None:
    changed = customise(get_preset("shopee"), background=None)
    assert changed.background is None and changed.format == "png"
    assert customise(get_preset("shopee"), background=None, image_format="webp").format == "webp"


def test_tight_canvas_is_never_enlarged() -> None:
    assert get_preset("transparent").canvas_px(400, 200) == (400, 200)
    assert get_preset("transparent").canvas_px(3200, 1600) == (1600, 800)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("transparent", None),
        ("white", (255, 255, 255)),
        ("#FF8800", (255, 136, 0)),
        ("ff8800", (255, 136, 0)),
        ("10, 20,30", (10, 20, 30)),
    ],
)
def test_parse_background(text: str, expected: tuple[int, int, int] | None) -> None:
    assert parse_background(text) == expected


@pytest.mark.parametrize("text", ["blue-ish", "#12345", "256,0,0", ""])
def test_parse_background_rejects_nonsense(text: str) -> None:
    with pytest.raises(InputError):
        parse_background(text)
