"""Issue 23: real buyer chatter (reviews, questions, greetings, shop ads from public e-commerce
corpora) must almost never become an order: at most 1 % of the lines, per language.

The lines are not redistributable, so they are built locally by scripts/fetch_chatter.py (see
tests/data/chatter/README.md); where they are absent the share tests skip with that hint."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from server.orders import CatalogView, parse_comment
from studio.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[3]
CATALOG = CatalogView.from_catalog(load_catalog(ROOT / "tests" / "data" / "vocab" / "catalog.yaml"))
MAX_ORDER_SHARE = 0.01
LANGUAGES = ("vi", "en", "ar")


def _chatter_dirs() -> list[Path]:
    dirs = [
        ROOT / "tests" / "data" / "chatter" / "local",
        ROOT.parent / "shared" / "data" / "chatter",
    ]
    if os.environ.get("LIVESTALL_CHATTER_DIR"):
        dirs.insert(0, Path(os.environ["LIVESTALL_CHATTER_DIR"]))
    return dirs


def _chatter_lines(lang: str) -> list[str]:
    for folder in _chatter_dirs():
        path = folder / f"{lang}_reviews.txt"
        if path.is_file():
            return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pytest.skip(
        f"{lang}_reviews.txt not built: run `python scripts/fetch_chatter.py --mirror DIR` "
        "(tests/data/chatter/README.md) or set LIVESTALL_CHATTER_DIR"
    )


def _fetch_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fetch_chatter", ROOT / "scripts" / "fetch_chatter.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fetch_chatter"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("pinned", [None, "TS-01"], ids=["nothing-pinned", "shirt-pinned"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_real_chatter_rarely_becomes_an_order(lang: str, pinned: str | None) -> None:
    lines = _chatter_lines(lang)
    orders = [
        line for line in lines if parse_comment(line, CATALOG, pinned=pinned).intent == "order"
    ]
    share = len(orders) / len(lines)
    shown = "\n".join(f"  {line[:200]}" for line in orders)
    assert share <= MAX_ORDER_SHARE, (
        f"{lang}, pinned={pinned}: {len(orders)}/{len(lines)} = {share:.1%} of real chatter "
        f"parsed as orders (at most {MAX_ORDER_SHARE:.0%}):\n{shown}"
    )


def test_the_sets_mask_phones_links_and_handles_but_keep_the_shape() -> None:
    clean = _fetch_script().clean
    got = clean("Liên hệ 0799.090.899 (zalo)\nhoặc @shop.hoa  https://m.facebook.com/x?id=1 a@b.vn")
    assert got == "Liên hệ 0900.000.000 (zalo) hoặc @[name] [link] [email]"
    assert clean("cho quy khach 84944010194 khi soan") == "cho quy khach 09000000000 khi soan"
    # prices, sizes and counts are what buyers typed: they stay
    assert clean("giá 150.000đ size 38, mua 2 đôi") == "giá 150.000đ size 38, mua 2 đôi"
