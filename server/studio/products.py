"""Products tab: the studio's catalog as an editable table, CSV / YAML in and out, a photo each.

The catalog is `studio.catalog`'s model, validated by it: a wrong field comes back as
``{"code": "input.invalid", "fields": {"price": "..."}}`` (in the page's language) so the page
shows it beside the field.
Variants are edited as one line of text, ``M/trắng:40; L/trắng:20`` (size/colour:stock).
"""

from __future__ import annotations

import asyncio
import hmac
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError

from server.files import find_media, media_response, photo_roots
from server.problems import invalid_fields, request_lang
from server.studio.state import StudioDep, StudioState
from server.studio.uploads import (
    MAX_CATALOG_BYTES,
    Incoming,
    check_catalog_upload,
    read_files,
    safe_name,
    store_photos,
)
from studio.catalog import (
    Catalog,
    CatalogFile,
    Product,
    catalog_to_csv,
    catalog_to_yaml,
    normalize_sku,
    read_catalog_file,
    size_chart_text,
)
from studio.catalog_merge import ImportMode, ImportPlan, Value, catalog_fingerprint, plan_import
from studio.catalog_photos import check_photos
from studio.error_texts import validation_problem
from studio.errors import CatalogChanged, CatalogError, ProductNotFound, UploadRejected
from studio.money import format_price

router = APIRouter(prefix="/studio/api/products", tags=["studio"])


class ProductIn(BaseModel):
    """A row of the products table as the page sends it (text fields, as typed)."""

    sku: str = Field(max_length=64)
    name: str = Field(max_length=300)
    price: str = Field(max_length=40)
    sale_price: str = Field(default="", max_length=40)
    currency: str = Field(default="VND", max_length=8)
    stock: str = Field(default="0", max_length=12)
    variants: str = Field(default="", max_length=2000)
    description: str = Field(default="", max_length=5000)
    # What the order parser reads (issue 23): the seller's own words for the product ("set kẻ
    # xanh; set kẻ"), how it is counted ("hộp"), weight -> size ("50:S; 58:M; 66:L"). Left out
    # (None), the product keeps what it had.
    aliases: str | None = Field(default=None, max_length=1000)
    unit: str | None = Field(default=None, max_length=20)
    size_chart: str | None = Field(default=None, max_length=500)


class FieldErrors(Exception):  # noqa: N818 - carried to the route, answered as 422 there
    """A product row with wrong fields, as pydantic's error dicts (``loc``, ``type``, ``ctx``).

    The route answers them in the page's language (`studio.error_texts.validation_problem`).
    """

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_error(field: str, kind: str, **ctx: object) -> dict[str, Any]:
    """One wrong field as pydantic reports it: ``kind`` is a catalogue ``fields`` key."""
    return {"loc": (field,), "type": kind, "ctx": ctx}


def parse_variants(text: str) -> list[dict[str, Any]]:
    """Parse ``M/trắng:40; L:20; /đỏ:5`` into variant dicts (size, color, stock).

    Raises:
        FieldErrors: on ``variants`` when a part has no ``:stock`` or a stock is not a number.
    """
    variants: list[dict[str, Any]] = []
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        label, colon, stock = part.rpartition(":")
        if not colon or not stock.strip().isdigit():
            raise FieldErrors([field_error("variants", "field.variants_format", part=part)])
        size, _slash, color = label.partition("/")
        variants.append(
            {"size": size.strip() or None, "color": color.strip() or None, "stock": int(stock)}
        )
    return variants


def variants_text(product: Product) -> str:
    """The inverse of `parse_variants`: ``M/trắng:40; L/trắng:20``."""
    return "; ".join(
        f"{v.size or ''}{'/' + v.color if v.color else ''}:{v.stock}" for v in product.variants
    )


