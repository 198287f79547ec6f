"""Photos tab: upload, clean into marketplace presets, fix one photo, download a zip.

The work is `studio.photos.run_batch`, the very function ``livestall photos clean`` calls, run in
the studio's worker pool; its per-photo progress goes to the job row, so the page shows each photo
as it finishes. An upload stores every good photo and reports each bad one by its own code; each
photo belongs to a product (picked, or by its file name), and a finished photo becomes that
product's photo (`server.studio.product_photos`), which the page reads back on every load.
"Fix one photo" runs the same batch on that one photo with the seller's margin, background and
shadow into its own job folder (a new URL, never a stale image), then points the batch's item and
the product at the new file and copies it into the batch's folder for the zip.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from server.studio.jobs import JobContext, JobView, JsonDict
from server.studio.product_photos import (
    CleanedPhoto,
    ProductPhotos,
    match_sku,
    record_batch,
    replace_photo,
    use_original,
)
from server.studio.state import StudioDep, StudioState
from server.studio.uploads import inside, read_files, store_batch
from studio.catalog import normalize_sku
from studio.errors import JobNotFound, ProductNotFound
from studio.photos import PRESETS, CleanOptions, PhotoResult, Progress, get_preset, run_batch
from studio.photos.presets import RGB, ShadowKind, parse_background

router = APIRouter(prefix="/studio/api/photos", tags=["studio"])
_ID = re.compile(r"^[0-9a-f]{8,32}$")


class CleanIn(BaseModel):
    """What the seller picked: the upload, the presets and optional overrides."""

    upload_id: str = Field(pattern=r"^[0-9a-f]{8,32}$")
    presets: list[str] = Field(min_length=1, max_length=len(PRESETS))
    background: str = Field(default="keep", max_length=20)
    shadow: Literal["contact", "drop", "none"] | None = None
    fill: float | None = Field(default=None, ge=0.1, le=1.0)
    engine: Literal["isnet", "classic"] = "isnet"


class OriginalIn(BaseModel):
    """Show a product's photos as uploaded (True) or as cleaned (False)."""

    is_original: bool


class FixIn(BaseModel):
    """A fix for one photo of a finished batch."""

    name: str = Field(max_length=200)
    background: str = Field(default="keep", max_length=20)
    shadow: Literal["contact", "drop", "none"] | None = None
    fill: float | None = Field(default=None, ge=0.1, le=1.0)


def background_option(text: str) -> RGB | None | Literal["keep"]:
    """``keep`` leaves each preset's own background; else `parse_background` (raises InputError)."""
    return "keep" if text in ("", "keep") else parse_background(text)


def _clean_options(
    out_dir: Path,
    *,
    presets: tuple[str, ...],
    background: RGB | None | Literal["keep"],
    shadow: ShadowKind | None,
    fill: float | None,
    engine: str,
) -> CleanOptions:
    """The clean options shared by a studio batch and its fixes: one worker, always redo the
    outputs, no contact sheet."""
    return CleanOptions(
        out_dir=out_dir,
        presets=presets,
        background=background,
        shadow=shadow,
        fill=fill,
        engine=engine,
        jobs=1,
        force=True,
        has_contact_sheet=False,
    )


def photo_item(
    studio: StudioState, result: PhotoResult, *, before: Path, sku: str | None
) -> JsonDict:
    """One photo's result as the page shows it: its product, before, after per preset, or why it
    failed (by code, which the page translates)."""
    return {
        "name": result.source.name,
        "sku": sku,
        "status": result.status,
        "code": result.code,
        "reason": result.reason,
        "before_url": studio.url_of(before),
        "warnings": [warning.to_dict() for warning in result.warnings],
        "outputs": [
            {
                "preset": out.preset,
                "url": studio.url_of(out.path),
                "width": out.size_px[0],
                "height": out.size_px[1],
                "bytes": out.bytes,
            }
            for out in result.outputs
        ],
    }


