"""Text a request may not carry (NUL, lone surrogates, not UTF-8): 422 ``input.text``, never 500.

The bodies are raw bytes, as a browser's ``JSON.stringify`` or a careless bridge writes them,
sent over real HTTP to a real server; the database is read back to show nothing was stored.
"""

from __future__ import annotations

import json

import httpx
import pytest
from live_helpers import HOST, INGEST, LiveServer

from server.request_text import check_json_body, find_unstorable
from studio.errors import TextUnstorable

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"text": "chốt A12 size M 👍"}, None),
        ({"text": "a\x00b"}, ("text", "a NUL character (\\u0000)")),
        ({"text": "a\ud83d"}, ("text", "a lone UTF-16 surrogate (\\ud83d)")),
        (
            [{"text": "ok"}, {"user_name": "\udc00"}],
            ("[1].user_name", "a lone UTF-16 surrogate (\\udc00)"),
        ),
        (
            {"buyer": {"address": ["12 Lê Lợi", "Q1\x00"]}},
            ("buyer.address[1]", "a NUL character (\\u0000)"),
        ),
        ({"na\x00me": "x"}, ("body", "a field name with a NUL character (\\u0000)")),
        (["ok", 1, None, 2.5, True], None),
    ],
)
def test_find_unstorable_names_the_first_bad_field(
    value: object, expected: tuple[str, str] | None
) -> None:
    assert find_unstorable(value) == expected


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "a\\ud800b"}',
        b'{"text": "a\\uDFFFb"}',
        b'{"text": "a\\u0000b"}',
        b'{"text": "a\xed\xa0\x80b"}',  # a surrogate encoded as UTF-8 bytes: not UTF-8
        b'{"text": "a\xffb"}',
    ],
)
def test_bodies_with_unstorable_text_are_refused(body: bytes) -> None:
    with pytest.raises(TextUnstorable) as caught:
        check_json_body(body)
    assert caught.value.code == "input.text"
    assert caught.value.http_status == 422


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "ch\\u1ed1t A12"}',  # ensure_ascii escapes of Vietnamese
        b'{"text": "\\ud83d\\udc4d"}',  # a whole emoji as a surrogate pair
        b'{"text": "a\\\\u0000b"}',  # an escaped backslash: the text is \u0000 literally
        b"not json at all \\u0000",  # left to the app's own JSON error
        "chốt A12 size M".encode(),
    ],
)
def test_good_text_and_non_json_pass(body: bytes) -> None:
    check_json_body(body)


def _comment(comment_id: str, text: str, name: str = "Lan") -> bytes:
    """A comment as raw JSON bytes; `text` and `name` go in as written (escapes and all)."""
    fields = f'"comment_id": "{comment_id}", "user_name": "{name}", "text": "{text}"'
    return ('{"platform": "youtube", "user_id": "u1", ' + fields + "}").encode()


BAD_TEXTS = ["chốt A12 \\ud83d", "chốt A12 \\u0000", "\\udc4d chốt"]


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_comment_with_unstorable_text_is_422_and_not_stored(
    live_server: LiveServer, bad: str
) -> None:
    headers = {**INGEST, **JSON}
    url = live_server.url + "/api/comments"
    answers = [
        httpx.post(url, content=_comment("c1", bad), headers=headers),
        httpx.post(url, content=_comment("c2", "chốt A12", name=bad), headers=headers),
        httpx.post(
            url,
            content=b"[" + _comment("c3", "ok") + b"," + _comment("c4", bad) + b"]",
            headers=headers,
        ),
    ]

    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "input.text"
    assert answers[2].json()["message"].startswith("[1].text:")
    assert live_server.rows("SELECT comment_id FROM comments") == []
    good = httpx.post(
        url, content=_comment("c5", "chốt A12 size M \\ud83d\\udc4d"), headers=headers
    )
    assert good.status_code == 200
    assert live_server.rows("SELECT text FROM comments") == [("chốt A12 size M 👍",)]


def test_buyer_and_catalog_edits_with_unstorable_text_are_422(live_server: LiveServer) -> None:
    ordered = httpx.post(
        live_server.url + "/api/comments",
        json={"platform": "youtube", "comment_id": "o1", "user_id": "u1", "text": "chốt B3"},
        headers=INGEST,
    )
    order_id = ordered.json()["order"]["id"]
    headers = {**HOST, **JSON}
    answers = [
        httpx.put(
            f"{live_server.url}/api/orders/{order_id}/buyer",
            content=b'{"buyer_name": "Lan", "address": "12 L\\u0000 L\\u1ee3i"}',
            headers=headers,
        ),
        httpx.patch(
            live_server.url + "/api/products/B3",
            content=b'{"name": "Ch\\ud800 m\\u1ef1c"}',
            headers=headers,
        ),
        httpx.put(
            live_server.url + "/api/moderation/words",
            content=b'{"words": ["ok", "x\\u0000"]}',
            headers=headers,
        ),
    ]

    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "input.text"
    assert [a.json()["message"].split(":")[0] for a in answers] == ["address", "name", "words[1]"]
    (stored,) = live_server.rows("SELECT buyer_name, address FROM orders WHERE id = ?", order_id)
    assert stored == (None, None)
    products = httpx.get(live_server.url + "/api/products").json()["products"]
    assert {p["sku"]: p["name"] for p in products}["B3"] == "Chả mực Hạ Long 500g"


def test_unstorable_text_in_a_query_string_is_422(live_server: LiveServer) -> None:
    answer = httpx.get(live_server.url + "/api/orders?sku=A12%00", headers=HOST)
    assert answer.status_code == 422
    assert json.loads(answer.text)["code"] == "input.text"
