"""What a seller reads when something goes wrong, in Vietnamese, English or Arabic.

The one catalogue of error translations is ``error_texts.json`` beside this module:

- ``errors``: for every stable `code` of `studio.errors` (and the few codes answered without an
  exception class, such as ``studio.interrupted``) a ``message`` and a ``hint`` per language, and
  ``specific`` messages (the first whose every ``{name}`` the error carries is used); a
  ``{problem_text}`` is the error's ``problem`` param in words, ``{column}`` the field's label.
- ``fields``: one short text per validation problem of a single field (pydantic's error types
  such as ``string_too_short``, and our own ``field.*`` types raised with `FieldProblem`).
- ``labels``: the seller's name for each field (``price`` is "Giá bán").

English answers keep the error's own message and hint, which name the file, row or SKU; the other
languages use the catalogue. docs/errors.md says how the pages ask for a language. Pure: the
catalogue is read once; nothing else touches a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Literal, TypedDict

from pydantic_core import PydanticCustomError

Lang = Literal["vi", "en", "ar"]
LANGS: tuple[Lang, ...] = ("vi", "en", "ar")
DEFAULT_LANG: Lang = "vi"
CATALOGUE = Path(__file__).resolve().with_name("error_texts.json")

Params = Mapping[str, object]


class Problem(TypedDict, total=False):
    """An error as the HTTP API answers it: ``code``, ``message``, ``hint`` (+ what it adds)."""

    code: str
    message: str
    hint: str
    detail: str
    fields: dict[str, str]


class ErrorText(TypedDict, total=False):
    message: str
    hint: str
    specific: str | list[str]


class Catalogue(TypedDict):
    errors: dict[str, dict[str, ErrorText]]
    fields: dict[str, dict[str, str]]
    labels: dict[str, dict[str, str]]


@cache
def catalogue() -> Catalogue:
    """The translations of `CATALOGUE`, read once."""
    data: Catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return data


def pick_lang(*wanted: str | None) -> Lang:
    """The first of `wanted` that names vi, en or ar (``vi-VN``, ``ar;q=0.8`` count), else vi.

    Each argument may be an ``Accept-Language`` list; they are tried in the order given.
    """
    for value in wanted:
        for part in (value or "").split(","):
            tag = part.split(";")[0].strip().lower()[:2]
            for lang in LANGS:
                if tag == lang:
                    return lang
    return DEFAULT_LANG


def env_lang(environ: Mapping[str, str]) -> Lang:
    """The command line's language: ``LIVESTALL_LANG``, else the system's (``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``, as gettext reads them: the first set one decides); English when it
    names none of vi, en, ar (``C.UTF-8``)."""
    for name in ("LIVESTALL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip().lower()
        if value:
            tag = value[:2]
            return next((lang for lang in LANGS if lang == tag), "en")
    return "en"


def fill(template: str, params: Params) -> str | None:
    """`template` with its ``{name}`` fields filled from `params`; None when one is missing."""
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    if not names <= params.keys():
        return None
    return template.format_map({name: params[name] for name in names})


def error_text(
    code: str, lang: str, *, message: str = "", hint: str = "", params: Params | None = None
) -> Problem:
    """The seller's text for an error `code` in `lang`.

    Args:
        code: the error's stable code (``catalog.row``).
        lang: vi, en or ar (anything else is vi).
        message, hint: the error's own English text; kept as they are in English and returned
            as ``detail`` in the other languages (for whoever helps the seller).
        params: values the catalogue's ``specific`` message may name (``row``, ``file``).
    """
    chosen = pick_lang(lang)
    if chosen == "en" and message:
        return {"code": code, "message": message, "hint": hint}
    entry = catalogue()["errors"].get(code) or catalogue()["errors"]["error"]
    text = entry[chosen]
    values = _named_values(params or {}, chosen)
    specifics = text.get("specific", [])
    filled = (fill(t, values) for t in ([specifics] if isinstance(specifics, str) else specifics))
    problem: Problem = {
        "code": code,
        "message": next((t for t in filled if t is not None), text["message"]),
        "hint": text["hint"],
    }
    if message:
        problem["detail"] = f"{message} — {hint}" if hint else message
    return problem


def _named_values(params: Params, lang: Lang) -> dict[str, object]:
    """`params` as a message names them: a ``column`` by the seller's name for it, an order state
    (``from_state``) by its name, and a field ``problem`` (``field.not_a_number``) also as
    ``problem_text`` in `lang`."""
    values = dict(params)
    if "column" in values:
        values["column"] = field_label(str(values["column"]), lang)
    for name in [name for name in values if name.endswith("_state")]:
        state = f"state.{values[name]}"
        values[name] = field_label(state, lang) if state in catalogue()["labels"] else values[name]
    if "problem" in values:
        values["problem_text"] = field_text(str(values["problem"]), lang, params)
    return values


def field_text(kind: str, lang: str, params: Params | None = None) -> str:
    """One field's problem (`kind` is a pydantic error type or a ``field.*`` type) in `lang`."""
    fields = catalogue()["fields"]
    texts = fields.get(kind) or fields["invalid"]
    text = fill(texts[pick_lang(lang)], params or {})
    return text if text is not None else fields["invalid"][pick_lang(lang)]


def field_label(name: str, lang: str) -> str:
    """The seller's name for a field (``price`` → "Giá bán"); an unknown field keeps its name."""
    labels = catalogue()["labels"].get(name)
    return labels[pick_lang(lang)] if labels else name


def validation_problem(errors: Sequence[Mapping[str, object]], lang: str) -> Problem:
    """pydantic's error list (a request body, a form row) as one ``input.invalid`` answer.

    Each field gets its own text in ``fields`` (``{"price": "phải là số"}``) for the page to show
    beside it; ``message`` lists them with the fields' names.
    """
    fields: dict[str, str] = {}
    for error in errors:
        where = error.get("loc", ())
        parts = where if isinstance(where, tuple | list) else ()
        loc = [str(part) for part in parts if not isinstance(part, int)]
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:]
        name = loc[-1] if loc else "body"
        ctx = error.get("ctx")
        params: dict[str, object] = dict(ctx) if isinstance(ctx, Mapping) else {}
        fields.setdefault(name, field_text(str(error.get("type", "invalid")), lang, params))
    base = error_text("input.invalid", lang)
    listed = "; ".join(f"{field_label(name, lang)}: {text}" for name, text in fields.items())
    return {"code": "input.invalid", "message": listed, "hint": base["hint"], "fields": fields}


def field_problem(kind: str, message: str, **params: object) -> PydanticCustomError:
    """A field validator's error with a stable type the catalogue translates.

    Raise it from a pydantic validator: ``raise field_problem("field.negative", "is negative")``;
    pydantic reports it with ``type`` `kind` and ``ctx`` `params`.
    """
    return PydanticCustomError(kind, message, dict(params) or None)
