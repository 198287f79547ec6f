"""Draw a scene's overlays once and place them inside the platform's safe box.

Top of the safe box, downwards: extra top texts, title, subtitle, countdown. Bottom, upwards:
call to action, the price row (sale price tag + discount badge), the old price struck through,
extra bottom texts. The logo sits in the top corner for the whole clip. Sizes scale with the
frame's shorter side, so 9:16, 1:1 and 16:9 all look alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from overlays.badge import BadgeStyle, PillStyle, render_badge, render_pill_block
from overlays.countdown import countdown_steps, render_countdown
from overlays.fonts import FontSet
from overlays.layers import RGBA, Layer, load_logo, parse_color, side_by_side
from overlays.price import PriceStyle, PriceTexts, price_texts, render_old_price, render_price_tag
from overlays.text import TextStyle, render_text
from overlays.words import WordList
from overlays.zones import Box, place_column, safe_box
from studio.clips.resolve import SceneContent
from studio.clips.spec import ClipSpec, TextItem
from studio.clips.sprite import Sprite
from studio.clips.timeline import Timeline
from studio.errors import LivestallError, SpecInvalid

logger = logging.getLogger(__name__)

TEXT_SIZES = {"small": 0.04, "medium": 0.055, "large": 0.075}


@dataclass(frozen=True, slots=True)
class SceneLayout:
    """A scene's sprites and the distance they rise by as they appear."""

    sprites: tuple[Sprite, ...]
    rise_px: int
    photo_box: Box | None  # room left between the top and bottom overlays, if enough


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str
    layers: tuple[Layer, ...]  # several for a countdown (one per second), else one
    spans: tuple[tuple[float, float], ...]
    lines: tuple[str, ...] = ()


def _align(spec: ClipSpec) -> Literal["left", "center", "right"]:
    if spec.theme.align == "center":
        return "center"
    return "right" if spec.locale == "ar" else "left"


def layout_logo(spec: ClipSpec, frame: tuple[int, int], timeline: Timeline) -> tuple[Sprite, ...]:
    """Return the clip-wide logo sprite (or none), in the safe box's top corner.

    Raises:
        SpecInvalid: naming ``logo.file`` when the logo cannot be read.
    """
    if spec.logo is None:
        return ()
    width, height = frame
    try:
        logo = load_logo_layer(spec, height)
    except LivestallError as exc:
        raise SpecInvalid(f"logo.file: {exc.message}", hint=exc.hint) from None
    safe = safe_box(spec.platform, width, height)
    x = safe.right - logo.width if spec.locale == "ar" else safe.x
    return (
        Sprite.from_layer(
            logo, kind="logo", scene=-1, at=(x, safe.y), span=(0.0, timeline.duration_s + 1.0)
        ),
    )


def load_logo_layer(spec: ClipSpec, frame_h: int) -> Layer:
    """Read and scale the spec's logo (the spec must have one)."""
    assert spec.logo is not None
    return load_logo(Path(spec.logo.file), height_px=max(8, round(frame_h * spec.logo.height)))