def build_product(
    row: ProductIn, *, photos: tuple[str, ...], old: Product | None = None
) -> Product:
    """Validate a table row into a `Product` (fields the row leaves out are kept from `old`).

    Raises:
        FieldErrors: every wrong field with a message a seller understands.
    """
    errors: list[dict[str, Any]] = []
    size_chart: str | tuple[Any, ...] = (
        row.size_chart if row.size_chart is not None else (old.size_chart if old else ())
    )
    stock = row.stock.strip() or "0"
    if not stock.isdigit():
        errors.append(field_error("stock", "field.whole_number"))
    try:
        variants = parse_variants(row.variants)
    except FieldErrors as exc:
        errors += exc.errors
        variants = []
    data: dict[str, Any] = {
        "sku": row.sku,
        "name": row.name,
        "price": row.price.strip(),
        "sale_price": row.sale_price.strip() or None,
        "currency": row.currency.strip() or "VND",
        "stock": int(stock) if stock.isdigit() else 0,
        "photos": photos,
        "variants": variants,
        "description": row.description,
        "aliases": row.aliases if row.aliases is not None else (old.aliases if old else ()),
        "unit": row.unit.strip() if row.unit is not None else (old.unit if old else ""),
        "size_chart": size_chart,
    }
    try:
        product = Product.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            # A whole-product check names no field: show it beside the field it is about.
            whole = "variants" if error["type"] == "field.variant_twice" else "sale_price"
            where = str(error["loc"][0]) if error["loc"] else whole
            errors.append({"loc": (where,), "type": error["type"], "ctx": error.get("ctx", {})})
        raise FieldErrors(errors) from None
    if errors:
        raise FieldErrors(errors)
    return product


def product_out(studio: StudioState, catalog: Catalog, product: Product) -> dict[str, Any]:
    """A product as the table shows it (prices as plain text, photo as a studio URL)."""
    photo = catalog.photo_path(product)
    photo_url = ""
    if photo is not None and photo.is_file():
        resolved = photo.resolve()
        if resolved.is_relative_to(studio.root.resolve()):
            photo_url = studio.url_of(resolved)
        else:
            photo_url = f"/studio/api/products/{product.sku}/photo"
    return {
        "sku": product.sku,
        "name": product.name,
        "price": str(product.price),
        "sale_price": "" if product.sale_price is None else str(product.sale_price),
        "currency": product.currency,
        "stock": product.stock,
        "variants": variants_text(product),
        "description": product.description,
        "aliases": "; ".join(product.aliases),
        "unit": product.unit,
        "size_chart": size_chart_text(product),
        "photo_url": photo_url,
    }


def _invalid(errors: list[dict[str, Any]], request: Request) -> JSONResponse:
    return invalid_fields(errors, request)


def _taken(sku: str) -> list[dict[str, Any]]:
    return [field_error("sku", "field.sku_taken", sku=sku)]


@router.get("")
async def list_products(studio: StudioDep) -> dict[str, Any]:
    """Every product of the studio's catalog, in order."""
    catalog = await asyncio.to_thread(studio.load_catalog)
    return {"products": [product_out(studio, catalog, p) for p in catalog.products]}


class ProductCheckIn(ProductIn):
    """A row to check before saving; `original_sku` is the row's SKU before the edit."""

    original_sku: str = Field(default="", max_length=64)


@router.post("/check")
async def check_product(
    row: ProductCheckIn, request: Request, studio: StudioDep
) -> dict[str, dict[str, str]]:
    """Check a row without saving: ``{"fields": {}}`` when it is fine (200 either way).

    Each wrong field's text is in the page's language (docs/errors.md).
    """
    catalog = await asyncio.to_thread(studio.load_catalog)
    lang = request_lang(request)
    try:
        product = build_product(row, photos=())
    except FieldErrors as exc:
        return {"fields": validation_problem(exc.errors, lang).get("fields", {})}
    taken = catalog.get(product.sku) is not None
    if taken and normalize_sku(row.original_sku) != product.sku:
        return {"fields": validation_problem(_taken(product.sku), lang).get("fields", {})}
    return {"fields": {}}


