"""Price overlays: the sale price on a coloured tag and the old price struck through.

Amounts are formatted by `studio.money.format_price` (Babel), so VND reads ``199.000 ₫`` in
Vietnamese and ``₫199,000`` in English, and the non-breaking space keeps a price on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from overlays.fonts import FontSet
from overlays.layers import RGBA, Layer, on_panel
from overlays.text import TextStyle, render_text
from studio.money import discount_percent, format_price


@dataclass(frozen=True, slots=True)
class PriceStyle:
    """Colours and size of the price tag and of the struck-through old price."""

    size_px: int
    tag_color: RGBA = (229, 57, 53, 255)
    text_color: RGBA = (255, 255, 255, 255)
    old_color: RGBA = (255, 255, 255, 255)
    old_panel_color: RGBA = (0, 0, 0, 150)
    strike_color: RGBA = (255, 214, 0, 255)


@dataclass(frozen=True, slots=True)
class PriceTexts:
    """What a price overlay says: the price to pay, the old price (if on sale) and the discount."""

    current: str
    old: str | None
    percent: int


def price_texts(
    price: Decimal, sale_price: Decimal | None, currency: str, locale: str
) -> PriceTexts:
    """Format the prices of a product for a locale.

    Raises:
        UnknownCurrency: when `currency` is not ISO 4217.
    """
    if sale_price is None or sale_price >= price:
        return PriceTexts(format_price(price, currency, locale), None, 0)
    return PriceTexts(
        current=format_price(sale_price, currency, locale),
        old=format_price(price, currency, locale),
        percent=discount_percent(price, sale_price),
    )


def render_price_tag(
    text: str, style: PriceStyle, *, language: str, max_width_px: int, fonts: FontSet | None = None
) -> Layer:
    """Draw the price to pay, large, on a rounded tag of `style.tag_color`."""
    pad_x, pad_y = style.size_px // 3, style.size_px // 6
    block = render_text(
        text,
        TextStyle(size_px=style.size_px, color=style.text_color, weight="bold"),
        language=language,
        max_width_px=max(1, max_width_px - 2 * pad_x),
        max_lines=1,
        fonts=fonts,
    )
    return on_panel(
        block.layer, color=style.tag_color, padding_px=(pad_x, pad_y), radius_px=style.size_px // 4
    )


def render_old_price(
    text: str, style: PriceStyle, *, language: str, max_width_px: int, fonts: FontSet | None = None
) -> Layer:
    """Draw the old price smaller, struck through by a line of `style.strike_color`."""
    size = max(10, int(style.size_px * 0.55))
    pad_x, pad_y = size // 3, size // 6
    block = render_text(
        text,
        TextStyle(size_px=size, color=style.old_color, weight="regular"),
        language=language,
        max_width_px=max(1, max_width_px - 2 * pad_x),
        max_lines=1,
        fonts=fonts,
    )
    struck = strike_through(block.layer, color=style.strike_color, thickness_px=max(2, size // 10))
    return on_panel(
        struck, color=style.old_panel_color, padding_px=(pad_x, pad_y), radius_px=size // 4
    )


def strike_through(layer: Layer, *, color: RGBA, thickness_px: int) -> Layer:
    """Return the layer with a horizontal line across its ink, a little above the middle."""
    box = layer.ink_box()
    if box is None:
        return layer
    left, top, right, bottom = box
    y = top + int((bottom - top) * 0.5) - thickness_px // 2
    out = layer.rgba.copy()
    out[y : y + thickness_px, max(0, left - 2) : min(layer.width, right + 2)] = np.array(
        color, np.uint8
    )
    return Layer(out)
