"""QR images decode back to the payload (server/payments/qr_image.py), read with OpenCV."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from server.payments.qr_image import qr_image, qr_png, write_qr_png
from server.payments.vietqr import Payee, vietqr_payload
from studio.errors import OutputError


def _decode(png: bytes) -> str:
    pixels = cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    assert pixels is not None, "not a PNG OpenCV can read"
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(pixels)
    assert points is not None, "OpenCV found no QR code in the image"
    return str(text)


PAYLOADS = [
    vietqr_payload(Payee("970436", "1012345678"), amount=185000, purpose="LS-0042"),
    vietqr_payload(Payee("970403", "9704031101234567", service="card")),
    vietqr_payload(Payee("970422", "0987654321012"), amount=12_500_000, purpose="Don LS-0199 ao"),
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_png_decodes_back_to_the_payload(payload: str) -> None:
    assert _decode(qr_png(payload)) == payload


def test_caption_sits_under_the_code_and_the_code_still_decodes() -> None:
    payload = PAYLOADS[0]
    plain = qr_image(payload)
    captioned = qr_image(
        payload, caption=("Vietcombank · 1012345678", "NGUYỄN THỊ HẠNH", "185.000 ₫")
    )
    assert captioned.height > plain.height
    # The code area is pixel-identical: the caption never touches the quiet zone.
    left = (captioned.width - plain.width) // 2
    crop = captioned.crop((left, 0, left + plain.width, plain.height))
    assert np.array_equal(np.asarray(crop), np.asarray(plain))
    assert np.asarray(captioned)[plain.height :].min() == 0  # some text was drawn
    buffer = io.BytesIO()
    captioned.save(buffer, format="PNG")
    assert _decode(buffer.getvalue()) == payload


def test_write_qr_png_writes_a_png_file(tmp_path: Path) -> None:
    out = write_qr_png(PAYLOADS[1], tmp_path / "qr.png", scale_px=6)
    with Image.open(out) as image:
        assert image.format == "PNG"
    assert _decode(out.read_bytes()) == PAYLOADS[1]


def test_write_to_a_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_qr_png(PAYLOADS[0], tmp_path / "missing" / "qr.png")


def test_survives_a_chat_app_resend_rotated_shrunk_and_jpeg_compressed() -> None:
    # A buyer receives the QR through a chat app (recompressed) and scans it at an angle.
    payload = PAYLOADS[0]
    image = qr_image(payload, caption=("Vietcombank · 1012345678",))
    image = image.rotate(10, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    image = image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=60)
    assert _decode(buffer.getvalue()) == payload
