"""`check_photos`: an imported catalog's photos stay inside the seller's folders and are photos."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from studio.catalog import Catalog, Product
from studio.catalog_photos import check_photos
from studio.errors import CatalogPhotoRefused
from studio.paths import sample_photos_dir


def with_photo(photo: str) -> Catalog:
    product = Product(sku="A1", name="Áo", price=Decimal(1), photos=(photo,))
    return Catalog(products=(product,))


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    (folder / "photos").mkdir(parents=True)
    shutil.copy(sample_photos_dir() / "coffee-cup.jpg", folder / "photos" / "a1.jpg")
    (folder / "photos" / "notes.jpg").write_text("not a photo", encoding="utf-8")
    (tmp_path / "tokens.json").write_text('{"host": "secret"}', encoding="utf-8")
    (folder / "link.jpg").symlink_to(tmp_path / "tokens.json")
    return folder


@pytest.mark.parametrize(
    ("photo", "problem"),
    [
        ("../tokens.json", "photo_outside"),
        ("../../../../etc/passwd", "photo_outside"),
        ("/etc/passwd", "photo_outside"),
        ("link.jpg", "photo_outside"),  # a link inside pointing outside
        (".", "photo_outside"),
        ("photos/notes.jpg", "photo_not_image"),  # named .jpg, text inside
        ("photos", "photo_not_image"),  # a folder
    ],
)
def test_a_photo_outside_or_not_a_photo_is_refused(shop: Path, photo: str, problem: str) -> None:
    with pytest.raises(CatalogPhotoRefused) as info:
        check_photos(with_photo(photo), folders=[shop])
    assert info.value.code == "catalog.photo"
    assert info.value.params == {
        "sku": "A1",
        "column": "photos",
        "value": photo,
        "problem": problem,
    }
    assert "A1" in info.value.message and photo in info.value.message


@pytest.mark.parametrize("photo", ["photos/a1.jpg", "./photos/../photos/a1.jpg", "later.jpg"])
def test_a_photo_inside_is_made_absolute(shop: Path, photo: str) -> None:
    checked = check_photos(with_photo(photo), folders=[shop])
    assert checked.products[0].photos == (str((shop / photo).resolve()),)


def test_a_relative_photo_is_found_in_the_second_folder(shop: Path, tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    (studio / "uploads").mkdir(parents=True)
    shutil.copy(shop / "photos" / "a1.jpg", studio / "uploads" / "b.jpg")
    checked = check_photos(with_photo("uploads/b.jpg"), folders=[shop, studio])
    assert checked.products[0].photos == (str(studio / "uploads" / "b.jpg"),)
    absolute = check_photos(with_photo(str(studio / "uploads" / "b.jpg")), folders=[shop, studio])
    assert absolute.products[0].photos == (str(studio / "uploads" / "b.jpg"),)
