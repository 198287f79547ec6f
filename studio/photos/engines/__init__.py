"""Matte engines: IS-Net (the model) and the classical GrabCut fallback."""
