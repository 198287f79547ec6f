"""Where tests put the screenshots they take: a temporary folder, or the docs when asked.

A plain `make test` must leave the checkout as it found it. `make screenshots` (or
``LIVESTALL_SHOTS_DIR=docs/img pytest ...``) writes them into ``docs/img/<part>/`` for the docs.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shots_dir(part: str) -> Path:
    """The folder for one part's screenshots (``studio``, ``live``), created."""
    chosen = os.environ.get("LIVESTALL_SHOTS_DIR")
    base = (ROOT / chosen if not Path(chosen).is_absolute() else Path(chosen)) if chosen else None
    folder = (base or Path(tempfile.gettempdir()) / "livestall-shots") / part
    folder.mkdir(parents=True, exist_ok=True)
    return folder
