"""Price tag and struck-through old price."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from overlays.price import (
    PriceStyle,
    price_texts,
    render_old_price,
    render_price_tag,
    strike_through,
)
from overlays.text import TextStyle, render_text


@pytest.mark.parametrize(
    ("locale", "current", "old", "percent"),
    [
        ("vi", "139.000\u00a0₫", "199.000\u00a0₫", 30),
        ("en", "₫139,000", "₫199,000", 30),
    ],
)
def test_vnd_prices_are_formatted_per_locale(
    locale: str, current: str, old: str, percent: int
) -> None:
    texts = price_texts(Decimal(199000), Decimal(139000), "VND", locale)
    assert (texts.current, texts.old, texts.percent) == (current, old, percent)


def test_no_sale_price_means_no_old_price() -> None:
    assert price_texts(Decimal(199000), None, "VND", "vi").old is None
    assert price_texts(Decimal(199000), Decimal(199000), "VND", "vi").percent == 0


def _longest_run(mask: np.ndarray) -> int:
    best = 0
    for row in mask:
        run = 0
        for value in row:
            run = run + 1 if value else 0
            best = max(best, run)
    return best


def test_old_price_is_struck_through() -> None:
    style = PriceStyle(size_px=60, strike_color=(255, 214, 0, 255))
    struck = render_old_price("199.000\u00a0₫", style, language="vi", max_width_px=800).rgba
    is_strike = (np.abs(struck[:, :, :3].astype(int) - (255, 214, 0)).sum(axis=2) < 30) & (
        struck[:, :, 3] > 200
    )
    text = render_text(
        "199.000\u00a0₫", TextStyle(size_px=33, weight="regular"), language="vi"
    ).layer
    ink_w = text.width - 8
    assert _longest_run(is_strike) >= ink_w * 0.9
    plain = render_text(
        "199.000\u00a0₫", TextStyle(size_px=33, color=(255, 214, 0, 255), weight="regular")
    ).layer.rgba
    plain_strike = plain[:, :, 3] > 200
    assert _longest_run(plain_strike) < ink_w * 0.5  # text alone has no long horizontal run


def test_strike_through_draws_across_the_ink_middle() -> None:
    layer = render_text("12.000", TextStyle(size_px=40)).layer
    struck = strike_through(layer, color=(255, 0, 0, 255), thickness_px=3)
    red_rows = np.flatnonzero(
        ((struck.rgba[:, :, 0] == 255) & (struck.rgba[:, :, 1] == 0)).any(axis=1)
    )
    assert red_rows.size == 3
    box = layer.ink_box()
    assert box is not None
    assert box[1] < red_rows[0] and red_rows[-1] < box[3]


def test_price_tag_is_mostly_the_tag_colour() -> None:
    tag = render_price_tag(
        "139.000\u00a0₫",
        PriceStyle(size_px=60, tag_color=(229, 57, 53, 255)),
        language="vi",
        max_width_px=600,
    )
    opaque = tag.rgba[tag.rgba[:, :, 3] == 255][:, :3].astype(int)
    is_tag = np.abs(opaque - (229, 57, 53)).sum(axis=1) < 10
    assert is_tag.mean() > 0.6
    assert tag.width <= 600
