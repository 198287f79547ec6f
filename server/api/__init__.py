"""HTTP API of the live server: one router per resource."""

from server.api import (
    buyers,
    carts,
    comments,
    countdown,
    fulfilment,
    lives,
    moderation,
    order_page,
    orders,
    payments,
    products,
    review,
    sellers,
    session,
    viewers,
)

ROUTERS = (
    comments.router,
    products.router,
    orders.router,
    carts.router,
    buyers.router,
    review.router,
    sellers.router,
    lives.router,
    viewers.router,
    countdown.router,
    moderation.router,
    session.router,
    fulfilment.router,
    payments.router,
    payments.webhook_router,
    order_page.router,
)

__all__ = ["ROUTERS"]
