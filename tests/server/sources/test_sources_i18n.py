"""Every text the sources' panels ask for (studio go-live tab, host console header) exists in
Vietnamese, English and Arabic, and the scripts never write HTML from data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STUDIO = ROOT / "server" / "studio" / "static"
WEB = ROOT / "server" / "web" / "static"
STATES = ("connecting", "live", "reconnecting", "stopped", "error")
KINDS = ("tiktok", "youtube", "twitch", "ssn", "file")


def studio_keys() -> set[str]:
    script = (STUDIO / "sources.js").read_text(encoding="utf-8")
    html = (STUDIO / "studio.html").read_text(encoding="utf-8")
    section = html[
        html.index('<section id="sources"') : html.index(
            "</section>", html.index('<section id="sources"')
        )
    ]
    keys = set(re.findall(r'data-i18n(?:-placeholder|-label)?="(\w+)"', section))
    keys |= set(re.findall(r'\bt\("(\w+)"', script))
    keys |= {f"source_state_{s}" for s in STATES} | {f"source_kind_{k}" for k in KINDS}
    keys |= {"source_alert_silent", "source_alert_dropped", "source_alert_error"}
    return keys


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_the_studio_panel_has_every_text(lang: str) -> None:
    strings = json.loads((STUDIO / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    assert studio_keys() - set(strings) == set()


def test_the_host_header_has_every_text_in_three_languages() -> None:
    script = (WEB / "sources.js").read_text(encoding="utf-8")
    texts = json.loads((WEB / "i18n" / "sources.json").read_text(encoding="utf-8"))
    used = set(re.findall(r'\bt\("(\w+)"', script))
    used |= {f"state_{s}" for s in STATES} | {f"kind_{k}" for k in KINDS}
    used |= {"alert_silent", "alert_dropped", "alert_error"}
    used |= {"time", "buyer", "comment", "would_order"}  # the missed-comments table's heads
    assert set(texts) == {"vi", "en", "ar"}
    for lang in texts:
        assert used - set(texts[lang]) == set(), lang
        assert all(value.strip() for value in texts[lang].values())


@pytest.mark.parametrize("script", [STUDIO / "sources.js", WEB / "sources.js"])
def test_the_scripts_never_write_html_from_data(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
        assert sink not in text
