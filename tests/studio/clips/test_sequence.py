"""The clip's sequence: brand folded in, products fitted to the length, the closing card."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.clips.resolve import resolve_scenes
from studio.clips.sequence import (
    apply_brand,
    contrast_text,
    fit_to_length,
    livestall_mark,
    with_closing,
)
from studio.clips.spec import ClipSpec, spec_from_data
from studio.clips.timeline import fit_scenes
from studio.paths import sample_catalog_path


def spec(**extra: object) -> ClipSpec:
    data = {
        "catalog": str(sample_catalog_path()),
        "scenes": [{"sku": "A12"}, {"sku": "B3"}, {"sku": "SP01"}],
        **extra,
    }
    return spec_from_data(data, base_dir=Path.cwd())


@pytest.mark.parametrize("length", [15, 30, 60])
@pytest.mark.parametrize("products", [1, 3, 7])
@pytest.mark.parametrize("beat", [None, 0.5, 60 / 90, 60 / 128])
def test_fitted_scenes_last_the_length_each_5_to_8_s(
    length: int, products: int, beat: float | None
) -> None:
    fit = fit_scenes(products, length, closing_s=2.5, beat_s=beat)
    assert abs(sum(fit.durations_s) + fit.closing_s - length) < 1e-6
    assert all(5.0 - (beat or 0) <= d <= 8.0 + (beat or 0) for d in fit.durations_s)
    assert 2.0 <= fit.closing_s <= 3.0 + (beat or 0)
    if beat:  # every scene change on a beat
        edges = [sum(fit.durations_s[: i + 1]) for i in range(len(fit.durations_s))]
        assert all(abs(e / beat - round(e / beat)) < 1e-6 for e in edges)


def test_every_product_shows_when_the_length_allows() -> None:
    assert len(fit_scenes(4, 30, closing_s=2.5).durations_s) == 4
    assert len(fit_scenes(2, 60, closing_s=2.5).durations_s) == 9  # cycled


def test_closing_card_asks_for_every_sku_with_the_live_time_and_page() -> None:
    clip = spec(
        closing={"live_time": "20:00"}, brand={"shop_name": "Cô Tô Shop", "page_handle": "@coto"}
    )
    scenes, closing_s = fit_to_length(clip, resolve_scenes(clip), beat_s=None)
    done = with_closing(clip, scenes, closing_s=closing_s)
    last = done[-1]
    assert last.kind == "closing" and last.index == 3 and last.price is None
    assert last.cta == "Bình luận A12, B3, SP01 để chốt đơn"
    assert last.title == "Cô Tô Shop" and last.subtitle == "Live 20:00 · @coto"


def test_brand_colours_font_and_logo_replace_the_template_and_the_mark() -> None:
    logo = str(sample_catalog_path().parent.parent / "photos" / "coffee-cup.jpg")
    clip = apply_brand(
        spec(
            logo={"file": str(livestall_mark())},
            brand={"primary": "#FFEB3B", "secondary": "#0D47A1", "logo": logo},
        )
    )
    assert clip.theme.accent == "#FFEB3B" and clip.theme.accent_text == "#111111"
    assert clip.theme.badge_color == "#0D47A1" and clip.theme.badge_text == "#FFFFFF"
    assert clip.logo is not None and clip.logo.file == logo
    assert apply_brand(spec(logo={"file": str(livestall_mark())}, brand={})).logo is None


@pytest.mark.parametrize(("colour", "text"), [("#FFFFFF", "#111111"), ("#000000", "#FFFFFF"),
                                               ("#E53935", "#FFFFFF"), ("#FFD600", "#111111")])  # fmt: skip
def test_contrast_text(colour: str, text: str) -> None:
    assert contrast_text(colour) == text
