"""`livestall demo` on the bundled samples: photos cleaned, a live server fed the demo chat."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PIL import Image

from livestall.cli.app import main


@pytest.mark.slow
@pytest.mark.model
def test_demo_makes_photos_and_takes_orders_from_the_chat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo-out"
    assert main(["demo", "--out", str(out), "--skip-clips"]) == 0
    printed = capsys.readouterr().out
    assert "demo finished" in printed

    shopee = out / "photos" / "shopee" / "coffee-cup.jpg"
    with Image.open(shopee) as image:
        assert image.size == (1024, 1024)
        assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    with Image.open(out / "photos" / "transparent" / "coffee-cup.png") as cutout:
        assert cutout.mode == "RGBA"

    # The catalog handed to the clip step points at the cut-outs.
    assert "transparent/coffee-cup.png" in (out / "catalog.yaml").read_text(encoding="utf-8")

    raw = (out / "live" / "orders.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel shows Vietnamese right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_buyer = {(row["buyer"], row["sku"]) for row in rows}
    assert ("Lan", "A12") in by_buyer  # "chốt A12 size M"
    assert ("Mai", "B3") in by_buyer  # "SOLD B3"
    assert ("سارة", "B3") in by_buyer  # "أريد B3"
    assert not any(row["buyer"] == "Minh" for row in rows)  # a price question
    assert sum(1 for row in rows if row["buyer"] == "Lan") == 1  # repeated comment, one order
