"""Background-removal model provisioning: which files, from where, verified how."""

from __future__ import annotations

from studio.models.pull import InstalledModel, installed_models, model_path, pull_model
from studio.models.registry import MODELS, ModelSpec, get_model

__all__ = [
    "MODELS",
    "InstalledModel",
    "ModelSpec",
    "get_model",
    "installed_models",
    "model_path",
    "pull_model",
]
