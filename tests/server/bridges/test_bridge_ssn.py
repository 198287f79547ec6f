"""Social Stream Ninja relay frames -> comment bodies."""

from __future__ import annotations

from pathlib import Path

from server.bridges import ssn
from server.bridges.body import ChatEvent, CommentBody


def test_relay_fixture(fixtures_dir: Path) -> None:
    items = list(ssn.parse_text((fixtures_dir / "ssn_relay.jsonl").read_text(encoding="utf-8")))
    comments = [i for i in items if isinstance(i, CommentBody)]
    events = [i for i in items if isinstance(i, ChatEvent)]
    assert [(c.platform, c.user_name, c.text) for c in comments] == [
        ("twitch", "ExampleUser", "Hello, featured chat!"),
        ("external", "User", "Hello from an external source!"),
        ("api", "User", "Pinned note"),
        ("stripe", "Donor Name", "Optional message from donor"),
        ("facebook", "Lan", "chốt A12 size M 😍"),
        ("youtube", "Minh", "A12 x2 &amp; B3"),  # textonly: the text is taken as it is
        ("twitch", "ExampleUser", "Hello, featured chat!"),  # the wrapped copy, a later frame
    ]
    assert [(e.platform, e.kind) for e in events] == [("tiktok", "follow")]
    assert len({c.comment_id for c in comments}) == len(comments)
    assert comments[4].user_id == "1001"
    assert comments[0].user_id.startswith("name:")  # no userid: stable stand-in


def test_ids_are_stable_for_the_same_ssn_message() -> None:
    frame = {
        "chatname": "Lan",
        "chatmessage": "chốt A12",
        "type": "facebook",
        "userid": "1",
        "id": 9,
    }
    one = ssn.parse_message(frame, received_s=100.0, nonce="100.0")
    two = ssn.parse_message(frame, received_s=200.0, nonce="200.0")
    assert isinstance(one, CommentBody) and isinstance(two, CommentBody)
    assert (
        one.comment_id == two.comment_id
    )  # SSN's number + content: a re-sent frame is a duplicate


def test_identical_comments_without_number_stay_distinct() -> None:
    frame = {"chatname": "Lan", "chatmessage": "chốt A12", "type": "facebook"}
    one = ssn.parse_message(frame, received_s=1.0, nonce="1.0")
    two = ssn.parse_message(frame, received_s=2.0, nonce="2.0")
    assert isinstance(one, CommentBody) and isinstance(two, CommentBody)
    assert one.comment_id != two.comment_id
    assert one.ts == 1.0


def test_platform_names_are_sanitised() -> None:
    assert ssn.platform_of({"type": "YouTube<script>"}) == "youtubescript"
    assert ssn.platform_of({}) == "ssn"


def test_donation_without_text_is_an_event() -> None:
    parsed = ssn.parse_message(
        {"chatname": "D", "chatmessage": "", "hasDonation": "$5", "type": "kick"},
        received_s=None,
        nonce="0",
    )
    assert parsed == ChatEvent(
        "kick", "donation", parsed.user_id if parsed else "", "D", "$5", None
    )


def test_commands_and_garbage_give_nothing() -> None:
    assert ssn.parse_message({"action": "clearOverlay"}, received_s=None, nonce="0") is None
    assert (
        ssn.parse_message({"action": "content", "value": "{not json"}, received_s=None, nonce="0")
        is None
    )
    assert (
        ssn.parse_message(
            {"chatname": "x", "chatmessage": "<img src=x>"}, received_s=None, nonce="0"
        )
        is None
    )
