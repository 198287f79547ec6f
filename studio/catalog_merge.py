"""What importing a catalog file would do to the catalog, before anything is written.

An import merges by product code (SKU) by default: a product of the file that the catalog does
not have is added, one it has is updated with the file's columns (a sheet without a ``Tồn kho``
column leaves stock alone, one without photos keeps the photos), and a product the file does not
name stays. ``replace`` is the seller's explicit choice to make the catalog the file's products:
those the file does not name are removed (the ones it names are still updated as in a merge).

`plan_import` says all of it (added, changed with each field's before and after, unchanged,
kept, removed) and the catalog that would be written; the web studio shows it as a preview and
the CLI prints it, and both write `ImportPlan.result` only when the seller confirms.
`catalog_fingerprint` lets the confirmation check that the catalog is still the one previewed.

Pure: catalogs in, a plan out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from studio.catalog import Catalog, Product, catalog_to_yaml
from studio.errors import CatalogRowInvalid

ImportMode = Literal["merge", "replace"]
IMPORT_MODES: tuple[ImportMode, ...] = ("merge", "replace")
# The fields a file can change, in the order a preview lists them.
COMPARED_FIELDS = (
    "name",
    "price",
    "sale_price",
    "currency",
    "stock",
    "variants",
    "photos",
    "description",
)
Value = str | int | Decimal | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one product, before and after the import.

    Prices are `Decimal` (the product's currency formats them), stock an `int`, variants text
    (``M / đỏ: 10; L: 5``), photos their file names; a missing sale price is ``None``.
    """

    field: str
    before: Value
    after: Value


@dataclass(frozen=True, slots=True)
class ProductChange:
    """A product the import updates: the catalog's version, the new one and what differs."""

    before: Product
    after: Product
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do; ``result`` is the catalog to write when the seller confirms."""

    mode: ImportMode
    added: tuple[Product, ...]
    changed: tuple[ProductChange, ...]
    unchanged: tuple[Product, ...]
    kept: tuple[Product, ...]  # in the catalog, not in the file, kept (merge)
    removed: tuple[Product, ...]  # in the catalog, not in the file, removed (replace)
    result: Catalog

    @property
    def has_changes(self) -> bool:
        """Whether confirming would change the catalog at all."""
        return bool(self.added or self.changed or self.removed)


def plan_import(
    current: Catalog,
    incoming: Sequence[Product],
    *,
    fields: Collection[str],
    mode: ImportMode = "merge",
) -> ImportPlan:
    """Compare a file's products with the catalog and build the catalog an import would write.

    Args:
        current: the catalog as it is.
        incoming: the file's products (SKUs unique, as `studio.catalog.read_catalog_file` gives).
        fields: the product fields the file sets; the others keep the catalog's values.
        mode: ``merge`` keeps products the file does not name; ``replace`` removes them.

    Returns:
        The plan: added, changed (field by field), unchanged, kept, removed, and the result.

    Raises:
        CatalogRowInvalid: a product updated with the file's columns is no longer valid (a new
            price below the catalog's sale price, when the file has no sale-price column).
    """
    if mode not in IMPORT_MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    by_sku = {product.sku: product for product in current.products}
    named = {product.sku for product in incoming}
    added: list[Product] = []
    changed: list[ProductChange] = []
    unchanged: list[Product] = []
    merged: dict[str, Product] = {}
    for product in incoming:
        old = by_sku.get(product.sku)
        if old is None:
            added.append(product)
            merged[product.sku] = product
            continue
        new = _merge_product(old, product, fields)
        changes = diff_products(old, new)
        if changes:
            changed.append(ProductChange(old, new, changes))
        else:
            unchanged.append(old)
        merged[product.sku] = new if changes else old
    others = tuple(p for p in current.products if p.sku not in named)
    kept: tuple[Product, ...] = ()
    removed: tuple[Product, ...] = ()
    if mode == "replace":
        products = tuple(merged[p.sku] for p in incoming)
        removed = others
    else:
        updated = tuple(merged.get(p.sku, p) for p in current.products)
        products = updated + tuple(added)
        kept = others
    return ImportPlan(
        mode=mode,
        added=tuple(added),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
        kept=kept,
        removed=removed,
        result=Catalog(products=products, source=current.source),
    )


def diff_products(before: Product, after: Product) -> tuple[FieldChange, ...]:
    """Return the fields of `COMPARED_FIELDS` that differ between two versions of a product."""
    return tuple(
        FieldChange(field, _shown(before, field), _shown(after, field))
        for field in COMPARED_FIELDS
        if getattr(before, field) != getattr(after, field)
    )


def catalog_fingerprint(catalog: Catalog) -> str:
    """A short digest of the catalog's content: equal for equal catalogs, whatever their file."""
    return hashlib.sha256(catalog_to_yaml(catalog).encode("utf-8")).hexdigest()[:16]


def _merge_product(old: Product, new: Product, fields: Collection[str]) -> Product:
    update = {field: getattr(new, field) for field in COMPARED_FIELDS if field in fields}
    if not update:
        return old
    data: dict[str, Any] = {**old.model_dump(), **update}
    if "variants" in update and "stock" not in fields:
        data["variants"] = [
            {**variant.model_dump(), "stock": _old_variant_stock(old, variant.label)}
            for variant in new.variants
        ]
    try:
        return Product.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        column = str(error["loc"][0]) if error["loc"] else "sale_price"
        raise CatalogRowInvalid(
            f"{old.sku}: with the file's {column} the product is not valid: "
            f"{error['msg'].removeprefix('Value error, ')}",
            hint="add that column to the file, or fix the product in the studio first",
            params={"sku": old.sku, "column": column, "problem": str(error["type"])},
        ) from None


def _old_variant_stock(product: Product, label: str) -> int:
    return next((v.stock for v in product.variants if v.label == label), 0)


def _shown(product: Product, field: str) -> Value:
    if field == "variants":
        return "; ".join(f"{v.label}: {v.stock}" for v in product.variants) or None
    if field == "photos":
        return ", ".join(Path(photo).name for photo in product.photos) or None
    value = getattr(product, field)
    if field == "description":
        return value or None
    assert value is None or isinstance(value, str | int | Decimal)
    return value
