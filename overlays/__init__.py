"""Everything drawn over video: shaped text, price tags, badges, safe zones, OBS overlay pages."""

from overlays.badge import BadgeStyle, PillStyle, render_badge, render_pill
from overlays.countdown import countdown_steps, render_countdown
from overlays.fonts import FontSet, require_raqm
from overlays.layers import Layer, load_logo, parse_color
from overlays.price import PriceStyle, price_texts, render_old_price, render_price_tag
from overlays.text import TextStyle, render_text
from overlays.zones import ZONES, Box, safe_box

__all__ = [
    "ZONES",
    "BadgeStyle",
    "Box",
    "FontSet",
    "Layer",
    "PillStyle",
    "PriceStyle",
    "TextStyle",
    "countdown_steps",
    "load_logo",
    "parse_color",
    "price_texts",
    "render_badge",
    "render_countdown",
    "render_old_price",
    "render_pill",
    "render_price_tag",
    "render_text",
    "require_raqm",
    "safe_box",
]
