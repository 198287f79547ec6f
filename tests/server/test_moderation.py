"""Blocked words and rate limits (pure)."""

from __future__ import annotations

import pytest

from server.moderation import DEFAULT_BLOCKED_WORDS, RateLimiter, clean_words, find_blocked_word


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("shop này vcl", "vcl"),
        ("VCL luôn", "vcl"),
        ("what the FUCK", "fuck"),
        ("đeo thử A12 nha", None),  # "đeo" (to wear) is not "đéo"
        ("đéo mua", "đéo"),
        ("chốt A12 size M", None),
        ("dmm shop lừa", "dmm"),
        ("admin ơi", None),  # "dm" only as a whole word
        ("shitake mushrooms", None),
    ],
)
def test_blocked_words_match_whole_words(text: str, found: str | None) -> None:
    assert find_blocked_word(text, DEFAULT_BLOCKED_WORDS) == found


def test_phrases_match_across_spacing_and_case() -> None:
    assert find_blocked_word("Xem  SPAM\tlink", ["spam link"]) == "spam link"


def test_clean_words_trims_and_dedupes() -> None:
    assert clean_words(["  spam  ", "spam", "", "a  b", "x" * 65]) == ("spam", "a b")


def test_rate_limiter_allows_a_burst_then_refills() -> None:
    limiter = RateLimiter(rate_per_s=0.5, burst=3)

    burst = [limiter.allow("viewer", 100.0) for _ in range(4)]
    after_one_s = limiter.allow("viewer", 101.0)
    after_two_s = limiter.allow("viewer", 102.1)

    assert burst == [True, True, True, False]
    assert (after_one_s, after_two_s) == (False, True)
    assert limiter.allow("someone else", 100.0)


def test_rate_limiter_memory_is_bounded() -> None:
    limiter = RateLimiter(rate_per_s=1, burst=1, max_keys=10)
    for i in range(100):
        limiter.allow(f"k{i}", 0.0)
    assert len(limiter._buckets) == 10
