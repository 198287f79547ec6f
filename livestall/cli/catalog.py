"""`livestall catalog import`: bring a spreadsheet (or YAML) into a catalog, with a preview first.

The same plan as the web studio's import (`studio.catalog_merge.plan_import`): merge by SKU by
default, ``--replace`` to make the catalog the file's products; nothing is written before the
seller answers yes (or passes ``--yes``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from livestall.cli.output import console, print_json
from studio.catalog import Catalog, Product, load_catalog, read_catalog_path, save_catalog
from studio.catalog_merge import ImportPlan, Value, plan_import
from studio.catalog_photos import check_photos
from studio.errors import CatalogError
from studio.money import format_price
from studio.paths import data_dir

app = typer.Typer(help="The product catalog: import a spreadsheet.", no_args_is_help=True)


def default_catalog() -> Path:
    """The web studio's catalog, where `livestall studio` reads and writes products."""
    return data_dir() / "studio" / "catalog.yaml"


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV (Excel, Google Sheets) or YAML file.")],
    into: Annotated[
        Path | None,
        typer.Option("--into", help="Catalog to update (default: the web studio's catalog)."),
    ] = None,
    is_replace: Annotated[
        bool,
        typer.Option("--replace", help="Make the catalog the file's products (others removed)."),
    ] = False,
    is_yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before writing.")] = False,
    is_dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would change.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show what importing FILE would add, change and remove, then write it when confirmed."""
    target = into or default_catalog()
    source = file.expanduser()
    read = read_catalog_path(source)
    if not read.catalog.products:
        raise CatalogError(f"{source}: no products in the file", hint="add at least one row")
    folders = (source.resolve().parent, target.expanduser().resolve().parent)
    incoming = check_photos(read.catalog, folders=folders)
    current = load_catalog(target) if target.is_file() else Catalog(source=target)
    plan = plan_import(
        current,
        incoming.products,
        fields=read.fields,
        mode="replace" if is_replace else "merge",
    )
    if as_json:
        print_json(plan_json(plan))
    else:
        print_plan(plan, source, target)
    if is_dry_run or not plan.has_changes:
        return
    if not is_yes and not typer.confirm("Write these changes?", default=False):
        raise typer.Exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp{target.suffix}")
    save_catalog(plan.result, temp)
    temp.replace(target)
    if not as_json:
        console.print(f"[green]saved[/] {target}")


def print_plan(plan: ImportPlan, source: Path, target: Path) -> None:
    """The plan as lines a seller reads: + added, ~ changed (before → after), kept, removed."""
    how = "replace the whole catalog" if plan.mode == "replace" else "merge by product code"
    console.print(f"[bold]{source.name}[/] → {target} ({how})")
    for product in plan.added:
        console.print(f"  [green]+[/] {_brief(product)}")
    for change in plan.changed:
        fields = "; ".join(
            f"{c.field} {_shown(c.before, change.before)} → {_shown(c.after, change.after)}"
            for c in change.changes
        )
        console.print(f"  [yellow]~[/] {change.after.sku} {change.after.name}: {fields}")
    for product in plan.removed:
        console.print(f"  [red]-[/] {_brief(product)} (removed)")
    if plan.kept:
        console.print(f"  kept, not in the file: {', '.join(p.sku for p in plan.kept)}")
    console.print(
        f"{len(plan.added)} new, {len(plan.changed)} changed, {len(plan.removed)} removed, "
        f"{len(plan.unchanged)} unchanged"
    )


def plan_json(plan: ImportPlan) -> dict[str, object]:
    """The plan for ``--json``: SKUs per group, and each change's fields as text."""
    return {
        "mode": plan.mode,
        "added": [p.sku for p in plan.added],
        "changed": {
            c.after.sku: [[f.field, _text(f.before), _text(f.after)] for f in c.changes]
            for c in plan.changed
        },
        "unchanged": [p.sku for p in plan.unchanged],
        "kept": [p.sku for p in plan.kept],
        "removed": [p.sku for p in plan.removed],
    }


def _brief(product: Product) -> str:
    return f"{product.sku} {product.name} {format_price(product.current_price, product.currency)}"


def _shown(value: Value, product: Product) -> str:
    if isinstance(value, Decimal):
        return format_price(value, product.currency)
    return "—" if value is None else str(value)


def _text(value: Value) -> str | None:
    return None if value is None else str(value)
