"""Captions: built from the catalog, per locale, never over a platform's limit (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.studio.captions import PLATFORMS, build_caption, hashtags, text_length
from studio.catalog import Product

CUP = Product(
    sku="A12",
    name="Cốc sứ cà phê Quảng Ninh",
    price=Decimal(159000),
    sale_price=Decimal(129000),
    currency="VND",
    variants=({"size": "M", "color": "trắng", "stock": 4}, {"size": "L", "stock": 1}),  # type: ignore[arg-type]
)
PLAIN = Product(sku="B3", name="Chả mực Hạ Long 500g", price=Decimal(250000), currency="VND")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "vi",
            [
                "🔥 GIẢM 19% Cốc sứ",
                "Giá sốc: 129.000\xa0₫ (giá gốc 159.000\xa0₫)",
                "Phân loại: M / trắng, L",
                '👉 Bình luận "A12" để chốt đơn',
            ],
        ),
        ("en", ["🔥 19% OFF", "Sale: ₫129,000 (was ₫159,000)", 'Comment "A12" to order']),
        ("ar", ["🔥 خصم 19٪", 'اكتب "A12" في التعليقات للطلب', "#تخفيضات"]),
    ],
)
def test_caption_has_badge_prices_options_and_order_line(locale: str, expected: list[str]) -> None:
    caption = build_caption(CUP, "facebook", locale=locale)  # type: ignore[arg-type]
    for part in expected:
        assert part in caption.text
    assert not caption.is_trimmed and caption.length == text_length(caption.text)


def test_no_sale_means_no_badge_and_a_plain_price() -> None:
    text = build_caption(PLAIN, "zalo", locale="vi").text
    assert text.startswith("Chả mực Hạ Long 500g\nGiá: 250.000\xa0₫\n")
    assert "GIẢM" not in text


def test_listing_shows_sku_not_comment_line_and_a_title_within_limit() -> None:
    long_name = PLAIN.model_copy(update={"name": "Chả mực " * 30})
    caption = build_caption(long_name, "shopee", locale="vi")
    assert "Mã sản phẩm: B3" in caption.text and "Bình luận" not in caption.text
    assert caption.title is not None and text_length(caption.title) <= 120
    assert caption.title.endswith("…")


@pytest.mark.parametrize("platform", list(PLATFORMS))
@pytest.mark.parametrize("extra", [10, 5_000, 70_000])
def test_never_over_the_limit_and_the_order_line_survives(platform: str, extra: int) -> None:
    product = CUP.model_copy(update={"description": "Gốm Bát Tràng 🍵 " * (extra // 16)})
    caption = build_caption(product, platform, locale="vi")
    assert caption.length <= PLATFORMS[platform].max_chars
    assert "129.000" in caption.text
    last_line = '👉 Bình luận "A12" để chốt đơn' if PLATFORMS[platform].has_order_line else "A12"
    assert last_line in caption.text
    assert caption.is_trimmed == (extra > PLATFORMS[platform].max_chars)


def test_hashtags_fold_accents_and_stay_within_the_platform_count() -> None:
    assert hashtags(CUP, "vi")[:2] == ["#CocSuCaPheQuangNinh", "#A12"]
    tiktok = build_caption(CUP, "tiktok", locale="vi").text.splitlines()[-1].split()
    assert len(tiktok) <= PLATFORMS["tiktok"].max_hashtags


def test_length_counts_utf16_units_like_the_platforms() -> None:
    assert text_length("abc") == 3
    assert text_length("🔥") == 2
    assert text_length("Việt") == 4
