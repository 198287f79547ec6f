"""`python -m livestall` runs the `livestall` command."""

from __future__ import annotations

from livestall.cli.app import run

run()
