"""Constants shared by the browser tests and their fixtures (a unique module name: every
folder's conftest is called `conftest`)."""

from __future__ import annotations

HOST_TOKEN = "browser-host-token"
INGEST_TOKEN = "browser-ingest-token"
CATALOG_YAML = """\
products:
  - {sku: A12, name: "Cốc sứ cà phê Quảng Ninh", price: 159000, sale_price: 129000, currency: VND,
     stock: 6, photos: [photo.jpg]}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 500}
"""