def clean_photos(
    studio: StudioState,
    ctx: JobContext,
    sources: list[Path],
    options: CleanOptions,
    *,
    skus: dict[str, str | None],
) -> JsonDict:
    """Run the photo batch for a job, reporting every photo as it finishes.

    Args:
        skus: photo name -> the product it belongs to (None: no product).
    """
    items: dict[str, JsonDict] = {}
    ctx.progress(0, len(sources), result={"items": []})

    def item_of(result: PhotoResult) -> JsonDict:
        return photo_item(studio, result, before=result.source, sku=skus.get(result.source.name))

    def report(progress: Progress) -> None:
        item = item_of(progress.result)
        items[item["name"]] = item
        ctx.progress(
            progress.done, progress.total, item["name"], result={"items": list(items.values())}
        )

    batch = run_batch(sources, options, on_progress=report)
    final = [item_of(r) for r in batch.results]
    return {"items": final, "engine": batch.engine, "counts": batch.counts()}


def cleaned_photo(studio: StudioState, batch_id: str, item: JsonDict) -> CleanedPhoto:
    """The book's entry for a finished photo: its upload and its first preset's file."""
    return CleanedPhoto(
        batch_id=batch_id,
        name=item["name"],
        original=str(studio_path(studio, item["before_url"])),
        cleaned=str(studio_path(studio, item["outputs"][0]["url"])),
        item=item,
    )


def studio_path(studio: StudioState, url: str) -> Path:
    """The file behind a ``/studio/files/...`` URL (inside the studio folder)."""
    return inside(studio.root, url.removeprefix("/studio/files/"))


def give_to_products(studio: StudioState, batch_id: str, items: list[JsonDict]) -> None:
    """Make each finished photo of a batch its product's photo (batch order)."""
    made = [
        (item["sku"], cleaned_photo(studio, batch_id, item))
        for item in items
        if item["sku"] and item["status"] == "ok" and item["outputs"]
    ]
    if made:
        studio.product_photos.update(
            lambda records: record_batch(records, made),
            skus={normalize_sku(sku) for sku, _photo in made},
            load_catalog=studio.load_catalog,
            save_catalog=studio.save_catalog,
        )


@router.get("/presets")
async def list_presets() -> list[dict[str, str]]:
    """The marketplace presets (name, label, the rule and its source)."""
    return [
        {"name": p.name, "label": p.label, "rule": p.rule, "source": p.source}
        for p in PRESETS.values()
    ]


@router.post("/uploads")
async def upload_photos(request: Request, studio: StudioDep, sku: str = "") -> dict[str, Any]:
    """Store the good photos of an upload (form field ``files``; checked by content, size and
    count) and report each bad one by its code; every photo goes to product `sku`, or to the
    product whose SKU starts its file name when `sku` is empty. When no photo is good the answer
    has no ``upload_id`` and nothing is stored.

    Raises:
        UploadRejected: no file, or too many files.
        ProductNotFound: `sku` is not in the catalog.
    """
    catalog = await asyncio.to_thread(studio.load_catalog)
    chosen = catalog.get(normalize_sku(sku)) if sku else None
    if sku and chosen is None:
        raise ProductNotFound(f"no product {sku!r} in the catalog", hint="pick another product")
    limit = studio.settings.studio_max_upload_bytes
    incoming = await read_files(
        request, "files", max_files=studio.settings.studio_max_files, max_bytes=limit
    )
    upload_id, stored, rejected = await asyncio.to_thread(
        store_batch,
        studio.root,
        incoming,
        max_files=studio.settings.studio_max_files,
        max_bytes=limit,
    )
    all_skus = [p.sku for p in catalog.products]
    owners = {
        s.name: chosen.sku if chosen is not None else match_sku(s.name, all_skus) for s in stored
    }
    if upload_id:
        manifest = inside(studio.root, f"uploads/{upload_id}.json")
        await asyncio.to_thread(manifest.write_text, json.dumps(owners), encoding="utf-8")
    return {
        "upload_id": upload_id or None,
        "files": [
            {
                "name": s.name,
                "sku": owners[s.name],
                "url": studio.url_of(s.path),
                "width": s.width,
                "height": s.height,
                "bytes": s.bytes,
            }
            for s in stored
        ],
        "rejected": [{"name": r.name, **r.error.to_dict()} for r in rejected],
    }


