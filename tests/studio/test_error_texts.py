"""Every error code a seller can meet has its words in Vietnamese, English and Arabic, and every
page's translation files have the same keys in each language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from pydantic import BaseModel, Field, ValidationError

from studio import error_texts
from studio.catalog import Product
from studio.error_texts import LANGS, error_text, field_text, fill, pick_lang, validation_problem
from studio.errors import CatalogRowInvalid, LivestallError
from studio.photos.report import PhotoWarning

ROOT = Path(__file__).resolve().parents[2]
# Codes answered without an exception class: ``{"code": "studio.interrupted", ...}`` literals.
CODE_LITERAL = re.compile(r"""["']code["']\s*:\s*["']([a-z_]+\.[a-z_.]+)["']""")
CODE_ATTRIBUTE = re.compile(r"""^\s+code = ["']([a-z_]+(?:\.[a-z_]+)*)["']""", re.MULTILINE)


def all_subclasses(cls: type[LivestallError]) -> set[type[LivestallError]]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | all_subclasses(sub)
    return found


def every_code() -> set[str]:
    """Each code of the error tree, each ``code = "..."`` class attribute anywhere in the source
    (subclasses defined outside studio/errors.py) and each ``"code": "..."`` literal."""
    codes = {LivestallError.code} | {cls.code for cls in all_subclasses(LivestallError)}
    for folder in ("studio", "server", "overlays"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            codes |= set(CODE_LITERAL.findall(text)) | set(CODE_ATTRIBUTE.findall(text))
    return codes


def test_every_error_code_has_vietnamese_english_and_arabic_words() -> None:
    errors = error_texts.catalogue()["errors"]
    missing = sorted(code for code in every_code() if code not in errors)
    assert missing == [], f"add these codes to studio/error_texts.json: {missing}"
    for code, entry in errors.items():
        assert set(entry) == set(LANGS), code
        for lang in LANGS:
            assert entry[lang]["message"].strip() and entry[lang]["hint"].strip(), (code, lang)
            names = {
                frozenset(re.findall(r"\{(\w+)\}", json.dumps(entry[other].get("specific", ""))))
                for other in (lang, "vi")
            }
            assert len(names) == 1, f"{code}: {lang} names other values than vi"


def test_every_field_text_and_label_is_in_each_language() -> None:
    data = error_texts.catalogue()
    for table in ("fields", "labels"):
        for key, texts in data[table].items():
            assert set(texts) == set(LANGS), (table, key)
            placeholders = {frozenset(re.findall(r"\{(\w+)\}", texts[lang])) for lang in LANGS}
            assert len(placeholders) == 1, (table, key)


@pytest.mark.parametrize(
    ("wanted", "lang"),
    [
        (("vi-VN,vi;q=0.9,en;q=0.8",), "vi"),
        (("ar",), "ar"),
        ((None, "en-US,en;q=0.9"), "en"),
        (("fr-FR", "de"), "vi"),
        ((None, None), "vi"),
    ],
)
def test_pick_lang_takes_the_first_known_language(
    wanted: tuple[str | None, ...], lang: str
) -> None:
    assert pick_lang(*wanted) == lang


def test_a_row_error_names_its_row_column_and_problem_in_vietnamese() -> None:
    exc = CatalogRowInvalid(
        "shop.csv: row 3, column 'Giá bán': '250k' is not a number",
        hint="write the price as digits",
        params={"row": 3, "column": "Giá bán", "problem": "field.not_a_number", "value": "250k"},
    )
    vi = error_text(exc.code, "vi", message=exc.message, hint=exc.hint, params=exc.params)
    assert vi["message"] == (
        "Dòng 3, cột “Giá bán”: “250k” không phải là số, hãy ghi bằng chữ số, ví dụ 159000."
    )
    assert vi["detail"].startswith("shop.csv: row 3")  # the English original, for support
    en = error_text(exc.code, "en", message=exc.message, hint=exc.hint, params=exc.params)
    assert en == {"code": "catalog.row", "message": exc.message, "hint": exc.hint}
    # Fewer values: a shorter sentence that still names what it can, never a half-filled one.
    assert error_text(exc.code, "vi", params={"row": 7})["message"] == "Dòng 7 bị sai."
    ar = error_text(exc.code, "ar", params={"row": 2, "column": "price"})["message"]
    assert ar == "الصف 2، العمود “السعر” غير صحيح."  # an internal column name by its label
    assert error_text(exc.code, "ar")["message"] == "أحد صفوف قائمة المنتجات غير صحيح."


def test_an_unknown_code_still_gets_words_in_the_language() -> None:
    assert error_text("nobody.knows", "vi", message="boom")["message"] == "Đã có lỗi xảy ra."


def test_fill_refuses_a_template_whose_values_are_missing() -> None:
    assert fill("Dòng {row}", {"row": 2}) == "Dòng 2"
    assert fill("Dòng {row}, cột {column}", {"row": 2}) is None


class _Form(BaseModel):
    name: str = Field(min_length=1)
    seconds: int = Field(ge=0)


def test_pydantic_errors_become_vietnamese_field_texts() -> None:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate({"name": "", "seconds": "250k"})
    problem = validation_problem(caught.value.errors(), "vi")
    assert problem["code"] == "input.invalid"
    assert problem["fields"] == {"name": "chưa điền", "seconds": "phải là số nguyên"}
    assert problem["message"] == "Tên: chưa điền; Số giây: phải là số nguyên"
    assert "String should" not in json.dumps(problem, ensure_ascii=False)


def test_catalog_validators_raise_typed_field_problems() -> None:
    with pytest.raises(ValidationError) as caught:
        Product.model_validate({"sku": "A1", "name": " ", "price": "250k", "sale_price": "-5"})
    kinds = {str(e["loc"][0]): e["type"] for e in caught.value.errors()}
    assert kinds == {
        "name": "field.empty",
        "price": "field.not_a_number",
        "sale_price": "field.negative",
    }
    price = next(e for e in caught.value.errors() if e["loc"] == ("price",))
    assert field_text(price["type"], "vi", price["ctx"]) == (
        "“250k” không phải là số, hãy ghi bằng chữ số, ví dụ 159000"
    )
    assert price["msg"] == "'250k' is not a number"  # the English text stays for the CLI


I18N_FILES = [
    ROOT / "server" / "web" / "static" / "i18n" / name
    for name in ("host.json", "viewer.json", "overlay.json")
]


@pytest.mark.parametrize("path", I18N_FILES, ids=lambda p: p.name)
def test_page_texts_have_the_same_keys_in_each_language(path: Path) -> None:
    texts = json.loads(path.read_text(encoding="utf-8"))
    assert set(texts) == set(LANGS)
    keys = {lang: set(texts[lang]) for lang in LANGS}
    assert keys["vi"] == keys["en"] == keys["ar"], {
        lang: sorted(keys["vi"] ^ keys[lang]) for lang in LANGS
    }
    for lang in LANGS:
        for key, value in texts[lang].items():
            placeholders = set(re.findall(r"\{(\w+)\}", value))
            assert placeholders == set(re.findall(r"\{(\w+)\}", texts["vi"][key])), (lang, key)


def test_every_photo_warning_code_has_studio_words() -> None:
    folder = ROOT / "server" / "studio" / "static" / "i18n"
    codes = get_args(get_type_hints(PhotoWarning)["code"])
    for lang in LANGS:
        texts = json.loads((folder / f"{lang}.json").read_text("utf-8"))
        for code in codes:
            assert f"photo_warn_{code.removeprefix('photo.')}" in texts, (lang, code)


def test_studio_texts_have_the_same_keys_and_placeholders_in_each_language() -> None:
    folder = ROOT / "server" / "studio" / "static" / "i18n"
    texts = {lang: json.loads((folder / f"{lang}.json").read_text("utf-8")) for lang in LANGS}
    assert set(texts["vi"]) == set(texts["en"]) == set(texts["ar"])
    for key, value in texts["vi"].items():
        for lang in LANGS:
            assert set(re.findall(r"\{(\w+)\}", texts[lang][key])) == set(
                re.findall(r"\{(\w+)\}", value)
            ), (lang, key)


def test_every_refusal_reason_has_host_console_words() -> None:
    """The host console shows a refused comment's reason as ``reason_<code>`` (dots as ``_``)."""
    source = "".join(
        (ROOT / "server" / "services" / name).read_text(encoding="utf-8")
        for name in ("ingest.py", "book.py")
    )
    reasons = set(re.findall(r'Refused\(\s*"([a-z_.]+)"', source))
    reasons |= set(re.findall(r'_Prepared\(comment, "([a-z_.]+)"', source))
    reasons |= set(re.findall(r'reason = "([a-z_.]+)"', source))
    reasons |= set(re.findall(r'\("([a-z_]+)" if viewer\.is_blocked', source))
    assert {"limit", "variant.missing", "empty", "sku.unknown", "viewer_blocked"} <= reasons
    texts = json.loads((I18N_FILES[0]).read_text(encoding="utf-8"))
    for lang in LANGS:
        missing = sorted(
            r for r in reasons if f"reason_{r.replace('.', '_', 1)}" not in texts[lang]
        )
        assert missing == [], (lang, missing)


@pytest.mark.parametrize(
    ("page", "scripts"),
    [
        ("host", ("host.html", "host.js", "after.js")),
        ("viewer", ("viewer.html", "viewer.js")),
        ("overlay", ("overlay.html", "overlay.js")),
    ],
)
def test_live_pages_ask_only_for_keys_they_have(page: str, scripts: tuple[str, ...]) -> None:
    static = ROOT / "server" / "web" / "static"
    texts = json.loads((static / "i18n" / f"{page}.json").read_text(encoding="utf-8"))
    used: set[str] = set()
    for name in scripts:
        source = (static / name).read_text(encoding="utf-8")
        used |= set(re.findall(r'data-i18n(?:-placeholder)?="(\w+)"', source))
        used |= set(re.findall(r'\bt\("(\w+)"', source))
    for lang in LANGS:
        assert sorted(used - set(texts[lang])) == [], lang
