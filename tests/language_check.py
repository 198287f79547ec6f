"""Finds what a Vietnamese page must never show: a raw translation key or an English sentence.

Shared by the browser tests (``pythonpath = ["tests"]``). The English detector is small on
purpose: a word written only in ASCII letters that cannot be a Vietnamese syllable (``status``,
``should``, ``accepted``) is English unless it is a name on `ALLOWED` (brands, formats, the few
English words Vietnamese sellers use as their own: live, shop, size, video).
"""

from __future__ import annotations

import re

# Brands, file formats and the loanwords sellers write in Vietnamese (chốt đơn trên live, size M).
ALLOWED = frozenset(
    word.lower()
    for word in [
        "Livestall",
        "Studio",
        "OBS",
        "TikTok",
        "Shopee",
        "Lazada",
        "Tiki",
        "Facebook",
        "YouTube",
        "Zalo",
        "VietQR",
        "SePay",
        "NAPAS",
        "GHN",
        "COD",
        "CSV",
        "QR",
        "YAML",
        "PDF",
        "ZIP",
        "JPEG",
        "JPG",
        "PNG",
        "WebP",
        "HEIC",
        "XLSX",
        "API",
        "URL",
        "BIN",
        "SKU",
        "KB",
        "MB",
        "live",
        "livestream",
        "shop",
        "size",
        "sale",
        "flash",
        "video",
        "clip",
        "online",
        "ship",
        "shipper",
        "file",
        "hashtag",
        "English",
        "isnet",
        "classic",
        "Amazon",
        "Etsy",
        "eBay",
        "Instagram",
        "Noon",
        "Salla",
        "Zid",
        "Sendo",
        "Twitch",
        # Social Stream Ninja: the chat relay's name (server/bridges/ssn.py), a brand.
        "Social",
        "Stream",
        "Ninja",
    ]
)
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)
RAW_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
UNFILLED = re.compile(r"\{[a-z_]+\}")


def english_words(text: str) -> list[str]:
    """The words of `text` that read as English, not Vietnamese (nor an allowed name)."""
    found = []
    for word in _WORD.findall(text):
        if not word.isascii() or word.lower() in ALLOWED or not word.isalpha():
            continue  # Vietnamese with its marks, a name, or a code such as A12, 500g, 250k
        if not re.search("[aeiouy]", word, re.IGNORECASE):  # vd, SĐT: abbreviations
            continue
        if word.isupper() and len(word) <= 6:  # VND, SL, GHN: abbreviations, not sentences
            continue
        if _SYLLABLE.fullmatch(word):
            continue
        found.append(word)
    return found


def problems(text: str, *, lang: str = "vi") -> list[str]:
    """Why `text` cannot appear on a page in `lang` (empty when it can); English words count only
    on a Vietnamese or Arabic page."""
    found = [f"raw key {key!r}" for key in RAW_KEY.findall(text)]
    found += [f"unfilled {name!r}" for name in UNFILLED.findall(text)]
    words = english_words(text) if lang != "en" else []
    if words:
        found.append(f"English {words!r}")
    return found


# What a page shows: visible text, and the texts a screen reader or a hover shows.
VISIBLE_TEXTS_JS = """
() => {
  const out = [document.title];
  const visible = (node) => !!(node.offsetWidth || node.offsetHeight || node.getClientRects().length);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "TEXTAREA"].includes(parent.tagName)) continue;
    if (parent.closest("[data-user-text]")) continue;
    const inSelect = parent.tagName === "OPTION" && visible(parent.closest("select"));
    if (node.textContent.trim() && (inSelect || visible(parent))) out.push(node.textContent.trim());
  }
  for (const node of document.querySelectorAll("[placeholder], [title], [aria-label], img[alt]")) {
    if (!visible(node)) continue;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      const value = node.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  return out;
}
"""


def page_problems(page: object, where: str, *, lang: str = "vi") -> list[str]:
    """Every text a Playwright `page` in `lang` shows now, with what is wrong with it."""
    texts: list[str] = page.evaluate(VISIBLE_TEXTS_JS)  # type: ignore[attr-defined]
    found = ((text, problems(text, lang=lang)) for text in texts)
    return [f"{where}: {text!r}: {', '.join(wrong)}" for text, wrong in found if wrong]
