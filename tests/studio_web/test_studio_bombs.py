"""A decompression bomb sent to the studio is 413 `photo.too_large`; the rest of a batch goes on."""

from __future__ import annotations

import httpx
from image_bombs import png_claiming

from studio.paths import sample_photos_dir

JPEG = (sample_photos_dir() / "coffee-cup.jpg").read_bytes()
BOMB = png_claiming(40_000, 40_000)
WARNING_BOMB = png_claiming(10_000, 9_500)  # Pillow only warns about this one


def test_a_bomb_as_the_products_photo_is_413(client: httpx.Client) -> None:
    for bomb in (BOMB, WARNING_BOMB):
        answer = client.post(
            "/studio/api/products/A12/photo", files={"file": ("big.png", bomb, "image/png")}
        )
        assert answer.status_code == 413, answer.text
        assert answer.json()["code"] == "photo.too_large"


def test_a_bomb_in_a_batch_is_reported_and_the_good_photo_kept(client: httpx.Client) -> None:
    files = [
        ("files", ("bomb.png", BOMB, "image/png")),
        ("files", ("cup.jpg", JPEG, "image/jpeg")),
        ("files", ("bomb2.png", WARNING_BOMB, "image/png")),
    ]
    answer = client.post("/studio/api/photos/uploads", files=files)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [f["name"] for f in body["files"]] == ["cup.jpg"]
    assert [(r["name"], r["code"]) for r in body["rejected"]] == [
        ("bomb.png", "photo.too_large"),
        ("bomb2.png", "photo.too_large"),
    ]
    assert client.get(body["files"][0]["url"]).content == JPEG
