"""The clip spec: the YAML / JSON file a seller writes (or a template gives), validated by pydantic.

`load_spec` reads a file, merges the template it `extends`, and validates; every problem becomes
`SpecInvalid` naming the field path (``scenes[2].price``). `livestall clip schema` prints
`ClipSpec.model_json_schema()`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from overlays.layers import parse_color
from studio.errors import LivestallError, SpecInvalid
from studio.money import check_currency, price_field
from studio.paths import assets_dir

Aspect = Literal["9:16", "1:1", "16:9"]
ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "1:1": (1080, 1080),
    "16:9": (1920, 1080),
}
Preset = Literal[
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Canvas(_Strict):
    """Frame shape and rate. The height follows the aspect; sizes are rounded to even numbers."""

    aspect: Aspect = "9:16"
    width: int | None = Field(
        default=None, ge=64, le=3840, description="default 1080 (1920 for 16:9)"
    )
    fps: int = Field(default=30, ge=1, le=60)

    def size(self) -> tuple[int, int]:
        """Return (width, height) in pixels, both even (H.264 yuv420p needs even sizes)."""
        base_w, base_h = ASPECT_SIZES[self.aspect]
        width = self.width or base_w
        width -= width % 2
        height = round(width * base_h / base_w)
        return width, height - height % 2


class Motion(_Strict):
    """Movement of a scene's photo: Ken Burns zooms and pans (`amount`: 0.12 = 12 %), a `pop`
    (the product springs in from smaller, then drifts closer) or a `slide_in` from the side."""

    kind: Literal["zoom_in", "zoom_out", "pan_left", "pan_right", "still", "pop", "slide_in"] = (
        "zoom_in"
    )
    amount: float = Field(default=0.12, ge=0.0, le=0.5)


class Countdown(_Strict):
    """A flash-sale timer: what it reads when the scene starts, and its label."""

    ends_in_s: float = Field(gt=0, le=86400)
    label: str | None = None


class TextItem(_Strict):
    """An extra line of text in a scene (above the title or above the price)."""

    text: str = Field(min_length=1, max_length=300)
    position: Literal["top", "bottom"] = "top"
    size: Literal["small", "medium", "large"] = "medium"
    color: str | None = None

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str | None) -> str | None:
        return _color(value)


class Scene(_Strict):
    """One product on screen: a photo (or a catalog SKU), prices and texts, for `duration_s`."""

    photo: str | None = None
    sku: str | None = None
    duration_s: float | None = Field(default=None, gt=0, le=120)
    motion: Motion | None = None
    title: str | None = Field(default=None, max_length=300)
    subtitle: str | None = Field(default=None, max_length=300)
    price: Decimal | None = None
    sale_price: Decimal | None = None
    badge: bool = True
    countdown: Countdown | None = None
    cta: str | None = Field(default=None, max_length=200)
    texts: tuple[TextItem, ...] = ()
    source: Literal["cleaned", "raw"] | None = Field(
        default=None, description="this scene's photo as cleaned cut-out or as shot"
    )

    @field_validator("price", "sale_price", mode="before")
    @classmethod
    def _parse_price(cls, value: object) -> Decimal | None:
        return price_field(value)

    @model_validator(mode="after")
    def _photo_or_sku(self) -> Scene:
        if not self.photo and not self.sku:
            raise ValueError("a scene needs a photo or a catalog sku")
        if self.sale_price is not None and self.price is not None and self.sale_price > self.price:
            raise ValueError("sale_price is higher than price")
        return self


class SceneDefaults(_Strict):
    """Values every scene gets unless it sets its own."""

    duration_s: float = Field(default=4.0, gt=0, le=120)
    motion: Motion = Motion()


class Theme(_Strict):
    """Look of the overlays: colours as ``#RRGGBB`` or ``#RRGGBBAA``, an optional Latin font file."""

    font: str | None = None
    text_color: str = "#FFFFFF"
    accent: str = "#E53935"
    accent_text: str = "#FFFFFF"
    badge_color: str = "#FFD600"
    badge_text: str = "#1E1E1E"
    panel_color: str = "#FFFFFFEB"
    panel_text: str = "#141414"
    background: Literal["blur", "color"] = "blur"
    background_color: str = "#111111"
    align: Literal["center", "start"] = "center"
    price_entrance: Literal["rise", "pop", "slide", "reveal"] = Field(
        default="rise", description="how the price, old price and badge come in"
    )
    title_scale: float = Field(default=1.0, gt=0.3, le=2.0)
    price_scale: float = Field(default=1.0, gt=0.3, le=2.0)
    shade: float = Field(default=0.45, ge=0.0, le=1.0)

    @field_validator(
        "text_color",
        "accent",
        "accent_text",
        "badge_color",
        "badge_text",
        "panel_color",
        "panel_text",
        "background_color",
    )
    @classmethod
    def _check_color(cls, value: str) -> str:
        return _color(value) or value