def upload_owners(studio: StudioState, upload_id: str) -> dict[str, str | None]:
    """Photo name -> product of an upload (empty for an upload from before products)."""
    manifest = inside(studio.root, f"uploads/{upload_id}.json")
    if not manifest.is_file():
        return {}
    owners: dict[str, str | None] = json.loads(manifest.read_text(encoding="utf-8"))
    return owners


@router.post("/jobs")
async def start_clean(body: CleanIn, studio: StudioDep) -> dict[str, Any]:
    """Start cleaning an upload into the chosen presets; answer the queued job.

    Raises:
        UnknownPreset: a preset name that does not exist.
        InputError: a background colour that cannot be read.
        JobNotFound: no such upload.
    """
    for name in body.presets:
        get_preset(name)
    background = background_option(body.background)
    folder = inside(studio.root, f"uploads/{body.upload_id}")
    if not folder.is_dir():
        raise JobNotFound(f"no upload {body.upload_id!r}", hint="upload the photos again")
    sources = sorted(p for p in folder.iterdir() if p.is_file())
    owners = await asyncio.to_thread(upload_owners, studio, body.upload_id)
    params = {**body.model_dump(), "products": owners}

    def work(ctx: JobContext) -> JsonDict:
        options = _clean_options(
            studio.job_dir(ctx.job_id) / "out",
            presets=tuple(body.presets),
            background=background,
            shadow=body.shadow,
            fill=body.fill,
            engine=body.engine,
        )
        result = clean_photos(studio, ctx, sources, options, skus=owners)
        give_to_products(studio, ctx.job_id, result["items"])
        return result

    job = await asyncio.to_thread(studio.runner.submit, "photos", params, work)
    return job.to_dict()


@router.post("/jobs/{job_id}/fix")
async def fix_photo(job_id: str, body: FixIn, studio: StudioDep) -> dict[str, Any]:
    """Re-make one photo of a batch with another margin, background or shadow.

    Raises:
        JobNotFound: no such batch or photo in it.
        InputError: a background colour that cannot be read.
    """
    parent = await asyncio.to_thread(studio.runner.get, check_job_id(job_id))
    if parent.kind != "photos":
        raise JobNotFound(f"job {job_id} is not a photo batch")
    source = inside(studio.root, f"uploads/{parent.params['upload_id']}/{body.name}")
    if not source.is_file():
        raise JobNotFound(f"no photo {body.name!r} in this batch")
    background = background_option(body.background)
    params = {**body.model_dump(), "parent": parent.id}
    owners: dict[str, str | None] = parent.params.get("products", {})

    def work(ctx: JobContext) -> JsonDict:
        options = _clean_options(
            studio.job_dir(ctx.job_id) / "out",
            presets=tuple(parent.params["presets"]),
            background=background,
            shadow=body.shadow,
            fill=body.fill,
            engine=parent.params.get("engine", "isnet"),
        )
        result = clean_photos(studio, ctx, [source], options, skus=owners)
        take_fix(studio, parent, result["items"][0])
        return result

    job = await asyncio.to_thread(studio.runner.submit, "photos.fix", params, work)
    return job.to_dict()


