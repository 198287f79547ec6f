"""`python -m livestall` runs the `livestall` command."""

from __future__ import annotations

from studio.cli.app import run

run()
