"""The product catalog shared by photos, clips and the live server.

A catalog is YAML (``products: [...]``) or a CSV / spreadsheet export with one row per product or
per variant (``sku,name,price,sale_price,currency,stock,size,color,photos``). `load_catalog` turns
either into a `Catalog`; `save_catalog` writes it back in the format the file name says.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NewType

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from studio.error_texts import field_problem
from studio.errors import CatalogError, CatalogRowInvalid, LivestallError
from studio.money import DEFAULT_CURRENCY, check_currency, price_field
from studio.sheets import Cell, read_cell, write_csv

Sku = NewType("Sku", str)

CSV_COLUMNS = ("sku", "name", "price", "sale_price", "currency", "stock", "size", "color", "photos")
_SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def normalize_sku(text: str) -> Sku:
    """Return the canonical form of a SKU as viewers type it: ``" a 12 "`` -> ``"A12"``."""
    return Sku(re.sub(r"\s+", "", text).upper())


class Variant(BaseModel):
    """One size / colour of a product, with its own stock."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    size: str | None = None
    color: str | None = None
    stock: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _has_size_or_color(self) -> Variant:
        if not self.size and not self.color:
            raise field_problem(
                "field.variant_needs_size_or_color", "a variant needs a size or a color"
            )
        return self

    @property
    def label(self) -> str:
        """Human label, e.g. ``M / đỏ``."""
        return " / ".join(part for part in (self.size, self.color) if part)


class Product(BaseModel):
    """A product as sold: code viewers type, name, prices, stock, variants, photos."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str
    name: str = Field(min_length=1, max_length=200)
    price: Decimal
    sale_price: Decimal | None = None
    currency: str = DEFAULT_CURRENCY
    stock: int = Field(default=0, ge=0)
    photos: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    description: str = ""

    @field_validator("sku")
    @classmethod
    def _check_sku(cls, value: str) -> str:
        sku = normalize_sku(value)
        if not _SKU_PATTERN.match(sku):
            raise field_problem("field.sku", "use 1-32 letters, digits, '-' or '_' (e.g. A12)")
        return sku

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise field_problem("field.empty", "the name is empty")
        return stripped

    @field_validator("price", "sale_price", mode="before")
    @classmethod
    def _parse_price(cls, value: object) -> Decimal | None:
        return price_field(value)

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, value: str) -> str:
        try:
            return check_currency(value or DEFAULT_CURRENCY)
        except LivestallError as exc:
            raise field_problem("field.currency", exc.message) from None

    @model_validator(mode="after")
    def _check_consistency(self) -> Product:
        if self.sale_price is not None and self.sale_price > self.price:
            raise field_problem("field.sale_above_price", "sale_price is higher than price")
        if self.variants:
            total = sum(v.stock for v in self.variants)
            object.__setattr__(self, "stock", total)
            labels = [(v.size or "", v.color or "") for v in self.variants]
            if len(set(labels)) != len(labels):
                raise field_problem(
                    "field.variant_twice", "two variants have the same size and color"
                )
        return self

    @property
    def current_price(self) -> Decimal:
        """The price a buyer pays now (sale price when there is one)."""
        return self.sale_price if self.sale_price is not None else self.price

    @property
    def sizes(self) -> tuple[str, ...]:
        """Distinct sizes of the variants, in catalog order."""
        return tuple(dict.fromkeys(v.size for v in self.variants if v.size))

    @property
    def colors(self) -> tuple[str, ...]:
        """Distinct colours of the variants, in catalog order."""
        return tuple(dict.fromkeys(v.color for v in self.variants if v.color))


class Catalog(BaseModel):
    """All products of a shop, SKUs unique. ``source`` is the file it was loaded from."""

    model_config = ConfigDict(frozen=True)

    products: tuple[Product, ...] = ()
    source: Path | None = None

    def get(self, sku: str) -> Product | None:
        """Return the product with this SKU (any case or spacing), or None."""
        wanted = normalize_sku(sku)
        return next((p for p in self.products if p.sku == wanted), None)

    def photo_path(self, product: Product, index: int = 0) -> Path | None:
        """Return the absolute path of a product photo (relative paths are from the catalog)."""
        if index >= len(product.photos):
            return None
        path = Path(product.photos[index]).expanduser()
        if not path.is_absolute() and self.source is not None:
            path = self.source.parent / path
        return path


def load_catalog(path: Path | str) -> Catalog:
    """Load a YAML or CSV catalog.

    Args:
        path: a ``.yaml``/``.yml``, ``.json`` or ``.csv`` file.

    Returns:
        The validated catalog, ``source`` set to the resolved path.

    Raises:
        CatalogError: missing file, unknown format, unreadable text or duplicate SKU.
        CatalogRowInvalid: a row or product is wrong (the message names row and column).
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise CatalogError(f"{file}: no such catalog file", hint="check the path")
    suffix = file.suffix.lower()
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{file}: not UTF-8 text (byte {exc.start})",
            hint="save the spreadsheet as 'CSV UTF-8'",
        ) from None
    if suffix in (".yaml", ".yml", ".json"):
        products = _products_from_yaml(text, file)
    elif suffix in (".csv", ".tsv", ".txt"):
        products = _products_from_csv(text, file)
    else:
        raise CatalogError(f"{file}: unknown catalog format {suffix!r}", hint="use .yaml or .csv")
    _check_unique_skus(products, file)
    return Catalog(products=tuple(products), source=file.resolve())


