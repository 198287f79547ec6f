"""Flash-sale countdown: one layer per second shown, drawn once each, never per frame."""

from __future__ import annotations

import math
from dataclasses import dataclass

from overlays.badge import PillStyle, render_pill
from overlays.fonts import FontSet
from overlays.layers import Layer


@dataclass(frozen=True, slots=True)
class CountdownStep:
    """From `start_s` to `end_s` (clip time) the countdown shows `remaining_s`."""

    start_s: float
    end_s: float
    remaining_s: int


def format_remaining(seconds: int) -> str:
    """Return ``MM:SS`` (or ``H:MM:SS`` from one hour), never negative."""
    left = max(0, seconds)
    hours, rest = divmod(left, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def countdown_steps(
    start_s: float, end_s: float, *, remaining_at_start_s: float
) -> list[CountdownStep]:
    """Split a time span into the seconds a countdown shows (pure).

    Args:
        start_s: clip time the countdown appears.
        end_s: clip time it disappears.
        remaining_at_start_s: what it reads when it appears (rounded up, like a kitchen timer).

    Returns:
        Consecutive steps covering [start_s, end_s); the reading stops at zero.
    """
    steps: list[CountdownStep] = []
    fraction = remaining_at_start_s - math.floor(remaining_at_start_s)
    first_tick = fraction if fraction > 0 else 1.0
    reading = math.ceil(remaining_at_start_s)
    t = start_s
    next_tick = start_s + first_tick
    while t < end_s:
        stop = min(end_s, next_tick) if reading > 0 else end_s
        steps.append(CountdownStep(t, stop, max(0, reading)))
        t, next_tick, reading = stop, next_tick + 1.0, reading - 1
    return steps


def render_countdown(
    label: str,
    remaining_s: int,
    style: PillStyle,
    *,
    language: str,
    max_width_px: int,
    fonts: FontSet | None = None,
) -> Layer:
    """Draw ``label 02:59`` on a pill; call once per distinct `remaining_s` and reuse."""
    text = f"{label} {format_remaining(remaining_s)}" if label else format_remaining(remaining_s)
    return render_pill(
        text, style, language=language, max_width_px=max_width_px, max_lines=2, fonts=fonts
    )
