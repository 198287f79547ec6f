"""Order comments: read a viewer's comment as an order, a cancel, a question or nothing."""

from server.orders.parse import (
    CatalogView,
    OrderLine,
    ParseResult,
    ProductView,
    mask_contacts,
    parse_comment,
)

__all__ = [
    "CatalogView",
    "OrderLine",
    "ParseResult",
    "ProductView",
    "mask_contacts",
    "parse_comment",
]
