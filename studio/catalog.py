"""The product catalog shared by photos, clips and the live server.

A catalog is YAML (``products: [...]``) or a CSV / spreadsheet export with one row per product or
per variant (``sku,name,price,sale_price,currency,stock,size,color,photos``). `load_catalog` turns
either into a `Catalog`; `save_catalog` writes it back in the format the file name says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NewType

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from studio.catalog_sheet import Sheet, decode_sheet, read_sheet
from studio.error_texts import field_problem
from studio.errors import CatalogError, CatalogRowInvalid, LivestallError
from studio.money import DEFAULT_CURRENCY, check_currency, price_field
from studio.sheets import Cell, read_cell, write_csv

Sku = NewType("Sku", str)

CSV_COLUMNS = (
    "sku",
    "name",
    "price",
    "sale_price",
    "currency",
    "stock",
    "size",
    "color",
    "photos",
    "description",
    "aliases",
    "unit",
    "size_chart",
)
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


class SizeStep(BaseModel):
    """One row of a seller's size chart: buyers up to `max_kg` take `size`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_kg: float = Field(gt=0, le=500)
    size: str = Field(min_length=1, max_length=20)


def size_chart_from_text(text: str) -> list[dict[str, object]]:
    """Read ``50:S; 58:M; 66:L`` (buyers up to 50 kg take S...) as size-chart steps.

    Raises:
        PydanticCustomError: ``field.size_chart_format`` naming the part that is not ``kg:size``.
    """
    steps: list[dict[str, object]] = []
    for part in (p.strip() for p in re.split(r"[;\n]", text)):
        if not part:
            continue
        kg, colon, size = part.partition(":")
        number = kg.strip().lower().removesuffix("kg").strip().replace(",", ".")
        try:
            weight = float(number)
        except ValueError:
            weight = 0.0
        if not colon or not size.strip() or not 0 < weight <= 500:
            raise field_problem("field.size_chart_format", "write kg:size, e.g. 50:S", part=part)
        steps.append({"max_kg": weight, "size": size.strip()})
    return steps


def size_chart_text(product: Product) -> str:
    """A product's size chart as one cell: ``50:S; 58:M`` (read back by `size_chart_from_text`)."""
    return "; ".join(f"{step.max_kg:g}:{step.size}" for step in product.size_chart)


class Product(BaseModel):
    """A product as sold: code viewers type, name, prices, stock, variants, photos.

    `aliases` are the seller's own words for it ("set kẻ xanh"), `unit` how it is counted
    ("hộp", "đôi"), `size_chart` the seller's weight -> size table; all three are optional and
    read by the order parser (server/orders/names.py).
    """

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
    aliases: tuple[str, ...] = ()
    unit: str = Field(default="", max_length=20)
    size_chart: tuple[SizeStep, ...] = ()

    @field_validator("aliases", mode="before")
    @classmethod
    def _split_aliases(cls, value: object) -> object:
        if isinstance(value, str):  # a sheet cell: "set kẻ xanh; set kẻ"
            value = re.split(r"[;|]", value)
        if isinstance(value, (list, tuple)):
            return tuple(str(v).strip() for v in value if str(v).strip())
        return value

    @field_validator("size_chart", mode="before")
    @classmethod
    def _split_size_chart(cls, value: object) -> object:
        if isinstance(value, str):  # a sheet cell or the web studio: "50:S; 58:M; 66:L"
            return size_chart_from_text(value)
        return value

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


@dataclass(frozen=True, slots=True)
class CatalogFile:
    """A catalog file as read, before it joins a catalog (see `studio.catalog_merge`).

    ``fields`` are the product fields the file sets (a sheet without a ``Tồn kho`` column does
    not set ``stock``); ``columns`` maps each field to the column name the seller wrote
    (``price`` -> ``Giá bán``); ``ignored`` lists the columns nothing reads.
    """

    catalog: Catalog
    fields: frozenset[str]
    columns: dict[str, str]
    ignored: tuple[str, ...] = ()


def load_catalog(path: Path | str) -> Catalog:
    """Load a YAML or CSV catalog.

    Args:
        path: a ``.yaml``/``.yml``, ``.json`` or ``.csv`` file (see `read_catalog_file`).

    Returns:
        The validated catalog, ``source`` set to the resolved path.

    Raises:
        CatalogError: missing file, unknown format, unreadable text or duplicate SKU.
        CatalogRowInvalid: a row or product is wrong (the message names row and column).
    """
    file = Path(path).expanduser()
    read = read_catalog_path(file)
    return Catalog(products=read.catalog.products, source=file.resolve())


