"""Pages of the live server: the OBS overlay, the host console and the viewer page (no CDN)."""
