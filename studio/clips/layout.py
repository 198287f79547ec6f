"""Draw a scene's overlays once and place them inside the platform's safe box.

Top of the safe box, downwards: extra top texts, title, subtitle, countdown. Bottom, upwards:
call to action, the price row (sale price tag + discount badge), the old price struck through,
extra bottom texts. The logo sits in the top corner for the whole clip. Sizes scale with the
frame's shorter side, so 9:16, 1:1 and 16:9 all look alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from overlays.badge import BadgeStyle, PillStyle, render_badge, render_pill
from overlays.countdown import countdown_steps, render_countdown
from overlays.layers import Layer, load_logo, parse_color, side_by_side
from overlays.price import PriceStyle, price_texts, render_old_price, render_price_tag
from overlays.text import FontSet, TextStyle, render_text
from overlays.zones import Box, place_column, safe_box
from studio.clips.resolve import SceneContent
from studio.clips.spec import ClipSpec, TextItem
from studio.clips.sprite import Sprite
from studio.clips.timeline import Timeline
from studio.errors import LivestallError, SpecInvalid

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


def _hex(value: str) -> tuple[int, int, int, int]:
    return parse_color(value)


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
        top_items, bottom_items, price_row = _draw_items(spec, content, safe, unit, timeline, fonts)
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
        out.append(Sprite.from_layer(layer, kind=item.kind, scene=scene, at=(x, y), span=span))
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


def _draw_items(
    spec: ClipSpec, content: SceneContent, safe: Box, unit: int, timeline: Timeline, fonts: FontSet
) -> tuple[list[_Item], list[_Item], list[_Item]]:
    theme, lang, index = spec.theme, spec.locale, content.index
    text_color = _hex(theme.text_color)
    outline = max(1, round(unit * 0.004))

    def span(kind: str) -> tuple[tuple[float, float], ...]:
        return (timeline.element_span(index, kind),)

    def text_item(
        kind: str, text: str, size: float, *, color: tuple[int, int, int, int], lines: int
    ) -> _Item:
        style = TextStyle(
            size_px=round(unit * size),
            color=color,
            weight="bold",
            stroke_px=outline,
            stroke_color=(0, 0, 0, 200),
        )
        block = render_text(
            text,
            style,
            language=lang,
            max_width_px=safe.width,
            max_lines=lines,
            align="start" if theme.align == "start" else "center",
            fonts=fonts,
        )
        return _Item(kind, (block.layer,), span(kind))

    top: list[_Item] = [
        _extra_text(t, safe, unit, lang, fonts, span("text"), text_color, outline)
        for t in content.texts
        if t.position == "top"
    ]
    if content.title:
        top.append(
            text_item("title", content.title, 0.075 * theme.title_scale, color=text_color, lines=2)
        )
    if content.subtitle:
        top.append(
            text_item(
                "subtitle", content.subtitle, 0.045 * theme.title_scale, color=text_color, lines=2
            )
        )
    if content.countdown is not None:
        top.append(_countdown_item(spec, content, safe, unit, timeline, fonts))
    bottom: list[_Item] = []
    if content.cta:
        pill = PillStyle(
            size_px=round(unit * 0.042),
            color=_hex(theme.panel_color),
            text_color=_hex(theme.panel_text),
        )
        bottom.append(
            _Item(
                "cta",
                (
                    render_pill(
                        content.cta, pill, language=lang, max_width_px=safe.width, fonts=fonts
                    ),
                ),
                span("cta"),
            )
        )
    row: list[_Item] = []
    if content.price is not None:
        texts = price_texts(content.price, content.sale_price, content.currency, lang)
        style = PriceStyle(
            size_px=round(unit * 0.085 * theme.price_scale),
            tag_color=_hex(theme.accent),
            text_color=_hex(theme.accent_text),
        )
        badge = None
        if texts.percent > 0 and content.has_badge:
            badge_style = BadgeStyle(
                size_px=round(unit * 0.045 * theme.price_scale),
                color=_hex(theme.badge_color),
                text_color=_hex(theme.badge_text),
            )
            badge = render_badge(texts.percent, badge_style, fonts=fonts)
        room = safe.width - (badge.width + unit // 40 if badge else 0)
        tag = render_price_tag(texts.current, style, language=lang, max_width_px=room, fonts=fonts)
        row = [_Item("price", (tag,), span("price"))]
        if badge is not None:
            row.append(_Item("badge", (badge,), span("badge")))
        if spec.locale == "ar":
            row.reverse()
        combined = side_by_side([i.layers[0] for i in row], gap_px=max(2, round(unit * 0.018)))
        bottom.append(_Item("price_row", (combined,), span("price")))
        if texts.old is not None:
            old = render_old_price(
                texts.old, style, language=lang, max_width_px=safe.width, fonts=fonts
            )
            bottom.append(_Item("old_price", (old,), span("old_price")))
    bottom.extend(
        _extra_text(t, safe, unit, lang, fonts, span("text"), text_color, outline)
        for t in content.texts
        if t.position == "bottom"
    )
    return top, bottom, row


def _extra_text(
    item: TextItem,
    safe: Box,
    unit: int,
    lang: str,
    fonts: FontSet,
    span: tuple[tuple[float, float], ...],
    default: tuple[int, int, int, int],
    outline: int,
) -> _Item:
    color = parse_color(item.color) if item.color else default
    style = TextStyle(
        size_px=round(unit * TEXT_SIZES[item.size]),
        color=color,
        stroke_px=outline,
        stroke_color=(0, 0, 0, 200),
    )
    block = render_text(
        item.text, style, language=lang, max_width_px=safe.width, max_lines=3, fonts=fonts
    )
    return _Item("text", (block.layer,), span)


def _countdown_item(
    spec: ClipSpec, content: SceneContent, safe: Box, unit: int, timeline: Timeline, fonts: FontSet
) -> _Item:
    assert content.countdown is not None
    window = timeline.scenes[content.index]
    first, last = timeline.element_span(content.index, "countdown")
    steps = countdown_steps(
        first, last, remaining_at_start_s=content.countdown.ends_in_s - (first - window.start_s)
    )
    style = PillStyle(
        size_px=round(unit * 0.042),
        color=_hex(spec.theme.accent),
        text_color=_hex(spec.theme.accent_text),
    )
    layers = tuple(
        render_countdown(
            content.countdown_label,
            step.remaining_s,
            style,
            language=spec.locale,
            max_width_px=safe.width,
            fonts=fonts,
        )
        for step in steps
    )
    return _Item("countdown", layers, tuple((s.start_s, s.end_s) for s in steps))
