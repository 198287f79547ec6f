"""`BodyGuard`: what every HTTP request passes before the app reads its body.

Three rules, in order, all decided at the ASGI edge so no route can forget them:

1. **Who is asking.** A body sent to ``/api/`` needs the host or ingest token
   (``Authorization: Bearer``); without one the answer is 401 before a byte of the body is read.
   FastAPI reads and parses a JSON body *before* it runs a route's dependencies, so the routes'
   own token checks come too late to protect the server from a stranger's megabytes. The routes
   still check which of the two tokens they need. The SePay webhook (`PUBLIC_BODY_PATHS`) checks
   its own key before it reads.
2. **How much.** Every body has a budget (`Settings.max_body_bytes`). A body declared larger
   (``Content-Length``) is refused with 413 ``request.too_large`` the moment the app asks for it;
   a chunked body is counted as it streams and refused as soon as it passes the budget. A route
   that takes larger bodies (uploads, bank statements) raises its own budget with `allow_body`
   before it reads.
3. **What text.** A JSON body whose text cannot be stored (NUL, a lone surrogate, not UTF-8) is
   refused with 422 ``input.text`` (`server.request_text`) before the app decodes it; so is a
   query string with NUL (``%00``), which PostgreSQL refuses as a query parameter.

A refusal is answered with the app's own `LivestallError` handler (same JSON, same language as
every other error) and ``Connection: close``; whatever the app answers after that is dropped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.request_text import check_json_body
from server.tokens import Tokens, is_server_bearer
from studio.errors import AuthError, LivestallError, RequestTooLarge, TextUnstorable

SCOPE_KEY = "livestall.body_budget"
API_PREFIX = "/api/"
# Routes under /api that take a body from someone without a server token; each checks its own
# credential before it reads the body.
PUBLIC_BODY_PATHS = ("/api/payments/sepay",)
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]


@dataclass
class BodyBudget:
    """How many body bytes one request may send, and how many it has sent."""

    max_bytes: int
    declared_bytes: int | None
    is_json: bool
    read_bytes: int = 0
    chunks: list[bytes] = field(default_factory=list)
    is_refused: bool = False


def allow_body(request: Request, max_bytes: int) -> None:
    """Let this request's body be up to `max_bytes` (uploads); call it before reading the body.

    Args:
        request: the request about to be read.
        max_bytes: the route's own limit, which replaces the server-wide one.
    """
    budget = request.scope.get(SCOPE_KEY)
    if isinstance(budget, BodyBudget):
        budget.max_bytes = max_bytes


class BodyGuard:
    """ASGI middleware applying the three rules of this module to every HTTP request.

    Args:
        app: the app to guard.
        max_bytes: the body budget of a request whose route does not raise it.
        tokens: the server's tokens (a body to ``/api/`` must carry one).
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, tokens: Tokens) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = _declared_length(headers)
        has_body = (declared or 0) > 0 or "transfer-encoding" in headers
        path: str = scope["path"]
        if (
            has_body
            and path.startswith(API_PREFIX)
            and path not in PUBLIC_BODY_PATHS
            and not is_server_bearer(headers.get("authorization"), self.tokens)
        ):
            error = AuthError(
                "a request with a body needs the host or ingest token",
                hint="send 'Authorization: Bearer <token>'; the tokens are in tokens.json "
                "in the data folder",
            )
            await _refuse(scope, receive, send, error)
            return
        query: bytes = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            await _refuse(scope, receive, send, _nul_in_query())
            return
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        budget = BodyBudget(
            self.max_bytes,
            declared,
            is_json=content_type == "application/json" or content_type.endswith("+json"),
        )
        scope[SCOPE_KEY] = budget
        await _Guarded(self.app, scope, receive, send, budget).run()


class _Guarded:
    """One request under its budget: the receive and send the app gets."""

    def __init__(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, budget: BodyBudget
    ) -> None:
        self.app, self.scope, self.inner_receive, self.inner_send = app, scope, receive, send
        self.budget = budget
        self.is_response_started = False

    async def run(self) -> None:
        try:
            await self.app(self.scope, self.receive, self.send)
        except LivestallError:
            if not self.budget.is_refused:
                raise

    async def receive(self) -> Message:
        budget = self.budget
        if budget.declared_bytes is not None and budget.declared_bytes > budget.max_bytes:
            await self.refuse(_too_large(budget.max_bytes))
        message = await self.inner_receive()
        if message["type"] != "http.request":
            return message
        chunk: bytes = message.get("body", b"")
        budget.read_bytes += len(chunk)
        if budget.read_bytes > budget.max_bytes:
            await self.refuse(_too_large(budget.max_bytes))
        if budget.is_json:
            budget.chunks.append(chunk)
            if not message.get("more_body", False):
                body, budget.chunks = b"".join(budget.chunks), []
                try:
                    check_json_body(body)
                except LivestallError as exc:
                    await self.refuse(exc)
        return message

    async def send(self, message: Message) -> None:
        if self.budget.is_refused:
            return  # the refusal was answered; the app's own answer to it is dropped
        if message["type"] == "http.response.start":
            self.is_response_started = True
        await self.inner_send(message)

    async def refuse(self, error: LivestallError) -> None:
        """Answer `error` now (unless the app already answered) and stop the app's reading."""
        if not self.is_response_started and not self.budget.is_refused:
            await _refuse(self.scope, self.inner_receive, self.inner_send, error)
            self.budget.is_refused = True
        raise error


async def _refuse(scope: Scope, receive: Receive, send: Send, error: LivestallError) -> None:
    request = Request(scope, receive)
    handler = scope["app"].exception_handlers.get(LivestallError) if "app" in scope else None
    response: Response = (
        await handler(request, error)
        if handler is not None
        else JSONResponse(error.to_dict(), status_code=error.http_status)
    )
    # The body is left unread: the connection cannot carry another request.
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _too_large(max_bytes: int) -> RequestTooLarge:
    return RequestTooLarge(
        f"the request is larger than {max_bytes // 1024} KB",
        hint="send less at a time (bridges split their batches by themselves)",
        params={"limit_kb": max_bytes // 1024},
    )


def _nul_in_query() -> TextUnstorable:
    return TextUnstorable(
        "the address (after '?') holds a NUL character (%00), which cannot be stored",
        hint="remove %00 from the link",
        params={"field": "query"},
    )


def _declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length", "")
    return int(value) if value.isdigit() else None
