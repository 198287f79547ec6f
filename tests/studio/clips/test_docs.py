"""docs/clips.md: its example spec is valid and renders; its images exist and are small."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from studio.clips.pipeline import render_clip
from studio.clips.resolve import resolve_scenes
from studio.clips.spec import spec_from_data

DOCS = Path(__file__).resolve().parents[3] / "docs"
PAGE = DOCS / "clips.md"


def _example() -> dict[str, object]:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
    example = next(b for b in blocks if b.startswith("# spec: docs example"))
    data: dict[str, object] = yaml.safe_load(example)
    return data


def test_docs_example_spec_is_valid_and_its_files_exist() -> None:
    spec = spec_from_data(_example(), base_dir=DOCS)
    scenes = resolve_scenes(spec)
    assert [s.sku for s in scenes] == ["A12", "SP01", None]
    assert scenes[2].price == Decimal(89000)
    assert scenes[0].countdown is not None and scenes[1].motion.kind == "pop"
    assert [s.source for s in scenes] == ["cleaned", "cleaned", "raw"]
    assert spec.brand is not None and spec.length_s == 15


@pytest.mark.slow
def test_docs_example_renders_as_a_preview(tmp_path: Path) -> None:
    report = render_clip(
        spec_from_data(_example(), base_dir=DOCS), tmp_path / "docs.mp4", is_preview=True
    )
    assert report.has_audio and abs(report.duration_s - 15) < 0.1
    kinds = [s["kind"] for s in report.scenes]
    assert kinds == ["product", "product", "closing"]  # 15 s: two 6 s products, the closing card
    closing = {e["kind"]: e for e in report.scenes[-1]["elements"]}
    assert closing["cta"]["lines"] and "A12" in " ".join(closing["cta"]["lines"])
    assert report.subtitles is not None and "Bình luận" in report.subtitles.read_text()


def test_docs_images_exist_and_are_small() -> None:
    images = re.findall(r"\]\((img/clips/[^)]+)\)", PAGE.read_text(encoding="utf-8"))
    assert len(images) >= 5
    for image in images:
        path = DOCS / image
        assert path.is_file(), image
        assert path.stat().st_size < 150_000, image
