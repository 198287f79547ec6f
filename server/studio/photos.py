"""Photos tab: upload, clean into marketplace presets, fix one photo, download a zip.

The work is `studio.photos.run_batch`, the very function ``livestall photos clean`` calls, run in
the studio's worker pool; its per-photo progress goes to the job row, so the page shows each photo
as it finishes. "Fix one photo" runs the same batch on that one photo with the seller's margin,
background and shadow, and puts the new files over the old ones of the batch.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from server.studio.jobs import JobContext, JsonDict
from server.studio.state import StudioDep, StudioState
from server.studio.uploads import inside, read_files, store_photos
from studio.errors import JobNotFound
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
) -> CleanOptions:
    """The clean options shared by a studio batch and its fixes: one worker, always redo the
    outputs, no contact sheet."""
    return CleanOptions(
        out_dir=out_dir,
        presets=presets,
        background=background,
        shadow=shadow,
        fill=fill,
        jobs=1,
        force=True,
        has_contact_sheet=False,
    )


def photo_item(studio: StudioState, result: PhotoResult, *, before: Path) -> JsonDict:
    """One photo's result as the page shows it: before, after per preset, or why it failed."""
    return {
        "name": result.source.name,
        "status": result.status,
        "code": result.code,
        "reason": result.reason,
        "before_url": studio.url_of(before),
        "warnings": list(result.warnings),
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
    studio: StudioState, ctx: JobContext, sources: list[Path], options: CleanOptions
) -> JsonDict:
    """Run the photo batch for a job, reporting every photo as it finishes."""
    items: dict[str, JsonDict] = {}
    ctx.progress(0, len(sources), result={"items": []})

    def report(progress: Progress) -> None:
        item = photo_item(studio, progress.result, before=progress.result.source)
        items[item["name"]] = item
        ctx.progress(
            progress.done, progress.total, item["name"], result={"items": list(items.values())}
        )

    batch = run_batch(sources, options, on_progress=report)
    final = [photo_item(studio, r, before=r.source) for r in batch.results]
    return {"items": final, "engine": batch.engine, "counts": batch.counts()}


@router.get("/presets")
async def list_presets() -> list[dict[str, str]]:
    """The marketplace presets (name, label, the rule and its source)."""
    return [
        {"name": p.name, "label": p.label, "rule": p.rule, "source": p.source}
        for p in PRESETS.values()
    ]


@router.post("/uploads")
async def upload_photos(request: Request, studio: StudioDep) -> dict[str, Any]:
    """Store uploaded photos (form field ``files``; checked by content, size and count).

    Raises:
        UploadRejected: too many files, one too big, or not a photo.
    """
    limit = studio.settings.studio_max_upload_bytes
    incoming = await read_files(
        request, "files", max_files=studio.settings.studio_max_files, max_bytes=limit
    )
    upload_id, stored = await asyncio.to_thread(
        store_photos,
        studio.root,
        incoming,
        max_files=studio.settings.studio_max_files,
        max_bytes=limit,
    )
    return {
        "upload_id": upload_id,
        "files": [
            {
                "name": s.name,
                "url": studio.url_of(s.path),
                "width": s.width,
                "height": s.height,
                "bytes": s.bytes,
            }
            for s in stored
        ],
    }


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
    params = body.model_dump()

    def work(ctx: JobContext) -> JsonDict:
        options = _clean_options(
            studio.job_dir(ctx.job_id) / "out",
            presets=tuple(body.presets),
            background=background,
            shadow=body.shadow,
            fill=body.fill,
        )
        return clean_photos(studio, ctx, sources, options)

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
    parent_out = studio.job_dir(parent.id) / "out"
    params = {**body.model_dump(), "parent": parent.id}

    def work(ctx: JobContext) -> JsonDict:
        options = _clean_options(
            studio.job_dir(ctx.job_id) / "out",
            presets=tuple(parent.params["presets"]),
            background=background,
            shadow=body.shadow,
            fill=body.fill,
        )
        result = clean_photos(studio, ctx, [source], options)
        for output in result["items"][0]["outputs"]:
            made = inside(studio.root, output["url"].removeprefix("/studio/files/"))
            target = parent_out / output["preset"] / made.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(made, target)
        return result

    job = await asyncio.to_thread(studio.runner.submit, "photos.fix", params, work)
    return job.to_dict()


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
