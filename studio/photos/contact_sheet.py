"""A before/after grid of a batch, to check forty photos at a glance."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studio.paths import fonts_dir

CELL_PX = 220
LABEL_PX = 22
PAIRS_PER_ROW = 3
GAP_PX = 8
SHEET_BG = (238, 238, 238)
FAILED_BG = (250, 225, 225)


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One input on the sheet: its label, the photo before and after (``None`` if failed)."""

    label: str
    before: np.ndarray | None
    after: np.ndarray | None
    note: str = ""


def thumbnail(pixels: np.ndarray, *, size_px: int = CELL_PX) -> np.ndarray:
    """Shrink an RGB or RGBA array to fit ``size_px`` (RGBA is flattened on a checkerboard)."""
    image = Image.fromarray(pixels)
    image.thumbnail((size_px, size_px), Image.Resampling.BILINEAR)
    if image.mode == "RGBA":
        board = _checkerboard(image.size)
        board.alpha_composite(image)
        image = board
    return np.asarray(image.convert("RGB"))


def render_sheet(entries: list[SheetEntry]) -> bytes:
    """Return the contact sheet as JPEG bytes (pairs of cells: before | after, with a label)."""
    columns = max(1, min(PAIRS_PER_ROW, len(entries)))
    rows = max(1, -(-len(entries) // columns))
    pair_w = 2 * CELL_PX + GAP_PX
    width = columns * pair_w + (columns + 1) * GAP_PX * 2
    row_h = CELL_PX + LABEL_PX + GAP_PX * 2
    sheet = Image.new("RGB", (width, rows * row_h + GAP_PX), SHEET_BG)
    draw = ImageDraw.Draw(sheet)
    font = _font()
    for index, entry in enumerate(entries):
        x0 = GAP_PX * 2 + (index % columns) * (pair_w + GAP_PX * 2)
        y0 = GAP_PX + (index // columns) * row_h
        for column, pixels in enumerate((entry.before, entry.after)):
            cell_x = x0 + column * (CELL_PX + GAP_PX)
            if pixels is None:
                draw.rectangle((cell_x, y0, cell_x + CELL_PX, y0 + CELL_PX), fill=FAILED_BG)
                continue
            cell = Image.fromarray(pixels)
            sheet.paste(
                cell, (cell_x + (CELL_PX - cell.width) // 2, y0 + (CELL_PX - cell.height) // 2)
            )
        label = entry.label if not entry.note else f"{entry.label} — {entry.note}"
        draw.text((x0, y0 + CELL_PX + 3), _fit(label, 60), fill=(30, 30, 30), font=font)
    buffer = io.BytesIO()
    sheet.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = fonts_dir() / "NotoSans-Regular.ttf"
    if path.is_file():
        return ImageFont.truetype(str(path), 13)
    return ImageFont.load_default()


def _checkerboard(size: tuple[int, int], *, square_px: int = 10) -> Image.Image:
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width]
    light = ((xs // square_px + ys // square_px) % 2 == 0)[..., None]
    pixels = np.where(light, 255, 215).astype(np.uint8).repeat(3, axis=2)
    return Image.fromarray(pixels).convert("RGBA")
