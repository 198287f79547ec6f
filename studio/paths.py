"""Where Livestall finds its bundled assets and keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def assets_dir() -> Path:
    """Return the folder of bundled assets (fonts, sample photos, templates, catalog).

    In a wheel the assets live inside the ``studio`` package (``studio/assets``); in a checkout
    (editable install) they are the repository's top-level ``assets/`` folder.
    """
    installed = _PACKAGE_DIR / "assets"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "assets"


def fonts_dir() -> Path:
    """Return the folder of bundled OFL fonts."""
    return assets_dir() / "fonts"


def sample_photos_dir() -> Path:
    """Return the folder of bundled sample product photos."""
    return assets_dir() / "photos"


def sample_catalog_path() -> Path:
    """Return the bundled sample catalog (YAML)."""
    return assets_dir() / "catalog" / "catalog.yaml"


def data_dir() -> Path:
    """Return the seller's data folder (databases, tokens, uploads).

    ``$LIVESTALL_HOME`` if set, else ``~/.local/share/livestall`` (``$XDG_DATA_HOME`` respected).
    """
    explicit = os.environ.get("LIVESTALL_HOME")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "livestall"
