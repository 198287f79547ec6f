"""The bundled music loops a clip can pick by name, with their tempo and licence.

No CC0 music ships in a package on PyPI or npm that we could find, so the loops are synthesized
for Livestall by ``bench/music_loop.py`` (no samples) and dedicated to the public domain (CC0
1.0). Their tempo is known, so scene changes can fall on a beat (`beat_s`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.errors import SpecInvalid
from studio.paths import assets_dir


@dataclass(frozen=True, slots=True)
class Track:
    """A bundled loop: its file under ``assets/music``, tempo and licence."""

    name: str
    file: str
    bpm: int
    mood: str
    licence: str = "CC0-1.0 (synthesized for Livestall by bench/music_loop.py)"

    @property
    def beat_s(self) -> float:
        """Seconds per beat."""
        return 60.0 / self.bpm

    def path(self) -> Path:
        """The loop's file."""
        return assets_dir() / "music" / self.file


TRACKS: dict[str, Track] = {
    t.name: t
    for t in (
        Track("upbeat", "upbeat-loop.m4a", 120, "bright pop, kick on the beat"),
        Track("chill", "chill-loop.m4a", 90, "calm pads and arpeggio, no drums' kick"),
        Track("hype", "hype-loop.m4a", 128, "flash-sale energy, double hi-hats"),
    )
}


def get_track(name: str) -> Track:
    """Return a bundled loop by name.

    Raises:
        SpecInvalid: naming ``music.track`` when there is no such loop.
    """
    try:
        return TRACKS[name]
    except KeyError:
        raise SpecInvalid(
            f"music.track: no bundled loop {name!r}", hint=f"choose one of {', '.join(TRACKS)}"
        ) from None


def tempo_of(file: Path) -> float | None:
    """Seconds per beat of a bundled loop's file, None for any other music."""
    track = next((t for t in TRACKS.values() if t.path() == file), None)
    return track.beat_s if track else None
