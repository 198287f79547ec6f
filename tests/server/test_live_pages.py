"""The pages' texts: every key a page uses exists in Vietnamese, English and Arabic."""

from __future__ import annotations

import json
import re

import pytest

from server.web.pages import PAGES, STATIC_DIR

LANGUAGES = ("vi", "en", "ar")


@pytest.mark.parametrize("page", PAGES)
def test_every_text_key_is_translated(page: str) -> None:
    html = (STATIC_DIR / f"{page}.html").read_text(encoding="utf-8")
    script = (STATIC_DIR / f"{page}.js").read_text(encoding="utf-8")
    texts = json.loads((STATIC_DIR / "i18n" / f"{page}.json").read_text(encoding="utf-8"))

    used = set(re.findall(r'data-i18n(?:-placeholder)?="(\w+)"', html))
    used |= set(re.findall(r'\bt\("(\w+)"', script))
    assert used, page
    assert set(texts) == set(LANGUAGES)
    for language in LANGUAGES:
        missing = used - set(texts[language])
        assert not missing, f"{page}.json {language}: {sorted(missing)}"
    assert set(texts["vi"]) == set(texts["en"]) == set(texts["ar"])


@pytest.mark.parametrize("page", PAGES)
def test_pages_never_write_html_from_data(page: str) -> None:
    script = (STATIC_DIR / f"{page}.js").read_text(encoding="utf-8")
    shared = (STATIC_DIR / "live.js").read_text(encoding="utf-8")

    for source in (script, shared):
        assert "innerHTML" not in source
        assert "outerHTML" not in source
        assert "insertAdjacentHTML" not in source
        assert "document.write" not in source
