"""HTTP API of the live server: one router per resource."""

from server.api import comments, countdown, moderation, orders, products, session, viewers

ROUTERS = (
    comments.router,
    products.router,
    orders.router,
    viewers.router,
    countdown.router,
    moderation.router,
    session.router,
)

__all__ = ["ROUTERS"]
