"""render_clip() and render_catalog(): the one clip pipeline the CLI, the web studio and the demo call.

spec -> resolve (files, catalog) -> timeline -> overlays drawn once -> frames -> ffmpeg, then the
poster JPEG and the JSON sidecar. Nothing is printed; progress goes to `on_progress`.
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
from overlays.price import price_texts
from studio.catalog import Catalog, load_catalog
from studio.clips.encode import (
    AudioInput,
    EncodeSettings,
    check_output_path,
    open_encoder,
    probe_audio,
    temp_path_beside,
)
from studio.clips.layout import SceneLayout, layout_logo, layout_scene
from studio.clips.render import FrameSource, RenderPlan
from studio.clips.resolve import SceneContent, clip_words, font_set, resolve_scenes
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
class ClipReport:
    """What `render_clip` wrote, and the facts the JSON sidecar carries."""

    video: Path
    poster: Path
    sidecar: Path
    width: int
    height: int
    fps: int
    frames: int
    duration_s: float
    has_audio: bool
    render_s: float
    scenes: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        """Return the sidecar document (paths are file names beside the video)."""
        return {
            "video": self.video.name,
            "poster": self.poster.name,
            "codec": "h264",
            "pix_fmt": "yuv420p",
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "frames": self.frames,
            "duration_s": round(self.duration_s, 3),
            "has_audio": self.has_audio,
            "render_s": round(self.render_s, 2),
            "scenes": list(self.scenes),
        }


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
    on_progress: Callable[[ClipProgress], None] = lambda progress: None,
) -> ClipReport:
    """Render a spec to an MP4 with a poster JPEG and a JSON sidecar next to it.

    Args:
        spec: a validated spec, or the path of a spec file (YAML or JSON).
        out: the MP4 to write; its folder must exist. The poster is ``<name>.jpg`` and the
            sidecar ``<name>.json`` beside it.
        is_preview: render small and fast (360 px wide, 15 fps) for checking a spec.
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
    plan = build_plan(clip)
    audio = _audio(clip)
    width, height = plan.frame
    frames = plan.timeline.frame_count
    settings = EncodeSettings(
        width, height, clip.canvas.fps, frames, clip.output.crf, clip.output.preset, audio
    )
    temps = [temp_path_beside(target, suffix) for suffix in (".mp4", ".jpg", ".json")]
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
            scenes=tuple(_scene_facts(clip, plan, content) for content in plan.scenes),
        )
        sidecar = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
        temps[2].write_text(sidecar, encoding="utf-8")
        for temp, final in zip(temps, (report.video, report.poster, report.sidecar), strict=True):
            os.replace(temp, final)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    logger.info("wrote %s (%d frames in %.1f s)", target, frames, report.render_s)
    return report


def build_plan(clip: ClipSpec) -> RenderPlan:
    """Resolve a spec and draw its overlays: everything but the frames themselves.

    Raises:
        SpecInvalid: a wrong field, missing file or unknown SKU (naming the field path).
    """
    scenes = resolve_scenes(clip)
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
    return RenderPlan(scenes, layouts, logo, timeline, frame, clip.theme)


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
    if clip.music is None:
        return None
    path = Path(clip.music.file)
    logger.info("music %s: %.1f s (looped if shorter than the clip)", path, probe_audio(path))
    return AudioInput(path, clip.music.volume, clip.music.fade_in_s, clip.music.fade_out_s)


def _poster_frame(clip: ClipSpec, timeline: Timeline) -> int:
    """Frame for the poster: the first scene once its overlays are in, or `output.poster_at_s`."""
    first = timeline.scenes[0]
    when = clip.output.poster_at_s
    if when is None:
        when = first.start_s + min(1.8, 0.9 * (first.out_s - first.start_s))
    return min(timeline.frame_count - 1, max(0, round(when * timeline.fps)))


def _scene_facts(clip: ClipSpec, plan: RenderPlan, content: SceneContent) -> dict[str, Any]:
    window = plan.timeline.scenes[content.index]
    layout = plan.layouts[content.index]
    facts: dict[str, Any] = {
        "index": content.index,
        "sku": content.sku,
        "title": content.title,
        "photo": content.photo.name,
        "start_s": round(window.start_s, 3),
        "end_s": round(window.end_s, 3),
        "elements": _element_boxes(layout),
    }
    if content.price is not None:
        texts = price_texts(content.price, content.sale_price, content.currency, clip.locale)
        facts.update(
            price=texts.current,
            old_price=texts.old,
            discount_percent=texts.percent,
            currency=content.currency,
        )
    return facts


def _element_boxes(layout: SceneLayout) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for sprite in layout.sprites:
        if sprite.kind in seen:  # a countdown has one sprite per second, in one place
            seen[sprite.kind]["end_s"] = round(sprite.end_s, 3)
            continue
        box = sprite.box
        seen[sprite.kind] = {
            "kind": sprite.kind,
            "box": [box.x, box.y, box.width, box.height],
            "start_s": round(sprite.start_s, 3),
            "end_s": round(sprite.end_s, 3),
        }
        if sprite.lines:
            seen[sprite.kind]["lines"] = list(sprite.lines)
    return list(seen.values())


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
                shop, product, template=template, aspect=aspect, locale=locale, platform=platform
            )
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
                shop, template=template, aspect=aspect, locale=locale, platform=platform
            )
            report = render_clip(
                spec, folder / "collection.mp4", is_preview=is_preview, on_progress=on_progress
            )
            items.append(CatalogItem("collection", report=report))
        except LivestallError as exc:
            items.append(CatalogItem("collection", error=exc))
    return CatalogReport(tuple(items))
