"""docs/live.md is the contract: it names every route of the app and every event type."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from live_helpers import LiveServer

from server.events import EVENT_TYPES

DOC = Path(__file__).resolve().parents[2] / "docs" / "live.md"


def test_every_route_and_event_is_documented(live_server: LiveServer) -> None:
    text = DOC.read_text(encoding="utf-8")
    spec = httpx.get(f"{live_server.url}/openapi.json").json()

    for path, methods in spec["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in text, f"{method.upper()} {path} missing"
    for ws_path in ("/ws/overlay", "/ws/viewer"):
        assert ws_path in text
    headings = set(re.findall(r"^#### `(\w+)`", text, flags=re.MULTILINE))
    assert set(EVENT_TYPES) | {"snapshot"} == headings
