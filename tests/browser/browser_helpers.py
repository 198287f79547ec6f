"""Constants shared by the browser tests and their fixtures (a unique module name: every
folder's conftest is called `conftest`)."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HOST_TOKEN = "browser-host-token"
INGEST_TOKEN = "browser-ingest-token"
CATALOG_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê Quảng Ninh", price: 159000, sale_price: 129000, currency: VND,
     stock: 6, photos: [photo.jpg]}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 500}
"""