def take_fix(studio: StudioState, parent: JobView, item: JsonDict) -> None:
    """Put a re-exported photo in its batch: its item (the new URLs), its zip, its product."""
    if item["status"] != "ok":
        return
    parent_out = studio.job_dir(parent.id) / "out"
    for output in item["outputs"]:
        made = studio_path(studio, output["url"])
        target = parent_out / output["preset"] / made.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, target)

    def swap(result: JsonDict) -> JsonDict:
        items = [item if old["name"] == item["name"] else old for old in result.get("items", [])]
        return {**result, "items": items}

    studio.runner.change_result(parent.id, swap)
    if item["sku"]:
        sku = normalize_sku(item["sku"])
        studio.product_photos.update(
            lambda records: replace_photo(records, sku, cleaned_photo(studio, parent.id, item)),
            skus={sku},
            load_catalog=studio.load_catalog,
            save_catalog=studio.save_catalog,
        )


@router.get("/products")
async def product_photos(studio: StudioDep) -> dict[str, Any]:
    """Each product's kept photos and which one the catalog uses, plus the newest batch, so a
    reloaded page shows everything again (catalog order; products without photos left out)."""

    def read() -> dict[str, Any]:
        catalog = studio.load_catalog()
        records = studio.product_photos.read()
        batches = studio.runner.recent(kind="photos", limit=1)
        found = []
        for product in catalog.products:
            record = records.get(product.sku)
            if record is not None:
                found.append(product_photos_out(record, name=product.name, first=product.photos))
        return {"products": found, "batch": batches[0].to_dict() if batches else None}

    return await asyncio.to_thread(read)


def product_photos_out(
    record: ProductPhotos, *, name: str, first: tuple[str, ...]
) -> dict[str, Any]:
    """A product's record as the page shows it; ``in_use`` says what the catalog shows first:
    ``cleaned``, ``original`` or ``other`` (a photo set in the products tab since)."""
    main = record.photos[0]
    in_use = {main.cleaned: "cleaned", main.original: "original"}.get(first[0] if first else "")
    return {
        "sku": record.sku,
        "name": name,
        "is_original": record.is_original,
        "in_use": in_use or "other",
        "photos": [{**p.item, "sku": record.sku, "batch_id": p.batch_id} for p in record.photos],
    }


@router.post("/products/{sku}/original")
async def choose_original(sku: str, body: OriginalIn, studio: StudioDep) -> dict[str, Any]:
    """Show the product's photos as uploaded (``is_original``) or as cleaned, in the catalog.

    Raises:
        ProductNotFound: no such product, or it has no photo from the photos tab.
    """
    wanted = normalize_sku(sku)

    def work() -> dict[str, Any]:
        product = studio.load_catalog().get(wanted)
        if product is None or wanted not in studio.product_photos.read():
            raise ProductNotFound(
                f"{sku!r} has no photo from the photos tab", hint="clean its photos first"
            )
        records = studio.product_photos.update(
            lambda records: use_original(records, wanted, is_original=body.is_original),
            skus={wanted},
            load_catalog=studio.load_catalog,
            save_catalog=studio.save_catalog,
        )
        first = studio.load_catalog().get(wanted)
        photos = first.photos if first is not None else ()
        return product_photos_out(records[wanted], name=product.name, first=photos)

    return await asyncio.to_thread(work)


@router.get("/jobs/{job_id}/zip")
async def download_zip(job_id: str, studio: StudioDep) -> Response:
    """Every file of a batch (one folder per preset, with ``report.json``) as one zip."""
    job = await asyncio.to_thread(studio.runner.get, check_job_id(job_id))
    folder = studio.job_dir(job.id) / "out"
    data = await asyncio.to_thread(zip_folder, folder)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="photos-{job.id}.zip"'},
    )


def zip_folder(folder: Path) -> bytes:
    """Return a zip of every file under `folder`, paths relative to it (images stored as is)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            compress = path.suffix.lower() in (".json", ".txt", ".csv")
            archive.write(
                path,
                path.relative_to(folder).as_posix(),
                compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED,
            )
    return buffer.getvalue()


def check_job_id(text: str) -> str:
    """Return `text` if it looks like a job id (hex), else raise `JobNotFound`."""
    if not _ID.match(text):
        raise JobNotFound(f"no studio job {text!r}")
    return text
