"""From scene durations to what each frame shows. Pure: no pixels, no files, no clock.

Scenes follow each other; a transition to the next scene takes the last `duration_s` of the scene
before it, so the clip lasts exactly the sum of the scene durations. Elements of a scene (title,
prices, badge, countdown, call to action) fade in one after another and go with their scene.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from studio.clips.motion import appear, clamp01, transition_mix

TransitionKind = Literal["crossfade", "slide", "cut"]

# When each element appears, seconds into its scene (scaled down for short scenes): a reading order.
APPEAR_AT_S: dict[str, float] = {
    "text": 0.1,
    "title": 0.15,
    "subtitle": 0.3,
    "old_price": 0.5,
    "price": 0.7,
    "badge": 0.9,
    "countdown": 1.0,
    "cta": 1.2,
}
FADE_S = 0.3


@dataclass(frozen=True, slots=True)
class SceneWindow:
    """When a scene is on screen: [start_s, end_s); its outgoing transition starts at `out_s`."""

    index: int
    start_s: float
    end_s: float
    out_s: float

    @property
    def duration_s(self) -> float:
        """Length of the scene."""
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class FramePlan:
    """What one frame shows: a scene at some progress, maybe mixing into the next one."""

    index: int
    t: float
    scene: int
    progress: float
    next_scene: int | None
    next_progress: float
    mix: float  # 0 = only `scene`, 1 = only `next_scene`


@dataclass(frozen=True, slots=True)
class Timeline:
    """All scene windows of a clip and its frame rate."""

    scenes: tuple[SceneWindow, ...]
    fps: int
    transition: TransitionKind
    transition_s: float

    @property
    def duration_s(self) -> float:
        """Length of the whole clip."""
        return self.scenes[-1].end_s

    @property
    def frame_count(self) -> int:
        """Number of frames (duration x fps, rounded)."""
        return max(1, round(self.duration_s * self.fps))

    def frame(self, index: int) -> FramePlan:
        """Plan one frame: which scene, how far through it, and any transition mix."""
        t = index / self.fps
        window = next((w for w in self.scenes if t < w.end_s), self.scenes[-1])
        progress = clamp01((t - window.start_s) / window.duration_s)
        nxt = window.index + 1 if window.index + 1 < len(self.scenes) else None
        if nxt is None or t < window.out_s or self.transition == "cut":
            return FramePlan(index, t, window.index, progress, None, 0.0, 0.0)
        mix = transition_mix(t, window.out_s, window.end_s - window.out_s)
        return FramePlan(index, t, window.index, progress, nxt, 0.0, mix)

    def element_opacity(self, scene: int, kind: str, t: float) -> float:
        """Opacity of a scene's element at clip time `t` (0 outside its scene)."""
        window = self.scenes[scene]
        if t < window.start_s or t >= window.end_s:
            return 0.0
        at_s = appear_at(kind, window.duration_s)
        fade_in = appear(t - window.start_s, at_s, min(FADE_S, window.duration_s / 4))
        if t >= window.out_s and window.index + 1 < len(self.scenes):
            return fade_in * (1.0 - transition_mix(t, window.out_s, window.end_s - window.out_s))
        return fade_in

    def element_span(self, scene: int, kind: str) -> tuple[float, float]:
        """Clip times an element is (at least partly) visible: [first, last)."""
        window = self.scenes[scene]
        return window.start_s + appear_at(kind, window.duration_s), window.end_s


def appear_at(kind: str, scene_s: float) -> float:
    """When an element kind appears in a scene of `scene_s` seconds (earlier in short scenes)."""
    base = APPEAR_AT_S.get(kind, 0.0)
    return base * min(1.0, scene_s / 4.0)


def build_timeline(
    durations_s: Sequence[float], *, fps: int, transition: TransitionKind, transition_s: float
) -> Timeline:
    """Lay scenes end to end; transitions take at most half of the shorter neighbouring scene.

    Raises:
        ValueError: for no scenes, a non-positive duration or fps (the spec rejects these first).
    """
    if not durations_s or min(durations_s) <= 0 or fps <= 0:
        raise ValueError("need at least one scene, positive durations and fps")
    windows: list[SceneWindow] = []
    start = 0.0
    for index, duration in enumerate(durations_s):
        end = start + duration
        if index + 1 < len(durations_s) and transition != "cut":
            overlap = min(transition_s, duration / 2, durations_s[index + 1] / 2)
        else:
            overlap = 0.0
        windows.append(SceneWindow(index, start, end, end - overlap))
        start = end
    return Timeline(tuple(windows), fps, transition, transition_s)


@dataclass(frozen=True, slots=True)
class Fit:
    """Product scenes fitted to a total length: their durations and the closing card's."""

    durations_s: tuple[float, ...]
    closing_s: float


def fit_scenes(
    product_count: int,
    length_s: float,
    *,
    closing_s: float = 0.0,
    beat_s: float | None = None,
    ideal_s: float = 6.5,
    min_s: float = 5.0,
) -> Fit:
    """Fit product scenes (cycled through the products) and a closing card to `length_s`.

    About `ideal_s` per scene (5-8 s), every product at least once when each still gets
    `min_s`; with a music tempo (`beat_s`) every scene change falls on a beat. The durations
    and the closing card add up to `length_s` exactly.

    Raises:
        ValueError: for no products or a length shorter than the closing card.
    """
    room = length_s - closing_s
    if product_count < 1 or room <= 0:
        raise ValueError("need a product and a length longer than the closing card")
    count = max(1, round(room / ideal_s))
    if product_count > count and room / product_count >= min_s:
        count = product_count
    bounds = [room * k / count for k in range(count + 1)]
    if beat_s:
        snapped = [round(b / beat_s) * beat_s for b in bounds[1:-1]]
        end = round(room / beat_s) * beat_s if closing_s > 0 else room
        bounds = [0.0, *snapped, min(end, length_s - 0.5 if closing_s > 0 else length_s)]
    durations = tuple(b - a for a, b in zip(bounds, bounds[1:], strict=False))
    return Fit(durations, length_s - bounds[-1])
