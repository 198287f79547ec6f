"""Moderation: blocked words, comment length, rate limits. Pure; the clock is passed in.

The default blocked-word list is deliberately short (common Vietnamese and English insults and
their teen-code spellings); sellers edit it from the host console (``PUT /api/moderation/words``).
Words match whole tokens of the case-folded NFC text, so "đeo" (to wear) never matches "đéo".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

DEFAULT_BLOCKED_WORDS: tuple[str, ...] = (
    # vi, with the spellings viewers use to dodge filters
    "địt",
    "đụ",
    "lồn",
    "cặc",
    "đéo",
    "đm",
    "đmm",
    "dm",
    "dmm",
    "vcl",
    "vkl",
    "clgt",
    # en
    "fuck",
    "fucking",
    "shit",
    "bitch",
    "cunt",
)

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fold_text(text: str) -> str:
    """Return `text` as NFC and case-folded (the form blocked words are compared in)."""
    return unicodedata.normalize("NFC", text).casefold()


def find_blocked_word(text: str, blocked_words: Iterable[str]) -> str | None:
    """Return the first blocked word (or phrase) that appears as whole tokens in `text`."""
    tokens = _TOKEN.findall(fold_text(text))
    joined = f" {' '.join(tokens)} "
    for word in blocked_words:
        wanted = " ".join(_TOKEN.findall(fold_text(word)))
        if wanted and f" {wanted} " in joined:
            return word
    return None


def clean_words(words: Iterable[str]) -> tuple[str, ...]:
    """Return a blocked-word list trimmed, de-duplicated and without empty entries."""
    seen: dict[str, None] = {}
    for word in words:
        stripped = " ".join(word.split())
        if stripped and len(stripped) <= 64:
            seen.setdefault(stripped, None)
    return tuple(seen)


@dataclass(slots=True)
class RateLimiter:
    """Token buckets per key (viewer or IP): `rate_per_s` refill, up to `burst` at once.

    Args:
        rate_per_s: tokens added per second.
        burst: bucket size.
        max_keys: buckets kept; the least recently used go first (bounds memory under a flood).
    """

    rate_per_s: float
    burst: int
    max_keys: int = 100_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str, now_s: float) -> bool:
        """Take one token for `key` at time `now_s`; False when its bucket is empty."""
        tokens, last = self._buckets.pop(key, (float(self.burst), now_s))
        tokens = min(float(self.burst), tokens + (now_s - last) * self.rate_per_s)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now_s)
        if len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]
        return allowed