def read_catalog_path(path: Path) -> CatalogFile:
    """Read a catalog file from disk (`read_catalog_file` on its bytes).

    Raises:
        CatalogError: the file is missing, or as `read_catalog_file`.
        CatalogRowInvalid: as `read_catalog_file`.
    """
    if not path.is_file():
        raise CatalogError(
            f"{path}: no such catalog file",
            hint="check the path",
            params={"file": path.name, "problem": "file.missing"},
        )
    return read_catalog_file(path.read_bytes(), name=str(path))


def read_catalog_file(raw: bytes, *, name: str) -> CatalogFile:
    """Read a catalog file's bytes: YAML, or CSV as a spreadsheet saves it.

    CSV columns may be named in Vietnamese or English (`studio.catalog_sheet.HEADER_ALIASES`);
    the text may be UTF-8 (with or without BOM) or UTF-16 with a BOM, cells separated by ``,``
    ``;`` or tab.

    Args:
        raw: the file's bytes.
        name: its name; the suffix says the format (``.yaml``, ``.yml``, ``.json``, ``.csv``).

    Returns:
        The products (no ``source``), the fields the file sets and its column names.

    Raises:
        CatalogError: unknown format, unreadable text, missing columns or duplicate SKU.
        CatalogRowInvalid: a row is wrong (the message and ``params`` name row and column).
    """
    file = Path(name)
    kind = _FORMATS.get(file.suffix.lower())
    if kind is None:
        raise CatalogError(
            f"{file}: unknown catalog format {file.suffix!r}",
            hint="use .yaml or .csv",
            params={"file": file.name, "problem": "file.format"},
        )
    return _read_text(decode_sheet(raw, name=name), kind, file)


def parse_catalog_yaml(text: str, *, name: str = "catalog.yaml") -> Catalog:
    """Validate catalog YAML given as text (for uploads and the web studio)."""
    return _read_text(text, "yaml", Path(name)).catalog


def parse_catalog_csv(text: str, *, name: str = "catalog.csv") -> Catalog:
    """Validate catalog CSV given as text (for uploads and the web studio)."""
    return _read_text(text, "csv", Path(name)).catalog


_FORMATS: dict[str, Literal["yaml", "csv"]] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "yaml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
# A sheet column -> the product field it sets (size and colour make variants).
_COLUMN_FIELDS = {"size": "variants", "color": "variants"}


def _read_text(text: str, kind: Literal["yaml", "csv"], file: Path) -> CatalogFile:
    if kind == "yaml":
        products, fields = _products_from_yaml(text, file)
        read = CatalogFile(Catalog(), fields, {field: field for field in fields})
    else:
        sheet = read_sheet(text, name=str(file))
        products = _products_from_sheet(sheet, file)
        fields = frozenset(_COLUMN_FIELDS.get(column, column) for column in sheet.headers)
        read = CatalogFile(Catalog(), fields, dict(sheet.headers), sheet.ignored)
    _check_unique_skus(products, file)
    return CatalogFile(Catalog(products=tuple(products)), read.fields, read.columns, read.ignored)


def _products_from_yaml(text: str, file: Path) -> tuple[list[Product], frozenset[str]]:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(
            f"{file}: not valid YAML: {exc}", params={"file": file.name, "problem": "file.yaml"}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("products"), list):
        raise CatalogError(
            f"{file}: expected a mapping with a 'products' list",
            hint="see docs/catalog.md",
            params={"file": file.name, "problem": "file.shape"},
        )
    lines = _product_lines(root)
    products = []
    fields: set[str] = {"sku", "name", "price"}
    for index, item in enumerate(data["products"]):
        where = f"{file}: products[{index}]"
        line = lines[index] if index < len(lines) else None
        if line is not None:
            where += f" (line {line})"
        if not isinstance(item, dict):
            raise CatalogRowInvalid(
                f"{where}: expected a mapping of fields",
                params={"file": file.name, "row": line or index + 1, "column": "products"},
            )
        fields.update(str(key) for key in item if str(key) in Product.model_fields)
        products.append(
            _validate_product(item, where, file=file, row=line or index + 1, columns={})
        )
    return products, frozenset(fields)


def _product_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "products" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return []


# A product-wide problem belongs to the column that fixes it.
_PROBLEM_FIELDS = {"field.sale_above_price": "sale_price", "field.variant_twice": "variants"}


