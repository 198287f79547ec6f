"""The photo batch: one pipeline for the CLI, `livestall demo` and the web studio.

Each input goes through load → matte → (enhance → layout → shadow → export) per preset, in the
overlapped runner of `studio.photos.batch` (decode ahead, model on this thread, finish behind).
No printing: progress goes to ``on_progress``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from studio.errors import LivestallError, PhotoEmpty
from studio.models.registry import DEFAULT_MODEL
from studio.photos.batch import (
    Finished,
    Finisher,
    Prepared,
    ProgressCallback,
    collect_inputs,
    execute,
    no_progress,
    plan,
)
from studio.photos.contact_sheet import SheetEntry, render_sheet, thumbnail
from studio.photos.export import encode, write_atomic
from studio.photos.layout import product_box
from studio.photos.matte import Matte, MatteEngine, decontaminate, refine_edges
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
from studio.photos.report import BatchReport, PhotoResult, PhotoWarning, PresetOutput, to_json


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


def run_batch(
    inputs: Sequence[Path],
    options: CleanOptions,
    *,
    on_progress: ProgressCallback = no_progress,
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
    presets = tuple(_preset(name, options) for name in dict.fromkeys(options.presets))

    def targets(stem: str) -> tuple[Path, ...]:
        return tuple(options.out_dir / p.name / f"{stem}.{p.format}" for p in presets)

    def finisher(engine: MatteEngine) -> Finisher:
        return lambda prepared, raw: _finish_clean(prepared, raw, engine, presets, options)

    report, sheet = _run(
        inputs,
        options,
        targets=targets,
        make_finisher=finisher,
        preset_names=tuple(p.name for p in presets),
        on_progress=on_progress,
    )
    return _write_outputs(report, sheet, options)


def cutout_batch(
    inputs: Sequence[Path],
    options: CutoutOptions,
    *,
    on_progress: ProgressCallback = no_progress,
) -> BatchReport:
    """Write ``out_dir/<stem>.png`` per input: RGBA with the matte as alpha (or the mask alone).

    Outputs are pixel-aligned with their inputs (no crop, no resize). Raises as `run_batch`.
    """

    def finisher(engine: MatteEngine) -> Finisher:
        return lambda prepared, raw: _finish_cutout(prepared, raw, engine, options)

    report, _sheet = _run(
        inputs,
        options,
        targets=lambda stem: (options.out_dir / f"{stem}.png",),
        make_finisher=finisher,
        preset_names=("mask" if options.is_mask_only else "cutout",),
        on_progress=on_progress,
    )
    return report


def _run(
    inputs: Sequence[Path],
    options: CleanOptions | CutoutOptions,
    *,
    targets: Callable[[str], tuple[Path, ...]],
    make_finisher: Callable[[MatteEngine], Finisher],
    preset_names: tuple[str, ...],
    on_progress: ProgressCallback,
) -> tuple[BatchReport, list[SheetEntry]]:
    """The batch steps `run_batch` and `cutout_batch` share: find, plan, matte, finish, report."""
    started = time.perf_counter()
    sources, missing = collect_inputs(inputs, exclude=options.out_dir)
    work, early = plan(sources, targets, force=options.force)
    results, sheet = execute(
        work,
        early + missing,
        engine_name=options.engine,
        model=options.model,
        allow_classic=options.allow_classic,
        make_finisher=make_finisher,
        jobs=options.jobs,
        on_progress=on_progress,
    )
    engine_name = next((r.engine for r in results if r.engine), options.engine)
    report = BatchReport(
        results=tuple(results),
        engine=engine_name,
        model=options.model if engine_name == "isnet" else "",
        presets=preset_names,
        total_s=time.perf_counter() - started,
    )
    return report, sheet


def _preset(name: str, options: CleanOptions) -> Preset:
    return customise(
        get_preset(name),
        background=options.background,
        shadow=options.shadow,
        fill=options.fill,
        size_px=options.size_px,
        image_format=options.image_format,
    )


def _matte(prepared: Prepared, raw: np.ndarray, engine: MatteEngine, *, refined: bool) -> Matte:
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
    prepared: Prepared,
    raw: np.ndarray,
    engine: MatteEngine,
    presets: tuple[Preset, ...],
    options: CleanOptions,
) -> Finished:
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
    warnings: list[PhotoWarning] = []
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
            text = f"{preset.name}: quality lowered to {encoded.quality} to fit the limit"
            values = (("quality", str(encoded.quality)),)
            warnings.append(PhotoWarning("photo.quality_lowered", preset.name, text, values))
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
    return Finished(result, sheet)


def _finish_cutout(
    prepared: Prepared, raw: np.ndarray, engine: MatteEngine, options: CutoutOptions
) -> Finished:
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
    return Finished(result)


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
