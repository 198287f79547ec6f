"""Clips tab: products + template + brand + the seller's edits -> a quick preview, then the clip.

The spec is built here from the studio's catalog (one scene per product, by SKU, so prices and
names come from the catalog unless the seller overrides them) and rendered by
`studio.clips.render_clip`, the function ``livestall clip render`` calls. A preview is the same
spec with ``is_preview`` (360 px wide, 15 fps, ultrafast): a few seconds on a laptop.

Each product shows its cleaned cut-out: the ``transparent`` output of its photo batch when the
photos tab made one, else its photo cut out now (cached in ``<studio>/cutouts``); the photo as
shot only when the seller ticks "photo as shot" or chose the original in the photos tab. The
brand kit (``<studio>/brand.json`` and ``brand/logo.png``) is kept here and used by every clip.
Templates are previewed as thumbnails (``templates/<name>/thumb.jpg``), drawn once per look.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from PIL import Image
from pydantic import BaseModel, Field

from server.studio.jobs import JobContext, JsonDict
from server.studio.state import StudioDep, StudioState
from server.studio.uploads import read_files, sniff_image
from studio.catalog import Catalog, Product
from studio.clips.music import TRACKS
from studio.clips.pipeline import ClipProgress, render_clip, render_still
from studio.clips.spec import ClipSpec, spec_from_data
from studio.clips.templates import DEFAULT_TEMPLATE, template_info, template_names
from studio.errors import ProductNotFound, SpecInvalid, UploadRejected
from studio.paths import sample_catalog_path

router = APIRouter(prefix="/studio/api/clips", tags=["studio"])
COLOR = r"^#[0-9A-Fa-f]{6}$"
MAX_LOGO_BYTES = 2 * 1024 * 1024
THUMB_WIDTH_PX = 270
SAMPLE_S = 3.0


class BrandIn(BaseModel):
    """The shop's brand kit as the tab edits it (the logo is uploaded on its own)."""

    shop_name: str = Field(default="", max_length=60)
    page_handle: str = Field(default="", max_length=60)
    primary: str | None = Field(default=None, pattern=COLOR)
    secondary: str | None = Field(default=None, pattern=COLOR)
    keep_livestall_mark: bool = False


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
    length_s: Literal[15, 30, 60] | None = None
    music: str | None = Field(default=None, max_length=20, description="a track, 'none' or null")
    live_time: str = Field(default="", max_length=60)
    is_raw: bool = False
    is_preview: bool = True
    is_sample: bool = Field(
        default=False, description="a 3 s preview of the template with the first product"
    )


def brand_path(studio: StudioState) -> Path:
    """The brand kit file of the studio."""
    return studio.root / "brand.json"


def logo_path(studio: StudioState) -> Path:
    """The brand logo (PNG) of the studio."""
    return studio.root / "brand" / "logo.png"


def read_brand(studio: StudioState) -> BrandIn:
    """The saved brand kit (empty before the first save)."""
    path = brand_path(studio)
    if not path.is_file():
        return BrandIn()
    return BrandIn.model_validate_json(path.read_text(encoding="utf-8"))


def brand_spec(studio: StudioState) -> dict[str, Any] | None:
    """The brand kit as the clip spec's ``brand`` block, or None when nothing is set."""
    brand = read_brand(studio)
    data: dict[str, Any] = {
        k: v for k, v in brand.model_dump().items() if v not in (None, "") and v is not False
    }
    if logo_path(studio).is_file():
        data["logo"] = str(logo_path(studio))
    return data or None


def brand_view(studio: StudioState) -> JsonDict:
    """The brand kit for the page, with the logo's URL when there is one."""
    logo = logo_path(studio)
    url = f"{studio.url_of(logo)}?v={int(logo.stat().st_mtime)}" if logo.is_file() else None
    return {**read_brand(studio).model_dump(), "logo_url": url}


