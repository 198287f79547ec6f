"""docs/studio.md tells the truth: its caption-limit table is the code's, its images exist."""

from __future__ import annotations

import re
from pathlib import Path

from server.studio.captions import PLATFORMS

DOC = Path(__file__).resolve().parents[2] / "docs" / "studio.md"


def test_caption_limit_table_matches_the_code() -> None:
    rows = re.findall(
        r"^\| (\w+) \| (\d+) \| (\d+) \| (\d+|—) \| `(\w+)` preset \| (.+) \|$",
        DOC.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    documented = {
        name: (int(limit), int(tags), None if title == "—" else int(title), preset, source)
        for name, limit, tags, title, preset, source in rows
    }
    in_code = {
        p.name: (p.max_chars, p.max_hashtags, p.title_max_chars, p.photo_preset, p.source)
        for p in PLATFORMS.values()
    }
    assert documented == in_code


def test_every_image_exists_and_is_small() -> None:
    images = re.findall(r"\]\((img/studio/[\w.-]+\.png)\)", DOC.read_text(encoding="utf-8"))
    assert len(images) >= 5
    for image in images:
        path = DOC.parent / image
        assert path.is_file(), image
        assert path.stat().st_size < 150_000, image
