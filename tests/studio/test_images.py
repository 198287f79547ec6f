"""Decompression bombs and oversized images are `photo.too_large` wherever a photo is opened.

The bombs are real PNG files: a valid header declaring a huge size and almost no data, as an
attacker sends them (a 40000 x 40000 px PNG is 60 bytes here and 4.8 GB once decoded).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from image_bombs import png_claiming

from livestall.cli.app import main
from overlays.layers import load_logo
from studio.clips.render import read_photo
from studio.errors import PhotoTooLarge
from studio.images import open_image
from studio.paths import sample_photos_dir
from studio.photos.load import load_photo

CUP = sample_photos_dir() / "coffee-cup.jpg"


BOMBS = {
    "over-pillow-error": png_claiming(40_000, 40_000),  # 1.6 GP: Pillow's DecompressionBombError
    "over-pillow-warning": png_claiming(10_000, 9_500),  # 95 MP: Pillow only warns
    "over-our-limit": png_claiming(9_000, 9_000),  # 81 MP: Pillow is silent, we are not
}


@pytest.mark.parametrize("kind", BOMBS)
def test_open_image_refuses_before_decoding(kind: str) -> None:
    with pytest.raises(PhotoTooLarge) as caught:
        open_image(BOMBS[kind], name=f"{kind}.png")
    assert caught.value.code == "photo.too_large" and caught.value.http_status == 413
    assert caught.value.exit_code == 2
    assert f"{kind}.png" in caught.value.message and "80 MP" in caught.value.hint


def test_a_normal_photo_opens() -> None:
    with open_image(CUP, name="cup.jpg") as image:
        assert image.size[0] > 100


@pytest.mark.parametrize("kind", BOMBS)
def test_every_reader_of_a_sellers_photo_says_too_large(kind: str, tmp_path: Path) -> None:
    bomb = tmp_path / f"{kind}.png"
    bomb.write_bytes(BOMBS[kind])
    for read in (load_photo, read_photo, lambda path: load_logo(path, height_px=64)):
        with pytest.raises(PhotoTooLarge):
            read(bomb)


def test_clip_cli_exits_2_on_a_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(BOMBS["over-pillow-warning"])
    args = ["clip", "quick", str(bomb), "--title", "Cốc sứ", "--price", "129000"]
    assert main([*args, "--out", str(tmp_path / "clip.mp4")]) == 2
    err = capsys.readouterr().err
    assert "photo.too_large" in err and "bomb.png" in err
