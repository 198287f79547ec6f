"""A ticket drawn for the printer: a 1-bit picture as wide as the paper's dots, with our own
shaped text (`overlays.text`: raqm, the bundled Noto fonts), so Vietnamese diacritics and Arabic
(right to left, joined) print as on screen, which no printer code page can do; and the ESC/POS
bytes of it (python-escpos: init, raster image, cut), or of the text-only ticket.
"""

from __future__ import annotations

import io

import segno
from escpos.printer import Dummy
from PIL import Image

from overlays.layers import Layer
from overlays.text import Align, TextStyle, render_text
from server.tickets.layout import PAPER_DOTS, Ticket, text_lines

BLACK = (0, 0, 0, 255)
MARGIN = 8
GAP = 6
TEXT_CHARS = {58: 32, 80: 48}  # font A columns


def _text(
    text: str,
    size: int,
    lang: str,
    width: int,
    *,
    bold: bool = False,
    lines: int = 2,
    align: Align = "start",
) -> Layer:
    style = TextStyle(size_px=size, color=BLACK, weight="bold" if bold else "regular")
    return render_text(
        text, style, language=lang, max_width_px=max(16, width), max_lines=lines, align=align
    ).layer


class _Sheet:
    """Layers placed top to bottom on a white page ``width`` dots wide."""

    def __init__(self, width: int, *, rtl: bool) -> None:
        self.width = width
        self.rtl = rtl
        self.page = Image.new("L", (width, 4000), 255)
        self.y = MARGIN

    def _paste(self, layer: Layer, x: int) -> None:
        image = layer.to_image()
        self._grow(self.y + image.height)
        black = Image.new("L", image.size, 0)
        self.page.paste(black, (x, self.y), image.getchannel("A"))

    def _grow(self, bottom: int) -> None:
        if bottom + MARGIN > self.page.height:
            bigger = Image.new("L", (self.width, bottom + 2000), 255)
            bigger.paste(self.page, (0, 0))
            self.page = bigger

    def center(self, layer: Layer) -> None:
        self._paste(layer, max(0, (self.width - layer.width) // 2))
        self.y += layer.height + GAP

    def start(self, layer: Layer) -> None:
        """At the reading start: the left, the right on an Arabic ticket."""
        x = self.width - MARGIN - layer.width if self.rtl else MARGIN
        self._paste(layer, max(0, x))
        self.y += layer.height + GAP

    def pair(self, first: Layer, amount: Layer) -> None:
        """A name at the reading start and its amount at the other end, on one row."""
        left, right = (amount, first) if self.rtl else (first, amount)
        height = max(left.height, right.height)
        top = self.y
        self._paste(left, MARGIN)
        self.y = top
        self._paste(right, max(0, self.width - MARGIN - right.width))
        self.y = top + height + GAP

    def rule(self, thick: int = 2) -> None:
        self._grow(self.y + thick)
        self.page.paste(0, (MARGIN, self.y, self.width - MARGIN, self.y + thick))
        self.y += thick + GAP

    def picture(self, image: Image.Image) -> None:
        self._grow(self.y + image.height)
        self.page.paste(image.convert("L"), ((self.width - image.width) // 2, self.y))
        self.y += image.height + GAP

    def done(self) -> Image.Image:
        cropped = self.page.crop((0, 0, self.width, self.y + MARGIN))
        return cropped.point(lambda v: 255 if v >= 128 else 0).convert("1")


def ticket_image(ticket: Ticket, paper: int) -> Image.Image:
    """The ticket as a 1-bit image exactly the paper's printable width (384 or 576 dots)."""
    width = PAPER_DOTS[paper]
    inner = width - 2 * MARGIN
    scale = width / 576
    lang = ticket.lang
    sheet = _Sheet(width, rtl=lang == "ar")

    def px(size: int) -> int:
        return max(14, round(size * scale))

    if ticket.note:
        sheet.center(_text(ticket.note, px(30), lang, inner, bold=True, align="center"))
    sheet.center(_text(ticket.code, px(84), "en", inner, bold=True, lines=1, align="center"))
    sheet.start(_text(f"{ticket.labels['buyer']}: {ticket.buyer}", px(34), lang, inner, bold=True))
    sheet.start(_text(ticket.when, px(26), "en", inner, lines=1))
    sheet.rule()
    for line in ticket.lines:
        amount = _text(line.amount, px(30), "en", inner // 2, lines=1)
        name = f"{line.qty} × {line.name}"
        if line.is_waiting:
            name += f" ({ticket.labels['waiting']})"
        room = inner - amount.width - 2 * GAP
        sheet.pair(_text(name, px(30), lang, room, lines=3), amount)
    sheet.rule()
    total = _text(ticket.total, px(44), "en", inner * 2 // 3, bold=True, lines=1)
    label = _text(ticket.labels["total"], px(40), lang, inner - total.width - 2 * GAP, bold=True)
    sheet.pair(label, total)
    sheet.rule()
    qr = segno.make(ticket.qr_url, error="m")
    side = int(inner * 0.5)
    modules = qr.symbol_size(scale=1, border=2)[0]
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=max(1, side // modules), border=2)
    sheet.picture(Image.open(io.BytesIO(buffer.getvalue())))
    sheet.center(_text(ticket.labels["scan"], px(24), lang, inner, align="center"))
    return sheet.done()


def raster_bytes(image: Image.Image) -> bytes:
    """ESC/POS for one ticket picture: init (``ESC @``), the raster (``GS v 0``), feed and cut."""
    printer = _printer(image.width)
    printer.hw("INIT")
    printer.image(image, impl="bitImageRaster", center=False)
    printer.cut()
    return bytes(printer.output)


def text_bytes(ticket: Ticket, paper: int) -> bytes:
    """ESC/POS for the text-only ticket (ASCII, no diacritics): init, the lines, cut."""
    printer = _printer(PAPER_DOTS[paper])
    printer.hw("INIT")
    lines = text_lines(ticket, TEXT_CHARS[paper])
    printer.set(align="center", bold=True, double_height=True, double_width=True)
    printer.textln(lines[0] if not ticket.note else lines[1])
    printer.set(align="left", bold=False, normal_textsize=True)
    for line in lines[1:] if not ticket.note else [lines[0], *lines[2:]]:
        printer.textln(line)
    printer.qr(ticket.qr_url, size=6, center=True)
    printer.cut()
    return bytes(printer.output)


def _printer(width_dots: int) -> Dummy:
    """A python-escpos printer that collects bytes, told the paper's width."""
    printer = Dummy()
    printer.profile.profile_data["media"]["width"]["pixels"] = width_dots
    return printer


def decode_raster(data: bytes) -> list[Image.Image]:
    """The ``GS v 0`` raster images in ESC/POS bytes, as 1-bit images (tests, the console)."""
    images = []
    start = 0
    while (at := data.find(b"\x1dv0", start)) >= 0:
        width_bytes = data[at + 4] | data[at + 5] << 8
        height = data[at + 6] | data[at + 7] << 8
        size = width_bytes * height
        body = data[at + 8 : at + 8 + size]
        # ESC/POS sets a bit for ink; Pillow's "1" mode sets it for white
        images.append(Image.frombytes("1", (width_bytes * 8, height), bytes(255 - b for b in body)))
        start = at + 8 + size
    return images