def layout_scene(
    spec: ClipSpec,
    content: SceneContent,
    frame: tuple[int, int],
    timeline: Timeline,
    fonts: FontSet,
    *,
    logo_h: int,
    words: WordList,
) -> SceneLayout:
    """Draw every overlay of one scene once and place it.

    Raises:
        SpecInvalid: naming the scene field when its text or currency cannot be drawn.
    """
    width, height = frame
    unit = min(width, height)
    safe = safe_box(spec.platform, width, height)
    gap = max(2, round(unit * 0.018))
    try:
        top_items, bottom_items, price_row = _draw_items(
            spec, content, safe, unit, timeline, fonts, words
        )
    except LivestallError as exc:
        raise SpecInvalid(f"scenes[{content.index}]: {exc.message}", hint=exc.hint) from None
    align = _align(spec)
    top_area = Box(safe.x, safe.y + (logo_h + gap if logo_h else 0), safe.width, safe.height)
    sprites: list[Sprite] = []
    top_boxes = place_column(
        [_size(i) for i in top_items], top_area, anchor="top", align=align, gap_px=gap
    )
    for item, box in zip(top_items, top_boxes, strict=True):
        sprites.extend(_sprites(item, box, content.index))
    bottom_sizes = [_size(i) for i in bottom_items]
    bottom_boxes = place_column(bottom_sizes, safe, anchor="bottom", align=align, gap_px=gap)
    for item, box in zip(bottom_items, bottom_boxes, strict=True):
        if item.kind == "price_row" and price_row:
            sprites.extend(_price_row_sprites(price_row, box, content.index, gap))
        else:
            sprites.extend(_sprites(item, box, content.index))
    upper = max([b.bottom for b in top_boxes], default=top_area.y)
    lower = min([b.y for b in bottom_boxes], default=safe.bottom)
    if upper > lower:
        logger.warning(
            "scenes[%d]: the texts do not fit the %dx%d safe area and overlap; shorten them",
            content.index, safe.width, safe.height,
        )  # fmt: skip
    room = Box(0, upper + gap, width, lower - upper - 2 * gap)
    photo_box = room if room.height >= height * 0.2 else None
    return SceneLayout(tuple(sprites), rise_px=round(unit * 0.02), photo_box=photo_box)


def _size(item: _Item) -> tuple[int, int]:
    return max(layer.width for layer in item.layers), max(layer.height for layer in item.layers)


def _sprites(item: _Item, box: Box, scene: int) -> list[Sprite]:
    out = []
    for layer, span in zip(item.layers, item.spans, strict=True):
        x = box.x + (box.width - layer.width) // 2
        y = box.y + (box.height - layer.height) // 2
        out.append(
            Sprite.from_layer(
                layer, kind=item.kind, scene=scene, at=(x, y), span=span, lines=item.lines
            )
        )
    return out


def _price_row_sprites(parts: list[_Item], box: Box, scene: int, gap: int) -> list[Sprite]:
    out = []
    x = box.x
    for item in parts:
        layer = item.layers[0]
        y = box.y + (box.height - layer.height) // 2
        out.append(
            Sprite.from_layer(layer, kind=item.kind, scene=scene, at=(x, y), span=item.spans[0])
        )
        x += layer.width + gap
    return out


