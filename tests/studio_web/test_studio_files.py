"""Files go out only from the studio's folders and only as the photos (or clips) their bytes say.

A catalog that names ``/etc/passwd``, ``tokens.json``, a photo outside its folder or a web page
named ``.jpg`` gets none of them served, by the live server's public photo route or the studio's;
the studio's own records (its catalog) are not files to hand out; a NUL in a path is 404.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from studio_web_helpers import STUDIO_HEADERS

from server.app import build_studio_app
from server.serve import RunningServer, start_in_thread
from studio.paths import sample_photos_dir

CUP = sample_photos_dir() / "coffee-cup.jpg"
PHOTOS = {
    "A1": "/etc/passwd",
    "A2": "tokens.json",
    "A3": "../outside.jpg",  # a real photo, but outside the catalog's folder
    "A4": "page.jpg",  # HTML named like a photo
    "A5": "cup.jpg",
}


@pytest.fixture(scope="module")
def files_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    top = tmp_path_factory.mktemp("files")
    shop = top / "shop"
    shop.mkdir()
    shutil.copy(CUP, shop / "cup.jpg")
    shutil.copy(CUP, top / "outside.jpg")
    (shop / "tokens.json").write_text('{"host_token": "secret"}', encoding="utf-8")
    (shop / "page.jpg").write_text("<script>alert(1)</script>", encoding="utf-8")
    products = [
        {"sku": sku, "name": f"Sản phẩm {sku}", "price": 1000, "stock": 1, "photos": [photo]}
        for sku, photo in PHOTOS.items()
    ]
    catalog = shop / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"products": products}, allow_unicode=True), "utf-8")
    running = start_in_thread(build_studio_app(catalog, data_dir=top / "data"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def http(files_studio: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=files_studio.url, headers=STUDIO_HEADERS, timeout=30) as client:
        yield client


@pytest.mark.parametrize("sku", ["A1", "A2", "A3", "A4"])
@pytest.mark.parametrize("route", ["/api/products/{}/photo", "/studio/api/products/{}/photo"])
def test_a_catalog_naming_a_non_photo_gets_nothing_served(
    http: httpx.Client, route: str, sku: str
) -> None:
    answer = http.get(route.format(sku))
    assert answer.status_code == 404, answer.text
    assert "secret" not in answer.text and "root:" not in answer.text
    assert "<script>" not in answer.text


@pytest.mark.parametrize("route", ["/api/products/A5/photo", "/studio/api/products/A5/photo"])
def test_a_real_photo_is_served_with_its_sniffed_type(http: httpx.Client, route: str) -> None:
    answer = http.get(route)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.content == CUP.read_bytes()


def studio_root(server: RunningServer) -> Path:
    return Path(server.server.config.app.state.studio.root)


def test_studio_files_are_only_real_media(files_studio: RunningServer, http: httpx.Client) -> None:
    root = studio_root(files_studio)
    (root / "uploads" / "x").mkdir(parents=True, exist_ok=True)
    shutil.copy(CUP, root / "uploads" / "x" / "renamed.txt")
    (root / "uploads" / "x" / "fake.png").write_text("<html>hi</html>", encoding="utf-8")
    photo = http.get("/studio/files/uploads/x/renamed.txt")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["x-content-type-options"] == "nosniff"
    for path in ("catalog.yaml", "uploads/x/fake.png", "uploads/x", "product_photos.json"):
        assert http.get(f"/studio/files/{path}").status_code == 404, path


@pytest.mark.parametrize(
    "raw_path",
    [
        "/studio/files/a%00b.jpg",
        "/studio/files/%00",
        "/studio/files/uploads/%2e%2e/%2e%2e/shop/cup.jpg",
        "/studio/files/%2e%2e%2f%2e%2e%2fshop%2fcup.jpg",
        "/studio/files//etc/passwd",
    ],
)
def test_nul_and_escapes_are_not_found(files_studio: RunningServer, raw_path: str) -> None:
    answer = httpx.get(
        httpx.URL(files_studio.url).copy_with(raw_path=raw_path.encode()), timeout=30
    )
    assert answer.status_code == 404, (raw_path, answer.status_code, answer.text)
