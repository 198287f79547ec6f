"""Round discount badge ("-30%") and pill labels (call to action, shop name)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from overlays.fonts import FontSet
from overlays.layers import RGBA, Layer, on_panel
from overlays.text import Align, TextStyle, render_text
from overlays.words import WordList


@dataclass(frozen=True, slots=True)
class BadgeStyle:
    """Size and colours of the discount badge."""

    size_px: int
    color: RGBA = (255, 214, 0, 255)
    text_color: RGBA = (30, 30, 30, 255)


@dataclass(frozen=True, slots=True)
class PillStyle:
    """A line or two of text on a rounded panel (call to action, countdown, labels)."""

    size_px: int
    color: RGBA = (255, 255, 255, 235)
    text_color: RGBA = (20, 20, 20, 255)


def badge_text(percent: int) -> str:
    """Return the badge label for a discount, e.g. ``-30%``."""
    return f"-{percent}%"


def render_badge(percent: int, style: BadgeStyle, *, fonts: FontSet | None = None) -> Layer:
    """Draw a discount as a filled circle with the percentage in it."""
    block = render_text(
        badge_text(percent),
        TextStyle(size_px=style.size_px, color=style.text_color, weight="bold"),
        language="en",
        fonts=fonts,
    )
    text = block.layer
    diameter = int(max(text.width, text.height) * 1.25)
    disc = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    ImageDraw.Draw(disc).ellipse((0, 0, diameter - 1, diameter - 1), fill=style.color)
    disc.alpha_composite(
        text.to_image(), ((diameter - text.width) // 2, (diameter - text.height) // 2)
    )
    return Layer.from_image(disc)


def render_pill(
    text: str,
    style: PillStyle,
    *,
    language: str,
    max_width_px: int,
    max_lines: int = 2,
    align: Align = "center",
    fonts: FontSet | None = None,
) -> Layer:
    """Draw text (wrapped to `max_width_px`, shrunk if needed) on a rounded panel."""
    return render_pill_block(
        text,
        style,
        language=language,
        max_width_px=max_width_px,
        max_lines=max_lines,
        align=align,
        fonts=fonts,
    )[0]


def render_pill_block(
    text: str,
    style: PillStyle,
    *,
    language: str,
    max_width_px: int,
    max_lines: int = 2,
    align: Align = "center",
    fonts: FontSet | None = None,
    words: WordList | None = None,
) -> tuple[Layer, tuple[str, ...]]:
    """Like `render_pill`, also returning the lines drawn (for the clip's sidecar)."""
    pad_x, pad_y = style.size_px // 2, style.size_px // 4
    block = render_text(
        text,
        TextStyle(size_px=style.size_px, color=style.text_color, weight="bold"),
        language=language,
        max_width_px=max(1, max_width_px - 2 * pad_x),
        max_lines=max_lines,
        align=align,
        fonts=fonts,
        words=words,
    )
    layer = on_panel(
        block.layer, color=style.color, padding_px=(pad_x, pad_y), radius_px=style.size_px
    )
    return layer, block.lines
