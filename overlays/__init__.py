"""Everything drawn over video: shaped text, price tags, badges, safe zones, OBS overlay pages."""
