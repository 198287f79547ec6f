"""The overlapped batch runner: decode ahead, run the model, finish behind.

The model runs on the calling thread, one photo at a time; decoding and preparing the next
photos and finishing and encoding the previous ones run meanwhile in a small thread pool (ONNX
Runtime, OpenCV, Pillow and zlib release the GIL). At most `AHEAD` photos are decoded ahead, which
bounds memory. What "finish" means (presets, or a cutout) is the caller's function.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from studio.errors import LivestallError, OutputCollision, PhotoUnreadable
from studio.photos.contact_sheet import SheetEntry
from studio.photos.load import IMAGE_SUFFIXES, Photo, load_photo
from studio.photos.matte import MatteEngine, open_engine
from studio.photos.report import PhotoResult

log = logging.getLogger(__name__)

AHEAD = 2  # photos decoded ahead of the model


@dataclass(frozen=True, slots=True)
class Progress:
    """One input finished (``done`` of ``total``), with its result."""

    done: int
    total: int
    result: PhotoResult


ProgressCallback = Callable[[Progress], None]


def no_progress(progress: Progress) -> None:
    """The default progress callback: ignore it."""
    del progress


@dataclass(frozen=True, slots=True)
class Job:
    """One input to process and the files it will write."""

    source: Path
    targets: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A decoded photo and its model input, with the seconds each stage took so far."""

    job: Job
    photo: Photo
    tensor: np.ndarray
    timings_s: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finished:
    """A finished input: its result and (for `clean`) its contact-sheet entry."""

    result: PhotoResult
    sheet: SheetEntry | None = None


Finisher = Callable[[Prepared, np.ndarray], Finished]


def collect_inputs(
    inputs: Iterable[Path], *, exclude: Path | None = None
) -> tuple[list[Path], list[PhotoResult]]:
    """Expand folders (recursively, image files only) and keep files as given.

    Returns:
        The unique files in the order given (folders sorted), and a failed result for each
        input that does not exist.
        Files under ``exclude`` (the output folder) are left out.
    """
    found: dict[Path, Path] = {}  # resolved path -> the path as the seller gave it
    missing: list[PhotoResult] = []
    skip = exclude.resolve() if exclude is not None else None
    for item in inputs:
        if item.is_dir():
            files = sorted(
                p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )
            for path in files:
                resolved = path.resolve()
                if skip is None or not resolved.is_relative_to(skip):
                    found.setdefault(resolved, path)
        elif item.is_file():
            found.setdefault(item.resolve(), item)
        else:
            error = PhotoUnreadable(f"{item}: no such file or folder", hint="check the path")
            missing.append(PhotoResult.failure(item, error))
    return list(found.values()), missing


def plan(
    sources: list[Path], targets: Callable[[str], tuple[Path, ...]], *, force: bool
) -> tuple[list[Job], list[PhotoResult]]:
    """Give each source its output paths; fail name collisions; skip up-to-date outputs."""
    jobs: list[Job] = []
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
        jobs.append(Job(source, paths))
    return jobs, early


def _is_up_to_date(source: Path, targets: tuple[Path, ...]) -> bool:
    try:
        source_mtime = source.stat().st_mtime
        return all(t.stat().st_mtime >= source_mtime for t in targets)
    except OSError:
        return False


def execute(
    work: list[Job],
    early: list[PhotoResult],
    *,
    engine_name: str,
    model: str,
    allow_classic: bool,
    make_finisher: Callable[[MatteEngine], Finisher],
    jobs: int,
    on_progress: ProgressCallback,
) -> tuple[list[PhotoResult], list[SheetEntry]]:
    """Run the overlapped load → predict → finish pipeline; results come back sorted by path.

    ``early`` results (missing files, collisions, skips) are reported first. The engine is
    opened only when there is work, so a re-run with everything up to date needs no model.
    """
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
    work: list[Job],
    engine: MatteEngine,
    finish: Finisher,
    sheet: dict[Path, SheetEntry],
    *,
    jobs: int,
    report: Callable[[PhotoResult], None],
) -> None:
    """Prepare ahead and finish behind in the pool while the model runs on this thread."""
    pool = ThreadPoolExecutor(
        max_workers=max(1, jobs), thread_name_prefix="photos", initializer=_yield_to_the_model
    )
    with pool:
        preparing: deque[tuple[Job, Future[Prepared | PhotoResult]]] = deque()
        finishing: deque[Future[Finished]] = deque()
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
            timings = {**prepared.timings_s, "predict": time.perf_counter() - tick}
            prepared = replace(prepared, timings_s=timings)
            finishing.append(pool.submit(_guarded_finish, finish, prepared, raw, engine.name))
            while finishing and finishing[0].done():
                _collect(finishing.popleft(), report, sheet)
        while finishing:
            _collect(finishing.popleft(), report, sheet)


def _yield_to_the_model() -> None:
    """Run this pool thread at the lowest priority (Linux: nice is per thread).

    The model's threads meet at a barrier after every layer, so a photo being encoded on one
    core makes both wait; at low priority the encoding runs when a model thread sleeps.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def _take(queue: Iterable[Job], count: int) -> list[Job]:
    taken: list[Job] = []
    for job in queue:
        taken.append(job)
        if len(taken) == count:
            break
    return taken


def _collect(
    future: Future[Finished],
    report: Callable[[PhotoResult], None],
    sheet: dict[Path, SheetEntry],
) -> None:
    finished = future.result()
    if finished.sheet is not None:
        sheet[finished.result.source] = finished.sheet
    report(finished.result)


def _ordered(done: list[PhotoResult]) -> list[PhotoResult]:
    return sorted(done, key=lambda r: str(r.source))


def _prepare(job: Job, engine: MatteEngine) -> Prepared | PhotoResult:
    tick = time.perf_counter()
    try:
        photo = load_photo(job.source)
    except LivestallError as exc:
        return PhotoResult.failure(job.source, exc)
    loaded = time.perf_counter()
    tensor = engine.prepare(photo.rgb)
    timings = {"load": loaded - tick, "prepare": time.perf_counter() - loaded}
    return Prepared(job, photo, tensor, timings)


def _guarded_finish(
    finish: Finisher, prepared: Prepared, raw: np.ndarray, engine_name: str
) -> Finished:
    source = prepared.job.source
    try:
        return finish(prepared, raw)
    except LivestallError as exc:
        return Finished(PhotoResult.failure(source, exc, engine=engine_name))
    except Exception as exc:  # a bug must not sink the other 39 photos; it is logged and reported
        log.exception("%s: unexpected error", source)
        error = LivestallError(f"{source}: internal error ({exc!r})", hint="please report this bug")
        return Finished(PhotoResult.failure(source, error, engine=engine_name))
