from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import py_sod_metrics
import pytest
from PIL import Image
from rembg import remove

from studio.errors import ModelMissing, UnknownEngine
from studio.models import get_model
from studio.models.registry import DEFAULT_MODEL
from studio.models.rembg_reference import open_rembg_session
from studio.photos.engines.classic import ClassicEngine
from studio.photos.engines.isnet import IsNetEngine
from studio.photos.load import Photo
from studio.photos.matte import compute_matte, decontaminate, open_engine, refine_edges

from .conftest import shared_masks_dir

PRODUCT_PAIRS = ("grabcut/book", "grabcut/bool", "grabcut/ceramic", "grabcut/scissors")


def _cup_mask_is_sensible(mask: np.ndarray) -> None:
    height, width = mask.shape
    assert mask[int(height * 0.35), int(width * 0.45)] > 200  # the cup's red body
    assert mask[int(height * 0.9), int(width * 0.5)] > 200  # the saucer in front
    for y, x in ((5, 5), (5, width - 6), (height - 6, 5), (height - 6, width - 6)):
        assert mask[y, x] < 30  # the wooden table in the corners


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"network connection attempted: {args!r}")


@pytest.mark.model
def test_rembg_runs_the_provisioned_model_without_network(
    monkeypatch: pytest.MonkeyPatch, cup_path: Path
) -> None:
    monkeypatch.setattr(socket.socket, "connect", _refuse_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse_network)
    monkeypatch.setattr(socket, "create_connection", _refuse_network)
    session = open_rembg_session(get_model(DEFAULT_MODEL), threads=1)
    mask = remove(Image.open(cup_path), session=session, only_mask=True)
    _cup_mask_is_sensible(np.asarray(mask))


@pytest.mark.model
def test_isnet_matte_is_aligned_and_finds_the_cup(engine: IsNetEngine, cup_rgb: np.ndarray) -> None:
    matte = compute_matte(Photo(Path("cup.jpg"), cup_rgb, 0.0), engine)
    assert matte.alpha.shape == cup_rgb.shape[:2]
    assert matte.engine == "isnet" and not matte.is_empty
    _cup_mask_is_sensible(matte.alpha)


@pytest.mark.model
def test_blank_photo_gives_an_empty_matte(engine: IsNetEngine) -> None:
    blank = np.full((240, 320, 3), 236, dtype=np.uint8)
    assert compute_matte(Photo(Path("blank.png"), blank, 0.0), engine).is_empty


@pytest.mark.model
@pytest.mark.slow
def test_our_matte_is_at_least_as_good_as_rembg(engine: IsNetEngine) -> None:
    masks = shared_masks_dir()
    if not masks.is_dir():
        pytest.skip(f"evaluation masks not found at {masks} (../shared/data/masks)")
    ours, theirs = py_sod_metrics.MAE(), py_sod_metrics.MAE()
    rembg_session = open_rembg_session(get_model(DEFAULT_MODEL))
    for pair in PRODUCT_PAIRS:
        source, stem = pair.split("/")
        image_path = next((masks / source / "images").glob(f"{stem}.*"))
        truth = np.asarray(Image.open(masks / source / "masks" / f"{stem}.png"))
        image = Image.open(image_path).convert("RGB")
        rgb = np.asarray(image)
        ours.step(compute_matte(Photo(image_path, rgb, 0.0), engine).alpha, truth)
        theirs.step(np.asarray(rembg_session.predict(image)[0]), truth)
    ours_mae, theirs_mae = ours.get_results()["mae"], theirs.get_results()["mae"]
    assert ours_mae <= theirs_mae + 0.001, (ours_mae, theirs_mae)


def test_classic_engine_separates_a_product_from_a_plain_backdrop() -> None:
    rng = np.random.default_rng(3)
    photo = np.clip(rng.normal(225, 4, (300, 400, 3)), 0, 255).astype(np.uint8)
    ys, xs = np.mgrid[0:300, 0:400]
    truth = (xs - 200) ** 2 / 90**2 + (ys - 160) ** 2 / 110**2 < 1
    photo[truth] = (180, 40, 30)
    matte = compute_matte(Photo(Path("synthetic.png"), photo, 0.0), ClassicEngine())
    found = matte.alpha >= 128
    iou = (found & truth).sum() / (found | truth).sum()
    assert matte.engine == "classic" and iou > 0.9


def test_open_engine_rejects_unknown_names() -> None:
    with pytest.raises(UnknownEngine, match="classic"):
        open_engine("magic", model=DEFAULT_MODEL)


def test_missing_model_falls_back_only_when_allowed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("U2NET_HOME", str(tmp_path))
    with pytest.raises(ModelMissing, match="models pull"):
        open_engine("isnet", model=DEFAULT_MODEL)
    assert open_engine("isnet", model=DEFAULT_MODEL, allow_classic=True).name == "classic"


def test_decontaminate_removes_the_old_background_from_edges() -> None:
    rgb = np.zeros((60, 60, 3), dtype=np.uint8)
    rgb[:] = (20, 200, 20)  # green wall
    rgb[:, :30] = (200, 30, 30)  # red product on the left
    rgb[:, 29:32] = (110, 115, 25)  # the mixed edge
    alpha = np.zeros((60, 60), dtype=np.uint8)
    alpha[:, :29] = 255
    alpha[:, 29:32] = (170, 110, 50)
    cleaned = decontaminate(rgb, alpha)
    assert cleaned[30, 30, 1] < 60  # no green fringe left
    assert (cleaned[:, :28] == rgb[:, :28]).all()  # solid product untouched
    assert (cleaned[:, 40:] == rgb[:, 40:]).all()  # background untouched


def test_refine_edges_only_touches_the_band() -> None:
    rgb = np.zeros((80, 80, 3), dtype=np.uint8)
    rgb[:, 40:] = 255
    alpha = np.zeros((80, 80), dtype=np.uint8)
    alpha[:, 36:] = 255
    alpha[:, 33:36] = 128  # a blurry edge, a few pixels off the photo's edge
    refined = refine_edges(rgb, alpha, radius_px=3)
    assert (refined[:, :20] == 0).all() and (refined[:, 60:] == 255).all()
    assert refined.shape == alpha.shape
