"""What a render tells: the JSON sidecar's facts (every element with its box) and the subtitles.

`ClipReport` is what `render_clip` returns and writes as ``<name>.json``; `scene_facts` lists a
scene's elements (title, prices, badge, call to action, the product's cut-out) with their boxes
and, for texts, the lines as drawn; `subtitles_text` is the ``<name>.srt`` beside the clip.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overlays.price import price_texts
from studio.clips.layout import SceneLayout
from studio.clips.render import RenderPlan
from studio.clips.resolve import SceneContent
from studio.clips.spec import ClipSpec
from studio.clips.subtitles import scene_cues, to_srt


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
    subtitles: Path | None = None
    length_s: float | None = None
    logo: dict[str, Any] | None = None  # the logo drawn for the whole clip: file and box

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
            "subtitles": self.subtitles.name if self.subtitles else None,
            "length_s": self.length_s,
            "logo": self.logo,
            "scenes": list(self.scenes),
        }


def logo_facts(plan: RenderPlan) -> dict[str, Any] | None:
    """The clip-wide logo: its file name and box, or None when no logo is drawn."""
    logo = next((s for s in plan.clip_sprites if s.kind == "logo"), None)
    if logo is None or plan.logo_file is None:
        return None
    box = logo.box
    return {"file": plan.logo_file.name, "box": [box.x, box.y, box.width, box.height]}


def subtitles_text(plan: RenderPlan) -> str:
    """The SubRip document of a plan: each scene's title, then its call to action."""
    windows = plan.timeline.scenes
    return to_srt(
        scene_cues(
            [
                (windows[c.index].start_s, windows[c.index].end_s, c.title, c.cta)
                for c in plan.scenes
            ]
        )
    )


def scene_facts(clip: ClipSpec, plan: RenderPlan, content: SceneContent) -> dict[str, Any]:
    """One scene in the sidecar: times, texts, prices, photo source and every element's box."""
    window = plan.timeline.scenes[content.index]
    layout = plan.layouts[content.index]
    facts: dict[str, Any] = {
        "index": content.index,
        "sku": content.sku,
        "title": content.title,
        "photo": content.photo.name,
        "start_s": round(window.start_s, 3),
        "end_s": round(window.end_s, 3),
        "elements": element_boxes(layout),
    }
    box = plan.product_boxes[content.index] if plan.product_boxes else None
    if box is not None:
        facts["elements"].append(
            {
                "kind": "product",
                "box": [box.x, box.y, box.width, box.height],
                "start_s": round(window.start_s, 3),
                "end_s": round(window.end_s, 3),
                "source": content.source,
            }
        )
    facts["source"] = content.source
    facts["kind"] = content.kind
    if content.price is not None:
        texts = price_texts(content.price, content.sale_price, content.currency, clip.locale)
        facts.update(
            price=texts.current,
            old_price=texts.old,
            discount_percent=texts.percent,
            currency=content.currency,
        )
    return facts


def element_boxes(layout: SceneLayout) -> list[dict[str, Any]]:
    """The overlays of a scene, one entry per kind (a countdown's seconds share one box)."""
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
