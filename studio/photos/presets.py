"""Marketplace presets: one table of rules, each row citing where the rule comes from.

A preset says what the finished file must look like: canvas aspect and size, background, how much
of the frame the product fills, file format, starting quality and the largest file accepted.
Adding a marketplace is adding a row. Sources are listed per row and in ``docs/photos.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from studio.errors import InputError, UnknownPreset

ImageFormat = Literal["jpg", "png", "webp"]
ShadowKind = Literal["contact", "drop", "none"]
RGB = tuple[int, int, int]

WHITE: RGB = (255, 255, 255)
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Preset:
    """The rules one marketplace (or use) sets for a product photo.

    ``aspect`` is width:height of the canvas, or ``None`` for a tight crop around the product.
    ``size_px`` is the canvas's longer side. ``background`` ``None`` means transparent (PNG/WebP).
    ``fill`` is the share of the canvas's width or height (whichever binds) the product box takes.
    """

    name: str
    label: str
    aspect: tuple[int, int] | None
    size_px: int
    background: RGB | None
    fill: float
    format: ImageFormat
    quality: int
    max_bytes: int | None
    shadow: ShadowKind
    rule: str
    source: str

    def canvas_px(self, product_w: int, product_h: int) -> tuple[int, int]:
        """Return the canvas (width, height) for this preset.

        A tight preset (``aspect`` None) follows the product's own box, never enlarged, its
        longer side ``size_px`` at most.
        """
        if self.aspect is not None:
            aw, ah = self.aspect
            if aw >= ah:
                return self.size_px, max(1, round(self.size_px * ah / aw))
            return max(1, round(self.size_px * aw / ah)), self.size_px
        longer = max(product_w, product_h, 1)
        scale = min(1.0, self.size_px / longer)
        return max(1, round(product_w * scale)), max(1, round(product_h * scale))


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            name="amazon",
            label="Amazon main image",
            aspect=(1, 1),
            size_px=2000,
            background=WHITE,
            fill=0.85,
            format="jpg",
            quality=90,
            max_bytes=10 * MB,
            shadow="none",
            rule="pure white 255,255,255; product fills >= 85% of the frame; >= 1000 px "
            "longest side for zoom (1600+ recommended); JPEG preferred; sRGB",
            source="Amazon Seller Central, Product image requirements (help node G1881)",
        ),
        Preset(
            name="tiktok",
            label="TikTok Shop",
            aspect=(1, 1),
            size_px=1200,
            background=WHITE,
            fill=0.85,
            format="jpg",
            quality=90,
            max_bytes=5 * MB,
            shadow="contact",
            rule="square; >= 800x800 px (600 hard floor); JPG or PNG; <= 5 MB; "
            "white background on the main image",
            source="TikTok Shop Seller Center, product image guidelines (Academy: listing quality)",
        ),
        Preset(
            name="shopee",
            label="Shopee",
            aspect=(1, 1),
            size_px=1024,
            background=WHITE,
            fill=0.85,
            format="jpg",
            quality=90,
            max_bytes=2 * MB,
            shadow="contact",
            rule="square 1:1; 1024x1024 px recommended; JPG/PNG <= 2 MB; clean background",
            source="Shopee Seller Education Hub, product image guidelines",
        ),
        Preset(
            name="lazada",
            label="Lazada",
            aspect=(1, 1),
            size_px=1000,
            background=WHITE,
            fill=0.85,
            format="jpg",
            quality=90,
            max_bytes=3 * MB,
            shadow="contact",
            rule="500-2000 px (850+ recommended); 1:1; white background; product covers >= 80% "
            "of the canvas on its longest axis",
            source="Lazada Seller Center, Image & Content Guideline (Lazada University)",
        ),
        Preset(
            name="facebook",
            label="Facebook / Instagram Shops",
            aspect=(1, 1),
            size_px=1024,
            background=WHITE,
            fill=0.85,
            format="jpg",
            quality=90,
            max_bytes=8 * MB,
            shadow="contact",
            rule="square; 1024x1024 or more; white backdrop; whole product, up close; <= 8 MB",
            source="Meta Commerce Manager, Product listing guidelines for shops",
        ),
        Preset(
            name="transparent",
            label="Transparent cutout",
            aspect=None,
            size_px=1600,
            background=None,
            fill=0.96,
            format="png",
            quality=100,
            max_bytes=None,
            shadow="none",
            rule="tight crop around the product, RGBA PNG, for catalogs and clips",
            source="Livestall (for `livestall clip` and web shops)",
        ),
        Preset(
            name="story",
            label="Story / clip canvas 9:16",
            aspect=(9, 16),
            size_px=1920,
            background=WHITE,
            fill=0.7,
            format="jpg",
            quality=90,
            max_bytes=5 * MB,
            shadow="contact",
            rule="1080x1920 (9:16) for vertical clips; product kept inside the platforms' safe "
            "zone (70% of the width)",
            source="TikTok / Instagram / YouTube Shorts 9:16 video canvas",
        ),
    )
}

DEFAULT_PRESETS: tuple[str, ...] = ("shopee", "transparent")


def get_preset(name: str) -> Preset:
    """Return the preset called ``name``.

    Raises:
        UnknownPreset: no such preset (the hint lists them).
    """
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownPreset(
            f"no photo preset {name!r}", hint=f"choose one of {', '.join(PRESETS)}"
        ) from None


def customise(
    preset: Preset,
    *,
    background: RGB | None | Literal["keep"] = "keep",
    shadow: ShadowKind | None = None,
    fill: float | None = None,
    size_px: int | None = None,
    image_format: ImageFormat | None = None,
) -> Preset:
    """Return ``preset`` with the seller's overrides applied (``None`` keeps the preset's own).

    A transparent background forces PNG unless WebP was asked for (JPEG has no alpha).
    """
    changed = preset
    if background != "keep":
        changed = replace(changed, background=background)
    if shadow is not None:
        changed = replace(changed, shadow=shadow)
    if fill is not None:
        if not 0.1 <= fill <= 1.0:
            raise ValueError(f"fill must be within 0.1..1.0, got {fill}")
        changed = replace(changed, fill=fill)
    if size_px is not None:
        changed = replace(changed, size_px=size_px)
    if image_format is not None:
        changed = replace(changed, format=image_format)
    if changed.background is None and changed.format == "jpg":
        changed = replace(changed, format="png")
    return changed


NAMED_COLOURS: dict[str, RGB] = {"white": WHITE, "black": (0, 0, 0), "grey": (240, 240, 240)}


def parse_background(text: str) -> RGB | None:
    """Parse ``--bg``: ``transparent``, a name (white, black, grey), ``#rrggbb`` or ``r,g,b``.

    Returns:
        The colour, or ``None`` for transparent.

    Raises:
        InputError: the text is none of those.
    """
    value = text.strip().lower()
    if value == "transparent":
        return None
    if value in NAMED_COLOURS:
        return NAMED_COLOURS[value]
    hex_digits = value.removeprefix("#")
    if len(hex_digits) == 6 and all(c in "0123456789abcdef" for c in hex_digits):
        return (int(hex_digits[0:2], 16), int(hex_digits[2:4], 16), int(hex_digits[4:6], 16))
    parts = value.split(",")
    if len(parts) == 3 and all(p.strip().isdigit() and int(p) <= 255 for p in parts):
        return (int(parts[0]), int(parts[1]), int(parts[2]))
    raise InputError(
        f"cannot read the background colour {text!r}",
        hint="use transparent, white, #RRGGBB or R,G,B (0-255)",
    )
