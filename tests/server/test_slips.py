"""Packing slips: HTML per paper size, and PDFs printed by the real Chromium, read back."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from after_live_helpers import move, place
from live_helpers import HOST, LiveServer
from pypdf import PdfReader

from livestall.cli.app import main
from server.slips import SlipItem, SlipOrder, html_to_pdf, render_slips
from server.slips.pdf import find_chromium
from studio.errors import SystemDependencyMissing
from studio.paths import fonts_dir

MM_PER_PT = 25.4 / 72


def _chromium_or_skip() -> None:
    try:
        find_chromium()
    except SystemDependencyMissing:
        pytest.skip("no Chromium on this machine (scripts/system-deps.sh installs it)")


def _text(reader: PdfReader, page: int) -> str:
    raw = unicodedata.normalize("NFC", reader.pages[page].extract_text())
    return " ".join(raw.split())


def _slip(code: str, buyer: str, *, cod: int) -> SlipOrder:
    return SlipOrder(
        code=code,
        buyer=buyer,
        phone="0901234567",
        address="12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
        items=(SlipItem("Cốc sứ cà phê", "M / trắng", 2),),
        total=Decimal(258000),
        cod_amount=Decimal(cod),
        currency="VND",
    )


def test_html_has_one_slip_per_order_and_the_paper_size() -> None:
    orders = [_slip("LS-0001", "Lan", cod=0), _slip("LS-0002", "<b>Minh</b>", cod=258000)]
    a6 = render_slips(orders, paper="a6")
    assert a6.count('<section class="slip">') == 2
    assert "size: 105mm 148mm" in a6
    assert "size: 148mm 210mm" in render_slips(orders, paper="a5")
    assert "&lt;b&gt;Minh&lt;/b&gt;" in a6  # buyer text is text, never markup
    assert "258.000" in a6 and "<svg" in a6
    with pytest.raises(ValueError):
        render_slips(orders, paper="letter")  # type: ignore[arg-type]


def test_pdf_has_a_page_per_order_with_the_vietnamese_name_intact() -> None:
    _chromium_or_skip()
    names = ("Nguyễn Thị Hồng Nhung", "Trần Đức Thắng", "Phạm Ngọc Ánh")
    orders = [_slip(f"LS-000{i}", name, cod=258000 * (i % 2)) for i, name in enumerate(names)]
    fonts = [(fonts_dir() / "NotoSans-Regular.ttf").as_uri()]

    reader = PdfReader(io.BytesIO(html_to_pdf(render_slips(orders, paper="a6", font_urls=fonts))))

    assert len(reader.pages) == 3
    width_mm = float(reader.pages[0].mediabox.width) * MM_PER_PT
    height_mm = float(reader.pages[0].mediabox.height) * MM_PER_PT
    assert (round(width_mm), round(height_mm)) == (105, 148)
    for page, name in enumerate(names):
        text = _text(reader, page)
        assert name in text
        assert f"LS-000{page}".replace("-", "") in text.replace(" ", "").replace("-", "")
    assert "258.000" in _text(reader, 1)


def test_slips_pdf_route_prints_ready_orders_only(live_server: LiveServer) -> None:
    _chromium_or_skip()
    ready = place(live_server, "c1", "chốt B3", user="u1", name="lan_99")
    place(live_server, "c2", "chốt SP01", user="u2", name="minh")  # still accepted: no slip
    assert move(live_server, ready, "cod").status_code == 200
    buyer = {"buyer_name": "Lê Thị Thu Hà", "phone": "0912345678", "address": "5 Hàng Bài, Hà Nội"}
    saved = httpx.put(f"{live_server.url}/api/orders/{ready}/buyer", json=buyer, headers=HOST)
    assert saved.status_code == 200

    pdf = httpx.get(
        f"{live_server.url}/api/slips.pdf", params={"paper": "a5"}, headers=HOST, timeout=60
    )

    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = _text(reader, 0)
    assert "Lê Thị Thu Hà" in text and "0912345678" in text and "250.000" in text
    html = httpx.get(f"{live_server.url}/api/slips.html", headers=HOST).text
    assert html.count('<section class="slip">') == 1


def test_cli_prints_slips_from_the_database(live_server: LiveServer, tmp_path: Path) -> None:
    _chromium_or_skip()
    for n, name in enumerate(("Đỗ Minh Châu", "Vũ Thị Yến")):
        order_id = place(live_server, f"c{n}", "chốt SP01", user=f"u{n}", name=name)
        assert move(live_server, order_id, "paid").status_code == 200
    out = tmp_path / "out" / "slips.pdf"

    code = main(["live", "slips", "--db", f"sqlite:///{live_server.db_path}", "--out", str(out)])

    assert code == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert "Vũ Thị Yến" in _text(reader, 1)
    assert main(["live", "slips", "--out", str(out), "--paper", "b5"]) == 2


def test_overlong_address_keeps_one_page_per_order_and_the_cod_amount() -> None:
    _chromium_or_skip()
    long_address = "Số 12 ngõ 34 đường Lê Lợi, phường Bến Nghé, " * 12
    orders = [_slip(f"LS-010{i}", "Lý Thị Hoa", cod=258000) for i in range(2)]
    orders = [replace(o, address=long_address) for o in orders]

    reader = PdfReader(io.BytesIO(html_to_pdf(render_slips(orders, paper="a6"))))

    assert len(reader.pages) == 2
    assert all("258.000" in _text(reader, page) for page in range(2))