@router.post("", response_model=None)
async def add_product(
    row: ProductIn, request: Request, studio: StudioDep
) -> dict[str, Any] | JSONResponse:
    """Add a product (its SKU must be new)."""
    catalog = studio.load_catalog()
    try:
        product = build_product(row, photos=())
    except FieldErrors as exc:
        return _invalid(exc.errors, request)
    if catalog.get(product.sku) is not None:
        return _invalid(_taken(product.sku), request)
    updated = Catalog(products=(*catalog.products, product), source=catalog.source)
    studio.save_catalog(updated)
    return product_out(studio, updated, product)


@router.put("/{sku}", response_model=None)
async def edit_product(
    sku: str, row: ProductIn, request: Request, studio: StudioDep
) -> dict[str, Any] | JSONResponse:
    """Replace a product's fields (photos are kept; a new SKU must not be taken)."""
    catalog = studio.load_catalog()
    old = _need(catalog, sku)
    try:
        product = build_product(row, photos=old.photos, old=old)
    except FieldErrors as exc:
        return _invalid(exc.errors, request)
    if product.sku != old.sku and catalog.get(product.sku) is not None:
        return _invalid(_taken(product.sku), request)
    products = tuple(product if p.sku == old.sku else p for p in catalog.products)
    updated = Catalog(products=products, source=catalog.source)
    studio.save_catalog(updated)
    return product_out(studio, updated, product)


@router.delete("/{sku}", status_code=204)
async def delete_product(sku: str, studio: StudioDep) -> Response:
    """Remove a product from the catalog."""
    catalog = studio.load_catalog()
    old = _need(catalog, sku)
    products = tuple(p for p in catalog.products if p.sku != old.sku)
    studio.save_catalog(Catalog(products=products, source=catalog.source))
    return Response(status_code=204)


def _read_upload(files: list[Incoming], folders: tuple[Path, ...]) -> CatalogFile:
    """The uploaded catalog's products, photos checked (runs in a worker thread)."""
    if len(files) != 1:
        raise UploadRejected("no catalog file was uploaded", hint="choose a .csv or .yaml file")
    name = check_catalog_upload(files[0])
    read = read_catalog_file(files[0].data, name=name)
    if not read.catalog.products:
        raise CatalogError(f"{name}: no products in the file", hint="add at least one row")
    checked = check_photos(read.catalog, folders=folders)
    return CatalogFile(checked, read.fields, read.columns, read.ignored)


async def _plan_upload(
    request: Request, studio: StudioState, mode: ImportMode
) -> tuple[str, CatalogFile, ImportPlan, str]:
    """Read the uploaded file and plan its import against the catalog as it is now."""
    files = await read_files(request, "file", max_files=1, max_bytes=MAX_CATALOG_BYTES)
    folders = (studio.settings.catalog_path.expanduser().resolve().parent, studio.root)
    read = await asyncio.to_thread(_read_upload, files, folders)
    current = studio.load_catalog()
    plan = plan_import(current, read.catalog.products, fields=read.fields, mode=mode)
    return safe_name(files[0].filename), read, plan, catalog_fingerprint(current)


@router.post("/import/preview")
async def preview_import(
    request: Request, studio: StudioDep, mode: ImportMode = "merge"
) -> dict[str, Any]:
    """What importing the uploaded CSV / YAML (form field ``file``) would change; writes nothing.

    The answer's ``base`` goes back with the confirmation (`import_catalog`).

    Raises:
        UploadRejected: not one CSV / YAML text file.
        CatalogError, CatalogRowInvalid, CatalogPhotoRefused: the file is wrong (row, column, SKU
            and photo named).
    """
    name, read, plan, base = await _plan_upload(request, studio, mode)
    return preview_out(name, read, plan, base=base, lang=request_lang(request))


