"""The seller's web studio: products, photos, clips, post kits and go-live, in a browser."""

from server.studio.app import mount_studio
from server.studio.state import StudioState

__all__ = ["StudioState", "mount_studio"]
