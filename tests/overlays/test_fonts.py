"""Bundled fonts: coverage of every character we draw, raqm check, font files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import features

from overlays.fonts import FontSet, font_coverage, is_arabic_char, require_raqm, uncovered
from overlays.text import TextStyle, render_text
from studio.errors import InputError, SystemDependencyMissing
from studio.money import format_price


@pytest.mark.parametrize(
    "text",
    [
        "ĂÂĐÊÔƠƯăâđêôơư ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ ÈÉẺẼẸ ỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ ÙÚỦŨỤ ỪỨỬỮỰ ỲÝỶỸỴ",
        "àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự ỳýỷỹỵ",
        "Bình luận A12 để chốt đơn — Flash sale kết thúc sau 02:59",
        "اكتب A12 في التعليقات للطلب ينتهي العرض خلال",
        format_price(199000, "VND", "vi")
        + format_price(199000, "VND", "en")
        + format_price(199000, "VND", "ar"),
        format_price(19.99, "USD", "en") + format_price(19.99, "EUR", "vi") + "-30%",
    ],
)
def test_bundled_fonts_cover_every_code_point(text: str) -> None:
    assert uncovered(text, FontSet.bundled()) == ""
    assert render_text(text, TextStyle(size_px=24), language="vi").skipped == ""


def test_missing_raqm_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "check", lambda name: False)
    with pytest.raises(SystemDependencyMissing, match="raqm") as caught:
        require_raqm()
    assert "libfribidi0" in caught.value.hint and "libraqm0" in caught.value.hint
    assert caught.value.exit_code == 3


def test_unreadable_font_file_is_an_input_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all")
    with pytest.raises(InputError, match="junk.ttf: cannot read this font"):
        font_coverage(junk)


def test_a_custom_latin_font_keeps_the_arabic_one() -> None:
    fonts = FontSet.bundled().with_latin(FontSet.bundled().bold)
    assert fonts.pick("regular", is_arabic=False) == fonts.bold
    assert fonts.pick("bold", is_arabic=True).name == "NotoSansArabic-Bold.ttf"


@pytest.mark.parametrize(
    ("char", "expected"), [("ب", True), ("ﻻ", True), ("A", False), ("ệ", False), ("1", False)]
)
def test_is_arabic_char(char: str, expected: bool) -> None:
    assert is_arabic_char(char) is expected
