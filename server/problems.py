"""Error answers in the language of the page that asked (docs/errors.md).

Every error the server answers is ``{"code", "message", "hint"}``. The language is the first of:
the ``X-Livestall-Lang`` header (which every Livestall page sends), the ``?lang=`` query, the
``Accept-Language`` header. A request with none of them (a bridge, a script) gets the error's own
English text, as before. The texts are `studio.error_texts`'; this module only reads the request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from studio.error_texts import Lang, Problem, error_text, pick_lang, validation_problem
from studio.errors import LivestallError

LANG_HEADER = "x-livestall-lang"


def request_lang(request: Request) -> Lang:
    """The language a request asked for (header, ``?lang=``, Accept-Language), else en."""
    wanted = (
        request.headers.get(LANG_HEADER),
        request.query_params.get("lang"),
        request.headers.get("accept-language"),
    )
    if not any(wanted):
        return "en"
    return pick_lang(*wanted)


def error_problem(exc: LivestallError, lang: str) -> Problem:
    """`exc` as the seller reads it in `lang`."""
    return error_text(exc.code, lang, message=exc.message, hint=exc.hint, params=exc.params)


def stored_problem(stored: Mapping[str, object], lang: str) -> Problem:
    """An error kept as ``{"code", "message", "hint"}`` (a failed job) in `lang`."""
    return error_text(
        str(stored.get("code", "error")),
        lang,
        message=str(stored.get("message", "")),
        hint=str(stored.get("hint", "")),
    )


def invalid_fields(errors: Sequence[Mapping[str, object]], request: Request) -> JSONResponse:
    """A 422 answer naming each wrong field in the request's language."""
    problem = validation_problem(errors, request_lang(request))
    return JSONResponse(status_code=422, content=dict(problem))


async def livestall_error(request: Request, exc: Exception) -> JSONResponse:
    """The app's handler for `LivestallError`: its HTTP status and the translated problem."""
    assert isinstance(exc, LivestallError)
    # 503 (the database is away, docs/deploy.md): tell clients and balancers when to retry.
    headers = {"Retry-After": "2"} if exc.http_status == 503 else None
    content = dict(error_problem(exc, request_lang(request)))
    return JSONResponse(status_code=exc.http_status, content=content, headers=headers)


async def request_invalid(request: Request, exc: Exception) -> JSONResponse:
    """The app's handler for FastAPI's `RequestValidationError`: 422 ``input.invalid``."""
    assert isinstance(exc, RequestValidationError)
    return invalid_fields(exc.errors(), request)
