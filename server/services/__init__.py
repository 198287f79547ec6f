"""Use cases of the live server: what a route or a CLI command asks for, done in one place.

Routes (``server/api``, ``server/studio``) validate and shape answers; the work they share lives
here, on top of the live (`server.live`), its events and the store.
"""
