"""The RGBA layer and ways to combine layers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from overlays.layers import Layer, load_logo, on_panel, parse_color, side_by_side, stack
from studio.errors import InputError
from studio.paths import assets_dir


@pytest.mark.parametrize(
    ("text", "rgba"),
    [
        ("#E53935", (229, 57, 53, 255)),
        ("ffffff80", (255, 255, 255, 128)),
        ("#000000", (0, 0, 0, 255)),
    ],
)
def test_parse_color(text: str, rgba: tuple[int, int, int, int]) -> None:
    assert parse_color(text) == rgba


@pytest.mark.parametrize("text", ["red", "#12345", "#GGGGGG", ""])
def test_parse_color_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="colour"):
        parse_color(text)


def _solid(width: int, height: int) -> Layer:
    return Layer(np.full((height, width, 4), 255, np.uint8))


def test_cropped_to_ink_keeps_a_margin() -> None:
    rgba = np.zeros((50, 60, 4), np.uint8)
    rgba[10:20, 30:35] = 255
    cropped = Layer(rgba).cropped_to_ink(3)
    assert (cropped.width, cropped.height) == (11, 16)
    assert cropped.ink_box() == (3, 3, 8, 13)


def test_stack_and_side_by_side_sizes() -> None:
    assert stack([_solid(10, 5), _solid(20, 5)], gap_px=2).rgba.shape == (12, 20, 4)
    assert side_by_side([_solid(10, 5), _solid(20, 9)], gap_px=3).rgba.shape == (9, 33, 4)


def test_on_panel_pads_with_the_colour() -> None:
    panel = on_panel(Layer.blank(10, 10), color=(1, 2, 3, 255), padding_px=(5, 4), radius_px=0)
    assert (panel.width, panel.height) == (20, 18)
    assert tuple(panel.rgba[9, 9]) == (1, 2, 3, 255)


def test_load_logo_scales_to_height() -> None:
    logo = load_logo(assets_dir() / "logo.png", height_px=64)
    assert logo.height == 64


def test_load_logo_names_an_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"not a png")
    with pytest.raises(InputError, match="logo.png"):
        load_logo(bad, height_px=10)
