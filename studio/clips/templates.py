"""Built-in templates (``assets/templates/*.yaml``) and specs made for a photo or a catalog.

A template is a spec without scenes: canvas, theme, motion, transition, call to action. A spec
names one with ``extends: bold`` and overrides any field. `quick_spec` and `product_spec` build
specs in code for `livestall clip quick` and `livestall clip catalog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from studio.catalog import Catalog, Product
from studio.clips.spec import ClipSpec, spec_from_data, templates_dir

DEFAULT_TEMPLATE = "classic"
MAX_PHOTOS_PER_PRODUCT = 3


def template_names() -> list[str]:
    """Return the names of the built-in templates, sorted."""
    return sorted(path.stem for path in templates_dir().glob("*.yaml"))


def quick_spec(
    photos: Sequence[Path],
    *,
    title: str,
    price: Decimal | str | int,
    sale_price: Decimal | str | int | None = None,
    currency: str = "VND",
    aspect: str = "9:16",
    locale: str = "vi",
    platform: str = "tiktok",
    template: str = DEFAULT_TEMPLATE,
) -> ClipSpec:
    """Return a one-product spec: one scene per photo, each with the title and prices.

    Raises:
        SpecInvalid: naming the field (``scenes[0].price``, ``currency``...) when a value is wrong.
    """
    scenes = [
        {
            "photo": str(Path(photo).expanduser().absolute()),
            "title": title,
            "price": _plain(price),
            "sale_price": _plain(sale_price),
        }
        for photo in photos
    ]
    data: dict[str, Any] = {
        "extends": template,
        "canvas": {"aspect": aspect},
        "locale": locale,
        "platform": platform,
        "currency": currency,
        "scenes": scenes,
    }
    return spec_from_data(data, base_dir=Path.cwd(), source="clip quick")


def product_spec(
    catalog: Catalog,
    product: Product,
    *,
    template: str = DEFAULT_TEMPLATE,
    aspect: str = "9:16",
    locale: str = "vi",
    platform: str = "tiktok",
) -> ClipSpec:
    """Return a spec for one catalog product: a scene per photo (up to three), by SKU.

    Raises:
        SpecInvalid: when the product has no photo or a field is wrong.
    """
    count = max(1, min(MAX_PHOTOS_PER_PRODUCT, len(product.photos)))
    scenes = [{"sku": product.sku, **_photo(catalog, product, i)} for i in range(count)]
    return _catalog_spec(
        catalog,
        scenes,
        template=template,
        aspect=aspect,
        locale=locale,
        platform=platform,
        source=f"product {product.sku}",
    )


def collection_spec(
    catalog: Catalog,
    *,
    template: str = DEFAULT_TEMPLATE,
    aspect: str = "9:16",
    locale: str = "vi",
    platform: str = "tiktok",
) -> ClipSpec:
    """Return one spec showing every product of a catalog in turn (first photo each).

    Raises:
        SpecInvalid: when a product has no photo or a field is wrong.
    """
    scenes = [{"sku": product.sku, **_photo(catalog, product, 0)} for product in catalog.products]
    return _catalog_spec(
        catalog,
        scenes,
        template=template,
        aspect=aspect,
        locale=locale,
        platform=platform,
        source="collection",
    )


def _catalog_spec(
    catalog: Catalog,
    scenes: list[dict[str, Any]],
    *,
    template: str,
    aspect: str,
    locale: str,
    platform: str,
    source: str,
) -> ClipSpec:
    data: dict[str, Any] = {
        "extends": template,
        "canvas": {"aspect": aspect},
        "locale": locale,
        "platform": platform,
        "scenes": scenes,
    }
    if catalog.source is not None:
        data["catalog"] = str(catalog.source)
    if catalog.products:
        data["currency"] = catalog.products[0].currency
    return spec_from_data(data, base_dir=Path.cwd(), source=source)


def _photo(catalog: Catalog, product: Product, index: int) -> dict[str, str]:
    path = catalog.photo_path(product, index)
    return {"photo": str(path)} if path is not None else {}


def _plain(value: Decimal | str | int | None) -> str | int | None:
    if value is None or isinstance(value, int | str):
        return value
    return str(value)
