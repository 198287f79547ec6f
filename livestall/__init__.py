"""Livestall: offline tools for small online sellers (product photos, promo clips, live sale).

The front door. The ``livestall`` command (``python -m livestall``) and the few entry points a
script needs, loaded on first use so ``import livestall`` stays light::

    import livestall
    catalog = livestall.load_catalog("shop.yaml")
    livestall.parse_comment("chốt A12 size M", livestall.CatalogView.from_catalog(catalog),
                            pinned=None)

Nothing inside the project imports this package (imports point down: docs/design.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from studio import __version__

# name -> the module that defines it (the one place each lives)
_ENTRY_POINTS = {
    "load_catalog": "studio.catalog",
    "Catalog": "studio.catalog",
    "run_batch": "studio.photos.pipeline",  # photos clean: raw shots in, marketplace photos out
    "cutout_batch": "studio.photos.pipeline",
    "render_clip": "studio.clips.pipeline",
    "parse_comment": "server.orders.parse",
    "CatalogView": "server.orders.parse",
    "LivestallError": "studio.errors",
}

__all__ = ["__version__", *_ENTRY_POINTS]


def __getattr__(name: str) -> Any:
    """Import an entry point's module the first time it is used (PEP 562)."""
    module = _ENTRY_POINTS.get(name)
    if module is None:
        raise AttributeError(f"module 'livestall' has no attribute {name!r}")
    return getattr(import_module(module), name)
