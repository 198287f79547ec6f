"""The IS-Net engine: the provisioned model in ONNX Runtime, with our own float32 pre/post.

The session is opened as rembg's custom-model session opens it, without importing rembg
(`studio.models.session`). rembg's ``DisCustomSession.predict`` resizes with LANCZOS on PIL
images, normalises in float64 and asks ONNX Runtime for all twelve of the model's outputs. We feed the same tensor rembg feeds
(pixels divided by the image's maximum, minus 0.5) computed in float32 with OpenCV, ask for the
one output we use, and resize the probability map back in float32. The provisioned export already
ends in a sigmoid (outputs lie in 0..1), so we keep its values as they are: rembg's min-max
stretch would turn the faint response to an empty photo into a full-frame "product".
"""

from __future__ import annotations

import threading

import cv2
import numpy as np
import onnxruntime as ort

from studio.models import get_model
from studio.models.pull import u2net_home
from studio.models.session import open_model_session

INPUT_MEAN = 0.5

_SESSIONS: dict[tuple[str, str], ort.InferenceSession] = {}
_SESSIONS_LOCK = threading.Lock()


def shared_session(model: str) -> ort.InferenceSession:
    """Return the process's one model session for ``model``, opening it on first use.

    Sessions are kept per model and model folder (``$U2NET_HOME``), for the life of the process.

    Raises:
        ModelMissing: the model is not provisioned.
        UnknownEngine: no such model in the table.
    """
    key = (model, str(u2net_home()))
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            session = open_model_session(get_model(model))
            _SESSIONS[key] = session
        return session


class IsNetEngine:
    """Matte engine running the IS-Net model in the process's shared ONNX Runtime session."""

    name = "isnet"

    def __init__(self, session: ort.InferenceSession, *, input_px: int = 1024) -> None:
        self.session = session
        self.input_px = input_px
        self._input_name: str = session.get_inputs()[0].name
        self._output_name: str = session.get_outputs()[0].name

    @classmethod
    def open(cls, model: str) -> IsNetEngine:
        """Build the engine on the shared session of ``model`` (loaded once per process)."""
        return cls(shared_session(model), input_px=get_model(model).input_size_px)

    def prepare(self, rgb: np.ndarray) -> np.ndarray:
        """Return the 1 x 3 x N x N float32 model input for an H x W x 3 uint8 photo."""
        height, width = rgb.shape[:2]
        side = self.input_px
        shrinking = width >= side and height >= side
        # area averaging to shrink; bicubic to enlarge, close to rembg's LANCZOS (bilinear
        # cost 0.003 MAE on the alphamatting pairs, see docs/benchmarks.md)
        interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
        resized = cv2.resize(rgb, (side, side), interpolation=interpolation)
        peak = max(float(resized.max()), 1e-6)
        tensor = np.empty((1, 3, side, side), dtype=np.float32)
        np.multiply(resized.transpose(2, 0, 1), np.float32(1.0 / peak), out=tensor[0])
        tensor -= np.float32(INPUT_MEAN)
        return tensor

    def predict(self, prepared: np.ndarray) -> np.ndarray:
        """Run the model; return its N x N float32 foreground probability (0..1)."""
        outputs = self.session.run([self._output_name], {self._input_name: prepared})
        probability: np.ndarray = outputs[0][0, 0]
        return probability

    def finish(self, raw: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """Resize the probability map to ``size`` (width, height); return H x W uint8 alpha."""
        resized = cv2.resize(raw, size, interpolation=cv2.INTER_CUBIC)
        return np.clip(resized * np.float32(255.0) + np.float32(0.5), 0, 255).astype(np.uint8)
