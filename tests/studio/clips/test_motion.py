"""Ken Burns maths: the view never leaves the plate (pure)."""

from __future__ import annotations

import pytest

from studio.clips.motion import (
    EntranceKind,
    MotionKind,
    appear,
    ease_in_out,
    entrance,
    ken_burns,
    plate_size,
    transition_mix,
)

FRAME = (1080, 1920)


@pytest.mark.parametrize("kind", ["zoom_in", "zoom_out", "pan_left", "pan_right", "still"])
@pytest.mark.parametrize("progress", [0.0, 0.3, 1.0])
def test_frame_corners_always_fall_on_the_plate(kind: MotionKind, progress: float) -> None:
    plate = plate_size(*FRAME, 0.12)
    affine = ken_burns(kind, 0.12, progress, plate=plate, frame=FRAME)
    scale, shift_x, shift_y = affine.a, affine.c, affine.f
    for fx, fy in [(0, 0), (FRAME[0], 0), (0, FRAME[1]), FRAME]:
        px, py = (fx - shift_x) / scale, (fy - shift_y) / scale  # frame -> plate
        assert -0.5 <= px <= plate[0] + 0.5 and -0.5 <= py <= plate[1] + 0.5


def test_zoom_in_grows_and_zoom_out_shrinks() -> None:
    plate = plate_size(*FRAME, 0.2)
    zoom_in = [ken_burns("zoom_in", 0.2, p, plate=plate, frame=FRAME).a for p in (0.0, 0.5, 1.0)]
    zoom_out = [ken_burns("zoom_out", 0.2, p, plate=plate, frame=FRAME).a for p in (0.0, 0.5, 1.0)]
    assert zoom_in == sorted(zoom_in) and zoom_in[0] < zoom_in[-1]
    assert zoom_out == sorted(zoom_out, reverse=True)
    assert zoom_in[-1] == pytest.approx(1.0)  # fully zoomed in: plate pixels 1:1, never upscaled


def test_pans_move_sideways_only() -> None:
    plate = plate_size(*FRAME, 0.1)
    start = ken_burns("pan_right", 0.1, 0.0, plate=plate, frame=FRAME)
    end = ken_burns("pan_right", 0.1, 1.0, plate=plate, frame=FRAME)
    assert start.a == end.a and start.f == end.f and end.c < start.c


@pytest.mark.parametrize(
    ("t", "value"), [(-1.0, 0.0), (0.0, 0.0), (0.5, 0.5), (1.0, 1.0), (2.0, 1.0)]
)
def test_ease_in_out(t: float, value: float) -> None:
    assert ease_in_out(t) == pytest.approx(value)


def test_transition_and_appear_edges() -> None:
    assert transition_mix(1.0, 1.0, 0.0) == 1.0 and transition_mix(0.9, 1.0, 0.0) == 0.0
    assert (
        appear(0.0, 0.5, 0.3) == 0.0
        and appear(0.8, 0.5, 0.3) == 1.0
        and appear(1.0, 0.5, 0.0) == 1.0
    )


@pytest.mark.parametrize("kind", ["pop", "slide_in"])
def test_pop_and_slide_arrive_then_hold_the_product_at_its_box(kind: MotionKind) -> None:
    plate = plate_size(*FRAME, 0.1)
    start = ken_burns(kind, 0.1, 0.0, plate=plate, frame=FRAME)
    arrived = ken_burns(kind, 0.1, 0.2, plate=plate, frame=FRAME)
    full = ken_burns("zoom_in", 0.1, 1.0, plate=plate, frame=FRAME)
    assert abs(arrived.a - full.a) / full.a < 0.05  # at its placed size once arrived
    if kind == "pop":
        assert start.a < 0.8 * full.a  # springs in from smaller
    else:
        assert start.c > full.c + FRAME[0] * 0.5  # starts off to the side


@pytest.mark.parametrize("kind", ["rise", "pop", "slide", "reveal"])
def test_entrances_end_where_the_overlay_rests(kind: EntranceKind) -> None:
    end = entrance(kind, 1.0, rise_distance_px=20)
    assert (end.dx_share, end.dy_px, end.reveal, end.opacity) == (0.0, 0, 1.0, 1.0)
    assert abs(end.scale - 1.0) < 1e-6
    start = entrance(kind, 0.05, rise_distance_px=20)
    assert start != end
