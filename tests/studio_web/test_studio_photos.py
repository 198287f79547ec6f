"""The photos tab's work is kept per product on a real studio server: a bad file in a batch is
reported while the good photos are cleaned, a cleaned photo becomes its product's photo (the
original kept, and one call away), and a re-export is a new file at a new URL."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import httpx
import pytest
from PIL import Image

from server.studio.product_photos import (
    CleanedPhoto,
    ProductPhotos,
    catalog_photos,
    match_sku,
)
from studio.paths import sample_photos_dir

JPEG = (sample_photos_dir() / "coffee-cup.jpg").read_bytes()
TRUNCATED_JPEG = JPEG[: len(JPEG) // 3]  # passes the upload's header check, fails to decode


def upload(client: httpx.Client, *files: tuple[str, bytes], sku: str = "") -> httpx.Response:
    return client.post(
        "/studio/api/photos/uploads",
        params={"sku": sku},
        files=[("files", (name, data, "image/jpeg")) for name, data in files],
    )


def clean(client: httpx.Client, upload_id: str) -> dict[str, Any]:
    body = {"upload_id": upload_id, "presets": ["shopee"], "engine": "classic"}
    job = client.post("/studio/api/photos/jobs", json=body).json()
    return wait_finished(client, job["id"])


def wait_finished(client: httpx.Client, job_id: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while (job := client.get(f"/studio/api/jobs/{job_id}").json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert job["status"] == "done", job["error"]
    return dict(job)


def product_photo_url(client: httpx.Client, sku: str) -> str:
    found = client.get("/studio/api/products").json()["products"]
    return str(next(p for p in found if p["sku"] == sku)["photo_url"])


def kept(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {p["sku"]: p for p in client.get("/studio/api/photos/products").json()["products"]}


@pytest.mark.parametrize(
    ("name", "sku"),
    [
        ("A12.jpg", "A12"),
        ("a12-back.JPG", "A12"),
        ("A12_2.png", "A12"),
        ("A123.jpg", None),
        ("IMG_0412.jpg", None),
        ("B3.jpeg", "B3"),
        ("AB-1.jpg", "AB-1"),  # the longest SKU wins over AB
    ],
)
def test_a_photo_belongs_to_the_sku_that_starts_its_name(name: str, sku: str | None) -> None:
    assert match_sku(name, ["A12", "B3", "AB", "AB-1"]) == sku


def photo(name: str) -> CleanedPhoto:
    return CleanedPhoto("b1", name, f"/u/{name}", f"/out/{name}", {})


@pytest.mark.parametrize(
    ("current", "old", "new", "expected"),
    [
        # first clean: the cleaned photo leads, the catalog's own photo follows, raw kept aside
        (("/cat/a.jpg",), None, ProductPhotos("A", (photo("x"),)), ("/out/x", "/cat/a.jpg")),
        # back to the original
        (
            ("/out/x", "/cat/a.jpg"),
            ProductPhotos("A", (photo("x"),)),
            ProductPhotos("A", (photo("x"),), is_original=True),
            ("/u/x", "/cat/a.jpg"),
        ),
        # a newer batch replaces the older photos, keeps the seller's others
        (
            ("/out/x", "/cat/a.jpg"),
            ProductPhotos("A", (photo("x"),)),
            ProductPhotos("A", (photo("y"), photo("z"))),
            ("/out/y", "/out/z", "/cat/a.jpg"),
        ),
    ],
)
def test_catalog_photos_put_the_chosen_first_and_keep_the_others(
    current: tuple[str, ...],
    old: ProductPhotos | None,
    new: ProductPhotos,
    expected: tuple[str, ...],
) -> None:
    assert catalog_photos(current, old=old, new=new) == expected


def test_a_bad_file_is_reported_and_every_good_photo_is_cleaned(client: httpx.Client) -> None:
    first = upload(
        client, ("A12.jpg", JPEG), ("notes.jpg", b"a text file, renamed\n" * 20), ("empty.jpg", b"")
    )
    assert first.status_code == 200
    answer = first.json()
    assert [(f["name"], f["sku"]) for f in answer["files"]] == [("A12.jpg", "A12")]
    assert [(r["name"], r["code"]) for r in answer["rejected"]] == [
        ("notes.jpg", "upload.not_photo"),
        ("empty.jpg", "upload.empty"),
    ]
    assert all(r["message"].startswith(r["name"]) and r["hint"] for r in answer["rejected"][:1])

    # A JPEG cut short passes the upload and fails alone in the batch; the good photos go on.
    second = upload(client, ("front.jpg", JPEG), ("broken.jpg", TRUNCATED_JPEG), sku="B3").json()
    assert [f["sku"] for f in second["files"]] == ["B3", "B3"] and second["rejected"] == []
    jobs = [clean(client, answer["upload_id"]), clean(client, second["upload_id"])]
    items = {i["name"]: i for job in jobs for i in job["result"]["items"]}
    assert items["A12.jpg"]["status"] == "ok" and items["front.jpg"]["status"] == "ok"
    assert (items["broken.jpg"]["status"], items["broken.jpg"]["code"]) == (
        "failed",
        "photo.unreadable",
    )

    # Each product keeps its cleaned photo, and it is the product's photo now.
    products = kept(client)
    assert [p["name"] for p in products["A12"]["photos"]] == ["A12.jpg"]
    assert [p["name"] for p in products["B3"]["photos"]] == ["front.jpg"]
    assert products["A12"]["in_use"] == "cleaned"
    cleaned_url = products["A12"]["photos"][0]["outputs"][0]["url"]
    assert product_photo_url(client, "A12") == cleaned_url
    image = Image.open(io.BytesIO(client.get(cleaned_url).content)).convert("RGB")
    assert image.size == (1024, 1024) and min(image.getpixel((3, 3))) >= 250


def test_the_original_photo_is_kept_and_one_call_away(client: httpx.Client) -> None:
    answer = upload(client, ("A12-side.jpg", JPEG)).json()
    job = clean(client, answer["upload_id"])
    cleaned_url = job["result"]["items"][0]["outputs"][0]["url"]
    assert product_photo_url(client, "A12") == cleaned_url

    back = client.post("/studio/api/photos/products/A12/original", json={"is_original": True})
    assert back.status_code == 200 and back.json()["in_use"] == "original"
    assert product_photo_url(client, "A12") == answer["files"][0]["url"]
    assert client.get(product_photo_url(client, "A12")).content == JPEG

    again = client.post("/studio/api/photos/products/A12/original", json={"is_original": False})
    assert again.json()["in_use"] == "cleaned"
    assert product_photo_url(client, "A12") == cleaned_url
    nothing = client.post("/studio/api/photos/products/NOPE/original", json={"is_original": True})
    assert nothing.status_code == 404


def test_a_re_export_is_a_new_file_shown_everywhere(client: httpx.Client) -> None:
    answer = upload(client, ("cup.jpg", JPEG), sku="B3").json()
    batch = clean(client, answer["upload_id"])
    old_url = batch["result"]["items"][0]["outputs"][0]["url"]
    old_bytes = client.get(old_url).content

    fix = client.post(
        f"/studio/api/photos/jobs/{batch['id']}/fix",
        json={"name": "cup.jpg", "fill": 0.55, "background": "#f5e6d3", "shadow": "none"},
    ).json()
    wait_finished(client, fix["id"])
    new_url = kept(client)["B3"]["photos"][0]["outputs"][0]["url"]
    assert new_url != old_url
    new_bytes = client.get(new_url).content
    assert new_bytes != old_bytes
    corner = Image.open(io.BytesIO(new_bytes)).convert("RGB").getpixel((3, 3))
    assert all(abs(a - b) <= 6 for a, b in zip(corner, (0xF5, 0xE6, 0xD3), strict=True))
    # the product, the batch (as a reload finds it) and the batch's zip all have the new photo
    assert product_photo_url(client, "B3") == new_url
    reloaded = client.get(f"/studio/api/jobs/{batch['id']}").json()
    assert reloaded["result"]["items"][0]["outputs"][0]["url"] == new_url
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/studio/api/photos/jobs/{batch['id']}/zip").content)
    )
    assert archive.read("shopee/cup.jpg") == new_bytes


def test_the_newest_batch_comes_back_with_the_products(client: httpx.Client) -> None:
    answer = upload(client, ("IMG_0001.jpg", JPEG)).json()
    assert answer["files"][0]["sku"] is None
    job = clean(client, answer["upload_id"])
    state = client.get("/studio/api/photos/products").json()
    assert state["batch"]["id"] == job["id"]
    assert state["batch"]["result"]["items"][0]["sku"] is None


def test_an_unknown_product_is_refused_before_storing(client: httpx.Client) -> None:
    response = upload(client, ("x.jpg", JPEG), sku="NOPE")
    assert response.status_code == 404 and response.json()["code"] == "live.product_not_found"
