"""Issue 23's weak families, rule by rule, on the catalog of tests/data/vocab: Gulf, Egyptian and
Levantine Arabic, everyday cancels and changes, numbers that are codes only where a code is
written, prices written as money, and long reviews that are never orders."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.orders import CatalogView, ParseResult, parse_comment
from studio.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[3]
CATALOG = CatalogView.from_catalog(load_catalog(ROOT / "tests" / "data" / "vocab" / "catalog.yaml"))
Line = tuple[str, int, str | None, str | None]


def parse(text: str, pinned: str | None) -> ParseResult:
    return parse_comment(text, CATALOG, pinned=pinned)


def lines(result: ParseResult) -> list[Line]:
    return [(x.sku, x.qty, x.size, x.color) for x in result.items]


@pytest.mark.parametrize(
    ("text", "pinned", "want"),
    [
        ("ابغى العباية مقاس ٥٤", None, [("AB-9", 1, "54", None)]),  # Gulf, Arabic-Indic digits
        ("ابغا وحده مقاس 56", "AB-9", [("AB-9", 1, "56", None)]),  # Gulf spelling
        ("ابيها مقاس ٥٤", "AB-9", [("AB-9", 1, "54", None)]),  # "I want it"
        ("عاوزة اتنين عباية ٥٢", None, [("AB-9", 2, "52", None)]),  # Egyptian, "two"
        ("عايزة عباية سوده ٥٤", None, [("AB-9", 1, "54", "أسود")]),
        ("بدي وحدة مقاس ٥٢ الله يعطيكي العافية", "AB-9", [("AB-9", 1, "52", None)]),  # Levantine
        ("سايز ٥٤", "AB-9", [("AB-9", 1, "54", None)]),  # "size", transliterated
        ("ابي واحد اسود لارج", "TS-01", [("TS-01", 1, "L", "đen")]),  # "large", transliterated
        ("ابي التيشيرت الاسود L", None, [("TS-01", 1, "L", "đen")]),  # a kind word in Arabic
        ("ابغى الحلق", None, [("E5", 1, None, None)]),  # earrings
        ("أريد العباية الكحلية مقاس ٥٦", None, [("AB-9", 1, "56", "كحلي")]),  # feminine colour
    ],
)
def test_arabic_dialect_orders_are_read(text: str, pinned: str | None, want: list[Line]) -> None:
    result = parse(text, pinned)
    assert result.intent == "order" and lines(result) == want, result


@pytest.mark.parametrize(
    "text",
    [
        "الغيها لو سمحتي",
        "كنسلي الطلب",
        "ما ابيها خلاص",
        "خلاص ما ابغى",
        "مش عايزاها",
        "شيلي طلبي",
        "huỷ giúp e",
        "k lấy nữa",
        "thôi ko lấy đâu",
        "rút đơn giúp e",
        "đừng gửi nữa shop ơi",
        "thôi khỏi nha shop",
        "nvm",
    ],
)
def test_everyday_cancels_cancel(text: str) -> None:
    assert parse(text, "TS-01").intent == "cancel"


def test_not_is_not_a_change_but_a_size_it_lacks_is_not_a_count() -> None:
    assert parse("المنتج غير مطابق للوصف", "AB-9").intent == "none"  # "does not match"
    result = parse("đổi sang 99", "15")  # a size no product has: not 99 fish cakes
    assert result.intent == "change" and lines(result) == [("15", 1, None, None)]
    assert "variant-unmatched" in result.rule and result.confidence == "review"
    # a size the pinned fish cake lacks but the sandals have: the change is of the sandals
    result = parse("đổi sang 41", "15")
    assert lines(result) == [("105", 1, "41", None)] and result.confidence == "review"
    assert "by-variant" in result.rule
    assert lines(parse("đổi thành 12 hộp", "15")) == [("15", 12, None, None)]


def test_forget_it_is_a_cancel_but_for_free_is_not() -> None:
    # Egyptian "بلاش" (forget it) cancels; "ببلاش" (for free) is the same letters with a clitic
    assert parse("بلاش العباية", "AB-9").intent == "cancel"
    assert parse("الشحن ببلاش؟", "AB-9").intent == "question"


@pytest.mark.parametrize(
    ("text", "pinned", "want"),
    [
        ("غيري المقاس الى ٥٦", "AB-9", ("AB-9", 1, "56", None)),
        ("sửa lại size S nhé", "V350", ("V350", 1, "S", None)),
        ("lấy L thay vì M nhé", "TS-01", ("TS-01", 1, "L", None)),  # the new line comes first
    ],
)
def test_changes_name_the_new_line(text: str, pinned: str, want: Line) -> None:
    result = parse(text, pinned)
    assert result.intent == "change" and lines(result) == [want], result


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2 hộp 15 nha shop", [("15", 2, None, None)]),  # count in the product's unit, then code
        ("15 x2 27 x1", [("15", 2, None, None), ("27", 1, None, None)]),
        ("15 2 27 1", [("15", 2, None, None), ("27", 1, None, None)]),
        ("chốt 203 x1 và 27 x2", [("203", 1, None, None), ("27", 2, None, None)]),
    ],
)
def test_numeric_codes_where_a_code_is_written(text: str, want: list[Line]) -> None:
    result = parse(text, "TS-01")
    assert result.intent == "order" and lines(result) == want, result


@pytest.mark.parametrize(
    ("text", "want", "address"),
    [
        ("giao 27 Trần Hưng Đạo 2 hộp chả mực", ("15", 2, None, None), "27 Trần Hưng Đạo"),
        ("ship 27/3 Nguyễn Huệ 1 hộp 15", ("15", 1, None, None), "27/3 Nguyễn Huệ"),
        ("P.5 Q.3 2 hộp chả mực", ("15", 2, None, None), "P.5 Q.3"),
        ("chả mực 2 hộp - 0912345678 - 27 Lý Tự Trọng Q1", ("15", 2, None, None), None),
    ],
)
def test_an_address_written_first_ends_where_the_order_begins(
    text: str, want: Line, address: str | None
) -> None:
    result = parse(text, None)
    assert result.intent == "order" and lines(result) == [want], result
    assert address is None or result.address == address


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("lấy 1 hộp chả mực giao 8h tối nha", None),  # a time, not a house number
        ("lấy 1 hộp chả mực giao 8 giờ tối", None),
        ("cho chị 1 hộp chả mực về 15/2 Nguyễn Trãi", "15/2 Nguyễn Trãi"),
    ],
)
def test_times_after_giao_are_not_addresses(text: str, address: str | None) -> None:
    result = parse(text, None)
    assert lines(result) == [("15", 1, None, None)] and result.address == address


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("váy 350 nghìn size S", ("V350", 1, "S", None)),
        ("váy 350.000đ size L", ("V350", 1, "L", None)),
        ("dép 149 nghìn trắng 41", ("105", 1, "41", "trắng")),
        ("lấy túi 1tr250", ("203", 1, None, None)),  # millions
        ("loại 285k size L", ("SETKE", 1, "L", None)),
        ("mẫu 350k size M", ("V350", 1, "M", None)),  # two products at 350k: only one has M
        ("ابي اللي سعرها ٨٩٠ مقاس ٥٢", ("AB-9", 1, "52", None)),
    ],
)
def test_prices_written_as_money_point_at_one_product(text: str, want: Line) -> None:
    result = parse(text, None)
    assert result.intent == "order" and lines(result) == [want], result


def test_an_amount_paid_is_not_a_pointer() -> None:
    result = parse("chốt 1 hộp chả mực, ck 350k rồi nha", None)
    assert lines(result) == [("15", 1, None, None)]


@pytest.mark.parametrize("text", ["159000", "240000", "250000"])
def test_a_bare_amount_alone_points_at_nothing(text: str) -> None:
    assert parse(text, None).intent == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Deppppppppppppppppp",  # "đẹp" typed bare and stretched reads as "dép"
        "Dép đẹp lắm nha mọi người nên mua đúng size nha dép rất đáng để mua",
        "Xin lỗi vì ảnh và video không liên quan ạ",
        "Cảm ơn shop nhiều ạ Tuy dịch nhưng shop vẫn ship nhanh ạ Em mua 2 quần 1 trắng 1 đen "
        "được tặng thêm 1 quần đen và 1 buộc tóc rất xinh ạ Cám ơn shop nhiều nha",
    ],
)
def test_reviews_and_kind_words_alone_are_not_orders(text: str) -> None:
    for pinned in (None, "TS-01"):
        assert parse(text, pinned).intent != "order", (text, pinned)


def test_a_long_order_with_a_code_or_a_phone_stays_an_order() -> None:
    long_tail = " ".join(["cảm ơn shop nhiều lắm luôn ạ"] * 5)
    assert parse(f"chốt 15 2 hộp {long_tail}", None).intent == "order"
    assert parse(f"lấy 2 hộp chả mực sđt 0912345678 {long_tail}", None).intent == "order"
