"""The clip's sequence: product scenes fitted to the chosen length, the closing card, the brand.

Pure but for reading nothing: takes the resolved scenes and the spec and returns new values.
`apply_brand` folds the brand kit into the theme and the logo; `fit_to_length` cycles the
products through scenes of 5-8 s that, with the closing card, last exactly `length_s` (scene
changes on the music's beats when its tempo is known); `with_closing` appends the closing card.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from overlays.layers import parse_color
from studio.clips.resolve import SceneContent
from studio.clips.spec import ClipSpec, Logo, Motion
from studio.clips.timeline import fit_scenes
from studio.paths import assets_dir

CLOSING_DEFAULTS: dict[str, tuple[str, str]] = {
    # locale: (with SKUs, without)
    "vi": ("Bình luận {sku} để chốt đơn", "Nhắn tin để đặt hàng"),
    "en": ("Comment {sku} to order", "Message us to order"),
    "ar": ("اكتب {sku} في التعليقات للطلب", "راسلنا للطلب"),
}
LIVE_LABELS = {"vi": "Live", "en": "Live", "ar": "بث مباشر"}


def livestall_mark() -> Path:
    """The Livestall sample logo, drawn on clips only when a seller keeps it."""
    return assets_dir() / "logo.png"


def contrast_text(color: str) -> str:
    """Black or white, whichever reads better on `color` (WCAG relative luminance)."""
    red, green, blue, _ = parse_color(color)

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#111111" if luminance > 0.4 else "#FFFFFF"


def apply_brand(spec: ClipSpec) -> ClipSpec:
    """Return the spec with its brand kit folded in: colours, font and logo.

    The primary colour paints the price tag and the call to action, the secondary the discount
    badge (each with black or white text, whichever reads); the brand's font replaces the Latin
    font; the brand's logo is the clip's logo. The Livestall mark is dropped unless kept.
    """
    brand = spec.brand
    logo = spec.logo
    if (
        logo is not None
        and Path(logo.file) == livestall_mark()
        and not (brand and brand.keep_livestall_mark)
    ):
        logo = None
    if brand is None:
        return spec.model_copy(update={"logo": logo})
    theme = spec.theme
    update: dict[str, object] = {}
    if brand.primary:
        update |= {
            "accent": brand.primary,
            "accent_text": contrast_text(brand.primary),
            "panel_color": brand.primary,
            "panel_text": contrast_text(brand.primary),
        }
    if brand.secondary:
        update |= {"badge_color": brand.secondary, "badge_text": contrast_text(brand.secondary)}
    if brand.font:
        update["font"] = brand.font
    height = logo.height if logo is not None else 0.06
    if brand.logo:
        logo = Logo(file=brand.logo, height=height)
    elif brand.keep_livestall_mark:
        logo = Logo(file=str(livestall_mark()), height=height)
    return spec.model_copy(update={"theme": theme.model_copy(update=update), "logo": logo})


def fit_to_length(
    spec: ClipSpec, scenes: tuple[SceneContent, ...], *, beat_s: float | None
) -> tuple[tuple[SceneContent, ...], float]:
    """Cycle the product scenes to fill `spec.length_s`; return them and the closing's length.

    Without `length_s` the scenes keep their own durations and the closing its own.
    """
    closing_s = spec.closing.duration_s if spec.closing is not None else 0.0
    if spec.length_s is None:
        return scenes, closing_s
    fit = fit_scenes(len(scenes), spec.length_s, closing_s=closing_s, beat_s=beat_s)
    fitted = tuple(
        replace(scenes[i % len(scenes)], index=i, duration_s=duration)
        for i, duration in enumerate(fit.durations_s)
    )
    return fitted, fit.closing_s


def with_closing(
    spec: ClipSpec, scenes: tuple[SceneContent, ...], *, closing_s: float
) -> tuple[SceneContent, ...]:
    """Append the closing card: the call to action with the clip's SKUs, the live time and the
    shop's page, over the last product. No closing in the spec (or no time left): unchanged."""
    if spec.closing is None or closing_s <= 0 or not scenes:
        return scenes
    skus = list(dict.fromkeys(s.sku for s in scenes if s.sku))
    with_sku, without = CLOSING_DEFAULTS[spec.locale]
    template = spec.closing.text or (with_sku if skus else without)
    cta = template.replace("{sku}", ", ".join(skus)).strip()
    brand = spec.brand
    details = []
    if spec.closing.live_time:
        details.append(f"{LIVE_LABELS[spec.locale]} {spec.closing.live_time}")
    if brand and brand.page_handle:
        details.append(brand.page_handle)
    last = scenes[-1]
    closing = replace(
        last,
        index=len(scenes),
        title=(brand.shop_name if brand and brand.shop_name else last.title),
        subtitle=" · ".join(details) or None,
        price=None,
        sale_price=None,
        has_badge=False,
        countdown=None,
        cta=cta,
        texts=(),
        duration_s=closing_s,
        motion=Motion(kind="zoom_out", amount=0.06),
        kind="closing",
    )
    return (*scenes, closing)
