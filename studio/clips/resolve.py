"""Spec -> scene contents: look SKUs up in the catalog and check every file a spec names.

This is the one place a spec meets the disk before rendering, so every missing photo, logo, font,
music file or SKU is reported here by its field path, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from overlays.fonts import FontSet, font_coverage
from overlays.words import WordList, vietnamese_words
from studio.catalog import Catalog, Product, load_catalog
from studio.clips.cutout import cleaned_photo
from studio.clips.music import get_track
from studio.clips.spec import ClipSpec, Countdown, Motion, Scene, TextItem
from studio.errors import LivestallError, SpecInvalid

CTA_DEFAULTS: dict[str, tuple[str, str]] = {
    # locale: (with a SKU, without one)
    "vi": ("Bình luận {sku} để chốt đơn", "Nhắn tin để đặt hàng"),
    "en": ("Comment {sku} to order", "Message us to order"),
    "ar": ("اكتب {sku} في التعليقات للطلب", "راسلنا للطلب"),
}
COUNTDOWN_LABELS: dict[str, str] = {
    "vi": "Flash sale kết thúc sau",
    "en": "Flash sale ends in",
    "ar": "ينتهي العرض خلال",
}


@dataclass(frozen=True, slots=True)
class SceneContent:
    """Everything one scene shows, with files checked and catalog values filled in."""

    index: int
    photo: Path
    sku: str | None
    title: str
    subtitle: str | None
    price: Decimal | None
    sale_price: Decimal | None
    currency: str
    has_badge: bool
    countdown: Countdown | None
    countdown_label: str
    cta: str | None
    texts: tuple[TextItem, ...]
    duration_s: float
    motion: Motion
    source: Literal["cleaned", "raw"] = "raw"
    kind: Literal["product", "closing"] = "product"


def resolve_scenes(spec: ClipSpec) -> tuple[SceneContent, ...]:
    """Fill scenes from the catalog and check the files they name.

    Raises:
        SpecInvalid: naming the field (``scenes[1].photo``, ``scenes[0].sku``, ``logo.file``...).
    """
    check_files(spec)
    catalog = _load_spec_catalog(spec)
    return tuple(
        _resolve_scene(spec, index, scene, catalog) for index, scene in enumerate(spec.scenes)
    )


def clean_photos(
    scenes: tuple[SceneContent, ...], *, cache_dir: Path | None = None
) -> tuple[SceneContent, ...]:
    """Give every scene whose source is ``cleaned`` its product's cut-out (cached, see
    `studio.clips.cutout`); scenes showing the photo as shot keep it.

    Raises:
        SpecInvalid: naming ``scenes[i].photo`` when no product can be cut out of it.
    """
    return tuple(
        replace(
            content,
            photo=cleaned_photo(
                content.photo, cache_dir=cache_dir, field=f"scenes[{content.index}].photo"
            ),
        )
        if content.source == "cleaned"
        else content
        for content in scenes
    )


def check_files(spec: ClipSpec) -> None:
    """Check the logo, music and font files exist (and the font is a font).

    Raises:
        SpecInvalid: naming ``logo.file``, ``music.file`` or ``theme.font``.
    """
    if spec.logo is not None:
        _require_file(spec.logo.file, "logo.file")
    music_file(spec)
    if spec.voice is not None:
        _require_file(spec.voice.file, "voice.file")
    if spec.theme.font is not None:
        path = _require_file(spec.theme.font, "theme.font")
        try:
            font_coverage(path)
        except LivestallError as exc:
            raise SpecInvalid(f"theme.font: {exc.message}", hint=exc.hint) from None


def clip_words(spec: ClipSpec, scenes: tuple[SceneContent, ...]) -> WordList:
    """Words a line must not break inside: the bundled list (Vietnamese) plus the proper names
    in the catalog's product names and the scenes' titles."""
    if spec.locale != "vi":
        return WordList(frozenset())
    catalog = _load_spec_catalog(spec)
    names = [p.name for p in catalog.products] if catalog is not None else []
    return vietnamese_words().with_names([*names, *(s.title for s in scenes)])


def music_file(spec: ClipSpec) -> Path | None:
    """The clip's music: its file, or the bundled loop it names; None without music.

    Raises:
        SpecInvalid: naming ``music.file`` or ``music.track`` when it does not exist.
    """
    if spec.music is None:
        return None
    if spec.music.track is not None:
        return get_track(spec.music.track).path()
    assert spec.music.file is not None  # the spec wants a file or a track
    return _require_file(spec.music.file, "music.file")


def font_set(spec: ClipSpec) -> FontSet:
    """Return the fonts a spec draws with (bundled Noto, Latin replaced by `theme.font`)."""
    fonts = FontSet.bundled()
    return fonts.with_latin(Path(spec.theme.font)) if spec.theme.font else fonts


def _require_file(value: str, field: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise SpecInvalid(
            f"{field}: {path} not found",
            hint="check the path (relative paths start at the spec's folder)",
        )
    return path


def _load_spec_catalog(spec: ClipSpec) -> Catalog | None:
    if spec.catalog is None:
        return None
    try:
        return load_catalog(spec.catalog)
    except LivestallError as exc:
        raise SpecInvalid(f"catalog: {exc.message}", hint=exc.hint) from None


def _resolve_scene(
    spec: ClipSpec, index: int, scene: Scene, catalog: Catalog | None
) -> SceneContent:
    where = f"scenes[{index}]"
    product = _product(scene, catalog, where) if scene.sku else None
    price, sale = _prices(scene, product, where)
    sku = product.sku if product else None
    label = scene.countdown.label if scene.countdown else None
    return SceneContent(
        index=index,
        photo=_photo(scene, product, catalog, where),
        sku=sku,
        title=scene.title if scene.title is not None else (product.name if product else ""),
        subtitle=scene.subtitle,
        price=price,
        sale_price=sale,
        currency=product.currency if (product and scene.price is None) else spec.currency,
        has_badge=scene.badge,
        countdown=scene.countdown,
        countdown_label=label if label is not None else COUNTDOWN_LABELS[spec.locale],
        cta=_cta(spec, scene, sku),
        texts=scene.texts,
        duration_s=scene.duration_s or spec.defaults.duration_s,
        motion=scene.motion or spec.defaults.motion,
        source=scene.source or spec.product.source,
    )


def _photo(scene: Scene, product: Product | None, catalog: Catalog | None, where: str) -> Path:
    if scene.photo is not None:
        return _require_file(scene.photo, f"{where}.photo")
    assert product is not None and catalog is not None  # the spec requires a photo or a sku
    path = catalog.photo_path(product)
    if path is None:
        raise SpecInvalid(
            f"{where}.sku: product {product.sku} has no photo", hint=f"add a photo to {where}"
        )
    return _require_file(str(path), f"{where}.photo")


def _prices(
    scene: Scene, product: Product | None, where: str
) -> tuple[Decimal | None, Decimal | None]:
    """The scene's own price (with its own sale price), else the product's."""
    if scene.price is not None or product is None:
        price, sale = scene.price, scene.sale_price
    else:
        price = product.price
        sale = scene.sale_price if scene.sale_price is not None else product.sale_price
    if price is None:
        return None, None
    if sale is not None and sale > price:
        raise SpecInvalid(
            f"{where}.sale_price: higher than the price", hint="swap price and sale_price"
        )
    return price, sale


def _product(scene: Scene, catalog: Catalog | None, where: str) -> Product:
    if catalog is None:
        raise SpecInvalid(
            f"{where}.sku: no catalog to look {scene.sku!r} up in",
            hint="set `catalog:` in the spec",
        )
    product = catalog.get(scene.sku or "")
    if product is None:
        known = ", ".join(p.sku for p in catalog.products[:10])
        raise SpecInvalid(
            f"{where}.sku: {scene.sku!r} is not in the catalog", hint=f"known SKUs: {known}"
        )
    return product


def _cta(spec: ClipSpec, scene: Scene, sku: str | None) -> str | None:
    template = scene.cta if scene.cta is not None else spec.cta
    if template is None:
        with_sku, without = CTA_DEFAULTS[spec.locale]
        template = with_sku if sku else without
    if not template:
        return None
    return template.replace("{sku}", sku or "").strip()
