"""Shaped text: no clipped ink, every code point covered, Arabic right to left, wrap and shrink."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from overlays.fonts import FontSet
from overlays.text import TextStyle, base_direction, render_text, wrap_lines
from studio.money import format_price
from studio.paths import fonts_dir

MARGIN_PX = 4


def reference_ink(
    text: str, font_file: str, size_px: int, *, direction: str, language: str
) -> np.ndarray:
    """Draw with Pillow + raqm directly on a canvas far larger than the text, crop to the ink."""
    font = ImageFont.truetype(
        str(fonts_dir() / font_file), size_px, layout_engine=ImageFont.Layout.RAQM
    )
    canvas = Image.new("L", (size_px * (len(text) + 4), size_px * 5), 0)
    ImageDraw.Draw(canvas).text(
        (size_px * 2, size_px * 2.5),
        text,
        font=font,
        fill=255,
        anchor="ls",
        direction=direction,
        language=language,
    )
    alpha = np.asarray(canvas)
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    return alpha[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


@pytest.mark.parametrize("text", ["GIẢM GIÁ SỐC", "Ỹ Ỷ Ấ Ẫ", "yog 325.000₫"])
def test_no_glyph_ink_is_clipped(text: str) -> None:
    block = render_text(text, TextStyle(size_px=80, weight="bold"), language="vi")
    alpha = block.layer.rgba[:, :, 3]
    # a transparent margin all round: ink never touches the layer's edge
    assert not alpha[:MARGIN_PX].any() and not alpha[-MARGIN_PX:].any()
    assert not alpha[:, :MARGIN_PX].any() and not alpha[:, -MARGIN_PX:].any()
    # and all the ink is there: same shape and amount as a drawing with unlimited room
    reference = reference_ink(text, "NotoSans-Bold.ttf", 80, direction="ltr", language="vi")
    inner = alpha[MARGIN_PX:-MARGIN_PX, MARGIN_PX:-MARGIN_PX]
    assert inner.shape == reference.shape
    assert (
        abs(int(inner.astype(np.int64).sum()) - int(reference.astype(np.int64).sum()))
        <= reference.sum() * 0.01
    )


def test_stacked_diacritics_rise_above_the_capital() -> None:
    plain = render_text("A", TextStyle(size_px=80), language="vi").layer
    stacked = render_text("Ẫ", TextStyle(size_px=80), language="vi").layer
    assert stacked.height > plain.height * 1.25


def test_without_an_emoji_font_emoji_are_skipped_not_drawn_as_tofu() -> None:
    fonts = FontSet.bundled().without_emoji()
    with_emoji = render_text(
        "Sale 🔥 hôm nay 😀", TextStyle(size_px=40), language="vi", fonts=fonts
    )
    without = render_text("Sale hôm nay", TextStyle(size_px=40), language="vi", fonts=fonts)
    assert with_emoji.skipped == "🔥😀"
    assert with_emoji.lines == ("Sale hôm nay",)
    assert np.array_equal(with_emoji.layer.rgba, without.layer.rgba)


def _emoji_fonts() -> FontSet:
    fonts = FontSet.bundled()
    if fonts.emoji is None:
        pytest.skip("no colour emoji font (apt-get install fonts-noto-color-emoji)")
    return fonts


def _colour_columns(rgba: np.ndarray) -> np.ndarray:
    """Columns holding saturated, opaque pixels (the white text has none)."""
    rgb = rgba[..., :3].astype(np.int16)
    saturated = (rgb.max(axis=2) - rgb.min(axis=2) > 80) & (rgba[..., 3] > 200)
    return np.flatnonzero(saturated.any(axis=0))


def test_emoji_are_drawn_in_colour_at_the_texts_size() -> None:
    fonts = _emoji_fonts()
    style = TextStyle(size_px=60)
    block = render_text("Sale 🔥", style, language="vi", fonts=fonts)
    plain = render_text("Sale", style, language="vi", fonts=fonts)
    assert block.skipped == "" and block.lines == ("Sale 🔥",)
    columns = _colour_columns(block.layer.rgba)
    assert columns.size > 0 and columns.min() > plain.layer.width - MARGIN_PX  # right of "Sale"
    assert 40 <= columns.size <= 90  # about one em wide, not the 109 px strike
    assert _colour_columns(plain.layer.rgba).size == 0


def test_emoji_sequences_are_one_glyph() -> None:
    fonts = _emoji_fonts()
    style = TextStyle(size_px=60)
    one_advance = (
        60 * 1.25 + 2 * MARGIN_PX
    )  # an emoji is 1.245 em wide; a broken sequence is two or more
    for sequence in ("👨\u200d👩\u200d👧", "👍🏽", "🇻🇳", "❤️", "5️⃣"):
        block = render_text(sequence, style, language="vi", fonts=fonts)
        assert block.skipped == ""
        assert 40 < block.layer.width <= one_advance, sequence


def test_emoji_keep_their_place_in_arabic() -> None:
    fonts = _emoji_fonts()
    block = render_text("سعر 🔥", TextStyle(size_px=60), language="ar", fonts=fonts)
    columns = _colour_columns(block.layer.rgba)
    ink = np.flatnonzero((block.layer.rgba[..., 3] > 200).any(axis=0))
    assert block.direction == "rtl"
    assert columns.max() < ink.max() - 60  # the word is on the right, the emoji after it (left)


def _x_of(word: str, block_rgba: np.ndarray, fonts: FontSet, language: str) -> int:
    """Where `word`, drawn alone, best matches inside a rendered block (left x of the match)."""
    alone = render_text(word, TextStyle(size_px=60), language=language, fonts=fonts)
    template = alone.layer.rgba[..., 3].astype(np.float32)
    scores = cv2.matchTemplate(
        block_rgba[..., 3].astype(np.float32), template, cv2.TM_CCOEFF_NORMED
    )
    _low, best, _low_at, (x, _y) = cv2.minMaxLoc(scores)
    assert best > 0.8, (word, best)
    return int(x)


@pytest.mark.parametrize(
    ("text", "language", "left_to_right"),
    [
        ("مرحبا hello 😀 world", "ar", ("hello", "😀", "world", "مرحبا")),
        ("Sale العربية 😀 نص", "vi", ("Sale", "نص", "😀", "العربية")),
        ("Giảm 🔥 giá", "vi", ("Giảm", "🔥", "giá")),
        ("سعر 🔥 ٥٠", "ar", ("٥٠", "🔥", "سعر")),
    ],
)
def test_emoji_never_reorder_the_words_around_them(
    text: str, language: str, left_to_right: tuple[str, ...]
) -> None:
    fonts = _emoji_fonts()
    block = render_text(text, TextStyle(size_px=60), language=language, fonts=fonts)
    colour = _colour_columns(block.layer.rgba)
    places = [
        int(colour.min())
        if part in ("😀", "🔥")
        else _x_of(part, block.layer.rgba, fonts, language)
        for part in left_to_right
    ]
    assert places == sorted(places), dict(zip(left_to_right, places, strict=True))


def test_emoji_at_the_fonts_own_size_are_still_colour() -> None:
    fonts = _emoji_fonts()
    block = render_text("🔥", TextStyle(size_px=109, stroke_px=2), language="vi", fonts=fonts)
    assert _colour_columns(block.layer.rgba).size > 60


def test_a_long_word_never_breaks_inside_an_emoji_sequence() -> None:
    fonts = _emoji_fonts()
    style = TextStyle(size_px=60)
    family = "👨\u200d👩\u200d👧"
    assert wrap_lines("🇻🇳🇻🇳🇻🇳", fonts, style, 60, "vi", 100) == ["🇻🇳"] * 3
    assert wrap_lines(family * 2, fonts, style, 60, "vi", 100) == [family] * 2
    assert wrap_lines("👍🏽👍🏽", fonts, style, 60, "vi", 100) == ["👍🏽"] * 2


def test_arabic_is_shaped_right_to_left_like_raqm() -> None:
    text = "سعر 199"
    block = render_text(text, TextStyle(size_px=60, weight="bold"), language="ar")
    assert block.direction == "rtl"
    ours = block.layer.rgba[MARGIN_PX:-MARGIN_PX, MARGIN_PX:-MARGIN_PX, 3].astype(np.int16)
    rtl = reference_ink(text, "NotoSansArabic-Bold.ttf", 60, direction="rtl", language="ar").astype(
        np.int16
    )
    assert ours.shape == rtl.shape
    assert np.abs(ours - rtl).mean() < 2.0
    # the number sits left of the word: the ink before the widest gap is exactly "199"
    empty = ~ours.astype(bool).any(axis=0)
    gaps = np.flatnonzero(np.diff(np.concatenate(([0], empty.astype(np.int8), [0]))))
    starts, ends = gaps[::2], gaps[1::2]
    widest = int(np.argmax(ends - starts))
    digits = reference_ink("199", "NotoSansArabic-Bold.ttf", 60, direction="ltr", language="ar")
    assert abs(int(starts[widest]) - digits.shape[1]) <= 2


def _pieces(alpha: np.ndarray) -> int:
    count, _labels = cv2.connectedComponents((alpha > 128).astype(np.uint8))
    return int(count) - 1


def test_arabic_letters_are_joined_not_isolated() -> None:
    """Unshaped drawing (what moviepy's TextClip gives) shows the five letters apart."""
    text = "مرحبا"
    ours = render_text(text, TextStyle(size_px=60, weight="bold"), language="ar").layer.rgba[
        :, :, 3
    ]
    font = ImageFont.truetype(
        str(fonts_dir() / "NotoSansArabic-Bold.ttf"), 60, layout_engine=ImageFont.Layout.BASIC
    )
    mask = font.getmask(text)
    naive = np.asarray(mask, dtype=np.uint8).reshape(mask.size[1], mask.size[0])
    assert _pieces(ours) <= 3  # "مر" + "حبا" + the dot of ب
    assert _pieces(naive) >= 6


def test_mixed_arabic_and_latin_runs_use_both_fonts() -> None:
    price = format_price(
        199000, "VND", "ar"
    )  # digits in the Arabic font, the ₫ sign from Noto Sans
    block = render_text(f"السعر {price}", TextStyle(size_px=40), language="ar")
    assert block.skipped == ""
    assert block.direction == "rtl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("hello", "ltr"), ("مرحبا", "rtl"), ("123 مرحبا", "rtl"), ("", "ltr"), ("A12 مرحبا", "ltr")],
)
def test_paragraph_direction_follows_first_strong_character(text: str, expected: str) -> None:
    assert base_direction(text) == expected


