"""Scenes filled from the catalog, defaults per locale, files checked by field path."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from clips.media import PHOTO
from studio.clips.resolve import resolve_scenes
from studio.clips.spec import spec_from_data
from studio.errors import SpecInvalid
from studio.paths import sample_catalog_path


def _resolve(tmp_path: Path, scenes: list[dict[str, object]], **fields: object) -> list[object]:
    data = {"catalog": str(sample_catalog_path()), "scenes": scenes, **fields}
    return list(resolve_scenes(spec_from_data(data, base_dir=tmp_path)))


def test_catalog_scene_takes_name_prices_photo_and_currency(tmp_path: Path) -> None:
    (scene,) = _resolve(tmp_path, [{"sku": "a12"}], currency="USD")
    assert scene.sku == "A12" and scene.title == "Cốc sứ cà phê Quảng Ninh"  # type: ignore[attr-defined]
    assert (scene.price, scene.sale_price, scene.currency) == (
        Decimal(159000),
        Decimal(129000),
        "VND",
    )  # type: ignore[attr-defined]
    assert scene.photo.name == "coffee-cup.jpg"  # type: ignore[attr-defined]
    assert scene.cta == "Bình luận A12 để chốt đơn"  # type: ignore[attr-defined]


def test_a_scene_price_replaces_the_catalog_prices(tmp_path: Path) -> None:
    (scene,) = _resolve(tmp_path, [{"sku": "A12", "price": 99000}])
    assert (scene.price, scene.sale_price, scene.currency) == (Decimal(99000), None, "VND")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("locale", "with_sku", "without_sku"),
    [
        ("vi", "Bình luận B3 để chốt đơn", "Nhắn tin để đặt hàng"),
        ("en", "Comment B3 to order", "Message us to order"),
    ],
)
def test_default_call_to_action_per_locale(
    tmp_path: Path, locale: str, with_sku: str, without_sku: str
) -> None:
    scenes = _resolve(tmp_path, [{"sku": "B3"}, {"photo": str(PHOTO)}], locale=locale)
    assert [s.cta for s in scenes] == [with_sku, without_sku]  # type: ignore[attr-defined]


def test_spec_cta_template_and_empty_cta(tmp_path: Path) -> None:
    scenes = _resolve(tmp_path, [{"sku": "B3"}, {"sku": "SP01", "cta": ""}], cta="Gõ {sku} nhé")
    assert [s.cta for s in scenes] == ["Gõ B3 nhé", None]  # type: ignore[attr-defined]


def test_unknown_sku_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(
        SpecInvalid, match=r"scenes\[1\]\.sku: 'ZZ9' is not in the catalog"
    ) as caught:
        _resolve(tmp_path, [{"sku": "A12"}, {"sku": "ZZ9"}])
    assert "A12, B3, SP01" in caught.value.hint


def test_missing_catalog_is_a_spec_error(tmp_path: Path) -> None:
    data = {"catalog": "nope.yaml", "scenes": [{"sku": "A12"}]}
    with pytest.raises(SpecInvalid, match="catalog: .*nope.yaml"):
        resolve_scenes(spec_from_data(data, base_dir=tmp_path))
