"""Carrier export: unshipped orders in a carrier's bulk-import columns, or as plain CSV."""

from server.carriers.export import CARRIERS, Carrier, Shipment, export_csv, get_carrier

__all__ = ["CARRIERS", "Carrier", "Shipment", "export_csv", "get_carrier"]
