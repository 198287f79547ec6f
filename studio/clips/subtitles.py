"""SubRip (.srt) subtitles of a clip: each scene's title, then its call to action. Pure.

Written beside the video (``promo.srt``) so a platform that reads captions, or a seller who
wants to burn them in with their editor, gets the same words the clip shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: its text (one or two lines) from `start_s` to `end_s`."""

    start_s: float
    end_s: float
    text: str


def timestamp(seconds: float) -> str:
    """SubRip time: ``HH:MM:SS,mmm``."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"


def scene_cues(scenes: Sequence[tuple[float, float, str, str | None]]) -> list[Cue]:
    """Cues for (start, end, title, call to action) scenes: the title for the whole scene, the
    call to action under it from the scene's middle (empty texts are left out)."""
    cues: list[Cue] = []
    for start, end, title, cta in scenes:
        middle = start + (end - start) / 2
        if title and cta:
            cues.append(Cue(start, middle, title))
            cues.append(Cue(middle, end, f"{title}\n{cta}"))
        elif title or cta:
            cues.append(Cue(start, end, title or cta or ""))
    return cues


def to_srt(cues: Sequence[Cue]) -> str:
    """The SubRip document: numbered cues separated by blank lines."""
    blocks = [
        f"{n}\n{timestamp(c.start_s)} --> {timestamp(c.end_s)}\n{c.text}\n"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)
