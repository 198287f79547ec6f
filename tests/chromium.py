"""Where the browser tests find Debian's Chromium and how they launch it (tests/browser and
tests/studio_web both import this; `pythonpath = ["tests"]` in pyproject makes it importable)."""

from __future__ import annotations

from server.slips.pdf import HEADLESS_FLAGS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(HEADLESS_FLAGS)
