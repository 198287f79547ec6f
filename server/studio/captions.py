"""Post captions built from the catalog, within each platform's length limit. Pure: no I/O.

A caption is built from parts in order: sale badge, name, price line, options, description,
the "comment A12 to order" line (or the SKU line on a marketplace listing) and hashtags. When it
is too long, hashtags go first (from the last), then the description is shortened, then the
name; the price and order lines are never cut. Length is counted in UTF-16 code units, what
Facebook's and TikTok's counters count (an emoji is two), so we never go over by their count.

The limits are data, one row per platform, with their sources here and in ``docs/studio.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from studio.catalog import Product
from studio.money import discount_percent, format_price

Locale = Literal["vi", "en", "ar"]
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class PlatformRules:
    """Caption rules of one platform, with where they come from."""

    name: str
    label: str
    max_chars: int
    max_hashtags: int
    title_max_chars: int | None  # a listing's product name field (Shopee), else None
    has_order_line: bool  # live-sale posts ask for a comment; listings show the SKU
    photo_preset: str  # `studio.photos.presets` row used for this platform's photos
    source: str


PLATFORMS: dict[str, PlatformRules] = {
    rules.name: rules
    for rules in (
        PlatformRules(
            name="facebook",
            label="Facebook page",
            max_chars=63_206,
            max_hashtags=30,
            title_max_chars=None,
            has_order_line=True,
            photo_preset="facebook",
            source="Facebook page post text limit 63,206 characters (Meta composer limit, "
            "Facebook Help Center)",
        ),
        PlatformRules(
            name="zalo",
            label="Zalo",
            max_chars=2_000,
            max_hashtags=10,
            title_max_chars=None,
            has_order_line=True,
            photo_preset="facebook",
            source="Zalo publishes no post length limit; 2,000 is Livestall's own cap so a "
            "post reads in one screen of the Zalo app",
        ),
        PlatformRules(
            name="tiktok",
            label="TikTok",
            max_chars=4_000,
            max_hashtags=10,
            title_max_chars=None,
            has_order_line=True,
            photo_preset="tiktok",
            source="TikTok video captions up to 4,000 characters, hashtags included "
            "(TikTok Newsroom / Help Center, 2023)",
        ),
        PlatformRules(
            name="shopee",
            label="Shopee listing",
            max_chars=3_000,
            max_hashtags=18,
            title_max_chars=120,
            has_order_line=False,
            photo_preset="shopee",
            source="Shopee Seller Education Hub: product name up to 120 characters, "
            "description up to 3,000 characters, at most 18 hashtags",
        ),
    )
}

TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "badge": "🔥 GIẢM {pct}%",
        "price": "Giá: {price}",
        "sale": "Giá sốc: {sale} (giá gốc {price})",
        "options": "Phân loại: {options}",
        "order": '👉 Bình luận "{sku}" để chốt đơn',
        "sku": "Mã sản phẩm: {sku}",
        "tags": "#sale #giamgia #muasamonline",
    },
    "en": {
        "badge": "🔥 {pct}% OFF",
        "price": "Price: {price}",
        "sale": "Sale: {sale} (was {price})",
        "options": "Options: {options}",
        "order": '👉 Comment "{sku}" to order',
        "sku": "SKU: {sku}",
        "tags": "#sale #deal #shopping",
    },
    "ar": {
        "badge": "🔥 خصم {pct}٪",
        "price": "السعر: {price}",
        "sale": "سعر التخفيض: {sale} (بدلًا من {price})",
        "options": "الخيارات: {options}",
        "order": '👈 اكتب "{sku}" في التعليقات للطلب',
        "sku": "رمز المنتج: {sku}",
        "tags": "#تخفيضات #عروض #تسوق",
    },
}


@dataclass(frozen=True, slots=True)
class Caption:
    """A caption for one product on one platform, its length and whether it was shortened."""

    platform: str
    text: str
    title: str | None
    length: int
    max_chars: int
    is_trimmed: bool


def text_length(text: str) -> int:
    """Length as the platforms count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def hashtags(product: Product, locale: Locale) -> list[str]:
    """Hashtags for a product: its name in one tag, its SKU, then the locale's sale tags."""
    words = [w for w in re.split(r"\W+", _fold(product.name)) if w]
    tags = ["#" + "".join(w[:1].upper() + w[1:] for w in words)] if words else []
    tags.append(f"#{product.sku}")
    tags.extend(TEXTS[locale]["tags"].split())
    return list(dict.fromkeys(tags))


def build_caption(product: Product, platform: str, *, locale: Locale = "vi") -> Caption:
    """Build the caption of `product` for `platform`, within the platform's limits.

    Raises:
        KeyError: an unknown platform (the router checks names against `PLATFORMS` first).
    """
    rules = PLATFORMS[platform]
    texts = TEXTS[locale]
    price = format_price(product.price, product.currency, locale)
    badge = ""
    if product.sale_price is not None and product.sale_price < product.price:
        sale = format_price(product.sale_price, product.currency, locale)
        price_line = texts["sale"].format(sale=sale, price=price)
        badge = texts["badge"].format(pct=discount_percent(product.price, product.sale_price))
    else:
        price_line = texts["price"].format(price=price)
    options = ", ".join(v.label for v in product.variants)
    order_line = texts["order" if rules.has_order_line else "sku"].format(sku=product.sku)
    tags = hashtags(product, locale)[: rules.max_hashtags]
    name, description = product.name, product.description.strip()

    def compose() -> str:
        head = " ".join(part for part in (badge, name) if part)
        lines = [head, price_line]
        if options:
            lines.append(texts["options"].format(options=options))
        if description:
            lines.append(description)
        lines.append(order_line)
        if tags:
            lines.append(" ".join(tags))
        return "\n".join(lines)

    text, is_trimmed = compose(), False
    while text_length(text) > rules.max_chars and tags:
        tags.pop()
        text, is_trimmed = compose(), True
    if text_length(text) > rules.max_chars and description:
        description = _shorten(description, text_length(description) - _over(text, rules))
        text, is_trimmed = compose(), True
    if text_length(text) > rules.max_chars:
        name = _shorten(name, text_length(name) - _over(text, rules))
        text, is_trimmed = compose(), True
    title = None
    if rules.title_max_chars is not None:
        title = _shorten(product.name, rules.title_max_chars)
    return Caption(platform, text, title, text_length(text), rules.max_chars, is_trimmed)


def _over(text: str, rules: PlatformRules) -> int:
    return text_length(text) - rules.max_chars


def _shorten(text: str, max_units: int) -> str:
    """Cut `text` to at most `max_units` UTF-16 units, at a word if one is near, with an ellipsis."""
    if text_length(text) <= max_units:
        return text
    if max_units <= 1:
        return ELLIPSIS if max_units == 1 else ""
    cut, units = text, 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > max_units - 1:
            cut = text[:index]
            break
    space = cut.rfind(" ")
    if space >= len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + ELLIPSIS


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c))
