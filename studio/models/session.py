"""Open a provisioned model file without any download attempt.

rembg's named sessions (``new_session("isnet-general-use")``) check their own md5 and download on a
mismatch. The photo engine opens the verified file with ONNX Runtime the way rembg's custom-model
session does (`open_model_session`), without importing rembg: ``import rembg`` loads pymatting,
numba and scipy for its alpha matting, 0.6 s of an 8 s batch of eight photos (bench/photos.py).
`studio.models.rembg_reference` opens rembg's own session on the same file, for comparing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import onnxruntime as ort
from onnxruntime.capi import onnxruntime_pybind11_state as ort_state

from studio.errors import ModelDamaged
from studio.models.pull import require_model
from studio.models.registry import ModelSpec
from studio.models.trim import discard_trimmed, runnable_model

log = logging.getLogger(__name__)

# what ONNX Runtime raises for a file it cannot read as a model
ORT_LOAD_ERRORS: tuple[type[Exception], ...] = (
    ort_state.InvalidProtobuf,
    ort_state.InvalidGraph,
    ort_state.Fail,
    ort_state.NoSuchFile,
    ort_state.InvalidArgument,
)


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


def open_model_session(
    spec: ModelSpec, *, home: Path | None = None, threads: int | None = None
) -> ort.InferenceSession:
    """Load the verified model, trimmed to the output we use, into a CPU session (no download).

    The trimmed graph (`studio.models.trim`) is made on first use if `models pull` did not; one
    that ONNX Runtime cannot load is deleted and the provisioned file is used.

    Raises:
        ModelMissing: the model is not provisioned (hint names `livestall models pull`).
        ModelDamaged: ONNX Runtime cannot load the provisioned file.
    """
    source = require_model(spec, home)
    options = session_options(threads=threads or default_threads())
    path = runnable_model(source)
    if path != source:
        try:
            return _cpu_session(path, options)
        except ORT_LOAD_ERRORS as exc:
            log.warning("the trimmed model %s does not load (%s); using %s", path, exc, source)
            discard_trimmed(source)
    try:
        return _cpu_session(source, options)
    except ORT_LOAD_ERRORS as exc:
        raise ModelDamaged(
            f"the model file {source} does not load: {exc}",
            hint="delete it and run `livestall models pull` again",
        ) from exc


def _cpu_session(path: Path, options: ort.SessionOptions) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
