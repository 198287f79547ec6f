"""Balanced line breaking between units (words, names), measured by the caller. Pure.

`break_lines` takes units from `overlays.words.segment` and a function measuring a line as it
will be drawn. It uses the fewest lines the greedy fill needs, then chooses where to break so
the longest line is as short as possible (ties: the most even lines): "Chả mực Hạ Long /
loại 1 Quảng Ninh" rather than a full first line and one word under it. A unit wider than the
line is split into its syllables, and a syllable wider than the line between grapheme clusters
(never inside a combining sequence, emoji sequence or flag).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

Measure = Callable[[str], float]

# parts of emoji sequences: joiner, presentation selector, skin tones, keycap, flag tags
EMOJI_JOINERS = frozenset(
    [0x200D, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)]
)


def break_lines(units: Sequence[str], measure: Measure, max_width_px: float) -> list[list[str]]:
    """Return the units of each line: fewest lines, then the shortest longest line.

    Args:
        units: text pieces a break must not split, in reading order.
        measure: width of a line (its units joined by spaces) in pixels.
        max_width_px: the widest a line may be.
    """
    pieces = _fitting_units(units, measure, max_width_px)
    if not pieces:
        return []
    width = lru_cache(maxsize=None)(lambda i, j: measure(" ".join(pieces[i:j])))
    count = len(_greedy(pieces, width, max_width_px))
    return _balanced(pieces, width, max_width_px, count)


def _fitting_units(units: Sequence[str], measure: Measure, max_width_px: float) -> list[str]:
    """Units as given, except those wider than a line: syllables, then cluster pieces."""
    out: list[str] = []
    for unit in units:
        if measure(unit) <= max_width_px:
            out.append(unit)
            continue
        for syllable in unit.split(" "):
            rest = syllable
            while measure(rest) > max_width_px:
                head, rest = break_word(rest, measure, max_width_px)
                out.append(head)
            if rest:
                out.append(rest)
    return out


def _greedy(pieces: list[str], width: Callable[[int, int], float], max_px: float) -> list[int]:
    starts = [0]
    for index in range(1, len(pieces)):
        if width(starts[-1], index + 1) > max_px:
            starts.append(index)
    return starts


def _balanced(
    pieces: list[str], width: Callable[[int, int], float], max_px: float, count: int
) -> list[list[str]]:
    """Exactly `count` lines minimising (longest line, sum of squared slack)."""
    total = len(pieces)
    inf = (float("inf"), float("inf"))
    # best[k][j]: cost of putting pieces[:j] on k lines; back[k][j]: where the last line starts
    best = [[inf] * (total + 1) for _ in range(count + 1)]
    back = [[0] * (total + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, 0.0)
    for lines in range(1, count + 1):
        for end in range(1, total + 1):
            for start in range(lines - 1, end):
                before = best[lines - 1][start]
                if before == inf:
                    continue
                line = width(start, end)
                if line > max_px and end - start > 1:
                    continue
                cost = (max(before[0], line), before[1] + (max_px - line) ** 2)
                if cost < best[lines][end]:
                    best[lines][end], back[lines][end] = cost, start
    if best[count][total] == inf:  # cannot happen with the greedy count; keep the greedy lines
        starts = _greedy(pieces, width, max_px) + [total]
        return [pieces[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    lines_out: list[list[str]] = []
    end = total
    for lines in range(count, 0, -1):
        start = back[lines][end]
        lines_out.append(pieces[start:end])
        end = start
    return lines_out[::-1]


def break_word(word: str, measure: Measure, max_width_px: float) -> tuple[str, str]:
    """Split an over-long word at the last cluster boundary that fits (never inside a cluster)."""
    boundaries = [i for i in range(1, len(word)) if starts_cluster(word, i)]
    best = boundaries[0] if boundaries else len(word)
    for index in boundaries:
        if measure(word[:index]) <= max_width_px:
            best = index
        else:
            break
    return word[:best], word[best:]


def starts_cluster(word: str, index: int) -> bool:
    """Whether a break before ``word[index]`` keeps every cluster whole: no combining mark,
    no emoji sequence (joiner, selector, skin tone, keycap, tag) and no flag pair is cut."""
    char = word[index]
    if unicodedata.combining(char) or ord(char) in EMOJI_JOINERS or word[index - 1] == "\u200d":
        return False
    if _is_regional_indicator(char):
        before = 0
        while index - before - 1 >= 0 and _is_regional_indicator(word[index - before - 1]):
            before += 1
        return before % 2 == 0
    return True


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
