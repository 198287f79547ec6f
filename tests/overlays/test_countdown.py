"""Flash-sale countdown: steps per second and their layers."""

from __future__ import annotations

import pytest

from overlays.badge import PillStyle
from overlays.countdown import countdown_steps, format_remaining, render_countdown


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00"), (59, "00:59"), (179, "02:59"), (3600, "1:00:00"), (-5, "00:00")],
)
def test_format_remaining(seconds: int, text: str) -> None:
    assert format_remaining(seconds) == text


def test_steps_tick_once_per_second() -> None:
    steps = countdown_steps(1.0, 4.0, remaining_at_start_s=10.0)
    assert [(s.start_s, s.end_s, s.remaining_s) for s in steps] == [
        (1.0, 2.0, 10), (2.0, 3.0, 9), (3.0, 4.0, 8)
    ]  # fmt: skip


def test_fractional_start_rounds_up_and_stops_at_zero() -> None:
    steps = countdown_steps(0.0, 4.0, remaining_at_start_s=1.5)
    assert [(s.start_s, s.end_s, s.remaining_s) for s in steps] == [
        (0.0, 0.5, 2),
        (0.5, 1.5, 1),
        (1.5, 4.0, 0),
    ]


def test_each_second_renders_its_own_reading() -> None:
    style = PillStyle(size_px=30)
    first = render_countdown("Còn", 59, style, language="vi", max_width_px=400)
    second = render_countdown("Còn", 58, style, language="vi", max_width_px=400)
    assert first.height == second.height
    assert not (first.rgba.shape == second.rgba.shape and (first.rgba == second.rgba).all())
