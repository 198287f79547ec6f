"""Ken Burns and transition maths. Pure: times and sizes in, numbers out (no pixels).

A scene's photo is drawn once on a *plate* a little larger than the frame; each frame shows part
of the plate through an affine map (scale + shift) that `ken_burns` returns for cv2.warpAffine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MotionKind = Literal["zoom_in", "zoom_out", "pan_left", "pan_right", "still", "pop", "slide_in"]
EntranceKind = Literal["rise", "pop", "slide", "reveal"]
ARRIVE = 0.15  # share of a scene a pop or a slide-in takes to arrive


@dataclass(frozen=True, slots=True)
class Affine:
    """A 2x3 affine map from plate pixels to frame pixels: x' = a*x + b*y + c, y' = d*x + e*y + f."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    def rows(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """Return the matrix rows, as cv2.warpAffine takes them."""
        return (self.a, self.b, self.c), (self.d, self.e, self.f)

    def apply(self, x: float, y: float) -> tuple[float, float]:
        """Map one plate point to the frame."""
        return self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f


def clamp01(value: float) -> float:
    """Clamp to [0, 1]."""
    return min(1.0, max(0.0, value))


def ease_in_out(t: float) -> float:
    """Smoothstep: slow start, slow end, for transitions and appearing text."""
    x = clamp01(t)
    return x * x * (3.0 - 2.0 * x)


def ease_out(t: float) -> float:
    """Quadratic ease-out: fast start, gentle landing."""
    x = clamp01(t)
    return 1.0 - (1.0 - x) * (1.0 - x)


def back_out(t: float, overshoot: float = 1.7) -> float:
    """Ease-out that overshoots a little and settles (a springy pop), 0 -> 1."""
    x = clamp01(t) - 1.0
    return 1.0 + x * x * ((overshoot + 1.0) * x + overshoot)


def plate_size(frame_w: int, frame_h: int, amount: float) -> tuple[int, int]:
    """Return the plate size for a motion of `amount`: the frame grown so no move shows an edge."""
    scale = 1.0 + amount
    return round(frame_w * scale), round(frame_h * scale)


def ken_burns(
    kind: MotionKind,
    amount: float,
    progress: float,
    *,
    plate: tuple[int, int],
    frame: tuple[int, int],
) -> Affine:
    """Return the plate-to-frame map at `progress` (0..1) through a scene.

    Zooms keep the centre fixed and show from the whole plate (zoomed out) to its centre
    1/(1+amount) part (zoomed in); pans show a frame-sized window sliding across the plate. The
    view never leaves the plate, so no border is ever visible.
    """
    plate_w, plate_h = plate
    frame_w, frame_h = frame
    p = clamp01(progress)
    fit = min(plate_w / frame_w, plate_h / frame_h)  # plate pixels per frame pixel, zoomed out
    if kind in ("zoom_in", "zoom_out"):
        zoom = 1.0 + amount * (p if kind == "zoom_in" else 1.0 - p)
        view_w, view_h = frame_w * fit / zoom, frame_h * fit / zoom
        left, top = (plate_w - view_w) / 2, (plate_h - view_h) / 2
    elif kind == "pop":
        arrive = back_out(p / ARRIVE)
        zoom = (1.0 + amount) * (0.72 + 0.28 * arrive) * (1.0 + 0.04 * clamp01((p - ARRIVE) / 0.85))
        view_w, view_h = frame_w * fit / zoom, frame_h * fit / zoom
        left, top = (plate_w - view_w) / 2, (plate_h - view_h) / 2
    elif kind == "slide_in":
        zoom = (1.0 + amount) * (1.0 + 0.03 * p)
        view_w, view_h = frame_w * fit / zoom, frame_h * fit / zoom
        left = (plate_w - view_w) / 2 - (1.0 - ease_out(p / ARRIVE)) * view_w * 0.9
        top = (plate_h - view_h) / 2
    elif kind in ("pan_left", "pan_right"):
        zoom = 1.0 + amount
        view_w, view_h = frame_w * fit / zoom, frame_h * fit / zoom
        span = plate_w - view_w
        left = span * (1.0 - p) if kind == "pan_left" else span * p
        top = (plate_h - view_h) / 2
    else:
        view_w, view_h = frame_w * fit, frame_h * fit
        left, top = (plate_w - view_w) / 2, (plate_h - view_h) / 2
    scale = frame_w / view_w
    return Affine(scale, 0.0, -left * scale, 0.0, scale, -top * scale)


def transition_mix(t: float, start_s: float, duration_s: float) -> float:
    """Return how far a transition starting at `start_s` has gone at time `t` (0..1, eased)."""
    if duration_s <= 0:
        return 1.0 if t >= start_s else 0.0
    return ease_in_out((t - start_s) / duration_s)


def appear(t: float, at_s: float, fade_s: float) -> float:
    """Return an element's opacity `t` seconds into its scene when it fades in at `at_s`."""
    if fade_s <= 0:
        return 1.0 if t >= at_s else 0.0
    return ease_out((t - at_s) / fade_s)


def rise_px(opacity: float, distance_px: int) -> int:
    """Return how far below its place an appearing element still is (it rises as it fades in)."""
    return round((1.0 - opacity) * distance_px)


@dataclass(frozen=True, slots=True)
class Entrance:
    """How an appearing overlay is drawn this frame: moved, scaled, or partly revealed."""

    dx_share: float = 0.0  # of the overlay's width, negative: from the left
    dy_px: int = 0
    scale: float = 1.0
    reveal: float = 1.0  # share of the columns shown, left to right
    opacity: float = 1.0


def entrance(kind: EntranceKind, opacity: float, *, rise_distance_px: int) -> Entrance:
    """Return how an overlay coming in with `kind` looks at `opacity` (0..1) of its fade-in."""
    if kind == "pop":
        return Entrance(scale=max(0.05, back_out(opacity, 2.2)), opacity=min(1.0, opacity * 2))
    if kind == "slide":
        return Entrance(dx_share=-(1.0 - opacity) * 1.2, opacity=min(1.0, opacity * 1.5))
    if kind == "reveal":
        return Entrance(reveal=ease_in_out(opacity), opacity=1.0 if opacity > 0 else 0.0)
    return Entrance(dy_px=rise_px(opacity, rise_distance_px), opacity=opacity)
