"""Open a provisioned model through rembg without any download attempt.

rembg's named sessions (``new_session("isnet-general-use")``) check their own md5 and download on a
mismatch. We instead build rembg's custom-model session (``DisCustomSession``) with an explicit
``model_path`` to the verified file, so rembg never touches the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import onnxruntime as ort
from rembg.sessions.base import BaseSession
from rembg.sessions.dis_custom import DisCustomSession

from studio.models.pull import require_model
from studio.models.registry import ModelSpec


def default_threads() -> int:
    """Threads for ONNX Runtime: every core (``$LIVESTALL_THREADS`` overrides)."""
    explicit = os.environ.get("LIVESTALL_THREADS")
    if explicit:
        return max(1, int(explicit))
    return max(1, os.cpu_count() or 1)


def session_options(*, threads: int) -> ort.SessionOptions:
    """Return ONNX Runtime options for CPU inference on ``threads`` threads."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # idle intra-op threads sleep instead of spinning, so the photo pipeline's decode/encode
    # threads get the cores between the model's parallel sections (bench/photos.py)
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # IS-Net's pre-planned memory pattern holds ~0.8 GB more at peak (2.4 -> 1.6 GB RSS)
    # for no measurable speed-up on CPU
    options.enable_mem_pattern = False
    return options


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