@router.post("/import")
async def import_catalog(
    request: Request, studio: StudioDep, base: str = "", mode: ImportMode = "merge"
) -> dict[str, Any]:
    """Import the previewed file (the same upload, ``mode`` and the preview's ``base``).

    Raises:
        CatalogChanged: the catalog changed since the preview (HTTP 409: preview again).
        UploadRejected, CatalogError, CatalogRowInvalid: as `preview_import`.
    """
    _name, _read, plan, now = await _plan_upload(request, studio, mode)
    if not hmac.compare_digest(base, now):
        raise CatalogChanged(
            "the catalog changed since the preview (or there was no preview)",
            hint="look at the new preview and confirm again",
        )
    if plan.has_changes:
        studio.save_catalog(plan.result)
    listed = await list_products(studio)
    counts = {"added": len(plan.added), "changed": len(plan.changed), "removed": len(plan.removed)}
    return {**listed, **counts}


def preview_out(
    name: str, read: CatalogFile, plan: ImportPlan, *, base: str, lang: str
) -> dict[str, Any]:
    """An import plan as the preview dialog shows it (prices formatted for `lang`)."""

    def shown(field: str, value: Value, currency: str) -> str:
        if isinstance(value, Decimal) and field in ("price", "sale_price"):
            return format_price(value, currency, lang)
        return "" if value is None else str(value)

    def brief(product: Product) -> dict[str, str]:
        price = format_price(product.current_price, product.currency, lang)
        return {"sku": product.sku, "name": product.name, "price": price}

    return {
        "file": name,
        "mode": plan.mode,
        "base": base,
        "columns": read.columns,
        "ignored_columns": list(read.ignored),
        "added": [brief(p) for p in plan.added],
        "changed": [
            {
                **brief(change.after),
                "changes": [
                    {
                        "field": c.field,
                        "before": shown(c.field, c.before, change.before.currency),
                        "after": shown(c.field, c.after, change.after.currency),
                    }
                    for c in change.changes
                ],
            }
            for change in plan.changed
        ],
        "unchanged": len(plan.unchanged),
        "kept": [brief(p) for p in plan.kept],
        "removed": [brief(p) for p in plan.removed],
    }


@router.get("/export")
async def export_catalog(studio: StudioDep, format: Literal["csv", "yaml"] = "csv") -> Response:
    """Download the catalog as CSV (with a BOM, for Excel) or YAML."""
    catalog = studio.load_catalog()
    if format == "csv":
        body, media = "\ufeff" + catalog_to_csv(catalog), "text/csv; charset=utf-8"
    else:
        body, media = catalog_to_yaml(catalog), "application/yaml; charset=utf-8"
    return Response(
        body.encode("utf-8"),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="catalog.{format}"'},
    )


@router.post("/{sku}/photo")
async def set_photo(sku: str, request: Request, studio: StudioDep) -> dict[str, Any]:
    """Upload the product's main photo (form field ``file``); older photos follow it.

    Raises:
        UploadRejected: not one photo, or too big.
    """
    catalog = studio.load_catalog()
    product = _need(catalog, sku)
    limit = studio.settings.studio_max_upload_bytes
    files = await read_files(request, "file", max_files=1, max_bytes=limit)
    _upload_id, stored = store_photos(studio.root, files, max_files=1, max_bytes=limit)
    photos = (str(stored[0].path), *product.photos)
    changed = product.model_copy(update={"photos": photos[:5]})
    products = tuple(changed if p.sku == product.sku else p for p in catalog.products)
    updated = Catalog(products=products, source=catalog.source)
    studio.save_catalog(updated)
    return product_out(studio, updated, changed)


@router.get("/{sku}/photo")
async def get_photo(sku: str, studio: StudioDep) -> Response:
    """The product's main photo: only a real photo, inside the catalog's or the studio's folder."""
    catalog = studio.load_catalog()
    product = _need(catalog, sku)
    path = catalog.photo_path(product)
    found = None if path is None else find_media(path, photo_roots(studio.settings))
    if found is None:
        raise ProductNotFound(f"{product.sku} has no photo", hint="upload one in the Products tab")
    return media_response(found)


def _need(catalog: Catalog, sku: str) -> Product:
    product = catalog.get(normalize_sku(sku))
    if product is None:
        raise ProductNotFound(f"no product {sku!r} in the catalog", hint="check the SKU")
    return product
