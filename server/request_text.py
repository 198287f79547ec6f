"""Text a request may not carry: NUL, lone UTF-16 surrogates and bytes that are not UTF-8.

JavaScript strings are UTF-16, so ``JSON.stringify`` of half an emoji writes a lone surrogate
escape (``"\\ud83d"``); Python decodes it into a ``str`` that no UTF-8 encoder, SQLite driver or
JSON response can write again. PostgreSQL refuses NUL (``"\\u0000"``) in text. Both used to end
as a 500 (or, for NUL on SQLite, as a row no export could read). `check_json_body` finds them in
any field of a JSON body, once, before the app decodes it (`server.body_guard`); the answer is
`TextUnstorable` (422, ``input.text``) naming the field.

Pure: bytes in, an error or nothing out.
"""

from __future__ import annotations

import json
import re

from studio.errors import TextUnstorable

# The only ways a decoded JSON string can hold NUL or a surrogate: the escapes \u0000 and
# \uD800-\uDFFF (raw NUL is not valid JSON; raw surrogate bytes are not valid UTF-8). A body
# without them (nearly every body) is checked by one decode and one search.
SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
MAX_FIELD_CHARS = 80


def check_json_body(body: bytes) -> None:
    """Refuse a JSON body whose text cannot be stored or sent back.

    A body that is not JSON at all is left to the app (it answers its own validation error).

    Raises:
        TextUnstorable: the body is not UTF-8, or a string (key or value) holds NUL or a lone
            UTF-16 surrogate; the message names the field.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextUnstorable(
            f"the request is not UTF-8 text (byte {exc.start} cannot be read)",
            hint="send the text as UTF-8 (JSON is always UTF-8)",
            params={"field": "body"},
        ) from None
    if SUSPECT_ESCAPE.search(text) is None:
        return
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON: the app's own decoding reports it
    found = find_unstorable(value)
    if found is not None:
        field, what = found
        raise TextUnstorable(
            f"{field}: holds {what}, which cannot be stored",
            hint="remove that character and send again (a lone surrogate is half of an emoji)",
            params={"field": field},
        )


def find_unstorable(value: object) -> tuple[str, str] | None:
    """Return (field path, what) of the first string holding NUL or a lone surrogate, or None.

    Walks dict keys and values and list items without recursion (a body may nest deeply).
    Paths read ``text``, ``[2].user_name``, ``buyer.address``.
    """
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            what = _unstorable(item)
            if what is not None:
                return (path or "body")[:MAX_FIELD_CHARS], what
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                key_what = _unstorable(key)
                if key_what is not None:
                    return (path or "body")[:MAX_FIELD_CHARS], f"a field name with {key_what}"
                stack.append((f"{path}.{key}" if path else key, child))
        elif isinstance(item, list):
            stack.extend(
                (f"{path}[{index}]", child) for index, child in reversed(list(enumerate(item)))
            )
    return None


def _unstorable(text: str) -> str | None:
    if "\x00" in text:
        return "a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a lone UTF-16 surrogate (\\u{ord(text[exc.start]):04x})"
    return None
