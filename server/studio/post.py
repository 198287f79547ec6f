"""Post tab: per product and platform, a caption with a copy button, and a kit to download.

A kit is a folder per product and platform (``A12/shopee/``): the photos at that platform's
preset (made by `studio.photos.run_batch`), the newest full clip rendered for the product (when
there is one), ``caption.txt`` and, for a listing, ``title.txt``. Captions come from
`server.studio.captions` (pure; limits as data).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from server.studio.captions import PLATFORMS, build_caption
from server.studio.jobs import JobContext, JsonDict
from server.studio.photos import check_job_id, zip_folder
from server.studio.state import StudioDep, StudioState
from server.studio.uploads import inside
from studio.catalog import Catalog, Product
from studio.errors import InputError, JobNotFound, ProductNotFound
from studio.photos import CleanOptions, run_batch

router = APIRouter(prefix="/studio/api/post", tags=["studio"])
MAX_KIT_PHOTOS = 3


class PostIn(BaseModel):
    """Products, platforms and language of the captions."""

    skus: list[str] = Field(min_length=1, max_length=50)
    platforms: list[str] = Field(default_factory=lambda: list(PLATFORMS), min_length=1)
    locale: Literal["vi", "en", "ar"] = "vi"

    @field_validator("platforms")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p not in PLATFORMS]
        if unknown:
            raise ValueError(f"unknown platform {unknown[0]!r}; choose {', '.join(PLATFORMS)}")
        return list(dict.fromkeys(value))


def products_of(catalog: Catalog, skus: list[str]) -> list[Product]:
    """The catalog's products for these SKUs, in the order given.

    Raises:
        ProductNotFound: a SKU not in the catalog.
    """
    found: list[Product] = []
    for sku in skus:
        product = catalog.get(sku)
        if product is None:
            raise ProductNotFound(f"no product {sku!r} in the catalog", hint="check the SKU")
        found.append(product)
    return found


@router.get("/platforms")
async def list_platforms() -> list[dict[str, Any]]:
    """The platforms, their caption limits and the sources of those limits."""
    return [
        {
            "name": p.name,
            "label": p.label,
            "max_chars": p.max_chars,
            "max_hashtags": p.max_hashtags,
            "title_max_chars": p.title_max_chars,
            "photo_preset": p.photo_preset,
            "source": p.source,
        }
        for p in PLATFORMS.values()
    ]


@router.post("/captions")
async def captions(body: PostIn, studio: StudioDep) -> dict[str, Any]:
    """A caption per product and platform (instant; no job)."""
    catalog = await asyncio.to_thread(studio.load_catalog)
    items = []
    for product in products_of(catalog, body.skus):
        made = [build_caption(product, p, locale=body.locale) for p in body.platforms]
        items.append(
            {
                "sku": product.sku,
                "name": product.name,
                "captions": [
                    {
                        "platform": c.platform,
                        "label": PLATFORMS[c.platform].label,
                        "text": c.text,
                        "title": c.title,
                        "length": c.length,
                        "max_chars": c.max_chars,
                        "is_trimmed": c.is_trimmed,
                    }
                    for c in made
                ],
            }
        )
    return {"items": items}


@router.post("/kits")
async def start_kit(body: PostIn, studio: StudioDep) -> dict[str, Any]:
    """Start building the post kit (photos per platform, clip, captions); answer the job.

    Raises:
        ProductNotFound: a SKU not in the catalog.
        InputError: a product without a photo.
    """
    catalog = await asyncio.to_thread(studio.load_catalog)
    chosen = products_of(catalog, body.skus)
    for product in chosen:
        if catalog.photo_path(product) is None:
            raise InputError(f"{product.sku} has no photo", hint="add one in the Products tab")

    def work(ctx: JobContext) -> JsonDict:
        return build_kit(studio, ctx, catalog, chosen, body)

    job = await asyncio.to_thread(studio.runner.submit, "post", body.model_dump(), work)
    return job.to_dict()


def build_kit(
    studio: StudioState, ctx: JobContext, catalog: Catalog, chosen: list[Product], body: PostIn
) -> JsonDict:
    """Write the kit folder of a job: ``kit/<SKU>/<platform>/``."""
    kit = studio.job_dir(ctx.job_id) / "kit"
    presets = tuple(dict.fromkeys(PLATFORMS[p].photo_preset for p in body.platforms))
    clips = _latest_clips(studio)
    items: list[JsonDict] = []
    for index, product in enumerate(chosen):
        ctx.progress(index, len(chosen), product.sku)
        count = min(MAX_KIT_PHOTOS, len(product.photos))
        photos = [p for i in range(count) if (p := catalog.photo_path(product, i)) is not None]
        work_dir = studio.job_dir(ctx.job_id) / "work" / product.sku
        report = run_batch(
            photos,
            CleanOptions(
                out_dir=work_dir, presets=presets, jobs=1, force=True, has_contact_sheet=False
            ),
        )
        for platform in body.platforms:
            folder = kit / product.sku / platform
            folder.mkdir(parents=True, exist_ok=True)
            caption = build_caption(product, platform, locale=body.locale)
            (folder / "caption.txt").write_text(caption.text + "\n", encoding="utf-8")
            if caption.title is not None:
                (folder / "title.txt").write_text(caption.title + "\n", encoding="utf-8")
            for result in report.results:
                for out in result.outputs:
                    if out.preset == PLATFORMS[platform].photo_preset:
                        shutil.copyfile(out.path, folder / out.path.name)
            clip = clips.get(product.sku)
            if clip is not None and clip.is_file():
                shutil.copyfile(clip, folder / f"{product.sku}.mp4")
        failed = [r.reason for r in report.failed]
        items.append({"sku": product.sku, "has_clip": product.sku in clips, "failed": failed})
    ctx.progress(len(chosen), len(chosen), "zip")
    return {"items": items, "zip_url": f"/studio/api/post/kits/{ctx.job_id}/zip"}


def _latest_clips(studio: StudioState) -> dict[str, Path]:
    """SKU -> the newest finished full clip showing it (one-product clips only)."""
    found: dict[str, Path] = {}
    for job in studio.runner.recent(kind="clips.render", limit=100):
        skus = job.result.get("skus", [])
        if job.status == "done" and len(skus) == 1 and skus[0] not in found:
            found[skus[0]] = inside(
                studio.root, job.result["video_url"].removeprefix("/studio/files/")
            )
    return found


@router.get("/kits/{job_id}/zip")
async def download_kit(job_id: str, studio: StudioDep) -> Response:
    """The kit as one zip (``<SKU>/<platform>/...``)."""
    job = await asyncio.to_thread(studio.runner.get, check_job_id(job_id))
    if job.kind != "post" or job.status != "done":
        raise JobNotFound(f"the post kit {job_id} is not ready", hint="wait until it is done")
    data = await asyncio.to_thread(zip_folder, studio.job_dir(job.id) / "kit")
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="post-kit-{job.id}.zip"'},
    )
