"""Scene windows, transitions and when elements show (pure)."""

from __future__ import annotations

import pytest

from studio.clips.timeline import appear_at, build_timeline


def test_scenes_follow_each_other_and_the_clip_lasts_their_sum() -> None:
    timeline = build_timeline([4.0, 4.0, 4.0], fps=30, transition="crossfade", transition_s=0.5)
    assert [(w.start_s, w.end_s, w.out_s) for w in timeline.scenes] == [
        (0.0, 4.0, 3.5),
        (4.0, 8.0, 7.5),
        (8.0, 12.0, 12.0),
    ]
    assert timeline.duration_s == 12.0 and timeline.frame_count == 360


def test_transition_takes_at_most_half_a_short_scene() -> None:
    timeline = build_timeline([0.4, 3.0], fps=10, transition="crossfade", transition_s=1.0)
    assert timeline.scenes[0].out_s == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("index", "scene", "next_scene"),
    [(0, 0, None), (104, 0, None), (110, 0, 1), (119, 0, 1), (120, 1, None), (359, 2, None)],
)
def test_frame_plans(index: int, scene: int, next_scene: int | None) -> None:
    timeline = build_timeline([4.0, 4.0, 4.0], fps=30, transition="crossfade", transition_s=0.5)
    plan = timeline.frame(index)
    assert (plan.scene, plan.next_scene) == (scene, next_scene)
    assert 0.0 <= plan.mix <= 1.0


def test_cut_never_mixes() -> None:
    timeline = build_timeline([1.0, 1.0], fps=10, transition="cut", transition_s=0.5)
    assert all(timeline.frame(i).next_scene is None for i in range(timeline.frame_count))


def test_elements_fade_in_in_reading_order_and_go_with_their_scene() -> None:
    timeline = build_timeline([4.0, 4.0], fps=30, transition="crossfade", transition_s=0.5)
    assert (
        appear_at("title", 4.0)
        < appear_at("old_price", 4.0)
        < appear_at("price", 4.0)
        < appear_at("cta", 4.0)
    )
    assert timeline.element_opacity(0, "price", 0.5) == 0.0
    assert timeline.element_opacity(0, "price", 2.0) == 1.0
    assert 0.0 < timeline.element_opacity(0, "price", 3.8) < 1.0  # fading out with the transition
    assert timeline.element_opacity(0, "price", 4.1) == 0.0  # never outside its scene
    assert timeline.element_opacity(1, "price", 2.0) == 0.0


def test_short_scenes_show_everything_sooner() -> None:
    assert appear_at("cta", 1.0) == pytest.approx(appear_at("cta", 4.0) / 4)


@pytest.mark.parametrize("durations", [[], [0.0], [-1.0]])
def test_bad_durations_are_programming_errors(durations: list[float]) -> None:
    with pytest.raises(ValueError, match="positive"):
        build_timeline(durations, fps=30, transition="cut", transition_s=0.0)
