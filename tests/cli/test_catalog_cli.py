"""`livestall catalog import`: the same preview as the studio, nothing written without a yes, and
bad files exit 2 with the row named."""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from livestall.cli.app import main
from studio.paths import sample_photos_dir

SHOP_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê", price: 199000, currency: VND, stock: 6}
  - {sku: B3, name: "Chả mực Hạ Long", price: 250000, currency: VND, stock: 50}
"""
EXCEL_CSV = (
    codecs.BOM_UTF8
    + (
        "Mã SP;Tên sản phẩm;Giá bán;Tồn kho;Ảnh\r\n"
        "A12;Cốc sứ cà phê;179.000;6;coffee-cup.jpg\r\n"
        "D9;Khăn lụa Hà Đông;150.000;30;\r\n"
    ).encode()
)


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "catalog.yaml").write_text(SHOP_YAML, encoding="utf-8")
    (tmp_path / "cua-hang.csv").write_bytes(EXCEL_CSV)
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", tmp_path / "coffee-cup.jpg")
    return tmp_path / "cua-hang.csv", tmp_path / "catalog.yaml"


def skus(catalog: Path) -> list[str]:
    return [str(p["sku"]) for p in yaml.safe_load(catalog.read_text("utf-8"))["products"]]


def test_dry_run_prints_the_plan_and_writes_nothing(
    shop: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, catalog = shop
    before = catalog.read_bytes()
    args = ["catalog", "import", str(sheet), "--into", str(catalog), "--dry-run", "--json"]
    assert main(args) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["added"] == ["D9"] and plan["kept"] == ["B3"] and plan["removed"] == []
    assert plan["changed"]["A12"][0] == ["price", "199000", "179000"]
    assert catalog.read_bytes() == before


def test_yes_merges_and_replace_removes(shop: tuple[Path, Path]) -> None:
    sheet, catalog = shop
    assert main(["catalog", "import", str(sheet), "--into", str(catalog), "--yes"]) == 0
    assert skus(catalog) == ["A12", "B3", "D9"]
    a12 = yaml.safe_load(catalog.read_text("utf-8"))["products"][0]
    assert a12["price"] == 179000 and a12["photos"] == [str(sheet.parent / "coffee-cup.jpg")]
    args = ["catalog", "import", str(sheet), "--into", str(catalog), "--replace", "--yes"]
    assert main(args) == 0
    assert skus(catalog) == ["A12", "D9"]


def test_without_yes_a_no_answer_writes_nothing(
    shop: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet, catalog = shop
    before = catalog.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["catalog", "import", str(sheet), "--into", str(catalog)]) == 1
    assert catalog.read_bytes() == before


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["A1", "x" * (csv.field_size_limit() + 1), "1"], "row 3, column 'name'"),
        (["A1", "Áo", "nhiều"], "row 3, column 'price'"),
        (["A1", "Áo", "1", "../../etc/passwd"], "A1: photo '../../etc/passwd'"),
    ],
)
def test_a_bad_file_exits_2_naming_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: list[str], expected: str
) -> None:
    sheet = tmp_path / "bad.csv"
    rows = ["sku,name,price,photos", "Z9,Fine,1,", ",".join(cells)]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    into = tmp_path / "catalog.yaml"
    assert main(["catalog", "import", str(sheet), "--into", str(into), "--yes"]) == 2
    assert expected in capsys.readouterr().err.replace("\n", "")
    assert not into.exists()
