"""rembg's own session on the provisioned model file: the reference our engine is scored against.

The photo pipeline never imports this module (``import rembg`` loads pymatting, numba and scipy,
0.6 s); the quality bench (bench/photos_quality.py) and the tests compare our mattes with what
``session.predict`` returns, i.e. what ``rembg p`` writes. The session is rembg's custom-model
session with an explicit ``model_path``, so rembg never checks its md5 or downloads anything.
"""

from __future__ import annotations

from pathlib import Path

from rembg.sessions.base import BaseSession
from rembg.sessions.dis_custom import DisCustomSession

from studio.models.pull import require_model
from studio.models.registry import ModelSpec
from studio.models.session import default_threads, session_options


def open_rembg_session(
    spec: ModelSpec, *, home: Path | None = None, threads: int | None = None
) -> BaseSession:
    """Load the model file through rembg's custom-model session (no download, ever).

    Raises:
        ModelMissing: the model is not provisioned (hint names `livestall models pull`).
    """
    path = require_model(spec, home)
    options = session_options(threads=threads or default_threads())
    session: BaseSession = DisCustomSession(
        spec.name, options, model_path=str(path), providers=["CPUExecutionProvider"]
    )
    return session
