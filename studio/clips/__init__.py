"""Promo clips from photos and a catalog: spec -> timeline -> frames -> H.264."""

from studio.clips.pipeline import ClipProgress, ClipReport, render_catalog, render_clip
from studio.clips.spec import ClipSpec, load_spec

__all__ = ["ClipProgress", "ClipReport", "ClipSpec", "load_spec", "render_catalog", "render_clip"]
