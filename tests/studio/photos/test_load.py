from __future__ import annotations

from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image, ImageCms

from studio.errors import PhotoTooLarge, PhotoTooSmall, PhotoUnreadable
from studio.photos.load import load_photo

from .badfiles import bad_inputs, huge_png


def _exif_rotated(src: Path, dst: Path, orientation: int) -> None:
    """Save ``src`` with its pixels turned so that EXIF ``orientation`` turns them back."""
    image = Image.open(src).convert("RGB")
    stored = image.transpose(Image.Transpose.ROTATE_90)  # orientation 6 = rotate 90 CW to view
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(dst, "JPEG", quality=95, exif=exif.tobytes())


def test_exif_orientation_is_applied(tmp_path: Path, cup_path: Path, cup_rgb: np.ndarray) -> None:
    rotated = tmp_path / "rotated.jpg"
    _exif_rotated(cup_path, rotated, orientation=6)
    photo = load_photo(rotated)
    assert photo.size == (600, 400)  # shown upright, as the phone's gallery shows it
    difference = np.abs(photo.rgb.astype(int) - cup_rgb.astype(int)).mean()
    assert difference < 6  # only JPEG re-encoding noise


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 65535, 64, dtype=np.uint16), (32, 1))
    path = tmp_path / "deep.png"
    Image.fromarray(ramp).save(path)
    photo = load_photo(path)
    assert photo.rgb.dtype == np.uint8
    assert photo.rgb[0, 0, 0] == 0 and photo.rgb[0, -1, 0] == 255
    assert 100 < photo.rgb[0, 32, 0] < 160


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (64, 48), (0, 255, 255, 0)).save(path)  # pure red ink
    photo = load_photo(path)
    red, green, blue = photo.rgb[24, 32].astype(int)
    assert red > 200 and green < 60 and blue < 60


def test_transparent_png_is_flattened_on_white(tmp_path: Path) -> None:
    path = tmp_path / "cutout.png"
    pixels = np.zeros((40, 40, 4), dtype=np.uint8)
    pixels[10:30, 10:30] = (0, 0, 255, 255)
    Image.fromarray(pixels).save(path)
    photo = load_photo(path)
    assert tuple(photo.rgb[0, 0]) == (255, 255, 255)
    assert tuple(photo.rgb[20, 20]) == (0, 0, 255)


def test_colour_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    lab_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    path = tmp_path / "tagged.jpg"
    Image.new("RGB", (32, 32), (30, 120, 200)).save(
        path, quality=100, icc_profile=lab_profile.tobytes()
    )
    photo = load_photo(path)
    assert np.abs(photo.rgb[16, 16].astype(int) - (30, 120, 200)).max() <= 3


def test_heic_photo_loads(tmp_path: Path, cup_path: Path) -> None:
    path = tmp_path / "phone.heic"
    try:
        pillow_heif.from_pillow(Image.open(cup_path).convert("RGB")).save(path, quality=90)
    except (OSError, ValueError, RuntimeError) as exc:
        pytest.skip(f"this libheif build cannot encode HEIC ({exc})")
    photo = load_photo(path)
    assert photo.size == (600, 400)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("empty", PhotoUnreadable),
        ("truncated", PhotoUnreadable),
        ("corrupt", PhotoUnreadable),
        ("not-an-image", PhotoUnreadable),
        ("tiny", PhotoTooSmall),
        ("huge", PhotoTooLarge),
    ],
)
def test_bad_file_raises_a_seller_error(
    tmp_path: Path, cup_path: Path, kind: str, error: type[Exception]
) -> None:
    path = bad_inputs(tmp_path, cup_path)[kind]
    with pytest.raises(error) as caught:
        load_photo(path)
    assert path.name in str(caught.value)


def test_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    path = huge_png(tmp_path / "bomb.png")
    assert path.stat().st_size < 200
    with pytest.raises(PhotoTooLarge, match="20000x20000|decompression"):
        load_photo(path)
    with pytest.raises(PhotoTooLarge):
        load_photo(
            huge_png(tmp_path / "big.png", side_px=9500)
        )  # 90 MP, under Pillow's own bomb limit


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(PhotoUnreadable, match="cannot read"):
        load_photo(tmp_path / "gone.jpg")
