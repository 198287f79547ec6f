"""Facebook Graph API comments (edge page and live_comments SSE) -> comment bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.bridges import facebook
from server.bridges.body import CommentBody, stand_in_user_id
from studio.errors import BridgeAuthError, BridgeSourceInvalid

FIRST = CommentBody(
    "facebook",
    "911936075671494_911936769004758",
    "552524095105158",
    "Steph C.",
    "This is such a great live stream.",
    1535654822.0,
)


def test_docs_sample_page(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "facebook_comments_page.json").read_text(encoding="utf-8")
    comments = list(facebook.parse_text(page))
    assert len(comments) == 3
    assert comments[0] == FIRST
    assert [c.ts for c in comments if isinstance(c, CommentBody)] == [
        1535654822.0,
        1535654837.0,
        1535654894.0,
    ]


def test_sse_capture_gives_the_same_comments(fixtures_dir: Path) -> None:
    page = list(
        facebook.parse_text(
            (fixtures_dir / "facebook_comments_page.json").read_text(encoding="utf-8")
        )
    )
    sse = list(
        facebook.parse_text(
            (fixtures_dir / "facebook_live_comments.sse").read_text(encoding="utf-8")
        )
    )
    assert sse == page


def test_page_cursor() -> None:
    comments, after = facebook.parse_page({"data": [], "paging": {"cursors": {"after": "QVFI"}}})
    assert (comments, after) == ([], "QVFI")
    assert facebook.parse_page({"data": "nope"}) == ([], None)


def test_comment_without_author_gets_a_stable_stand_in_id() -> None:
    parsed = facebook.parse_comment(
        {"id": "1_2", "message": "chốt A12", "created_time": "2023-10-07T09:10:56+0000"}
    )
    assert parsed is not None
    assert parsed.user_id == stand_in_user_id("facebook", "")
    assert parsed.ts == 1696669856.0


@pytest.mark.parametrize(
    "obj",
    [
        None,
        [],
        {"message": "no id"},
        {"id": "1_2"},
        {"id": "", "message": "x"},
        {"id": "1_2", "message": 5},
    ],
)
def test_malformed_comments_give_nothing(obj: object) -> None:
    assert facebook.parse_comment(obj) is None


def test_html_and_emoji_only_comments_stay_text() -> None:
    parsed = facebook.parse_comment(
        {"id": "1_3", "message": "<script>alert(1)</script>", "from": {"id": "7", "name": "x"}}
    )
    assert parsed is not None and parsed.text == "<script>alert(1)</script>"
    emoji = facebook.parse_comment({"id": "1_4", "message": "❤️❤️", "from": {"id": "7", "name": "x"}})
    assert emoji is not None and emoji.text == "❤️❤️"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            400,
            '{"error": {"message": "Error validating access token: Session has expired", "code": 190}}',
            BridgeAuthError,
        ),
        (
            403,
            '{"error": {"message": "(#200) Requires pages_read_engagement", "code": 200}}',
            BridgeAuthError,
        ),
        (
            400,
            '{"error": {"message": "(#17) User request limit reached", "code": 17}}',
            facebook.RateLimited,
        ),
        (
            400,
            '{"error": {"message": "Unsupported get request", "code": 100}}',
            BridgeSourceInvalid,
        ),
        (502, "<html>bad gateway</html>", ConnectionError),
    ],
)
def test_graph_errors_become_actions(status: int, body: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        facebook.raise_for_graph_error(status, body, video_id="123")


def test_expired_token_says_what_to_renew() -> None:
    with pytest.raises(BridgeAuthError) as caught:
        facebook.raise_for_graph_error(
            400, '{"error": {"message": "expired", "code": 190}}', video_id="1"
        )
    assert "Page access token" in str(caught.value)


def test_seen_ids_are_bounded() -> None:
    seen = facebook.SeenIds(max_ids=2)
    assert seen.add("a") and seen.add("b") and not seen.add("a")
    assert seen.add("c")  # "a" is forgotten now
    assert seen.add("a")
