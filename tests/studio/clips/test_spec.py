"""The clip spec: validation with field paths, templates, schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from clips.media import PHOTO
from studio.clips.spec import ClipSpec, field_path, load_spec, merge, spec_from_data, validate_spec
from studio.clips.templates import template_names
from studio.errors import SpecInvalid


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("scenes", 2, "price"), "scenes[2].price"),
        (("theme", "accent"), "theme.accent"),
        ((), "(top level)"),
        (("scenes", 0), "scenes[0]"),
    ],
)
def test_field_path(location: tuple[int | str, ...], path: str) -> None:
    assert field_path(location) == path


def _scene(**fields: object) -> dict[str, object]:
    return {"photo": str(PHOTO), **fields}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"scenes": [_scene(), _scene(), _scene(price="abc")]},
            r"scenes\[2\]\.price: 'abc' is not a number",
        ),
        ({"scenes": [_scene(duration_s=0)]}, r"scenes\[0\]\.duration_s"),
        ({"scenes": []}, r"scenes: "),
        (
            {"scenes": [{"title": "no photo"}]},
            r"scenes\[0\]: a scene needs a photo or a catalog sku",
        ),
        ({"scenes": [_scene(price=100, sale_price=200)]}, r"scenes\[0\]: sale_price is higher"),
        ({"scenes": [_scene()], "currency": "XYZ"}, r"currency: unknown currency 'XYZ'"),
        ({"scenes": [_scene()], "theme": {"accent": "red"}}, r"theme\.accent: .*not a colour"),
        ({"scenes": [_scene()], "canvas": {"aspect": "4:3"}}, r"canvas\.aspect"),
        ({"scenes": [_scene()], "colour": "#FFF"}, r"colour: Extra inputs"),
    ],
)
def test_invalid_specs_name_the_field(data: dict[str, object], message: str) -> None:
    with pytest.raises(SpecInvalid, match=message):
        validate_spec(data)


def test_prices_accept_vietnamese_thousands() -> None:
    spec = validate_spec({"scenes": [_scene(price="199.000", sale_price=139000)]})
    assert spec.scenes[0].price == Decimal(199000)


@pytest.mark.parametrize(
    ("aspect", "width", "size"),
    [
        ("9:16", None, (1080, 1920)),
        ("1:1", None, (1080, 1080)),
        ("16:9", None, (1920, 1080)),
        ("9:16", 217, (216, 384)),
    ],
)
def test_canvas_sizes_are_even(aspect: str, width: int | None, size: tuple[int, int]) -> None:
    spec = validate_spec({"scenes": [_scene()], "canvas": {"aspect": aspect, "width": width}})
    assert spec.canvas.size() == size


def test_merge_is_deep_for_mappings_and_replaces_lists() -> None:
    base = {"theme": {"accent": "#000000", "align": "center"}, "scenes": [1, 2]}
    assert merge(base, {"theme": {"accent": "#FFFFFF"}, "scenes": [3]}) == {
        "theme": {"accent": "#FFFFFF", "align": "center"},
        "scenes": [3],
    }


def test_six_distinct_templates() -> None:
    names = template_names()
    assert {"classic", "bold", "minimal", "spotlight", "flash", "showcase"} <= set(names)
    looks = {
        name: spec_from_data({"extends": name, "scenes": [_scene()]}, base_dir=Path.cwd())
        for name in names
    }
    assert len(
        {(s.theme.accent, s.theme.background, s.transition.kind) for s in looks.values()}
    ) == len(names)


def test_spec_extends_a_template_and_overrides_it(tmp_path: Path) -> None:
    spec = spec_from_data(
        {"extends": "bold", "theme": {"accent": "#00FF00"}, "scenes": [_scene()]}, base_dir=tmp_path
    )
    assert spec.theme.accent == "#00FF00"
    assert spec.theme.background == "color"  # from bold
    assert spec.transition.kind == "slide"
    assert spec.logo is None  # templates carry no Livestall mark
    assert spec.music is not None and spec.music.track == "hype" and spec.music.file is None


def test_a_music_file_replaces_the_templates_track(tmp_path: Path) -> None:
    song = tmp_path / "song.mp3"
    song.write_bytes(b"")
    spec = spec_from_data(
        {"extends": "bold", "music": {"file": "song.mp3"}, "scenes": [_scene()]}, base_dir=tmp_path
    )
    assert spec.music is not None and spec.music.track is None
    assert spec.music.file == str(song) and spec.music.volume == 0.7  # the rest still merges


def test_spec_can_extend_a_template_file(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(
        yaml.safe_dump({"extends": "minimal", "theme": {"accent": "#123456"}}), encoding="utf-8"
    )
    (tmp_path / "photo.jpg").write_bytes(PHOTO.read_bytes())
    (tmp_path / "clip.yaml").write_text(
        yaml.safe_dump({"extends": "shop.yaml", "scenes": [{"photo": "photo.jpg"}]}),
        encoding="utf-8",
    )
    spec = load_spec(tmp_path / "clip.yaml")
    assert spec.theme.accent == "#123456" and spec.theme.align == "start"
    assert spec.scenes[0].photo == str(tmp_path / "photo.jpg")


def test_spec_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "clip.yaml"
    bad.write_text("scenes: [", encoding="utf-8")
    with pytest.raises(SpecInvalid, match="clip.yaml: not valid YAML"):
        load_spec(bad)
    with pytest.raises(SpecInvalid, match="no such spec file"):
        load_spec(tmp_path / "missing.yaml")
    bad.write_text(json.dumps({"scenes": [{"photo": "x.jpg", "duration_s": -1}]}), encoding="utf-8")
    with pytest.raises(SpecInvalid, match=r"clip.yaml: scenes\[0\].duration_s"):
        load_spec(bad)


def test_schema_lists_the_fields() -> None:
    schema = ClipSpec.model_json_schema()
    assert {
        "canvas",
        "scenes",
        "theme",
        "logo",
        "music",
        "transition",
        "locale",
        "currency",
        "output",
    } <= set(schema["properties"])
