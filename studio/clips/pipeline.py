"""render_clip() and render_catalog(): the one clip pipeline the CLI, the web studio and the demo call.

spec -> resolve (files, catalog) -> timeline -> overlays drawn once -> frames -> ffmpeg, then the
poster JPEG, the JSON sidecar and the subtitles (`studio.clips.sidecar`). Nothing is printed;
progress goes to `on_progress`.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from overlays.fonts import require_raqm
from studio.catalog import Catalog, load_catalog
from studio.clips.encode import (
    AudioInput,
    EncodeSettings,
    check_output_path,
    open_encoder,
    probe_audio,
    temp_path_beside,
)
from studio.clips.layout import layout_logo, layout_scene
from studio.clips.music import tempo_of
from studio.clips.placement import place_product
from studio.clips.render import FrameSource, RenderPlan, ink_extent, read_photo
from studio.clips.resolve import (
    clean_photos,
    clip_words,
    font_set,
    music_file,
    resolve_scenes,
)
from studio.clips.sequence import apply_brand, fit_to_length, with_closing
from studio.clips.sidecar import ClipReport as ClipReport
from studio.clips.sidecar import logo_facts, scene_facts, subtitles_text
from studio.clips.spec import ClipSpec, load_spec
from studio.clips.templates import DEFAULT_TEMPLATE, collection_spec, product_spec
from studio.clips.timeline import Timeline, build_timeline
from studio.errors import LivestallError, OutputError

logger = logging.getLogger(__name__)

PREVIEW_WIDTH_PX = 360
PREVIEW_FPS = 15


@dataclass(frozen=True, slots=True)
class ClipProgress:
    """How far a render is: frames done out of the clip's total."""

    clip: str
    frames_done: int
    frames_total: int


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One product of a catalog render: its clip, or why it failed."""

    sku: str
    report: ClipReport | None = None
    error: LivestallError | None = None


@dataclass(frozen=True, slots=True)
class CatalogReport:
    """All products of a catalog render; failed ones carry their error and the batch goes on."""

    items: tuple[CatalogItem, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> tuple[CatalogItem, ...]:
        """Items whose clip could not be made."""
        return tuple(item for item in self.items if item.error is not None)


def preview_spec(spec: ClipSpec) -> ClipSpec:
    """Return the spec at low resolution and frame rate with a fast encoder, for checking."""
    width = PREVIEW_WIDTH_PX * 16 // 9 if spec.canvas.aspect == "16:9" else PREVIEW_WIDTH_PX
    canvas = spec.canvas.model_copy(
        update={"width": width, "fps": min(spec.canvas.fps, PREVIEW_FPS)}
    )
    output = spec.output.model_copy(update={"preset": "ultrafast", "crf": 28})
    return spec.model_copy(update={"canvas": canvas, "output": output})


def render_clip(
    spec: ClipSpec | Path | str,
    out: Path | str,
    *,
    is_preview: bool = False,
    cutout_dir: Path | None = None,
    on_progress: Callable[[ClipProgress], None] = lambda progress: None,
) -> ClipReport:
    """Render a spec to an MP4 with a poster JPEG, a JSON sidecar and subtitles next to it.

    Args:
        spec: a validated spec, or the path of a spec file (YAML or JSON).
        out: the MP4 to write; its folder must exist. The poster is ``<name>.jpg`` and the
            sidecar ``<name>.json`` beside it.
        is_preview: render small and fast (360 px wide, 15 fps) for checking a spec.
        cutout_dir: where products' cut-outs are cached (default: the data folder's cache).
        on_progress: called about once per second of video with the frames done.

    Returns:
        What was written.

    Raises:
        SpecInvalid: a wrong field, missing file or unknown SKU (naming the field path).
        OutputError: the output folder is missing or read-only.
        SystemDependencyMissing: ffmpeg or raqm/FriBiDi missing.
        RenderError: ffmpeg failed.
    """
    started = time.perf_counter()
    clip = load_spec(spec) if isinstance(spec, Path | str) else spec
    clip = preview_spec(clip) if is_preview else clip
    target = check_output_path(Path(out))
    require_raqm()
    plan = build_plan(clip, cutout_dir=cutout_dir)
    audio = _audio(clip)
    width, height = plan.frame
    frames = plan.timeline.frame_count
    settings = EncodeSettings(
        width, height, clip.canvas.fps, frames, clip.output.crf, clip.output.preset, audio
    )
    suffixes = (
        (".mp4", ".jpg", ".json", ".srt") if clip.has_subtitles else (".mp4", ".jpg", ".json")
    )
    temps = [temp_path_beside(target, suffix) for suffix in suffixes]
    try:
        poster_index = _poster_frame(clip, plan.timeline)
        poster = _encode(plan, settings, temps[0], poster_index, target.name, on_progress)
        Image.fromarray(poster).save(temps[1], "JPEG", quality=85, optimize=True)
        report = ClipReport(
            video=target,
            poster=target.with_suffix(".jpg"),
            sidecar=target.with_suffix(".json"),
            width=width,
            height=height,
            fps=clip.canvas.fps,
            frames=frames,
            duration_s=frames / clip.canvas.fps,
            has_audio=audio is not None,
            render_s=time.perf_counter() - started,
            scenes=tuple(scene_facts(clip, plan, content) for content in plan.scenes),
            subtitles=target.with_suffix(".srt") if clip.has_subtitles else None,
            length_s=clip.length_s,
            logo=logo_facts(plan),
        )
        sidecar = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
        temps[2].write_text(sidecar, encoding="utf-8")
        finals = [report.video, report.poster, report.sidecar]
        if clip.has_subtitles:
            temps[3].write_text(subtitles_text(plan), encoding="utf-8")
            finals.append(target.with_suffix(".srt"))
        for temp, final in zip(temps, finals, strict=True):
            os.replace(temp, final)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    logger.info("wrote %s (%d frames in %.1f s)", target, frames, report.render_s)
    return report


def render_still(
    spec: ClipSpec,
    out: Path,
    *,
    width_px: int = 360,
    at_s: float | None = None,
    cutout_dir: Path | None = None,
) -> Path:
    """Draw one frame of a spec as a JPEG: a template's thumbnail, a docs example.

    The frame is the poster's (the first scene once its overlays are in) unless `at_s` says.

    Raises:
        SpecInvalid: a wrong field, missing file or unknown SKU.
        OutputError: the output folder is missing or read-only.
    """
    require_raqm()
    target = check_output_path(out)
    canvas = spec.canvas.model_copy(
        update={"width": width_px * 16 // 9 if spec.canvas.aspect == "16:9" else width_px}
    )
    plan = build_plan(spec.model_copy(update={"canvas": canvas}), cutout_dir=cutout_dir)
    timeline = plan.timeline
    index = _poster_frame(spec, timeline) if at_s is None else round(at_s * timeline.fps)
    frame = FrameSource(plan).frame(min(timeline.frame_count - 1, max(0, index)))
    temp = temp_path_beside(target, ".jpg")
    try:
        Image.fromarray(frame).save(temp, "JPEG", quality=82, optimize=True)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def build_plan(spec: ClipSpec, *, cutout_dir: Path | None = None) -> RenderPlan:
    """Resolve a spec and draw its overlays: everything but the frames themselves.

    The brand kit is folded in, products are fitted to the length and cut out (cached in
    `cutout_dir`, default `studio.clips.cutout.cutout_cache_dir`), the closing card appended.

    Raises:
        SpecInvalid: a wrong field, missing file or unknown SKU (naming the field path).
    """
    clip = apply_brand(spec)
    music = music_file(clip)
    scenes, closing_s = fit_to_length(
        clip, resolve_scenes(clip), beat_s=tempo_of(music) if music else None
    )
    scenes = clean_photos(with_closing(clip, scenes, closing_s=closing_s), cache_dir=cutout_dir)
    frame = clip.canvas.size()
    timeline = build_timeline(
        [s.duration_s for s in scenes],
        fps=clip.canvas.fps,
        transition=clip.transition.kind,
        transition_s=clip.transition.duration_s,
    )
    fonts = font_set(clip)
    words = clip_words(clip, scenes)
    logo = layout_logo(clip, frame, timeline)
    logo_h = logo[0].box.height if logo else 0
    layouts = tuple(
        layout_scene(clip, content, frame, timeline, fonts, logo_h=logo_h, words=words)
        for content in scenes
    )
    boxes = tuple(
        place_product(
            ink_extent(read_photo(content.photo)),
            layout.photo_box,
            frame,
            height_share=clip.product.height,
        )
        if content.source == "cleaned"
        else None
        for content, layout in zip(scenes, layouts, strict=True)
    )
    logo_file = Path(clip.logo.file) if clip.logo is not None else None
    return RenderPlan(scenes, layouts, logo, timeline, frame, clip.theme, boxes, logo_file)


def _encode(
    plan: RenderPlan,
    settings: EncodeSettings,
    temp: Path,
    poster_index: int,
    name: str,
    on_progress: Callable[[ClipProgress], None],
) -> np.ndarray:
    """Stream every frame to ffmpeg; return a copy of the poster frame."""
    source = FrameSource(plan)
    poster = None
    with open_encoder(settings, temp) as encoder:
        for index, rgb in enumerate(source.frames()):
            encoder.write(rgb)
            if index == poster_index:
                poster = rgb.copy()
            if index % settings.fps == 0 or index + 1 == settings.frames:
                on_progress(ClipProgress(name, index + 1, settings.frames))
    assert poster is not None
    return poster


def _audio(clip: ClipSpec) -> AudioInput | None:
    music = music_file(clip)
    voice = Path(clip.voice.file) if clip.voice is not None else None
    if voice is not None:
        logger.info("voice-over %s: %.1f s", voice, probe_audio(voice, field="voice.file"))
    if music is None:
        if voice is None:
            return None
        return AudioInput(None, 1.0, 0.0, 0.0, voice, clip.voice.volume if clip.voice else 1.0)
    assert clip.music is not None
    logger.info("music %s: %.1f s (looped if shorter than the clip)", music, probe_audio(music))
    return AudioInput(
        music,
        clip.music.volume,
        clip.music.fade_in_s,
        clip.music.fade_out_s,
        voice,
        clip.voice.volume if clip.voice else 1.0,
    )


def _poster_frame(clip: ClipSpec, timeline: Timeline) -> int:
    """Frame for the poster: the first scene once its overlays are in, or `output.poster_at_s`."""
    first = timeline.scenes[0]
    when = clip.output.poster_at_s
    if when is None:
        when = first.start_s + min(1.8, 0.9 * (first.out_s - first.start_s))
    return min(timeline.frame_count - 1, max(0, round(when * timeline.fps)))


def render_catalog(
    catalog: Catalog | Path | str,
    out_dir: Path | str,
    *,
    template: str = DEFAULT_TEMPLATE,
    aspect: str = "9:16",
    locale: str = "vi",
    platform: str = "tiktok",
    skus: Sequence[str] = (),
    has_collection: bool = False,
    is_preview: bool = False,
    length_s: float | None = None,
    brand: dict[str, Any] | None = None,
    source: str = "cleaned",
    on_progress: Callable[[ClipProgress], None] = lambda progress: None,
) -> CatalogReport:
    """Render one clip per product (``<SKU>.mp4``), and optionally ``collection.mp4`` with all.

    A product that fails (missing photo, bad price) is recorded in the report; the others go on.

    Raises:
        CatalogError: when the catalog itself cannot be read.
        OutputError: when `out_dir` cannot be created.
    """
    shop = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    folder = Path(out_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot create the folder ({exc.strerror})",
            hint="choose a folder you can write to",
        ) from None
    wanted = {s.upper() for s in skus}
    items: list[CatalogItem] = []
    for product in shop.products:
        if wanted and product.sku not in wanted:
            continue
        try:
            spec = product_spec(
                shop, product, template=template, aspect=aspect, locale=locale,
                platform=platform, length_s=length_s, brand=brand, source=source,
            )  # fmt: skip
            report = render_clip(
                spec, folder / f"{product.sku}.mp4", is_preview=is_preview, on_progress=on_progress
            )
            items.append(CatalogItem(product.sku, report=report))
        except LivestallError as exc:
            logger.warning("%s: %s", product.sku, exc)
            items.append(CatalogItem(product.sku, error=exc))
    if has_collection and shop.products:
        try:
            spec = collection_spec(
                shop, template=template, aspect=aspect, locale=locale, platform=platform,
                length_s=length_s, brand=brand, source=source,
            )  # fmt: skip
            report = render_clip(
                spec, folder / "collection.mp4", is_preview=is_preview, on_progress=on_progress
            )
            items.append(CatalogItem("collection", report=report))
        except LivestallError as exc:
            items.append(CatalogItem("collection", error=exc))
    return CatalogReport(tuple(items))
