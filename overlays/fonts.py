"""Fonts: the bundled Noto faces, the system's colour emoji font, coverage (cmap), loading.

Noto Sans draws Latin and Vietnamese, Noto Sans Arabic draws Arabic. Emoji come from the
system's colour emoji font when there is one (Debian: ``fonts-noto-color-emoji``, installed by
``scripts/system-deps.sh``; macOS: Apple Color Emoji; ``$LIVESTALL_EMOJI_FONT`` names another).
Such fonts hold bitmaps at fixed sizes, so they are loaded at one of those (`load_emoji_font`)
and scaled when drawn. `uncovered` tells which characters no font has, so text can skip them
instead of drawing tofu boxes.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from studio.errors import InputError, SystemDependencyMissing
from studio.paths import fonts_dir

Weight = Literal["regular", "bold"]

EMOJI_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),  # Debian, Ubuntu
    Path("/usr/share/fonts/noto/NotoColorEmoji.ttf"),  # Arch
    Path("/usr/share/fonts/google-noto-color-emoji-fonts/NotoColorEmoji.ttf"),  # Fedora
    Path("/System/Library/Fonts/Apple Color Emoji.ttc"),  # macOS
)
_EMOJI_STRIKES_PX = (109, 160, 96, 64, 136, 128)  # Noto Color Emoji: 109; Apple: 160, 96, 64

_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


def require_raqm() -> None:
    """Check that Pillow can shape text with raqm (needs FriBiDi at run time).

    Raises:
        SystemDependencyMissing: when raqm or FriBiDi cannot be loaded.
    """
    if not features.check("raqm"):
        raise SystemDependencyMissing(
            "Pillow cannot shape text: the raqm layout (libraqm + FriBiDi) is not available",
            hint="install libfribidi0 and libraqm0 (Debian/Ubuntu: sudo apt-get install "
            "libfribidi0 libraqm0; macOS: brew install fribidi libraqm), or run scripts/system-deps.sh",
        )


@dataclass(frozen=True, slots=True)
class FontSet:
    """The font files text is drawn with: one Latin and one Arabic face per weight, and the
    colour emoji font (None: emoji are skipped)."""

    regular: Path
    bold: Path
    arabic_regular: Path
    arabic_bold: Path
    emoji: Path | None = None

    @classmethod
    def bundled(cls) -> FontSet:
        """Return the bundled Noto fonts from `studio.paths.fonts_dir()`, and the emoji font."""
        base = fonts_dir()
        return cls(
            regular=base / "NotoSans-Regular.ttf",
            bold=base / "NotoSans-Bold.ttf",
            arabic_regular=base / "NotoSansArabic-Regular.ttf",
            arabic_bold=base / "NotoSansArabic-Bold.ttf",
            emoji=find_emoji_font(),
        )

    def without_emoji(self) -> FontSet:
        """Return a copy that skips emoji (as on a system without an emoji font)."""
        return replace(self, emoji=None)

    def with_latin(self, path: Path) -> FontSet:
        """Return a copy drawing Latin text (both weights) with the font file at `path`."""
        return replace(self, regular=path, bold=path)

    def pick(self, weight: Weight, *, is_arabic: bool) -> Path:
        """Return the file for a weight and script."""
        if is_arabic:
            return self.arabic_bold if weight == "bold" else self.arabic_regular
        return self.bold if weight == "bold" else self.regular


@lru_cache(maxsize=16)
def font_coverage(path: Path) -> frozenset[int]:
    """Return the code points a font file maps to glyphs (its cmap).

    Raises:
        InputError: when the file is missing or not a font.
    """
    try:
        number = 0 if path.suffix.lower() == ".ttc" else -1  # a collection: its first font
        with path.open("rb") as handle, TTFont(handle, lazy=True, fontNumber=number) as font:
            cmap = font.getBestCmap()
    except Exception as exc:  # fontTools raises assorted errors (struct, KeyError...) on junk
        raise InputError(
            f"{path}: cannot read this font ({exc})", hint="use a .ttf or .otf file"
        ) from None
    if not cmap:
        raise InputError(f"{path}: the font has no character map", hint="use a .ttf or .otf file")
    return frozenset(cmap)


@lru_cache(maxsize=64)
def load_font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """Open a font file at a pixel size with the raqm layout engine.

    Raises:
        SystemDependencyMissing: when raqm is not available.
        InputError: when the file cannot be read as a font.
    """
    require_raqm()
    try:
        return ImageFont.truetype(str(path), size_px, layout_engine=ImageFont.Layout.RAQM)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read this font ({exc})", hint="use a .ttf or .otf file"
        ) from None


def find_emoji_font() -> Path | None:
    """Return the colour emoji font to draw emoji with: ``$LIVESTALL_EMOJI_FONT`` (empty: none),
    else the first system font of `EMOJI_FONT_CANDIDATES` present; None when there is none."""
    explicit = os.environ.get("LIVESTALL_EMOJI_FONT")
    if explicit is not None:
        return Path(explicit) if explicit else None
    return next((path for path in EMOJI_FONT_CANDIDATES if path.is_file()), None)


@lru_cache(maxsize=4)
def load_emoji_font(path: Path) -> ImageFont.FreeTypeFont:
    """Open a colour emoji font at the first bitmap size it has (see `_EMOJI_STRIKES_PX`).

    Raises:
        InputError: when the file cannot be read as a font at any of those sizes.
    """
    for size_px in _EMOJI_STRIKES_PX:
        with contextlib.suppress(InputError):  # no bitmaps at this size
            return load_font(path, size_px)
    raise InputError(
        f"{path}: cannot read this emoji font",
        hint="set LIVESTALL_EMOJI_FONT to a colour emoji font",
    )


def is_arabic_char(char: str) -> bool:
    """Return True for a code point in one of the Arabic blocks."""
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


def uncovered(text: str, fonts: FontSet) -> str:
    """Return the characters of `text` (in order, once each) that no font of `fonts` covers."""
    covered = font_coverage(fonts.regular) | font_coverage(fonts.arabic_regular)
    if fonts.emoji is not None:
        covered |= font_coverage(fonts.emoji)
    seen = dict.fromkeys(c for c in text if ord(c) not in covered and not _is_invisible(c))
    return "".join(seen)


def _is_invisible(char: str) -> bool:
    if 0xFE00 <= ord(char) <= 0xFE0F:  # variation selectors pick a glyph; they have none
        return True
    return unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200f\u200e"