def clip_photo(
    studio: StudioState, catalog: Catalog, product: Product, *, is_raw: bool
) -> JsonDict:
    """The scene fields for a product's photo: its cut-out unless the seller wants the raw one.

    A photo cleaned in the photos tab brings its batch's ``transparent`` output when there is
    one; otherwise the pipeline cuts the photo out itself (and caches it).
    """
    record = studio.product_photos.read().get(product.sku)
    if record is not None and record.photos:
        first = record.photos[0]
        if is_raw or record.is_original:
            return {"photo": first.original, "source": "raw"}
        cleaned = Path(first.cleaned)
        cut = cleaned.parent.parent / "transparent" / f"{cleaned.stem}.png"
        return {"photo": str(cut if cut.is_file() else first.original), "source": "cleaned"}
    photo = catalog.photo_path(product)
    fields: JsonDict = {"source": "raw" if is_raw else "cleaned"}
    if photo is not None:
        fields["photo"] = str(photo)
    return fields


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
        scene: dict[str, Any] = {
            "sku": product.sku,
            **clip_photo(studio, catalog, product, is_raw=clip.is_raw),
        }
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
        "length_s": clip.length_s,
    }
    theme = {k: v for k, v in (("accent", clip.accent), ("text_color", clip.text_color)) if v}
    if theme:
        data["theme"] = theme
    if clip.cta.strip():
        data["cta"] = clip.cta.strip()
    if clip.duration_s is not None:
        data["defaults"] = {"duration_s": clip.duration_s}
    if clip.music == "none":
        data["music"] = None
    elif clip.music:
        data["music"] = {"track": clip.music}
    if clip.live_time.strip():
        data["closing"] = {"live_time": clip.live_time.strip()}
    if clip.is_sample:  # the look in 3 s: one product, no closing card, no fitting
        data.update(scenes=scenes[:1], closing=None, length_s=None)
        data["defaults"] = {"duration_s": SAMPLE_S}
    brand = brand_spec(studio)
    if brand is not None:
        data["brand"] = brand
    return spec_from_data(data, base_dir=studio.root, source="studio clip")


@router.get("/templates")
async def list_templates() -> list[str]:
    """The built-in clip templates."""
    return template_names()


@router.get("/templates/info")
async def describe_templates() -> list[dict[str, Any]]:
    """Each template's look, motion, price entrance and music (for the thumbnails grid)."""
    return await asyncio.to_thread(template_info)


@router.get("/tracks")
async def list_tracks() -> list[dict[str, Any]]:
    """The bundled music loops: name, tempo, mood, licence."""
    return [
        {"name": t.name, "bpm": t.bpm, "mood": t.mood, "licence": t.licence}
        for t in TRACKS.values()
    ]


@router.get("/templates/{name}/thumb.jpg")
async def template_thumbnail(
    name: str, studio: StudioDep, aspect: Literal["9:16", "1:1", "16:9"] = "9:16"
) -> FileResponse:
    """A still of the template with the shop's first product and brand, drawn once per look.

    Raises:
        SpecInvalid: an unknown template.
    """
    if name not in template_names():
        raise SpecInvalid(
            f"no clip template {name!r}", hint=f"choose {', '.join(template_names())}"
        )
    path = await asyncio.to_thread(_thumbnail, studio, name, aspect)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "no-cache"})


def _thumbnail(studio: StudioState, name: str, aspect: str) -> Path:
    catalog = studio.load_catalog()
    product = catalog.products[0] if catalog.products else None
    scene: dict[str, Any]
    catalog_file = studio.catalog_path
    if product is None:
        catalog_file = sample_catalog_path()
        scene = {"sku": "A12"}
    else:
        scene = {"sku": product.sku, **clip_photo(studio, catalog, product, is_raw=False)}
    data: dict[str, Any] = {
        "extends": name,
        "canvas": {"aspect": aspect},
        "catalog": str(catalog_file),
        "scenes": [scene],
        "music": None,
        "closing": None,
    }
    brand = brand_spec(studio)
    if brand is not None:
        data["brand"] = brand
    key = hashlib.sha256(json.dumps([data, _mtime(brand)], sort_keys=True).encode()).hexdigest()
    folder = studio.root / "thumbs"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{name}-{aspect.replace(':', 'x')}-{key[:12]}.jpg"
    if not out.is_file():
        spec = spec_from_data(data, base_dir=studio.root, source=f"template {name}")
        render_still(spec, out, width_px=THUMB_WIDTH_PX, cutout_dir=studio.root / "cutouts")
    return out