class Logo(_Strict):
    """The shop's logo, shown at the top for the whole clip; `height` is a fraction of the frame."""

    file: str
    height: float = Field(default=0.06, gt=0.01, le=0.3)


class Music(_Strict):
    """Background music (a file, or a bundled `track`), looped, faded in and out, and ducked
    under the voice-over when there is one."""

    file: str | None = None
    track: str | None = Field(default=None, description="a bundled loop: `clip tracks` lists them")
    volume: float = Field(default=0.8, ge=0.0, le=2.0)
    fade_in_s: float = Field(default=0.5, ge=0.0, le=10.0)
    fade_out_s: float = Field(default=1.0, ge=0.0, le=10.0)

    @model_validator(mode="after")
    def _file_or_track(self) -> Music:
        if (self.file is None) == (self.track is None):
            raise ValueError("give music a file or a bundled track (not both)")
        return self


class Voice(_Strict):
    """A voice-over recording laid over the clip from its start; music is ducked under it."""

    file: str
    volume: float = Field(default=1.0, ge=0.0, le=2.0)


class ProductLook(_Strict):
    """How products are shown: the cleaned cut-out (default) or the photo as shot, and how tall
    the cut-out's box is as a share of a 9:16 frame (wide products are limited by the width)."""

    source: Literal["cleaned", "raw"] = "cleaned"
    height: float = Field(default=0.5, ge=0.2, le=0.8)


class Brand(_Strict):
    """The shop's brand kit: logo, two colours, font, shop name and page handle.

    The primary colour paints the price tag and the call to action, the secondary the badge. No
    Livestall mark is drawn on the seller's clips unless `keep_livestall_mark` is set.
    """

    shop_name: str | None = Field(default=None, max_length=60)
    page_handle: str | None = Field(default=None, max_length=60)
    logo: str | None = None
    primary: str | None = None
    secondary: str | None = None
    font: str | None = Field(default=None, description="a TTF/OTF for Latin and Vietnamese text")
    keep_livestall_mark: bool = False

    @field_validator("primary", "secondary")
    @classmethod
    def _check_color(cls, value: str | None) -> str | None:
        return _color(value)


class Closing(_Strict):
    """The closing card: call to action ("Bình luận CM01 để chốt đơn"), live time, shop page."""

    duration_s: float = Field(default=2.5, gt=0.5, le=10.0)
    text: str | None = Field(
        default=None, max_length=200, description="'{sku}' is replaced by the clip's SKUs"
    )
    live_time: str | None = Field(default=None, max_length=60)


class Transition(_Strict):
    """How one scene gives way to the next."""

    kind: Literal["crossfade", "slide", "cut"] = "crossfade"
    duration_s: float = Field(default=0.5, ge=0.0, le=3.0)


class Output(_Strict):
    """Encoder settings (H.264 yuv420p, +faststart)."""

    codec: Literal["h264"] = Field(
        default="h264", description="H.264 plays on every platform and phone; the only choice"
    )
    crf: int = Field(default=20, ge=0, le=51)
    preset: Preset = Field(
        default="veryfast",
        description="x264 preset; veryfast is ~2.5x quicker than medium at SSIM 0.993 to it",
    )
    poster_at_s: float | None = Field(default=None, ge=0.0)


class ClipSpec(_Strict):
    """A promo clip: canvas, scenes, theme, logo, music, transitions, locale and output."""

    extends: str | None = Field(
        default=None, description="template name or file this spec builds on"
    )
    canvas: Canvas = Canvas()
    platform: Literal["tiktok", "reels", "shorts", "none"] = "tiktok"
    locale: Literal["vi", "en", "ar"] = "vi"
    currency: str = "VND"
    catalog: str | None = None
    defaults: SceneDefaults = SceneDefaults()
    scenes: tuple[Scene, ...] = Field(min_length=1, max_length=50)
    theme: Theme = Theme()
    logo: Logo | None = None
    brand: Brand | None = None
    product: ProductLook = ProductLook()
    music: Music | None = None
    voice: Voice | None = None
    closing: Closing | None = None
    length_s: float | None = Field(
        default=None,
        ge=5,
        le=180,
        description="total length (15, 30, 60): product scenes are fitted to it",
    )
    has_subtitles: bool = Field(default=True, description="write <name>.srt beside the clip")
    transition: Transition = Transition()
    cta: str | None = Field(
        default=None, max_length=200, description="'{sku}' is replaced per scene"
    )
    output: Output = Output()

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, value: str) -> str:
        try:
            return check_currency(value)
        except LivestallError as exc:
            raise ValueError(f"{exc.message} ({exc.hint})") from None


def _color(value: str | None) -> str | None:
    if value is not None:
        parse_color(value)
    return value


