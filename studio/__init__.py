"""Livestall studio: seller media that runs without a server (photos, clips, catalog, CLI)."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
