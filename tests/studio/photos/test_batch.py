from __future__ import annotations

import os
from pathlib import Path

from studio.photos.batch import collect_inputs, plan


def _touch(path: Path, *, mtime_s: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    if mtime_s is not None:
        os.utime(path, (mtime_s, mtime_s))
    return path


def test_collect_inputs_expands_folders_dedupes_and_skips_the_output(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    cup = _touch(shots / "cup.jpg")
    _touch(shots / "kitchen" / "Bowl.JPEG")
    _touch(shots / "notes.txt")
    _touch(shots / "out" / "shopee" / "cup.jpg")  # an earlier run's output inside the input
    files, missing = collect_inputs([shots, cup, tmp_path / "gone.jpg"], exclude=shots / "out")
    assert [p.relative_to(shots).as_posix() for p in files] == ["cup.jpg", "kitchen/Bowl.JPEG"]
    assert [(r.source.name, r.code) for r in missing] == [("gone.jpg", "photo.unreadable")]


def test_plan_fails_collisions_and_skips_up_to_date_outputs(tmp_path: Path) -> None:
    first = _touch(tmp_path / "a" / "cup.jpg", mtime_s=1000)
    second = _touch(tmp_path / "b" / "cup.png", mtime_s=1000)
    bowl = _touch(tmp_path / "a" / "bowl.jpg", mtime_s=1000)
    _touch(tmp_path / "out" / "bowl.jpg", mtime_s=2000)  # newer than its input

    def targets(stem: str) -> tuple[Path, ...]:
        return (tmp_path / "out" / f"{stem}.jpg",)

    jobs, early = plan([first, second, bowl], targets, force=False)
    assert [job.source for job in jobs] == [first]
    assert [(r.source, r.status, r.code) for r in early] == [
        (second, "failed", "output.collision"),
        (bowl, "skipped", ""),
    ]
    forced, _ = plan([first, bowl], targets, force=True)
    assert [job.source for job in forced] == [first, bowl]
