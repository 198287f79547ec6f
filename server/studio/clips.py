"""Clips tab: products + template + the seller's edits -> a quick preview, then the full clip.

The spec is built here from the studio's catalog (one scene per product, by SKU, so prices and
names come from the catalog unless the seller overrides them) and rendered by
`studio.clips.render_clip`, the function ``livestall clip render`` calls. A preview is the same
spec with ``is_preview`` (360 px wide, 15 fps, ultrafast): a few seconds on a laptop.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from server.studio.jobs import JobContext, JsonDict
from server.studio.state import StudioDep, StudioState
from studio.catalog import Catalog
from studio.clips.pipeline import ClipProgress, render_clip
from studio.clips.spec import ClipSpec, spec_from_data
from studio.clips.templates import DEFAULT_TEMPLATE, template_names
from studio.errors import ProductNotFound, SpecInvalid

router = APIRouter(prefix="/studio/api/clips", tags=["studio"])
COLOR = r"^#[0-9A-Fa-f]{6}$"


class ClipIn(BaseModel):
    """The seller's choices on the Clips tab; empty text keeps the catalog's value."""

    skus: list[str] = Field(min_length=1, max_length=20)
    template: str = Field(default=DEFAULT_TEMPLATE, max_length=40)
    aspect: Literal["9:16", "1:1", "16:9"] = "9:16"
    locale: Literal["vi", "en", "ar"] = "vi"
    title: str = Field(default="", max_length=300)
    price: str = Field(default="", max_length=40)
    sale_price: str = Field(default="", max_length=40)
    cta: str = Field(default="", max_length=200)
    accent: str | None = Field(default=None, pattern=COLOR)
    text_color: str | None = Field(default=None, pattern=COLOR)
    duration_s: float | None = Field(default=None, gt=0.5, le=30)
    is_preview: bool = True


def build_spec(clip: ClipIn, catalog: Catalog, *, studio: StudioState) -> ClipSpec:
    """Turn the tab's fields into a validated clip spec (one scene per product).

    Raises:
        ProductNotFound: a SKU not in the catalog.
        SpecInvalid: a field the clip spec refuses (named by its path).
    """
    if clip.template not in template_names():
        raise SpecInvalid(
            f"no clip template {clip.template!r}", hint=f"choose {', '.join(template_names())}"
        )
    scenes: list[dict[str, Any]] = []
    chosen = []
    for sku in clip.skus:
        product = catalog.get(sku)
        if product is None:
            raise ProductNotFound(f"no product {sku!r} in the catalog", hint="check the SKU")
        chosen.append(product)
        scene: dict[str, Any] = {"sku": product.sku}
        photo = catalog.photo_path(product)
        if photo is not None:
            scene["photo"] = str(photo)
        for key in ("title", "price", "sale_price"):
            value = getattr(clip, key).strip()
            if value:
                scene[key] = value
        scenes.append(scene)
    data: dict[str, Any] = {
        "extends": clip.template,
        "canvas": {"aspect": clip.aspect},
        "locale": clip.locale,
        "currency": chosen[0].currency,
        "catalog": str(studio.catalog_path),
        "scenes": scenes,
    }
    theme = {k: v for k, v in (("accent", clip.accent), ("text_color", clip.text_color)) if v}
    if theme:
        data["theme"] = theme
    if clip.cta.strip():
        data["cta"] = clip.cta.strip()
    if clip.duration_s is not None:
        data["defaults"] = {"duration_s": clip.duration_s}
    return spec_from_data(data, base_dir=studio.root, source="studio clip")


@router.get("/templates")
async def list_templates() -> list[str]:
    """The built-in clip templates."""
    return template_names()


@router.post("/jobs")
async def start_clip(body: ClipIn, studio: StudioDep) -> dict[str, Any]:
    """Validate the clip and start rendering it (preview or full); answer the queued job.

    Raises:
        ProductNotFound, SpecInvalid: before anything is queued.
    """
    catalog = await asyncio.to_thread(studio.load_catalog)
    spec = build_spec(body, catalog, studio=studio)
    kind = "clips.preview" if body.is_preview else "clips.render"

    def work(ctx: JobContext) -> JsonDict:
        out = studio.job_dir(ctx.job_id) / ("preview.mp4" if body.is_preview else "clip.mp4")

        def report(progress: ClipProgress) -> None:
            ctx.progress(progress.frames_done, progress.frames_total, progress.clip)

        ctx.check()
        made = render_clip(spec, out, is_preview=body.is_preview, on_progress=report)
        return {
            "video_url": studio.url_of(made.video),
            "poster_url": studio.url_of(made.poster),
            "width": made.width,
            "height": made.height,
            "fps": made.fps,
            "duration_s": round(made.duration_s, 2),
            "is_preview": body.is_preview,
            "skus": [s.upper() for s in body.skus],
            "render_s": round(made.render_s, 2),
        }

    job = await asyncio.to_thread(studio.runner.submit, kind, body.model_dump(), work)
    return job.to_dict()
