"""Shaped text to RGBA: Vietnamese, English and Arabic through Pillow's raqm layout.

Every string is split into runs, one per font (Noto Sans for Latin and Vietnamese, Noto Sans
Arabic for Arabic, the system's colour emoji font for emoji), each run shaped by raqm with its
direction and language set; emoji runs are drawn at the emoji font's bitmap size and scaled to
the text's. Code points no font covers (emoji, on a system without an emoji font) are skipped
rather than drawn as tofu boxes. The layer is
cropped to the ink actually drawn plus a margin, so stacked diacritics on capitals ("Ẫ") and
descenders are never clipped, whatever the font's ascent says.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from overlays.fonts import (
    FontSet,
    Weight,
    font_coverage,
    is_arabic_char,
    load_emoji_font,
    load_font,
    require_raqm,
    uncovered,
)
from overlays.layers import RGBA, Layer
from overlays.linebreak import EMOJI_JOINERS, break_lines
from overlays.words import WordList, segment, vietnamese_words

logger = logging.getLogger(__name__)

Direction = Literal["ltr", "rtl"]
Align = Literal["start", "center", "end"]
RunKind = Literal["latin", "arabic", "emoji"]

_INK_MARGIN_PX = 4
_NO_WORDS = WordList(frozenset())


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a piece of text looks."""

    size_px: int
    color: RGBA = (255, 255, 255, 255)
    weight: Weight = "bold"
    stroke_px: int = 0
    stroke_color: RGBA = (0, 0, 0, 255)
    line_spacing: float = 1.25


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Rendered text: the layer plus what was drawn (for tests, docs and the sidecar)."""

    layer: Layer
    lines: tuple[str, ...]
    size_px: int
    direction: Direction
    skipped: str  # code points no bundled font covers (emoji), left out on purpose


def base_direction(text: str) -> Direction:
    """Return the paragraph direction: that of the first strong character (Unicode rule P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def clean_text(text: str, fonts: FontSet) -> tuple[str, str]:
    """Return (text to draw, skipped characters): NFC, whitespace collapsed, uncovered dropped."""
    normal = unicodedata.normalize("NFC", text)
    missing = uncovered(normal, fonts)
    kept = "".join(c for c in normal if c not in missing)
    if fonts.emoji is None:
        # emoji come with variation selectors and joiners; once the emoji is gone, so are they
        kept = kept.replace("\ufe0f", "").replace("\u200d", "")
    collapsed = " ".join(kept.split())
    if missing:
        logger.info("skipped characters no bundled font covers: %r", missing)
    return collapsed, missing


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    font: ImageFont.FreeTypeFont
    direction: Direction
    language: str
    kind: RunKind = "latin"
    scale: float = 1.0  # emoji: drawn at the font's bitmap size, then scaled by this


def _split_runs(
    line: str, fonts: FontSet, style: TextStyle, size_px: int, language: str
) -> list[_Run]:
    """Split a line into runs of one font each; neutrals (spaces, digits) stay in their run."""
    groups: list[tuple[RunKind, list[str]]] = []
    for index, char in enumerate(line):
        kind = _char_kind(line, index, fonts, style, previous=_last_text_kind(groups))
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(char)
        else:
            groups.append((kind, [char]))
    paragraph = base_direction(line)
    _settle_spaces(groups, paragraph)
    runs = [
        _make_run(kind, "".join(chars), fonts, style, size_px, language, paragraph)
        for kind, chars in groups
        if chars
    ]
    return _resolve_emoji_directions(runs)


def _resolve_emoji_directions(runs: list[_Run]) -> list[_Run]:
    """An emoji run between two runs of one direction takes it (emoji are neutral: Unicode bidi
    rule N1); elsewhere it keeps the paragraph's, which `_make_run` gave it (rule N2)."""
    resolved = list(runs)
    for index, run in enumerate(runs):
        if run.kind != "emoji":
            continue
        before = next((r.direction for r in reversed(runs[:index]) if r.kind != "emoji"), None)
        after = next((r.direction for r in runs[index + 1 :] if r.kind != "emoji"), None)
        if before is not None and before == after:
            resolved[index] = replace(run, direction=before)
    return resolved


def _visual_order(runs: list[_Run], paragraph: Direction) -> list[_Run]:
    """Runs in drawing order, left to right (Unicode bidi rule L2, with runs as the units).

    Consecutive runs of one direction form a block; the blocks go in the paragraph's direction
    and the runs inside a right-to-left block are reversed (each run is shaped in its own
    direction already).
    """
    blocks: list[list[_Run]] = []
    for run in runs:
        if blocks and blocks[-1][0].direction == run.direction:
            blocks[-1].append(run)
        else:
            blocks.append([run])
    ordered = reversed(blocks) if paragraph == "rtl" else iter(blocks)
    return [
        run
        for block in ordered
        for run in (reversed(block) if block[0].direction == "rtl" else block)
    ]


def _char_kind(
    line: str, index: int, fonts: FontSet, style: TextStyle, *, previous: RunKind | None
) -> RunKind:
    char = line[index]
    if fonts.emoji is not None and _is_emoji_at(line, index, fonts, style):
        return "emoji"
    if is_arabic_char(char):
        return "arabic"
    if unicodedata.bidirectional(char) == "L":
        return "latin"
    if previous is not None and ord(char) in _coverage(fonts, style, previous):
        return previous
    return "latin" if ord(char) in _coverage(fonts, style, "latin") else "arabic"


def _is_emoji_at(line: str, index: int, fonts: FontSet, style: TextStyle) -> bool:
    """An emoji font glyph the text fonts lack, a character asking for emoji presentation
    (followed by U+FE0F or a keycap), or a joiner inside an emoji sequence."""
    assert fonts.emoji is not None
    while index > 0 and ord(line[index]) in EMOJI_JOINERS:
        index -= 1  # a joiner belongs to the sequence it continues
    code = ord(line[index])
    if code in EMOJI_JOINERS or code not in font_coverage(fonts.emoji):
        return False
    following = line[index + 1 : index + 2]
    if following in ("\ufe0f", "\u20e3"):
        return True
    return code not in _coverage(fonts, style, "latin") and not is_arabic_char(line[index])


def _coverage(fonts: FontSet, style: TextStyle, kind: RunKind) -> frozenset[int]:
    """What the text font of a Latin or Arabic run covers (neutrals never join emoji runs)."""
    return font_coverage(fonts.pick(style.weight, is_arabic=kind == "arabic"))


def _last_text_kind(groups: list[tuple[RunKind, list[str]]]) -> RunKind | None:
    """The kind of the last Latin or Arabic run (neutrals never join an emoji run)."""
    return next((kind for kind, _chars in reversed(groups) if kind != "emoji"), None)


def _make_run(
    kind: RunKind,
    text: str,
    fonts: FontSet,
    style: TextStyle,
    size_px: int,
    language: str,
    paragraph: Direction,
) -> _Run:
    if kind == "emoji" and fonts.emoji is not None:
        font = load_emoji_font(fonts.emoji)
        return _Run(text, font, paragraph, language, "emoji", size_px / float(font.size))
    is_arabic = kind == "arabic"
    return _Run(
        text=text,
        font=load_font(fonts.pick(style.weight, is_arabic=is_arabic), size_px),
        direction=_run_direction(text, is_arabic=is_arabic, paragraph=paragraph),
        language="ar" if is_arabic else _latin_language(language),
        kind="arabic" if is_arabic else "latin",
    )


def _run_direction(text: str, *, is_arabic: bool, paragraph: Direction) -> Direction:
    """Arabic runs are right to left; Latin words left to right; a run of only digits, spaces
    and symbols (a price) follows the paragraph, so "199,000 ₫" reads "₫ 199,000" in Arabic."""
    if is_arabic:
        return "rtl"
    has_strong_ltr = any(unicodedata.bidirectional(c) == "L" for c in text)
    return "ltr" if has_strong_ltr else paragraph


def _settle_spaces(groups: list[tuple[RunKind, list[str]]], paragraph: Direction) -> None:
    """Give spaces at the edges of runs against the paragraph direction to their neighbours.

    A space between an Arabic and a Latin word takes the paragraph's direction (Unicode bidi
    rule N1/N2), so it must not travel with an embedded run to the wrong side of that run.
    Emoji runs follow the paragraph and take no spaces.
    """
    embedded: RunKind = "arabic" if paragraph == "ltr" else "latin"
    for index, (kind, chars) in enumerate(groups):
        if kind != embedded:
            continue
        while chars and chars[0] == " " and index > 0 and groups[index - 1][0] != "emoji":
            groups[index - 1][1].append(chars.pop(0))
        while (
            chars
            and chars[-1] == " "
            and index + 1 < len(groups)
            and groups[index + 1][0] != "emoji"
        ):
            groups[index + 1][1].insert(0, chars.pop())


def _latin_language(language: str) -> str:
    return "en" if language == "ar" else language


def _run_width(run: _Run) -> float:
    advance = run.font.getlength(run.text, direction=run.direction, language=run.language)
    return float(advance) * run.scale


def line_width_px(
    line: str, fonts: FontSet, style: TextStyle, size_px: int, language: str
) -> float:
    """Return the advance width of one line as it will be drawn."""
    return sum(_run_width(r) for r in _split_runs(line, fonts, style, size_px, language))


def wrap_lines(
    text: str,
    fonts: FontSet,
    style: TextStyle,
    size_px: int,
    language: str,
    max_width_px: float,
    *,
    words: WordList | None = None,
) -> list[str]:
    """Break text into balanced lines between words, never inside a multi-syllable word or name.

    Vietnamese is grouped into units by `overlays.words.segment` (the bundled word list unless
    `words` is given); other languages break at spaces. See `overlays.linebreak.break_lines`.
    """
    return [
        " ".join(line)
        for line in _wrap_units(text, fonts, style, size_px, language, max_width_px, words)
    ]


def _wrap_units(
    text: str,
    fonts: FontSet,
    style: TextStyle,
    size_px: int,
    language: str,
    max_width_px: float,
    words: WordList | None,
) -> list[list[str]]:
    chosen = words if words is not None else (vietnamese_words() if language == "vi" else _NO_WORDS)
    units = segment(text, chosen, language=language)

    def measure(line: str) -> float:
        return line_width_px(line, fonts, style, size_px, language)

    return break_lines(units, measure, max_width_px)


def fit_lines(
    text: str,
    style: TextStyle,
    *,
    fonts: FontSet,
    language: str,
    max_width_px: float,
    max_lines: int,
    min_size_px: int,
    words: WordList | None = None,
) -> tuple[list[str], int]:
    """Shrink the size until the wrapped text fits `max_lines`; at the smallest size, end with "…".

    Returns:
        The lines and the pixel size they fit at.
    """
    size = style.size_px
    while True:
        lines = _wrap_units(text, fonts, style, size, language, max_width_px, words)
        if len(lines) <= max_lines or size <= min_size_px:
            break
        size = max(min_size_px, int(size * 0.9))
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = _with_ellipsis(kept[-1], fonts, style, size, language, max_width_px)
        lines = kept
    return [" ".join(line) for line in lines], size


def _with_ellipsis(
    units: list[str],
    fonts: FontSet,
    style: TextStyle,
    size_px: int,
    language: str,
    max_width_px: float,
) -> list[str]:
    """Drop whole units from the end until the line and "…" fit."""
    kept = list(units)
    while (
        len(kept) > 1
        and line_width_px(" ".join(kept) + "…", fonts, style, size_px, language) > max_width_px
    ):
        kept.pop()
    return [*kept[:-1], kept[-1] + "…"]


def render_text(
    text: str,
    style: TextStyle,
    *,
    language: str = "vi",
    direction: Direction | None = None,
    max_width_px: int | None = None,
    max_lines: int = 2,
    min_size_px: int | None = None,
    align: Align = "center",
    fonts: FontSet | None = None,
    words: WordList | None = None,
) -> TextBlock:
    """Shape and draw text once, cropped to its ink plus a margin.

    Args:
        text: any mix of Vietnamese, English, Arabic and emoji (skipped without an emoji font).
        style: size, colour, weight and stroke.
        language: BCP 47 language of the text ("vi", "en", "ar"), passed to raqm.
        direction: paragraph direction; by default that of the first strong character.
        max_width_px: wrap (and shrink) to this width; None for one line of any width.
        max_lines: at most this many lines; the size shrinks to `min_size_px`, then "…" ends it.
        min_size_px: smallest size to shrink to (default: 60 % of `style.size_px`).
        align: line alignment; "start" is left for left-to-right text and right for Arabic.
        fonts: font files (default: the bundled Noto fonts).
        words: words and names a line must not break inside (default: for Vietnamese, the
            bundled list; see `overlays.words`).

    Returns:
        The rendered block; an empty text gives a 1x1 transparent layer.

    Raises:
        SystemDependencyMissing: when Pillow has no raqm layout.
        InputError: when a font file cannot be read.
    """
    require_raqm()
    chosen = fonts or FontSet.bundled()
    drawn, skipped = clean_text(text, chosen)
    paragraph: Direction = direction or base_direction(drawn)
    if not drawn:
        return TextBlock(Layer.blank(1, 1), (), style.size_px, paragraph, skipped)
    if max_width_px is None:
        lines, size = [drawn], style.size_px
        layer = Layer.from_image(
            _draw_lines(lines, style, size, chosen, language, paragraph, align)
        )
        return TextBlock(
            layer.cropped_to_ink(_INK_MARGIN_PX), tuple(lines), size, paragraph, skipped
        )
    # the layer adds a margin and the stroke around the advance width; ink may overhang it a bit
    budget = max_width_px - 2 * (_INK_MARGIN_PX + style.stroke_px) - 2
    floor = min_size_px or max(8, int(style.size_px * 0.6))
    for _attempt in range(8):
        lines, size = fit_lines(
            drawn,
            style,
            fonts=chosen,
            language=language,
            max_width_px=max(1, budget),
            max_lines=max_lines,
            min_size_px=floor,
            words=words,
        )
        image = _draw_lines(lines, style, size, chosen, language, paragraph, align)
        layer = Layer.from_image(image).cropped_to_ink(_INK_MARGIN_PX)
        if layer.width <= max_width_px:
            break
        budget -= layer.width - max_width_px
    return TextBlock(layer, tuple(lines), size, paragraph, skipped)


def _draw_lines(
    lines: list[str],
    style: TextStyle,
    size_px: int,
    fonts: FontSet,
    language: str,
    paragraph: Direction,
    align: Align,
) -> Image.Image:
    """Draw lines on a canvas padded by a full em on every side, so no ink can fall outside."""
    laid = [_split_runs(line, fonts, style, size_px, language) for line in lines]
    widths = [sum(_run_width(r) for r in runs) for runs in laid]
    ascent, _descent = load_font(fonts.pick(style.weight, is_arabic=False), size_px).getmetrics()
    line_h = size_px * style.line_spacing
    pad = size_px + style.stroke_px
    block_w = max(widths)
    canvas = Image.new(
        "RGBA",
        (int(block_w) + 2 * pad + 1, int(line_h * len(lines)) + 2 * pad + size_px),
        (0, 0, 0, 0),
    )
    draw = ImageDraw.Draw(canvas)
    for index, (runs, width) in enumerate(zip(laid, widths, strict=True)):
        x = pad + _line_offset(block_w, width, align, paragraph)
        baseline = pad + ascent + index * line_h
        for run in _visual_order(runs, paragraph):
            if run.kind == "emoji":
                _paste_emoji(canvas, run, (x, baseline))
                x += _run_width(run)
                continue
            draw.text(
                (x, baseline),
                run.text,
                font=run.font,
                fill=style.color,
                anchor="ls",
                direction=run.direction,
                language=run.language,
                stroke_width=style.stroke_px,
                stroke_fill=style.stroke_color,
            )
            x += _run_width(run)
    return canvas


def _paste_emoji(canvas: Image.Image, run: _Run, origin: tuple[float, float]) -> None:
    """Draw an emoji run in colour at the font's bitmap size, scale it, put it on the baseline."""
    strip = _emoji_strip(run.text, run.font, run.direction)
    ascent = run.font.getmetrics()[0]
    width = max(1, round(strip.width * run.scale))
    height = max(1, round(strip.height * run.scale))
    scaled = strip.resize((width, height), Image.Resampling.LANCZOS)
    x, baseline = origin
    canvas.alpha_composite(scaled, (round(x), round(baseline - ascent * run.scale)))


@lru_cache(maxsize=128)
def _emoji_strip(text: str, font: ImageFont.FreeTypeFont, direction: Direction) -> Image.Image:
    """The emoji of `text` drawn in colour at the font's own size; the top row is the ascent."""
    ascent, descent = font.getmetrics()
    width = int(font.getlength(text, direction=direction)) + 1
    strip = Image.new("RGBA", (width, ascent + descent), (0, 0, 0, 0))
    ImageDraw.Draw(strip).text(
        (0, ascent), text, font=font, anchor="ls", embedded_color=True, direction=direction
    )
    return strip


def _line_offset(block_w: float, width: float, align: Align, paragraph: Direction) -> float:
    if align == "center":
        return (block_w - width) / 2
    is_left = (align == "start") == (paragraph == "ltr")
    return 0.0 if is_left else block_w - width
