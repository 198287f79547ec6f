"""Draw a payment payload as a QR code image (PNG), optionally with a caption under it.

The QR itself comes from ``segno`` (error correction M, the level banks print on their own
VietQR stickers; a 4-module quiet zone as ISO/IEC 18004 asks). The caption (bank, account,
holder, amount) is drawn with the bundled Noto Sans so Vietnamese names keep their diacritics;
it sits below the quiet zone and never touches the code, so scanners read the image as is.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from studio.errors import OutputError
from studio.paths import fonts_dir

QUIET_ZONE_MODULES = 4
CAPTION_FONT = "NotoSans-Regular.ttf"


def qr_image(payload: str, *, scale_px: int = 8, caption: tuple[str, ...] = ()) -> Image.Image:
    """Return the QR code of ``payload`` as a grayscale image, with caption lines under it.

    Args:
        payload: the text to encode (a VietQR payload).
        scale_px: pixels per QR module.
        caption: lines of text drawn centred under the code (may be empty).
    """
    code = segno.make(payload, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale_px, border=QUIET_ZONE_MODULES)
    buffer.seek(0)
    with Image.open(buffer) as drawn:
        image: Image.Image = drawn.convert("L")
    if not caption:
        return image
    return _with_caption(image, caption, size_px=max(12, scale_px * 2))


def _with_caption(image: Image.Image, lines: tuple[str, ...], *, size_px: int) -> Image.Image:
    font = ImageFont.truetype(str(fonts_dir() / CAPTION_FONT), size_px)
    line_px = int(size_px * 1.4)
    widths = [int(font.getlength(line)) for line in lines]
    width = max([image.width, *[w + 2 * size_px for w in widths]])
    height = image.height + line_px * len(lines) + size_px
    canvas = Image.new("L", (width, height), 255)
    canvas.paste(image, ((width - image.width) // 2, 0))
    draw = ImageDraw.Draw(canvas)
    for index, (line, line_width) in enumerate(zip(lines, widths, strict=True)):
        top = image.height + index * line_px
        draw.text(((width - line_width) // 2, top), line, fill=0, font=font)
    return canvas


def qr_png(payload: str, *, scale_px: int = 8, caption: tuple[str, ...] = ()) -> bytes:
    """Return the PNG bytes of ``qr_image`` (for an HTTP response or a file)."""
    buffer = io.BytesIO()
    qr_image(payload, scale_px=scale_px, caption=caption).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_qr_png(
    payload: str, path: Path, *, scale_px: int = 8, caption: tuple[str, ...] = ()
) -> Path:
    """Write the QR PNG to ``path`` and return it.

    Raises:
        OutputError: when the file cannot be written.
    """
    data = qr_png(payload, scale_px=scale_px, caption=caption)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write the QR image ({exc.strerror})",
            hint="check that the folder exists and is writable",
        ) from exc
    return path