def _mtime(brand: dict[str, Any] | None) -> float:
    logo = Path(brand["logo"]) if brand and "logo" in brand else None
    return logo.stat().st_mtime if logo is not None and logo.is_file() else 0.0


@router.get("/brand")
async def get_brand(studio: StudioDep) -> JsonDict:
    """The shop's brand kit."""
    return await asyncio.to_thread(brand_view, studio)


@router.put("/brand")
async def put_brand(body: BrandIn, studio: StudioDep) -> JsonDict:
    """Save the brand kit (shop name, page handle, two colours, the Livestall mark kept or not)."""

    def save() -> JsonDict:
        path = brand_path(studio)
        temp = path.with_suffix(".tmp")
        temp.write_text(body.model_dump_json(indent=1), encoding="utf-8")
        temp.replace(path)
        return brand_view(studio)

    return await asyncio.to_thread(save)


@router.put("/brand/logo")
async def put_logo(request: Request, studio: StudioDep) -> JsonDict:
    """Upload the shop's logo (PNG, JPEG or WebP, at most 2 MB); it is kept as a PNG.

    Raises:
        UploadRejected: no file, too large, or not an image.
    """
    files = await read_files(request, "logo", max_files=1, max_bytes=MAX_LOGO_BYTES)
    if len(files) != 1:
        raise UploadRejected("send one logo file", hint="choose a PNG or JPEG")
    item = files[0]
    if len(item.data) > MAX_LOGO_BYTES:
        raise UploadRejected(f"{item.filename}: over 2 MB", hint="use a smaller logo")
    sniff_image(item.data, name=item.filename)

    def save() -> JsonDict:
        with Image.open(io.BytesIO(item.data)) as image:
            image.thumbnail((1024, 1024))
            target = logo_path(studio)
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_suffix(".tmp.png")
            image.convert("RGBA").save(temp, "PNG")
            temp.replace(target)
        return brand_view(studio)

    return await asyncio.to_thread(save)


@router.post("/jobs")
async def start_clip(body: ClipIn, studio: StudioDep) -> dict[str, Any]:
    """Validate the clip and start rendering it (preview or full); answer the queued job.

    Raises:
        ProductNotFound, SpecInvalid: before anything is queued.
    """
    catalog = await asyncio.to_thread(studio.load_catalog)
    if body.is_sample:
        body = body.model_copy(update={"is_preview": True})
    spec = await asyncio.to_thread(build_spec, body, catalog, studio=studio)
    kind = "clips.preview" if body.is_preview else "clips.render"

    def work(ctx: JobContext) -> JsonDict:
        out = studio.job_dir(ctx.job_id) / ("preview.mp4" if body.is_preview else "clip.mp4")

        def report(progress: ClipProgress) -> None:
            ctx.progress(progress.frames_done, progress.frames_total, progress.clip)

        ctx.check()
        made = render_clip(
            spec,
            out,
            is_preview=body.is_preview,
            cutout_dir=studio.root / "cutouts",
            on_progress=report,
        )
        return {
            "video_url": studio.url_of(made.video),
            "poster_url": studio.url_of(made.poster),
            "width": made.width,
            "height": made.height,
            "fps": made.fps,
            "duration_s": round(made.duration_s, 2),
            "has_audio": made.has_audio,
            "is_preview": body.is_preview,
            "skus": [s.upper() for s in body.skus],
            "render_s": round(made.render_s, 2),
        }

    job = await asyncio.to_thread(studio.runner.submit, kind, body.model_dump(), work)
    return job.to_dict()