def parse_catalog_yaml(text: str, *, name: str = "catalog.yaml") -> Catalog:
    """Validate catalog YAML given as text (for uploads and the web studio)."""
    products = _products_from_yaml(text, Path(name))
    _check_unique_skus(products, Path(name))
    return Catalog(products=tuple(products))


def parse_catalog_csv(text: str, *, name: str = "catalog.csv") -> Catalog:
    """Validate catalog CSV given as text (for uploads and the web studio)."""
    products = _products_from_csv(text.lstrip("\ufeff"), Path(name))
    _check_unique_skus(products, Path(name))
    return Catalog(products=tuple(products))


def _products_from_yaml(text: str, file: Path) -> list[Product]:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{file}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("products"), list):
        raise CatalogError(
            f"{file}: expected a mapping with a 'products' list", hint="see docs/catalog.md"
        )
    lines = _product_lines(root)
    products = []
    for index, item in enumerate(data["products"]):
        where = f"{file}: products[{index}]"
        if index < len(lines):
            where += f" (line {lines[index]})"
        if not isinstance(item, dict):
            raise CatalogRowInvalid(f"{where}: expected a mapping of fields")
        products.append(_validate_product(item, where))
    return products


def _product_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "products" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return []


def _validate_product(fields: dict[str, Any], where: str) -> Product:
    try:
        return Product.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        column = ".".join(str(part) for part in error["loc"]) or "product"
        message = error["msg"].removeprefix("Value error, ")
        raise CatalogRowInvalid(f"{where}, column {column!r}: {message}") from None


def _products_from_csv(text: str, file: Path) -> list[Product]:
    dialect_delimiter = _sniff_delimiter(text)
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect_delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if "sku" not in header or "name" not in header or "price" not in header:
        raise CatalogError(
            f"{file}: the first row must name the columns (at least sku, name, price)",
            hint=f"expected columns: {','.join(CSV_COLUMNS)}",
        )
    reader.fieldnames = header
    grouped: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        cells = {k: read_cell(v or "").strip() for k, v in row.items() if k}
        if not any(cells.values()):
            continue
        _add_csv_row(grouped, first_row, cells, f"{file}: row {row_number}")
    return [
        _validate_product(fields, f"{file}: row {first_row[sku]}")
        for sku, fields in grouped.items()
    ]


