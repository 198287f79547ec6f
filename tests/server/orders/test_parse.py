"""Order comments, rule by rule (server/orders/parse.py); the labelled set is in test_labelled.py."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from server.orders import (
    CatalogView,
    OrderLine,
    ParseResult,
    ProductView,
    mask_contacts,
    parse_comment,
)
from studio.catalog import load_catalog

CATALOG_FILE = Path(__file__).resolve().parents[2] / "data" / "live_catalog.yaml"
CATALOG = CatalogView.from_catalog(load_catalog(CATALOG_FILE))


def parse(text: str, pinned: str | None = "A12") -> ParseResult:
    return parse_comment(text, CATALOG, pinned=pinned)


def lines(text: str, pinned: str | None = "A12") -> list[tuple[str, int, str | None, str | None]]:
    return [(line.sku, line.qty, line.size, line.color) for line in parse(text, pinned).items]


@pytest.mark.parametrize(
    ("text", "pinned", "intent", "rule"),
    [
        ("chốt A12", None, "order", "keyword+sku"),
        ("chốt", "A12", "order", "bare-keyword-pinned"),
        ("chốt", None, "none", "keyword-unpinned"),
        ("chốt", "Z99", "none", "keyword-unpinned"),  # pinned code not in the catalog
        ("want to take the high ground now", "A12", "none", "keyword-among-words"),
        ("A12 x2", None, "order", "sku+qty"),
        ("A12", None, "order", "sku-only"),
        ("A12 size M nha shop", None, "order", "sku-only"),
        ("A12 đẹp quá", None, "none", "no-match"),
        ("hủy A12", None, "cancel", "cancel+sku"),
        ("cancel", None, "cancel", "cancel"),
        ("A12 giá bao nhiêu", None, "question", "question-word"),
        ("A12 ship hà nội?", None, "question", "question-mark"),
        ("ai mua chung không", "A12", "question", "question-word"),
        ("", "A12", "none", "empty"),
        ("😍😍", "A12", "none", "empty"),
    ],
)
def test_every_result_names_the_rule_that_fired(
    text: str, pinned: str | None, intent: str, rule: str
) -> None:
    result = parse(text, pinned)
    assert (result.intent, result.rule) == (intent, rule)


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("chốt A12", ["A12"]),
        ("chốt a12", ["A12"]),
        ("chốt a 12", ["A12"]),
        ("chốt A-12", ["A12"]),
        ("chốt sp01", ["SP01"]),
        ("chốt SP 01", ["SP01"]),
        ("chốt Sp-01", ["SP01"]),
        ("chốt a12x2", ["A12"]),
        ("chốt a12m", ["A12"]),
        ("chốt B30", []),  # not inside a longer number
        ("chốt AB3", []),  # not inside a longer word
        ("chốt ab2", ["AB2"]),
        ("chốt 0912345612", []),  # a phone number holding "12" is not A12
        ("chốt n100", ["N100"]),
        ("chốt n 100", ["N100"]),
        ("chốt n1000", []),
    ],
)
def test_codes_match_case_and_space_insensitive_but_whole(text: str, skus: list[str]) -> None:
    assert [line.sku for line in parse(text, None).items] == skus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chốt A12 x2", ("A12", 2, None, None)),
        ("chốt A12 x 3", ("A12", 3, None, None)),
        ("chốt A12 *2", ("A12", 2, None, None)),
        ("chốt A12 ×2", ("A12", 2, None, None)),
        ("chốt A12 2x", ("A12", 2, None, None)),
        ("chốt A12 2 cái", ("A12", 2, None, None)),
        ("chốt A12 2c", ("A12", 2, None, None)),
        ("chốt A12 sl 4", ("A12", 4, None, None)),
        ("chốt A12 sl:4", ("A12", 4, None, None)),
        ("chốt A12 số lượng 5", ("A12", 5, None, None)),
        ("chốt A12 qty 2", ("A12", 2, None, None)),
        ("chốt 2 A12", ("A12", 2, None, None)),
        ("chốt 2 cái A12", ("A12", 2, None, None)),
        ("chốt hai cái A12", ("A12", 2, None, None)),
        ("chốt A12 hai", ("A12", 2, None, None)),
        ("chốt A12 ba cái", ("A12", 3, None, None)),
        ("sold A12 two", ("A12", 2, None, None)),
        ("I'll take 3 pcs of A12", ("A12", 3, None, None)),
        ("أريد A12 اثنين", ("A12", 2, None, None)),
        ("أريد ٣ A12", ("A12", 3, None, None)),
        ("أريد A12 ۲ حبة", ("A12", 2, None, None)),
        ("chốt A12 129k", ("A12", 1, None, None)),  # money is not a count
        ("chốt A12 em 50kg", ("A12", 1, None, None)),  # nor a weight
        ("chốt A12, em cao 1m6", ("A12", 1, None, None)),  # nor a height
        ("chốt A12 nặng 50", ("A12", 1, None, None)),  # a number far from the code
    ],
)
def test_quantities(text: str, expected: tuple[str, int, str | None, str | None]) -> None:
    assert lines(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chốt A12 size M", ("A12", 1, "M", None)),
        ("chốt A12 sz m", ("A12", 1, "M", None)),
        ("chốt A12 sai L", ("A12", 1, "L", None)),
        ("chốt A12 cỡ xl", ("A12", 1, "XL", None)),
        ("chốt A12 xl", ("A12", 1, "XL", None)),
        ("chốt A12 màu đỏ", ("A12", 1, None, "đỏ")),
        ("chốt A12 mau do", ("A12", 1, None, "đỏ")),  # no diacritics
        ("chốt A12 đồ đẹp", ("A12", 1, None, None)),  # "đồ" (clothes) is not "đỏ"
        ("chốt A12 red", ("A12", 1, None, "đỏ")),  # colour names in other languages
        ("أريد A12 أحمر", ("A12", 1, None, "đỏ")),
        ("chốt AB2 đen", ("AB2", 1, None, "Black")),
        ("chốt C7 xanh lá M", ("C7", 1, "M", "xanh lá")),
        ("chốt D15 hong dat", ("D15", 1, None, "hồng đất")),  # "đất" before "đặt" (a keyword)
        ("chốt G5 size 38", ("G5", 1, "38", None)),
        ("chốt G5 38 x2", ("G5", 2, "38", None)),
        ("chốt CH20 xxl", ("CH20", 1, "2XL", None)),  # one size, two spellings
        ("chốt CH20 freesize", ("CH20", 1, "Free size", None)),
        ("chốt K9 مقاس ٥٤", ("K9", 1, "54", None)),
        ("chốt K9 لون كحلي", ("K9", 1, None, "كحلي")),
    ],
)
def test_variants_match_the_products_own(
    text: str, expected: tuple[str, int, str | None, str | None]
) -> None:
    assert lines(text) == [expected]


@pytest.mark.parametrize(
    "text",
    ["chốt A12 size XXL", "chốt A12 màu tím", "chốt B3 size M", "chốt G5 size 41", "chốt A12 2xl"],
)
def test_unknown_variant_keeps_the_order_and_says_so(text: str) -> None:
    result = parse(text)
    assert result.intent == "order"
    assert (result.items[0].size, result.items[0].color) == (None, None)
    assert result.rule.endswith(";variant-unmatched")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A12 x2, B3 x1", [("A12", 2, None, None), ("B3", 1, None, None)]),
        ("A12 2 B3", [("A12", 2, None, None), ("B3", 1, None, None)]),
        ("2 B3 1 N100", [("B3", 2, None, None), ("N100", 1, None, None)]),
        ("B3 x2 N100 x1", [("B3", 2, None, None), ("N100", 1, None, None)]),
        ("chốt A12 M, A12 L", [("A12", 1, "M", None), ("A12", 1, "L", None)]),
        ("chốt A12 1M 1L", [("A12", 1, "M", None), ("A12", 1, "L", None)]),
        ("chốt A12 M x1, L x2", [("A12", 1, "M", None), ("A12", 2, "L", None)]),
        ("chốt A12 M đen L trắng", [("A12", 1, "M", "đen"), ("A12", 1, "L", "trắng")]),
        ("chốt B3, B3", [("B3", 2, None, None)]),  # the same line twice adds up
    ],
)
def test_several_items_in_one_comment(
    text: str, expected: list[tuple[str, int, str | None, str | None]]
) -> None:
    assert lines(text) == expected


@pytest.mark.parametrize(
    ("text", "pinned", "expected"),
    [
        ("chốt", "A12", [("A12", 1, None, None)]),
        ("chot", "B3", [("B3", 1, None, None)]),
        ("sold", "B3", [("B3", 1, None, None)]),
        ("mine!!", "B3", [("B3", 1, None, None)]),
        ("أريد", "B3", [("B3", 1, None, None)]),
        ("chốt 2", "B3", [("B3", 2, None, None)]),
        ("chốt size M đen", "A12", [("A12", 1, "M", "đen")]),
        ("chốt 1 M 1 L", "A12", [("A12", 1, "M", None), ("A12", 1, "L", None)]),
        ("còn M không? chốt 1 cái", "A12", [("A12", 1, None, None)]),
    ],
)
def test_bare_keyword_orders_pinned_product(
    text: str, pinned: str, expected: list[tuple[str, int, str | None, str | None]]
) -> None:
    assert parse(text, pinned).rule == "bare-keyword-pinned"
    assert lines(text, pinned) == expected


@pytest.mark.parametrize(
    "text",
    [
        "trời mưa quá",  # rain, not buy
        "mua rồi nè",  # bought already
        "sold out?",
        "want to take a look",
        "chốt đơn chưa shop",
        "cho em xem A12",
        "mua ở đâu vậy",
        "how do I buy",
        "lấy chồng chưa",
    ],
)
def test_keyword_lookalikes_are_not_orders(text: str) -> None:
    assert parse(text).intent != "order"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("hủy A12", [("A12", 1, None, None)]),
        ("huy a12", [("A12", 1, None, None)]),
        ("huỷ đơn", []),
        ("ko lấy nữa", []),
        ("không lấy B3 nữa", [("B3", 1, None, None)]),
        ("cancel", []),
        ("cancel B3 please", [("B3", 1, None, None)]),
        ("إلغاء", []),
        ("لا أريد B3", [("B3", 1, None, None)]),
    ],
)
def test_cancel(text: str, items: list[tuple[str, int, str | None, str | None]]) -> None:
    assert parse(text).intent == "cancel"
    assert lines(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "A12 giá bao nhiêu?",
        "còn size M không?",
        "ship COD ko",
        "A12 còn k",
        "a12 bn",
        "how much is B3",
        "is B3 still available",
        "كم سعر K9؟",
        "هل متوفر مقاس 54",
        "chốt A12 giá bao nhiêu",  # a question word outweighs the keyword in its clause
    ],
)
def test_questions_are_not_orders(text: str) -> None:
    assert parse(text).intent == "question"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cho em lấy A12 được không", "order"),  # a polite order
        ("chốt A12, ship COD không?", "order"),  # order, then a question
        ("B3 giá bao nhiêu? chốt A12", "order"),
    ],
)
def test_order_with_a_question_beside_it(text: str, intent: str) -> None:
    assert parse(text).intent == intent


def test_products_named_in_a_question_clause_are_not_ordered() -> None:
    assert lines("B3 giá bao nhiêu? chốt A12") == [("A12", 1, None, None)]
    assert lines("A12 còn không? chốt 1") == [("A12", 1, None, None)]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("lấy 2 cái SP01 0912345678", "0912345678"),
        ("chốt B3 sdt 0987 654 321", "0987654321"),
        ("أريد K9 ٠٥٥١٢٣٤٥٦٧", "0551234567"),
        ("chốt B3", None),
    ],
)
def test_phone_is_kept_for_the_seller(text: str, phone: str | None) -> None:
    assert parse(text).phone == phone


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("0912345678", "091****678"),
        ("sdt 0912 345 678 nha", "sdt 091****678 nha"),
        ("+84 912 345 678", "+849*****678"),
        ("رقمي ٠٥٥١٢٣٤٥٦٧", "رقمي 055****567"),
        ("mail lan.nguyen@gmail.com nhé", "mail l***@gmail.com nhé"),
        ("chốt A12 x2", "chốt A12 x2"),
        ("giá 129.000", "giá 129.000"),
    ],
)
def test_mask_contacts_for_the_overlay(text: str, masked: str) -> None:
    assert mask_contacts(text) == masked


def test_catalog_view_from_catalog_keeps_codes_and_variants() -> None:
    view = CatalogView.from_catalog(load_catalog(CATALOG_FILE))
    assert view.products["A12"] == ProductView("A12", ("S", "M", "L", "XL"), ("trắng", "đen", "đỏ"))
    assert view.products["B3"] == ProductView("B3", (), ())


def test_catalog_view_built_by_hand_uses_canonical_codes() -> None:
    view = CatalogView(products={"sp01": ProductView("sp 01", ("M",), ("Red",))})
    assert parse_comment("chốt sp01 m đỏ", view, pinned=None).items == (
        OrderLine("SP01", 1, "M", "Red"),
    )


def test_parse_is_deterministic_and_leaves_the_catalog_alone() -> None:
    before = dict(CATALOG.products)
    first = [parse(text) for text in ("chốt A12 M x2", "A12 x2, B3", "hủy B3")]
    second = [parse(text) for text in ("chốt A12 M x2", "A12 x2, B3", "hủy B3")]
    assert first == second
    assert dict(CATALOG.products) == before


_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 x*×,.!?;:-_+/@#'\"\n\t",
    "ăâđêôơưáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ",
    "ابتثجحخدذرسشصضطظعغفقكلمنهويأإآةىـًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩۰۱۲۳؟،",
    "😍❤️🔥👍🏽\u200d\u200b\ufeff\u0301\u0323ＡＢＣ１２３ß\ud800ǅ",
)


def _random_text(rng: random.Random) -> str:
    length = rng.randint(0, 60)
    if rng.random() < 0.5:
        return "".join(rng.choice(rng.choice(_ALPHABETS)) for _ in range(length))
    return "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(length))


def test_never_raises_on_random_text() -> None:
    rng = random.Random(20261124)
    for _ in range(3000):
        text = _random_text(rng)
        result = parse(text, rng.choice(["A12", "B3", None, "NOPE"]))
        assert result.intent in ("order", "cancel", "question", "none")
        assert all(line.qty >= 1 and line.sku in CATALOG.products for line in result.items)
        assert isinstance(mask_contacts(text), str)


@pytest.mark.parametrize("text", ["12 " * 400, "12." * 400, "٢٢ " * 400, "a12 " * 250, "ﷺ" * 1000])
def test_hostile_comments_are_read_quickly(text: str) -> None:
    # A viewer can paste anything; digit runs once took seconds (every split tried as a phone).
    start = time.process_time()
    parse(text)
    mask_contacts(text)
    assert time.process_time() - start < 0.5


def test_pinned_code_is_read_in_any_case() -> None:
    assert lines("chốt", "sp 01") == [("SP01", 1, None, None)]


def test_very_long_comment_is_read_up_to_the_cap() -> None:
    result = parse("chốt A12 " + "la " * 50_000 + " B3")
    assert result.intent == "order"
    assert [line.sku for line in result.items] == ["A12"]
