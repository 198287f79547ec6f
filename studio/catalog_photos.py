"""The photos an imported catalog names: inside the seller's folders, and photos.

A catalog file is the seller's, but it may come from anywhere (a sheet shared by a supplier, a
download): a photo cell that says ``tokens.json``, ``../../x`` or ``/etc/passwd`` must not make the
studio show that file. At import, every photo path is resolved (links and ``..`` followed) and
must land inside one of the allowed folders (the catalog's own folder, the studio's folder), and
a file that is there must start like a JPEG, PNG, WebP or HEIC photo. A photo that is not there
yet is kept: the seller may copy it in later.

This is an edge: it reads the first bytes of each named file and nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from studio.catalog import Catalog, Product
from studio.errors import CatalogPhotoRefused
from studio.images import HEAD_BYTES, image_kind


def check_photos(catalog: Catalog, *, folders: Sequence[Path]) -> Catalog:
    """Return the catalog with every photo path absolute and checked.

    A relative path is looked up in each folder in turn (the first that has the file wins; if
    none has it, the first folder is assumed).

    Args:
        catalog: products as read from an imported file.
        folders: the folders photos may come from, most likely first.

    Returns:
        The same products with absolute photo paths.

    Raises:
        CatalogPhotoRefused: a photo resolves outside every folder, or the file there is not a
            JPEG / PNG / WebP / HEIC photo (the message names the SKU and the path).
    """
    if not folders:
        raise ValueError("check_photos needs at least one folder")
    roots = tuple(folder.resolve() for folder in folders)
    products = tuple(_with_checked_photos(product, roots) for product in catalog.products)
    return Catalog(products=products, source=catalog.source)


def _with_checked_photos(product: Product, roots: Sequence[Path]) -> Product:
    if not product.photos:
        return product
    photos = tuple(str(_checked(product, written, roots)) for written in product.photos)
    return product.model_copy(update={"photos": photos})


def _checked(product: Product, written: str, roots: Sequence[Path]) -> Path:
    if "\x00" in written:
        raise _refused(product, written, "is not a file name", problem="photo_outside")
    given = Path(written).expanduser()
    if given.is_absolute():
        resolved = given.resolve()
        inside = [resolved] if any(_within(resolved, root) for root in roots) else []
    else:
        candidates = [(root, (root / given).resolve()) for root in roots]
        inside = [path for root, path in candidates if _within(path, root)]
    if not inside:
        folders = " or ".join(str(r) for r in roots)
        raise _refused(
            product,
            written,
            f"is outside the catalog's folder ({folders})",
            problem="photo_outside",
            hint="put the photo in the catalog's folder and name it from there, e.g. photos/a12.jpg",
        )
    path = next((c for c in inside if c.exists()), inside[0])
    if path.exists() and not _is_photo(path):
        raise _refused(
            product,
            written,
            "is not a photo (JPEG, PNG, WebP or HEIC)",
            problem="photo_not_image",
            hint="name a photo file in the photos column",
        )
    return path


def _within(path: Path, root: Path) -> bool:
    return path != root and path.is_relative_to(root)


def _is_photo(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return False
    return image_kind(head) is not None


def _refused(
    product: Product, written: str, reason: str, *, problem: str, hint: str = ""
) -> CatalogPhotoRefused:
    return CatalogPhotoRefused(
        f"{product.sku}: photo {written!r} {reason}",
        hint=hint,
        params={"sku": product.sku, "column": "photos", "value": written, "problem": problem},
    )
