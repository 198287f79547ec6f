"""Each product's cleaned photos: kept by the server, so the photos tab survives any reload.

A photo uploaded in the photos tab belongs to a product: the one the seller picked, or the one
whose SKU starts its file name (``A12.jpg``, ``a12-back.jpg``; `match_sku`). When its batch
finishes, the cleaned photo (first preset) becomes the product's photo in the catalog, so clips,
post kits and the overlay card use it; the photo as uploaded is kept beside it, and "use the
original photo" puts it back (`catalog_photos`). A re-export replaces one cleaned photo with a
new file (its own job folder, so its own URL: a browser never shows the old image).

The book is one JSON file, ``<studio folder>/product_photos.json``, written atomically::

    {"A12": {"is_original": false, "photos": [{"batch_id", "name", "original", "cleaned",
                                               "item"}]}}
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studio.catalog import Catalog, Product, normalize_sku

JsonDict = dict[str, Any]
SKU_SEPARATORS = "-_. "


def match_sku(file_name: str, skus: Sequence[str]) -> str | None:
    """Return the SKU that starts `file_name` (case-insensitive, then a separator or the end).

    The longest SKU wins, so ``A12-2.jpg`` is A12 even when A1 exists too.

    >>> match_sku("a12-back.jpg", ["A1", "A12"])
    'A12'
    >>> match_sku("A123.jpg", ["A12"]) is None
    True
    """
    stem = Path(file_name).stem.upper()
    found = [
        sku
        for sku in skus
        if stem == sku.upper()
        or (stem.startswith(sku.upper()) and stem[len(sku)] in SKU_SEPARATORS)
    ]
    return max(found, key=len) if found else None


@dataclass(frozen=True, slots=True)
class CleanedPhoto:
    """One photo of a product: as uploaded, as cleaned, and how the page shows it."""

    batch_id: str  # the photo batch (job) it was uploaded to
    name: str  # its name in that batch
    original: str  # absolute path of the photo as uploaded
    cleaned: str  # absolute path of the cleaned photo (the batch's first preset)
    item: JsonDict  # the page's view: before / after URLs, sizes, warnings

    def to_dict(self) -> JsonDict:
        """The JSON stored in the book."""
        return {
            "batch_id": self.batch_id,
            "name": self.name,
            "original": self.original,
            "cleaned": self.cleaned,
            "item": self.item,
        }


@dataclass(frozen=True, slots=True)
class ProductPhotos:
    """A product's cleaned photos, and whether the seller went back to the originals."""

    sku: str
    photos: tuple[CleanedPhoto, ...]
    is_original: bool = False

    @property
    def paths(self) -> frozenset[str]:
        """Every file this record put in (or may put in) the catalog."""
        return frozenset(p for photo in self.photos for p in (photo.original, photo.cleaned))

    def chosen(self) -> tuple[str, ...]:
        """The photos the catalog should show first: cleaned, or the originals."""
        return tuple(p.original if self.is_original else p.cleaned for p in self.photos)


def catalog_photos(
    current: Sequence[str], *, old: ProductPhotos | None, new: ProductPhotos
) -> tuple[str, ...]:
    """Return a product's photo list once `new` replaces `old`.

    The chosen photos (cleaned or original) come first; every other photo the product had (from
    the catalog file, the products tab) follows in its order; photos `old` put in are dropped.
    """
    known = new.paths | (old.paths if old is not None else frozenset())
    others = [p for p in current if p not in known]
    return tuple(dict.fromkeys([*new.chosen(), *others]))


@dataclass
class ProductPhotoBook:
    """The book of every product's cleaned photos (``product_photos.json``), thread-safe.

    Args:
        path: the JSON file (created on the first write).
    """

    path: Path
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def read(self) -> dict[str, ProductPhotos]:
        """Return every product's record (empty before the first batch)."""
        with self._lock:
            return self._read()

    def update(
        self,
        change: Callable[[dict[str, ProductPhotos]], dict[str, ProductPhotos]],
        *,
        skus: Collection[str],
        load_catalog: Callable[[], Catalog],
        save_catalog: Callable[[Catalog], None],
    ) -> dict[str, ProductPhotos]:
        """Apply `change` to the records and put the photos of `skus` in the catalog.

        Only the products named change in the catalog: a photo the seller set in the products
        tab for another product stays. Products no longer in the catalog keep their record.

        Returns:
            The records after the change.
        """
        with self._lock:
            before = self._read()
            after = change(dict(before))
            catalog = load_catalog()
            products: list[Product] = []
            for product in catalog.products:
                new = after.get(product.sku)
                old = before.get(product.sku)
                if new is not None and product.sku in skus:
                    photos = catalog_photos(product.photos, old=old, new=new)
                    product = product.model_copy(update={"photos": photos})
                products.append(product)
            save_catalog(Catalog(products=tuple(products), source=catalog.source))
            self._write(after)
            return after

    def _read(self) -> dict[str, ProductPhotos]:
        if not self.path.is_file():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {
            sku: ProductPhotos(
                sku=sku,
                photos=tuple(CleanedPhoto(**photo) for photo in record["photos"]),
                is_original=bool(record["is_original"]),
            )
            for sku, record in data.items()
        }

    def _write(self, records: dict[str, ProductPhotos]) -> None:
        data = {
            sku: {
                "is_original": record.is_original,
                "photos": [photo.to_dict() for photo in record.photos],
            }
            for sku, record in records.items()
        }
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        temp.replace(self.path)


def record_batch(
    records: dict[str, ProductPhotos], made: Sequence[tuple[str, CleanedPhoto]]
) -> dict[str, ProductPhotos]:
    """Return `records` with each product's photos replaced by those one batch made for it.

    Args:
        records: the book's records.
        made: (SKU, photo) pairs in batch order; a product may have several.
    """
    by_sku: dict[str, list[CleanedPhoto]] = {}
    for sku, photo in made:
        by_sku.setdefault(normalize_sku(sku), []).append(photo)
    for sku, photos in by_sku.items():
        records[sku] = ProductPhotos(sku=sku, photos=tuple(photos))
    return records


def replace_photo(
    records: dict[str, ProductPhotos], sku: str, photo: CleanedPhoto
) -> dict[str, ProductPhotos]:
    """Return `records` with the product's photo of the same batch and name replaced (re-export).

    A photo the product no longer has (a newer batch replaced it) changes nothing.
    """
    record = records.get(sku)
    if record is None:
        return records
    photos = tuple(
        photo if (p.batch_id, p.name) == (photo.batch_id, photo.name) else p for p in record.photos
    )
    records[sku] = replace(record, photos=photos)
    return records


def use_original(
    records: dict[str, ProductPhotos], sku: str, *, is_original: bool
) -> dict[str, ProductPhotos]:
    """Return `records` with the product showing its original (or its cleaned) photos."""
    record = records.get(sku)
    if record is not None:
        records[sku] = replace(record, is_original=is_original)
    return records