def test_long_name_wraps_and_shrinks_to_fit() -> None:
    name = (
        "Cốc sứ cà phê Quảng Ninh men lam vẽ tay cao cấp dung tích ba trăm năm mươi mililit kèm đĩa lót "
        * 2
    )[:100]
    block = render_text(name, TextStyle(size_px=80), language="vi", max_width_px=600, max_lines=2)
    assert len(block.lines) <= 2
    assert block.size_px < 80
    assert block.layer.width <= 600 + 2 * MARGIN_PX + 2
    assert block.lines[-1].endswith("…")
    # every line is made of whole words of the name (never cut mid-glyph)
    words = name.split()
    for line in block.lines:
        for word in line.removesuffix("…").split():
            assert word in words


def test_a_word_wider_than_the_line_breaks_between_characters() -> None:
    block = render_text(
        "Siêuuuuuuuuuuuuuuuuuuuuudài",
        TextStyle(size_px=40),
        language="vi",
        max_width_px=200,
        max_lines=4,
    )
    assert len(block.lines) >= 2
    assert "".join(line.removesuffix("…") for line in block.lines).startswith("Siêu")


def _gaps(alpha: np.ndarray) -> list[int]:
    empty = ~alpha.astype(bool).any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], empty.astype(np.int8), [0]))))
    return sorted((int(e - s) for s, e in zip(edges[::2], edges[1::2], strict=True)), reverse=True)