def field_path(location: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into a path a seller can find: ``scenes[2].price``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def validate_spec(data: Any, *, source: str = "spec") -> ClipSpec:
    """Validate plain data (already merged with its template) as a `ClipSpec`.

    Raises:
        SpecInvalid: naming the first wrong field, e.g. ``spec.yaml: scenes[2].price: ...``.
    """
    try:
        return ClipSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        count = exc.error_count()
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise SpecInvalid(
            f"{source}: {field_path(tuple(first['loc']))}: {message}{more}",
            hint="fix that field; `livestall clip schema` lists every field",
        ) from None


def read_spec_data(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON spec file into plain data.

    Raises:
        SpecInvalid: when the file is missing, unreadable or not a mapping.
    """
    if not path.is_file():
        raise SpecInvalid(f"{path}: no such spec file", hint="check the path")
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SpecInvalid(f"{path}: not valid YAML/JSON ({exc})", hint="check the syntax") from None
    if not isinstance(data, dict):
        raise SpecInvalid(f"{path}: the spec must be a mapping of fields", hint="see docs/clips.md")
    return data


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge two mappings: mappings merge key by key, anything else (lists too) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


_PATH_FIELDS = (
    ("logo", "file"),
    ("music", "file"),
    ("voice", "file"),
    ("theme", "font"),
    ("brand", "logo"),
    ("brand", "font"),
)


def absolutize(data: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """Return spec data with its relative file paths made absolute from `base_dir`.

    Paths are relative to the file that names them: the spec for its own fields, a template's
    folder for the template's logo or music.
    """
    out = dict(data)

    def fix(value: object) -> object:
        if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
            return str((base_dir / value).resolve())
        return value

    for section, key in _PATH_FIELDS:
        if isinstance(out.get(section), dict) and key in out[section]:
            out[section] = {**out[section], key: fix(out[section][key])}
    if "catalog" in out:
        out["catalog"] = fix(out["catalog"])
    if isinstance(out.get("scenes"), list):
        out["scenes"] = [
            {**scene, "photo": fix(scene["photo"])}
            if isinstance(scene, dict) and "photo" in scene
            else scene
            for scene in out["scenes"]
        ]
    return out


def templates_dir() -> Path:
    """Return the folder of built-in templates (``assets/templates``)."""
    return assets_dir() / "templates"


def template_path(name: str, *, base_dir: Path) -> Path:
    """Find a template by built-in name (``bold``) or by file path (relative to `base_dir`).

    Raises:
        SpecInvalid: naming the ``extends`` field when there is no such template.
    """
    builtin = templates_dir() / f"{name}.yaml"
    if "/" not in name and not name.endswith((".yaml", ".yml", ".json")) and builtin.is_file():
        return builtin
    candidate = Path(name).expanduser()
    candidate = candidate if candidate.is_absolute() else base_dir / candidate
    if candidate.is_file():
        return candidate
    names = ", ".join(sorted(p.stem for p in templates_dir().glob("*.yaml")))
    raise SpecInvalid(
        f"extends: no template {name!r}", hint=f"use one of {names} or a template file"
    )


def expand_extends(data: dict[str, Any], *, base_dir: Path, depth: int = 0) -> dict[str, Any]:
    """Merge the template chain named by ``extends`` under `data` (the spec wins).

    Raises:
        SpecInvalid: for a missing template or a chain deeper than 5 (a loop).
    """
    name = data.get("extends")
    if not name:
        return data
    if not isinstance(name, str):
        raise SpecInvalid("extends: must be a template name or file")
    if depth >= 5:
        raise SpecInvalid(
            f"extends: templates extend each other too deeply at {name!r}", hint="check for a loop"
        )
    path = template_path(name, base_dir=base_dir)
    template = absolutize(read_spec_data(path), path.parent)
    parent = expand_extends(template, base_dir=path.parent, depth=depth + 1)
    merged = merge({k: v for k, v in parent.items() if k != "extends"}, data)
    own, music = data.get("music"), merged.get("music")
    if isinstance(own, dict) and isinstance(music, dict):  # a file replaces a track, and back
        merged["music"] = {k: v for k, v in music.items() if k not in {"file", "track"} - set(own)}
    merged["extends"] = name
    return merged


def spec_from_data(data: dict[str, Any], *, base_dir: Path, source: str = "spec") -> ClipSpec:
    """Validate spec data whose relative paths are relative to `base_dir`, templates merged.

    Raises:
        SpecInvalid: naming the wrong field.
    """
    plain = expand_extends(absolutize(data, base_dir), base_dir=base_dir)
    plain.setdefault("scenes", [])
    return validate_spec(plain, source=source)


def load_spec(path: Path | str) -> ClipSpec:
    """Read, merge with its template and validate a spec file.

    Raises:
        SpecInvalid: missing or malformed file, unknown template, or a wrong field (by path).
    """
    file = Path(path).expanduser()
    return spec_from_data(read_spec_data(file), base_dir=file.parent.resolve(), source=file.name)
