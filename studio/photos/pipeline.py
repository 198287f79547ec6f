"""The photo batch: one pipeline for the CLI, `livestall demo` and the web studio.

Each input goes through load → matte → (enhance → layout → shadow → export) per preset. The
model runs on the calling thread, one photo at a time; decoding and preparing the next photos and
finishing and encoding the previous ones run meanwhile in a small thread pool (ONNX Runtime,
OpenCV, Pillow and zlib release the GIL), so the cores never wait on a JPEG decoder. At most a
few photos are in flight, which bounds memory. No printing: progress goes to ``on_progress``.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from studio.errors import LivestallError, OutputCollision, PhotoEmpty, PhotoUnreadable
from studio.models.registry import DEFAULT_MODEL
from studio.photos.contact_sheet import SheetEntry, render_sheet, thumbnail
from studio.photos.export import encode, write_atomic
from studio.photos.layout import product_box
from studio.photos.load import IMAGE_SUFFIXES, Photo, load_photo
from studio.photos.matte import Matte, MatteEngine, decontaminate, open_engine, refine_edges
from studio.photos.presets import (
    DEFAULT_PRESETS,
    RGB,
    ImageFormat,
    Preset,
    ShadowKind,
    customise,
    get_preset,
)
from studio.photos.render import render_preset
from studio.photos.report import BatchReport, PhotoResult, PresetOutput, to_json

log = logging.getLogger(__name__)

AHEAD = 2  # photos decoded ahead of the model


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """Everything `photos clean` can be asked for. Defaults: Shopee + transparent cutout."""

    out_dir: Path
    presets: tuple[str, ...] = DEFAULT_PRESETS
    background: RGB | None | Literal["keep"] = "keep"
    shadow: ShadowKind | None = None
    fill: float | None = None
    size_px: int | None = None
    image_format: ImageFormat | None = None
    is_enhanced: bool = True
    engine: str = "isnet"
    model: str = DEFAULT_MODEL
    allow_classic: bool = False
    is_refined: bool = False
    jobs: int = 2
    force: bool = False
    has_contact_sheet: bool = True


@dataclass(frozen=True, slots=True)
class CutoutOptions:
    """Everything `photos cutout` can be asked for."""

    out_dir: Path
    is_mask_only: bool = False
    engine: str = "isnet"
    model: str = DEFAULT_MODEL
    allow_classic: bool = False
    is_refined: bool = False
    jobs: int = 2
    force: bool = False


@dataclass(frozen=True, slots=True)
class Progress:
    """One input finished (``done`` of ``total``), with its result."""

    done: int
    total: int
    result: PhotoResult


ProgressCallback = Callable[[Progress], None]


def _no_progress(progress: Progress) -> None:
    del progress


@dataclass(frozen=True, slots=True)
class _Job:
    source: Path
    targets: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class _Prepared:
    job: _Job
    photo: Photo
    tensor: np.ndarray
    timings_s: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Finished:
    result: PhotoResult
    sheet: SheetEntry | None = None


Finisher = Callable[[_Prepared, np.ndarray], _Finished]


def collect_inputs(
    inputs: Iterable[Path], *, exclude: Path | None = None
) -> tuple[list[Path], list[PhotoResult]]:
    """Expand folders (recursively, image files only) and keep files as given.

    Returns:
        The sorted unique files, and a failed result for each input that does not exist.
        Files under ``exclude`` (the output folder) are left out.
    """
    found: dict[Path, None] = {}
    missing: list[PhotoResult] = []
    skip = exclude.resolve() if exclude is not None else None
    for item in inputs:
        if item.is_dir():
            files = sorted(
                p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )
            for path in files:
                if skip is None or not path.resolve().is_relative_to(skip):
                    found[path] = None
        elif item.is_file():
            found[item] = None
        else:
            error = PhotoUnreadable(f"{item}: no such file or folder", hint="check the path")
            missing.append(PhotoResult.failure(item, error))
    return list(found), missing


def run_batch(
    inputs: Sequence[Path],
    options: CleanOptions,
    *,
    on_progress: ProgressCallback = _no_progress,
) -> BatchReport:
    """Clean a batch of photos into every preset; write ``report.json`` and the contact sheet.

    Args:
        inputs: files and/or folders (searched recursively for images).
        options: presets, overrides, engine and output folder.
        on_progress: called on the calling thread after each input.

    Returns:
        The report (also written to ``options.out_dir / "report.json"`` when possible).

    Raises:
        UnknownPreset, UnknownEngine: the options name something that does not exist.
        ModelMissing: the model is not installed and the classic fallback was not allowed.
    """
    started = time.perf_counter()
    presets = tuple(_preset(name, options) for name in options.presets)
    sources, missing = collect_inputs(inputs, exclude=options.out_dir)

    def targets(stem: str) -> tuple[Path, ...]:
        return tuple(options.out_dir / p.name / f"{stem}.{p.format}" for p in presets)

    jobs, early = _plan(sources, targets, force=options.force)

    def finisher(engine: MatteEngine) -> Finisher:
        return lambda prepared, raw: _finish_clean(prepared, raw, engine, presets, options)

    results, sheet = _execute(
        jobs,
        early + missing,
        options.engine,
        options.model,
        options.allow_classic,
        finisher,
        jobs=options.jobs,
        on_progress=on_progress,
    )
    engine_name = next((r.engine for r in results if r.engine), options.engine)
    report = BatchReport(
        results=tuple(results),
        engine=engine_name,
        model=options.model if engine_name == "isnet" else "",
        presets=tuple(p.name for p in presets),
        total_s=time.perf_counter() - started,
    )
    return _write_outputs(report, sheet, options)


def cutout_batch(
    inputs: Sequence[Path],
    options: CutoutOptions,
    *,
    on_progress: ProgressCallback = _no_progress,
) -> BatchReport:
    """Write ``out_dir/<stem>.png`` per input: RGBA with the matte as alpha (or the mask alone).

    Outputs are pixel-aligned with their inputs (no crop, no resize). Raises as `run_batch`.
    """
    started = time.perf_counter()
    sources, missing = collect_inputs(inputs, exclude=options.out_dir)
    jobs, early = _plan(
        sources, lambda stem: (options.out_dir / f"{stem}.png",), force=options.force
    )

    def finisher(engine: MatteEngine) -> Finisher:
        return lambda prepared, raw: _finish_cutout(prepared, raw, engine, options)

    results, _sheet = _execute(
        jobs,
        early + missing,
        options.engine,
        options.model,
        options.allow_classic,
        finisher,
        jobs=options.jobs,
        on_progress=on_progress,
    )
    engine_name = next((r.engine for r in results if r.engine), options.engine)
    return BatchReport(
        results=tuple(results),
        engine=engine_name,
        model=options.model if engine_name == "isnet" else "",
        presets=("mask" if options.is_mask_only else "cutout",),
        total_s=time.perf_counter() - started,
    )


def _preset(name: str, options: CleanOptions) -> Preset:
    return customise(
        get_preset(name),
        background=options.background,
        shadow=options.shadow,
        fill=options.fill,
        size_px=options.size_px,
        image_format=options.image_format,
    )


def _plan(
    sources: list[Path], targets: Callable[[str], tuple[Path, ...]], *, force: bool
) -> tuple[list[_Job], list[PhotoResult]]:
    """Give each source its output paths; fail name collisions; skip up-to-date outputs."""
    jobs: list[_Job] = []
    early: list[PhotoResult] = []
    owners: dict[str, Path] = {}
    for source in sources:
        owner = owners.setdefault(source.stem, source)
        if owner != source:
            error = OutputCollision(
                f"{source}: writes the same files as {owner} (both are named {source.stem!r})",
                hint="rename one of them; it was not processed",
            )
            early.append(PhotoResult.failure(source, error))
            continue
        paths = targets(source.stem)
        if not force and _is_up_to_date(source, paths):
            early.append(PhotoResult(source, "skipped", reason="outputs are newer (use --force)"))
            continue
        jobs.append(_Job(source, paths))
    return jobs, early


def _is_up_to_date(source: Path, targets: tuple[Path, ...]) -> bool:
    try:
        source_mtime = source.stat().st_mtime
        return all(t.stat().st_mtime >= source_mtime for t in targets)
    except OSError:
        return False


def _execute(
    work: list[_Job],
    early: list[PhotoResult],
    engine_name: str,
    model: str,
    allow_classic: bool,
    make_finisher: Callable[[MatteEngine], Finisher],
    *,
    jobs: int,
    on_progress: ProgressCallback,
) -> tuple[list[PhotoResult], list[SheetEntry]]:
    """Run the overlapped load → predict → finish pipeline; results come back in input order."""
    total = len(work) + len(early)
    done: list[PhotoResult] = []

    def report(result: PhotoResult) -> None:
        done.append(result)
        on_progress(Progress(len(done), total, result))

    for result in early:
        report(result)
    if not work:
        return _ordered(done), []
    engine = open_engine(engine_name, model=model, allow_classic=allow_classic)
    finish = make_finisher(engine)
    sheet: dict[Path, SheetEntry] = {}
    # our pool is the parallelism; OpenCV's own per-call threads would fight ONNX Runtime's
    # for the same cores (measured: 1.5x -> 1.1x of the bare model time on 2 cores)
    opencv_threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        _pipeline(work, engine, finish, sheet, jobs=jobs, report=report)
    finally:
        cv2.setNumThreads(opencv_threads)
    ordered = _ordered(done)
    entries = [sheet[r.source] for r in ordered if r.source in sheet]
    return ordered, entries


def _pipeline(
    work: list[_Job],
    engine: MatteEngine,
    finish: Finisher,
    sheet: dict[Path, SheetEntry],
    *,
    jobs: int,
    report: Callable[[PhotoResult], None],
) -> None:
    """Prepare ahead and finish behind in the pool while the model runs on this thread."""
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="photos") as pool:
        preparing: deque[tuple[_Job, Future[_Prepared | PhotoResult]]] = deque()
        finishing: deque[Future[_Finished]] = deque()
        queue = iter(work)
        for job in _take(queue, AHEAD):
            preparing.append((job, pool.submit(_prepare, job, engine)))
        while preparing:
            job, future = preparing.popleft()
            for follow in _take(queue, 1):
                preparing.append((follow, pool.submit(_prepare, follow, engine)))
            prepared = future.result()
            if isinstance(prepared, PhotoResult):
                report(replace(prepared, engine=engine.name))
                continue
            tick = time.perf_counter()
            raw = engine.predict(prepared.tensor)
            prepared.timings_s["predict"] = time.perf_counter() - tick
            finishing.append(pool.submit(_guarded_finish, finish, prepared, raw, engine.name))
            while finishing and finishing[0].done():
                _collect(finishing.popleft(), report, sheet)
        while finishing:
            _collect(finishing.popleft(), report, sheet)


def _take(queue: Iterable[_Job], count: int) -> list[_Job]:
    taken: list[_Job] = []
    for job in queue:
        taken.append(job)
        if len(taken) == count:
            break
    return taken


def _collect(
    future: Future[_Finished],
    report: Callable[[PhotoResult], None],
    sheet: dict[Path, SheetEntry],
) -> None:
    finished = future.result()
    if finished.sheet is not None:
        sheet[finished.result.source] = finished.sheet
    report(finished.result)


def _ordered(done: list[PhotoResult]) -> list[PhotoResult]:
    return sorted(done, key=lambda r: str(r.source))


def _prepare(job: _Job, engine: MatteEngine) -> _Prepared | PhotoResult:
    tick = time.perf_counter()
    try:
        photo = load_photo(job.source)
    except LivestallError as exc:
        return PhotoResult.failure(job.source, exc)
    loaded = time.perf_counter()
    tensor = engine.prepare(photo.rgb)
    timings = {"load": loaded - tick, "prepare": time.perf_counter() - loaded}
    return _Prepared(job, photo, tensor, timings)


def _guarded_finish(
    finish: Finisher, prepared: _Prepared, raw: np.ndarray, engine_name: str
) -> _Finished:
    source = prepared.job.source
    try:
        return finish(prepared, raw)
    except LivestallError as exc:
        return _Finished(PhotoResult.failure(source, exc, engine=engine_name))
    except Exception as exc:  # a bug must not sink the other 39 photos; it is logged and reported
        log.exception("%s: unexpected error", source)
        error = LivestallError(f"{source}: internal error ({exc!r})", hint="please report this bug")
        return _Finished(PhotoResult.failure(source, error, engine=engine_name))


def _matte(prepared: _Prepared, raw: np.ndarray, engine: MatteEngine, *, refined: bool) -> Matte:
    photo = prepared.photo
    alpha = engine.finish(raw, photo.size)
    if refined:
        alpha = refine_edges(photo.rgb, alpha)
    matte = Matte(alpha, engine.name)
    if matte.is_empty:
        raise PhotoEmpty(
            f"{photo.source}: no product found in the photo",
            hint="is it blank or all background? Shoot the product against a plain backdrop",
        )
    return matte


def _finish_clean(
    prepared: _Prepared,
    raw: np.ndarray,
    engine: MatteEngine,
    presets: tuple[Preset, ...],
    options: CleanOptions,
) -> _Finished:
    photo, timings = prepared.photo, prepared.timings_s
    tick = time.perf_counter()
    matte = _matte(prepared, raw, engine, refined=options.is_refined)
    bbox = product_box(matte.alpha)
    if bbox is None:
        raise PhotoEmpty(
            f"{photo.source}: no product found in the photo", hint="check the photo shows one"
        )
    timings["matte"] = time.perf_counter() - tick
    outputs: list[PresetOutput] = []
    warnings: list[str] = []
    failures: list[LivestallError] = []
    after: np.ndarray | None = None
    for preset, target in zip(presets, prepared.job.targets, strict=True):
        tick = time.perf_counter()
        rendered = render_preset(photo, matte, bbox, preset, is_enhanced=options.is_enhanced)
        warnings.extend(rendered.warnings)
        if after is None:
            after = thumbnail(rendered.pixels)
        timings[f"render.{preset.name}"] = time.perf_counter() - tick
        tick = time.perf_counter()
        try:
            encoded = encode(
                rendered.pixels,
                preset.format,
                quality=preset.quality,
                max_bytes=preset.max_bytes,
                name=f"{photo.source.name} ({preset.name})",
            )
            write_atomic(target, encoded.data)
        except LivestallError as exc:
            failures.append(exc)
            continue
        finally:
            timings[f"export.{preset.name}"] = time.perf_counter() - tick
        if encoded.quality < preset.quality:
            warnings.append(f"{preset.name}: quality lowered to {encoded.quality} to fit the limit")
        height, width = rendered.pixels.shape[:2]
        outputs.append(
            PresetOutput(
                preset.name,
                target,
                (width, height),
                rendered.placement.fill,
                len(encoded.data),
                encoded.quality,
            )
        )
    sheet = SheetEntry(photo.source.name, thumbnail(photo.rgb), after)
    result = PhotoResult(
        photo.source,
        "failed" if failures else "ok",
        engine=engine.name,
        code=failures[0].code if failures else "",
        reason="; ".join(str(f) for f in failures),
        outputs=tuple(outputs),
        bbox=(bbox.left, bbox.top, bbox.right, bbox.bottom),
        timings_s=timings,
        warnings=tuple(warnings),
    )
    return _Finished(result, sheet)


def _finish_cutout(
    prepared: _Prepared, raw: np.ndarray, engine: MatteEngine, options: CutoutOptions
) -> _Finished:
    photo, timings = prepared.photo, prepared.timings_s
    tick = time.perf_counter()
    matte = _matte(prepared, raw, engine, refined=options.is_refined)
    timings["matte"] = time.perf_counter() - tick
    tick = time.perf_counter()
    if options.is_mask_only:
        pixels = matte.alpha
    else:
        rgb = decontaminate(photo.rgb, matte.alpha)
        pixels = np.dstack((rgb, matte.alpha))
    target = prepared.job.targets[0]
    encoded = encode(pixels, "png", quality=100, max_bytes=None, name=photo.source.name)
    write_atomic(target, encoded.data)
    timings["export"] = time.perf_counter() - tick
    bbox = product_box(matte.alpha)
    output = PresetOutput(
        "mask" if options.is_mask_only else "cutout",
        target,
        photo.size,
        0.0,
        len(encoded.data),
        100,
    )
    result = PhotoResult(
        photo.source,
        "ok",
        engine=engine.name,
        outputs=(output,),
        bbox=(bbox.left, bbox.top, bbox.right, bbox.bottom) if bbox else None,
        timings_s=timings,
    )
    return _Finished(result)


def _write_outputs(
    report: BatchReport, sheet: list[SheetEntry], options: CleanOptions
) -> BatchReport:
    errors: list[str] = []
    sheet_path: Path | None = None
    if options.has_contact_sheet and sheet:
        failed = [
            SheetEntry(r.source.name, None, None, note=f"failed: {r.code}")
            for r in report.results
            if r.status == "failed"
        ]
        target = options.out_dir / "contact-sheet.jpg"
        try:
            write_atomic(target, render_sheet(sheet + failed))
            sheet_path = target
        except LivestallError as exc:
            errors.append(str(exc))
    report_path = options.out_dir / "report.json"
    report = replace(report, contact_sheet=sheet_path, report_path=report_path)
    try:
        write_atomic(report_path, to_json(report).encode("utf-8"))
    except LivestallError as exc:
        errors.append(str(exc))
        report = replace(report, report_path=None)
    return replace(report, errors=tuple(errors))
