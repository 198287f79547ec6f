"""What a batch did, per photo: the values `report.json`, the CLI and the web studio show."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from studio.errors import LivestallError

Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class PresetOutput:
    """One written file: which preset, where, how full, how heavy, which quality."""

    preset: str
    path: Path
    size_px: tuple[int, int]
    fill: float
    bytes: int
    quality: int


@dataclass(frozen=True, slots=True)
class PhotoWarning:
    """Something that went through but a seller should know, by stable code.

    ``text`` is the English sentence (the CLI and ``report.json`` print it); the web studio shows
    ``code`` in the page's language with ``values`` (``{"scale": "2.4"}``) filled in.
    """

    code: Literal["photo.upscaled", "photo.quality_lowered"]
    preset: str
    text: str
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, str]:
        """The web studio's form: code, preset, English text and the values."""
        return {"code": self.code, "preset": self.preset, "text": self.text, **dict(self.values)}


@dataclass(frozen=True, slots=True)
class PhotoResult:
    """The outcome for one input photo.

    ``bbox`` is the product box in the input's pixels (left, top, right, bottom);
    ``timings_s`` maps stage name to seconds; ``warnings`` are things that went through but a
    seller should know (upscaled a small photo, an output could not fit its size limit).
    """

    source: Path
    status: Status
    engine: str = ""
    code: str = ""
    reason: str = ""
    outputs: tuple[PresetOutput, ...] = ()
    bbox: tuple[int, int, int, int] | None = None
    timings_s: dict[str, float] = field(default_factory=dict)
    warnings: tuple[PhotoWarning, ...] = ()

    @classmethod
    def failure(cls, source: Path, error: LivestallError, *, engine: str = "") -> PhotoResult:
        """A failed result carrying the error's code and message (with its hint)."""
        return cls(source, "failed", engine=engine, code=error.code, reason=str(error))


@dataclass(frozen=True, slots=True)
class BatchReport:
    """Every input's result plus the batch's totals."""

    results: tuple[PhotoResult, ...]
    engine: str
    model: str
    presets: tuple[str, ...]
    total_s: float
    report_path: Path | None = None
    contact_sheet: Path | None = None
    errors: tuple[str, ...] = ()

    @property
    def failed(self) -> tuple[PhotoResult, ...]:
        """Results with status ``failed``."""
        return tuple(r for r in self.results if r.status == "failed")

    @property
    def is_ok(self) -> bool:
        """True when no input failed and the report itself could be written."""
        return not self.failed and not self.errors

    def counts(self) -> dict[str, int]:
        """How many inputs ended ok, failed and skipped."""
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for result in self.results:
            counts[result.status] += 1
        return counts


def result_to_dict(result: PhotoResult) -> dict[str, object]:
    """One result as JSON-ready data."""
    return {
        "source": str(result.source),
        "status": result.status,
        "engine": result.engine,
        "code": result.code,
        "reason": result.reason,
        "bbox": list(result.bbox) if result.bbox else None,
        "outputs": [
            {
                "preset": out.preset,
                "path": str(out.path),
                "width": out.size_px[0],
                "height": out.size_px[1],
                "fill": round(out.fill, 4),
                "bytes": out.bytes,
                "quality": out.quality,
            }
            for out in result.outputs
        ],
        "timings_s": {stage: round(seconds, 4) for stage, seconds in result.timings_s.items()},
        "warnings": [str(warning) for warning in result.warnings],
    }


def report_to_dict(report: BatchReport) -> dict[str, object]:
    """The whole batch as JSON-ready data (the format of ``report.json``)."""
    done = sum(1 for r in report.results if r.status == "ok")
    return {
        "engine": report.engine,
        "model": report.model,
        "presets": list(report.presets),
        "counts": report.counts(),
        "total_s": round(report.total_s, 3),
        "images_per_s": round(done / report.total_s, 3) if report.total_s > 0 else 0.0,
        "contact_sheet": str(report.contact_sheet) if report.contact_sheet else None,
        "errors": list(report.errors),
        "results": [result_to_dict(r) for r in report.results],
    }


def to_json(report: BatchReport) -> str:
    """``report.json``'s text."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"
