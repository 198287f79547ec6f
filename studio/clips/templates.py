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
from studio.clips.spec import (
    ClipSpec,
    absolutize,
    read_spec_data,
    spec_from_data,
    template_path,
    templates_dir,
)
from studio.errors import SpecInvalid

DEFAULT_TEMPLATE = "classic"
MAX_PHOTOS_PER_PRODUCT = 1  # one scene of 5-8 s per product; more photos make a longer clip


def template_names() -> list[str]:
    """Return the names of the built-in templates, sorted."""
    return sorted(path.stem for path in templates_dir().glob("*.yaml"))


def template_info() -> list[dict[str, Any]]:
    """Describe every built-in template: its look (the file's opening comment) and settings."""
    out = []
    for name in template_names():
        path = template_path(name, base_dir=templates_dir())
        data = read_spec_data(path)
        comment = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").strip())
        theme, defaults = data.get("theme", {}), data.get("defaults", {})
        out.append(
            {
                "name": name,
                "description": " ".join(comment),
                "aspect": data.get("canvas", {}).get("aspect", "9:16"),
                "duration_s": defaults.get("duration_s"),
                "motion": defaults.get("motion", {}).get("kind"),
                "price_entrance": theme.get("price_entrance", "rise"),
                "background": theme.get("background", "blur"),
                "transition": data.get("transition", {}).get("kind"),
                "music": (data.get("music") or {}).get("track"),
            }
        )
    return out


def read_brand(path: Path) -> dict[str, Any]:
    """Read a brand kit file (YAML/JSON: shop_name, page_handle, logo, primary, secondary, font,
    keep_livestall_mark); its logo and font paths are relative to the file.

    Raises:
        SpecInvalid: when the file is missing or not a mapping.
    """
    data = read_spec_data(path)
    brand = data.get("brand", data)
    if not isinstance(brand, dict):
        raise SpecInvalid(f"{path}: a brand kit is a mapping of fields", hint="see docs/clips.md")
    return dict(absolutize({"brand": brand}, path.parent.resolve())["brand"])


def _extras(
    length_s: float | None,
    brand: dict[str, Any] | None,
    source: str,
    music: str | None,
    voice: Path | None,
) -> dict[str, Any]:
    """Spec fields the quick and catalog commands add over the template."""
    extra: dict[str, Any] = {"product": {"source": source}}
    if length_s is not None:
        extra["length_s"] = length_s
    if brand is not None:
        extra["brand"] = brand
    if music == "none":
        extra["music"] = None
    elif music is not None:
        extra["music"] = {"track": music}
    if voice is not None:
        extra["voice"] = {"file": str(Path(voice).expanduser().absolute())}
    return extra


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
    length_s: float | None = None,
    brand: dict[str, Any] | None = None,
    source: str = "cleaned",
    music: str | None = None,
    voice: Path | None = None,
) -> ClipSpec:
    """Return a one-product spec: one scene per photo, each with the title and prices.

    `length_s` fits the scenes to a total length; `brand` is a brand kit (`read_brand`);
    `source` is ``cleaned`` (the cut-out, default) or ``raw``; `music` a bundled track or
    ``none`` (default: the template's); `voice` a voice-over file.

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
        **_extras(length_s, brand, source, music, voice),
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
    length_s: float | None = None,
    brand: dict[str, Any] | None = None,
    source: str = "cleaned",
) -> ClipSpec:
    """Return a spec for one catalog product: one scene of its first photo, by SKU.

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
        extra=_extras(length_s, brand, source, None, None),
    )


def collection_spec(
    catalog: Catalog,
    *,
    template: str = DEFAULT_TEMPLATE,
    aspect: str = "9:16",
    locale: str = "vi",
    platform: str = "tiktok",
    length_s: float | None = None,
    brand: dict[str, Any] | None = None,
    source: str = "cleaned",
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
        extra=_extras(length_s, brand, source, None, None),
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
    extra: dict[str, Any],
) -> ClipSpec:
    data: dict[str, Any] = {
        "extends": template,
        "canvas": {"aspect": aspect},
        "locale": locale,
        "platform": platform,
        "scenes": scenes,
        **extra,
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