@pytest.mark.parametrize(("text", "language"), [("اكتب A12 في", "ar"), ("Comment مرحبا now", "en")])
def test_spaces_around_an_embedded_run_stay_on_both_sides(text: str, language: str) -> None:
    alpha = render_text(text, TextStyle(size_px=60), language=language).layer.rgba[:, :, 3]
    inner = alpha[:, MARGIN_PX:-MARGIN_PX]
    widest, second = _gaps(inner)[:2]
    assert second > 8  # one space each side, not two on one side and none on the other
    assert widest <= second * 1.6


def test_a_price_in_an_arabic_line_puts_the_symbol_on_the_left() -> None:
    price = format_price(199000, "VND", "ar")  # "\u200f199,000\u00a0₫"
    ours = render_text(price, TextStyle(size_px=60, weight="bold"), language="ar")
    assert ours.direction == "rtl"
    alpha = ours.layer.rgba[MARGIN_PX:-MARGIN_PX, MARGIN_PX:-MARGIN_PX, 3].astype(np.int16)
    rtl = reference_ink(price, "NotoSans-Bold.ttf", 60, direction="rtl", language="ar").astype(
        np.int16
    )
    ltr = reference_ink(price, "NotoSans-Bold.ttf", 60, direction="ltr", language="ar").astype(
        np.int16
    )
    assert alpha.shape == rtl.shape and np.abs(alpha - rtl).mean() < 2.0
    assert np.abs(alpha - ltr).mean() > 10.0  # and not "199,000 ₫" as in a left-to-right line
