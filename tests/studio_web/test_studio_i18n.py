"""Every string the studio's pages ask for exists in Vietnamese, English and Arabic."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "server" / "studio" / "static"


def used_keys() -> set[str]:
    html = (STATIC / "studio.html").read_text(encoding="utf-8")
    script = (STATIC / "studio.js").read_text(encoding="utf-8")
    keys = set(re.findall(r'data-i18n(?:-placeholder|-label)?="(\w+)"', html))
    keys |= set(re.findall(r'\bt\("(\w+)"', script))
    keys |= {f"status_{s}" for s in ("accepted", "confirmed", "waitlisted", "cancelled")}
    return keys


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_every_key_is_translated(lang: str) -> None:
    strings = json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    missing = used_keys() - set(strings)
    assert not missing
    assert all(value.strip() for value in strings.values())


def test_languages_have_the_same_keys() -> None:
    keys = [
        set(json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8")))
        for lang in ("vi", "en", "ar")
    ]
    assert keys[0] == keys[1] == keys[2]


def test_pages_load_nothing_from_other_sites() -> None:
    for name in ("studio.html", "studio.js", "studio.css"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!127\.0\.0\.1)", text), name


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("--ink", "--paper"),
        ("--ink", "--soft"),
        ("--muted", "--paper"),
        ("--muted", "--soft"),
        ("--accent-ink", "--accent"),
        ("--error", "--paper"),
        ("--ok", "--paper"),
        ("--paper", "--ink"),
        ("--paper", "--error"),
    ],
)
def test_colours_meet_wcag_aa_contrast(text: str, background: str) -> None:
    css = (STATIC / "studio.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6});", css))
    assert contrast(colours[text], colours[background]) >= 4.5
