"""Issue 23's labelled sets (tests/data/vocab): buyers' real habits against a catalog with
numeric codes, names, units and a size chart. Floors are the figures reached, minus a margin."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from server.orders import CatalogView, parse_comment
from studio.catalog import load_catalog, parse_catalog_csv

ROOT = Path(__file__).resolve().parents[3]
VOCAB = ROOT / "tests" / "data" / "vocab"
CATALOG = CatalogView.from_catalog(load_catalog(VOCAB / "catalog.yaml"))


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_parse", ROOT / "bench" / "parse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_parse"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
DEV = BENCH.score_vocab(VOCAB / "dev.yaml", CATALOG)

# (precision, recall) of items with variants reached on dev.yaml, minus a small margin
FAMILY_FLOORS = {
    "name": (0.97, 0.97),
    "pinned": (0.97, 0.97),
    "numbers": (0.97, 0.97),
    "cancel": (0.97, 0.97),
    "seller": (0.97, 0.97),
    "chatter": (0.97, 0.97),
    "code": (0.97, 0.94),
    "price": (0.97, 0.97),
    "size_chart": (0.97, 0.8),
    "english": (0.93, 0.93),
    "arabic": (0.97, 0.97),
}


def test_dev_set_is_big_and_covers_every_family_and_language() -> None:
    assert DEV.comments >= 500
    assert set(FAMILY_FLOORS) <= set(DEV.by_family)


@pytest.mark.parametrize("family", sorted(FAMILY_FLOORS))
def test_dev_family_stays_above_its_floor(family: str) -> None:
    precision, recall = DEV.by_family[family]
    floor_p, floor_r = FAMILY_FLOORS[family]
    assert precision >= floor_p and recall >= floor_r, (family, precision, recall)


def test_dev_overall_sure_precision_and_addresses() -> None:
    assert DEV.item_precision >= 0.98 and DEV.item_recall >= 0.96
    assert DEV.sure_precision >= 0.99
    assert DEV.address_found >= 0.9


def test_held_out_stays_above_its_first_measured_floor() -> None:
    # Written blind by someone else; never read while tuning. Only its figures are used.
    if not (VOCAB / "holdout.yaml").is_file():
        pytest.skip("tests/data/vocab/holdout.yaml is not written yet")
    got = BENCH.score_vocab(VOCAB / "holdout.yaml", CATALOG)
    assert got.item_precision >= HOLDOUT_FLOOR[0] and got.item_recall >= HOLDOUT_FLOOR[1]


HOLDOUT_FLOOR = (0.75, 0.65)  # first measured: P 0.804, R 0.696 (docs/benchmarks.md)


def test_second_held_out_stays_above_its_first_measured_floor() -> None:
    # holdout2.yaml: written blind after the first, never read while tuning; figures only.
    if not (VOCAB / "holdout2.yaml").is_file():
        pytest.skip("tests/data/vocab/holdout2.yaml is not written yet")
    got = BENCH.score_vocab(VOCAB / "holdout2.yaml", CATALOG)
    assert got.item_precision >= HOLDOUT2_FLOOR[0] and got.item_recall >= HOLDOUT2_FLOOR[1]


HOLDOUT2_FLOOR = (0.88, 0.80)  # first measured: P 0.926, R 0.843 (docs/benchmarks.md)


def test_address_numbers_are_neither_codes_nor_counts() -> None:
    result = parse_comment("chốt 15 2 hộp giao 27 Trần Hưng Đạo P.5 Q.3", CATALOG, pinned=None)
    assert [(line.sku, line.qty) for line in result.items] == [("15", 2)]
    assert result.address == "27 Trần Hưng Đạo P.5 Q.3" and result.confidence == "sure"


def test_kind_word_counts_only_when_it_points_to_one_product() -> None:
    two_shirts = parse_catalog_csv(
        "sku,name,price,size\nA1,Áo thun,100000,M\nA2,Áo sơ mi,200000,M\n"
    )
    view = CatalogView.from_catalog(two_shirts)
    assert parse_comment("lấy áo size M", view, pinned=None).intent != "order"
    pinned = parse_comment("lấy áo size M", view, pinned="A2")
    assert [line.sku for line in pinned.items] == ["A2"] and pinned.confidence == "review"


def test_pinned_shorthand_is_placed_for_review() -> None:
    result = parse_comment("M trắng", CATALOG, pinned="TS-01")
    assert result.intent == "order" and result.confidence == "review"
    assert "pinned-variants" in result.rule