def _validate_product(
    fields: dict[str, Any], where: str, *, file: Path, row: int, columns: Mapping[str, str]
) -> Product:
    """Validate one product; an error names the column as the file wrote it (``Giá bán``)."""
    try:
        return Product.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        problem = str(error["type"])
        field = str(error["loc"][0]) if error["loc"] else _PROBLEM_FIELDS.get(problem, "product")
        if columns:
            column = columns.get(field) or columns.get("size") or field
        else:
            column = ".".join(str(part) for part in error["loc"]) or field
        value = fields.get(field)
        raise CatalogRowInvalid(
            f"{where}, column {column!r}: {error['msg'].removeprefix('Value error, ')}",
            params={
                "file": file.name,
                "row": row,
                "column": column,
                "problem": problem,
                "value": "" if value is None or isinstance(value, list | dict) else str(value),
            },
        ) from None


def _products_from_sheet(sheet: Sheet, file: Path) -> list[Product]:
    grouped: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for row in sheet.rows:
        cells = {column: read_cell(text).strip() for column, text in row.cells.items()}
        _add_sheet_row(grouped, first_row, cells, _RowPlace(file, row.number, sheet.headers))
    return [
        _validate_product(
            fields,
            f"{file}: row {first_row[sku]}",
            file=file,
            row=first_row[sku],
            columns=sheet.headers,
        )
        for sku, fields in grouped.items()
    ]


@dataclass(frozen=True, slots=True)
class _RowPlace:
    """Where a sheet cell is, to name it in an error as the seller sees it."""

    file: Path
    row: int
    headers: Mapping[str, str]

    def error(
        self, column: str, message: str, *, problem: str, value: str = "", hint: str = ""
    ) -> CatalogRowInvalid:
        written = self.headers.get(column, column)
        return CatalogRowInvalid(
            f"{self.file}: row {self.row}, column {written!r}: {message}",
            hint=hint,
            params={
                "file": self.file.name,
                "row": self.row,
                "column": written,
                "problem": problem,
                "value": value,
            },
        )


def _add_sheet_row(
    grouped: dict[str, dict[str, Any]],
    first_row: dict[str, int],
    cells: dict[str, str],
    place: _RowPlace,
) -> None:
    if not cells.get("sku"):
        raise place.error("sku", "empty", problem="field.empty", hint="every row needs a SKU")
    sku = normalize_sku(cells["sku"])
    stock = _csv_int(cells.get("stock", ""), place)
    variant = {"size": cells.get("size") or None, "color": cells.get("color") or None}
    product = grouped.get(sku)
    if product is None:
        first_row[sku] = place.row
        product = {
            "sku": sku,
            "name": cells.get("name", ""),
            "price": cells.get("price", ""),
            "sale_price": cells.get("sale_price") or None,
            "currency": cells.get("currency") or DEFAULT_CURRENCY,
            "stock": stock,
            "photos": _split_photos(cells.get("photos", "")),
            "variants": [],
            "description": cells.get("description", ""),
            "aliases": cells.get("aliases", ""),
            "unit": cells.get("unit", ""),
            "size_chart": cells.get("size_chart", ""),
        }
        grouped[sku] = product
    elif not (variant["size"] or variant["color"]):
        raise place.error(
            "sku",
            f"duplicate SKU {sku!r}",
            problem="field.sku_taken",
            value=sku,
            hint="repeat a SKU only on variant rows (with size or color)",
        )
    if variant["size"] or variant["color"]:
        product["variants"].append({**variant, "stock": stock})
        for photo in _split_photos(cells.get("photos", "")):
            if photo not in product["photos"]:
                product["photos"].append(photo)


def _csv_int(value: str, place: _RowPlace) -> int:
    if not value:
        return 0
    try:
        number = int(Decimal(value.replace(" ", "").replace("\u00a0", "")))
    except ArithmeticError:
        raise place.error(
            "stock", f"{value!r} is not a whole number", problem="field.whole_number", value=value
        ) from None
    if number < 0:
        raise place.error("stock", f"{value!r} is negative", problem="field.negative", value=value)
    return number


def _split_photos(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|\n]", cell) if part.strip()]


def _check_unique_skus(products: Sequence[Product], file: Path) -> None:
    seen: set[str] = set()
    for product in products:
        if product.sku in seen:
            raise CatalogError(
                f"{file}: duplicate SKU {product.sku!r}",
                hint="each product needs its own code",
                params={"file": file.name, "problem": "field.sku_twice", "sku": product.sku},
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
    if product.aliases:
        plain["aliases"] = list(product.aliases)
    if product.unit:
        plain["unit"] = product.unit
    if product.size_chart:
        plain["size_chart"] = [step.model_dump() for step in product.size_chart]
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
    words = [product.description, "; ".join(product.aliases), product.unit]
    words.append(size_chart_text(product))
    if not product.variants:
        yield [*base, product.stock, None, None, photos, *words]
        return
    for variant in product.variants:
        yield [*base, variant.stock, variant.size, variant.color, photos, *words]