@dataclass(frozen=True, slots=True)
class _Painter:
    """Draws one scene's overlays; sizes are fractions of the frame's shorter side (`unit`)."""

    spec: ClipSpec
    content: SceneContent
    safe: Box
    unit: int
    timeline: Timeline
    fonts: FontSet
    words: WordList

    def span(self, kind: str) -> tuple[tuple[float, float], ...]:
        return (self.timeline.element_span(self.content.index, kind),)

    def text(self, kind: str, text: str, size: float, *, color: RGBA, lines: int) -> _Item:
        style = TextStyle(
            size_px=round(self.unit * size),
            color=color,
            weight="bold",
            stroke_px=max(1, round(self.unit * 0.004)),
            stroke_color=(0, 0, 0, 200),
        )
        block = render_text(
            text,
            style,
            language=self.spec.locale,
            max_width_px=self.safe.width,
            max_lines=lines,
            align="start" if self.spec.theme.align == "start" else "center",
            fonts=self.fonts,
            words=self.words,
        )
        return _Item(kind, (block.layer,), self.span(kind), block.lines)

    def extra(self, item: TextItem) -> _Item:
        color = parse_color(item.color or self.spec.theme.text_color)
        return self.text("text", item.text, TEXT_SIZES[item.size], color=color, lines=3)

    def cta(self, text: str) -> _Item:
        theme = self.spec.theme
        size = 0.06 if self.content.kind == "closing" else 0.042  # the closing card asks loudest
        pill = PillStyle(
            size_px=round(self.unit * size),
            color=parse_color(theme.panel_color),
            text_color=parse_color(theme.panel_text),
        )
        layer, lines = render_pill_block(
            text,
            pill,
            language=self.spec.locale,
            max_width_px=self.safe.width,
            fonts=self.fonts,
            words=self.words,
        )
        return _Item("cta", (layer,), self.span("cta"), lines)

    def prices(self, texts: PriceTexts) -> tuple[list[_Item], _Item | None]:
        """Return the price row (tag, then badge; mirrored in Arabic) and the old price."""
        theme, lang = self.spec.theme, self.spec.locale
        style = PriceStyle(
            size_px=round(self.unit * 0.085 * theme.price_scale),
            tag_color=parse_color(theme.accent),
            text_color=parse_color(theme.accent_text),
        )
        row: list[_Item] = []
        room = self.safe.width
        if texts.percent > 0 and self.content.has_badge:
            badge_style = BadgeStyle(
                size_px=round(self.unit * 0.045 * theme.price_scale),
                color=parse_color(theme.badge_color),
                text_color=parse_color(theme.badge_text),
            )
            badge = render_badge(texts.percent, badge_style, fonts=self.fonts)
            row.append(_Item("badge", (badge,), self.span("badge")))
            room -= badge.width + self.unit // 40
        tag = render_price_tag(
            texts.current, style, language=lang, max_width_px=room, fonts=self.fonts
        )
        row.insert(0, _Item("price", (tag,), self.span("price")))
        if lang == "ar":
            row.reverse()
        if texts.old is None:
            return row, None
        old = render_old_price(
            texts.old, style, language=lang, max_width_px=self.safe.width, fonts=self.fonts
        )
        return row, _Item("old_price", (old,), self.span("old_price"))

    def countdown(self) -> _Item:
        countdown = self.content.countdown
        assert countdown is not None
        window = self.timeline.scenes[self.content.index]
        first, last = self.timeline.element_span(self.content.index, "countdown")
        steps = countdown_steps(
            first, last, remaining_at_start_s=countdown.ends_in_s - (first - window.start_s)
        )
        style = PillStyle(
            size_px=round(self.unit * 0.042),
            color=parse_color(self.spec.theme.accent),
            text_color=parse_color(self.spec.theme.accent_text),
        )
        layers = tuple(
            render_countdown(
                self.content.countdown_label,
                step.remaining_s,
                style,
                language=self.spec.locale,
                max_width_px=self.safe.width,
                fonts=self.fonts,
            )
            for step in steps
        )
        return _Item("countdown", layers, tuple((s.start_s, s.end_s) for s in steps))


def _draw_items(
    spec: ClipSpec,
    content: SceneContent,
    safe: Box,
    unit: int,
    timeline: Timeline,
    fonts: FontSet,
    words: WordList,
) -> tuple[list[_Item], list[_Item], list[_Item]]:
    """Return the top column, the bottom column (nearest the edge first) and the price row."""
    paint = _Painter(spec, content, safe, unit, timeline, fonts, words)
    theme, color = spec.theme, parse_color(spec.theme.text_color)
    top = [paint.extra(t) for t in content.texts if t.position == "top"]
    if content.title:
        top.append(
            paint.text("title", content.title, 0.075 * theme.title_scale, color=color, lines=2)
        )
    if content.subtitle:
        top.append(
            paint.text(
                "subtitle", content.subtitle, 0.045 * theme.title_scale, color=color, lines=2
            )
        )
    if content.countdown is not None:
        top.append(paint.countdown())
    bottom = [paint.cta(content.cta)] if content.cta else []
    row: list[_Item] = []
    if content.price is not None:
        row, old = paint.prices(
            price_texts(content.price, content.sale_price, content.currency, spec.locale)
        )
        combined = side_by_side([i.layers[0] for i in row], gap_px=max(2, round(unit * 0.018)))
        bottom.append(_Item("price_row", (combined,), paint.span("price")))
        if old is not None:
            bottom.append(old)
    bottom.extend(paint.extra(t) for t in content.texts if t.position == "bottom")
    return top, bottom, row