def _sniff_delimiter(text: str) -> str:
    first_line = text.splitlines()[0] if text else ""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _add_csv_row(
    grouped: dict[str, dict[str, Any]],
    first_row: dict[str, int],
    cells: dict[str, str],
    where: str,
) -> None:
    if not cells.get("sku"):
        raise CatalogRowInvalid(f"{where}, column 'sku': empty", hint="every row needs a SKU")
    sku = normalize_sku(cells["sku"])
    stock = _csv_int(cells.get("stock", ""), where)
    variant = {"size": cells.get("size") or None, "color": cells.get("color") or None}
    product = grouped.get(sku)
    if product is None:
        first_row[sku] = int(where.rsplit(" ", 1)[-1])
        product = {
            "sku": sku,
            "name": cells.get("name", ""),
            "price": cells.get("price", ""),
            "sale_price": cells.get("sale_price") or None,
            "currency": cells.get("currency") or DEFAULT_CURRENCY,
            "stock": stock,
            "photos": _split_photos(cells.get("photos", "")),
            "variants": [],
        }
        grouped[sku] = product
    elif not (variant["size"] or variant["color"]):
        raise CatalogRowInvalid(
            f"{where}, column 'sku': duplicate SKU {sku!r}",
            hint="repeat a SKU only on variant rows (with size or color)",
        )
    if variant["size"] or variant["color"]:
        product["variants"].append({**variant, "stock": stock})
        for photo in _split_photos(cells.get("photos", "")):
            if photo not in product["photos"]:
                product["photos"].append(photo)


def _csv_int(value: str, where: str) -> int:
    if not value:
        return 0
    try:
        number = int(Decimal(value.replace(" ", "")))
    except ArithmeticError:
        raise CatalogRowInvalid(
            f"{where}, column 'stock': {value!r} is not a whole number"
        ) from None
    if number < 0:
        raise CatalogRowInvalid(f"{where}, column 'stock': {value!r} is negative")
    return number


def _split_photos(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|\n]", cell) if part.strip()]


def _check_unique_skus(products: Sequence[Product], file: Path) -> None:
    seen: set[str] = set()
    for product in products:
        if product.sku in seen:
            raise CatalogError(
                f"{file}: duplicate SKU {product.sku!r}", hint="each product needs its own code"
            )
        seen.add(product.sku)


def catalog_to_yaml(catalog: Catalog) -> str:
    """Return the catalog as YAML in the documented form (round-trips through `load_catalog`)."""
    products = [_product_to_plain(p) for p in catalog.products]
    return yaml.safe_dump({"products": products}, allow_unicode=True, sort_keys=False)


def catalog_to_csv(catalog: Catalog) -> str:
    """Return the catalog as CSV (one row per product, or per variant), without BOM.

    Text cells go through `studio.sheets`, so a name that starts like a formula stays text.
    """
    rows = (row for product in catalog.products for row in _product_csv_rows(product))
    return write_csv(CSV_COLUMNS, rows, line_end="\n")


def save_catalog(catalog: Catalog, path: Path | str) -> Path:
    """Write the catalog as YAML or CSV (by suffix; CSV gets a BOM so Excel opens it right)."""
    file = Path(path)
    if file.suffix.lower() == ".csv":
        file.write_text("\ufeff" + catalog_to_csv(catalog), encoding="utf-8")
    else:
        file.write_text(catalog_to_yaml(catalog), encoding="utf-8")
    return file


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _product_to_plain(product: Product) -> dict[str, Any]:
    plain: dict[str, Any] = {
        "sku": product.sku,
        "name": product.name,
        "price": _plain_number(product.price),
    }
    if product.sale_price is not None:
        plain["sale_price"] = _plain_number(product.sale_price)
    plain["currency"] = product.currency
    plain["stock"] = product.stock
    if product.photos:
        plain["photos"] = list(product.photos)
    if product.variants:
        plain["variants"] = [v.model_dump(exclude_none=True) for v in product.variants]
    if product.description:
        plain["description"] = product.description
    return plain


def _product_csv_rows(product: Product) -> Iterable[list[Cell]]:
    base: list[Cell] = [
        product.sku,
        product.name,
        product.price,
        product.sale_price,
        product.currency,
    ]
    photos = "|".join(product.photos)
    if not product.variants:
        yield [*base, product.stock, None, None, photos]
        return
    for variant in product.variants:
        yield [*base, variant.stock, variant.size, variant.color, photos]
