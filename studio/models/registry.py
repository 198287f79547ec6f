"""The table of models Livestall can provision, with every source and its pinned checksum.

A model file is what rembg's session loads. We never let rembg download it: the file is placed in
``$U2NET_HOME`` (default ``~/.u2net``) by `studio.models.pull`, verified against a pinned sha256,
and loaded through rembg's custom-model session with an explicit ``model_path``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from studio.errors import UnknownEngine

SourceKind = Literal["url", "npm-chunks"]

NPM_REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True, slots=True)
class ModelSource:
    """One place a model file can come from, and the sha256 the result must have.

    ``kind="url"``: ``url`` is the ONNX file itself. ``kind="npm-chunks"``: ``url`` is an npm tarball
    whose ``dist/resources.json`` lists ``resource`` as hash-named chunks that concatenate to the
    file.
    """

    name: str
    kind: SourceKind
    url: str
    sha256: str
    size_bytes: int
    resource: str = ""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A model: the name rembg knows it by, its file name, input size and sources in order."""

    name: str
    filename: str
    input_size_px: int
    sources: tuple[ModelSource, ...]
    licence: str

    @property
    def sha256_accepted(self) -> frozenset[str]:
        """Checksums of every source's file (the files differ per source but all are valid)."""
        return frozenset(source.sha256 for source in self.sources)


def _npm_tarball(package: str, version: str) -> str:
    registry = os.environ.get("LIVESTALL_NPM_REGISTRY", NPM_REGISTRY).rstrip("/")
    short = package.rsplit("/", 1)[-1]
    return f"{registry}/{package}/-/{short}-{version}.tgz"


def _isnet_general_use() -> ModelSpec:
    return ModelSpec(
        name="isnet-general-use",
        filename="isnet-general-use.onnx",
        input_size_px=1024,
        licence="Apache-2.0 (xuebinqin/DIS); npm packaging by IMG.LY, AGPL-3.0 data package",
        sources=(
            # rembg's own release file (fp32, 178 MB); rembg pins md5 fc16ebd8b0c10d971d3513d564d01e29.
            ModelSource(
                name="rembg-release",
                kind="url",
                url="https://github.com/danielgatis/rembg/releases/download/v0.0.0/isnet-general-use.onnx",
                sha256="60920e99c45464f2ba57bee2ad08c919a52bbf852739e96947fbb4358c0d964a",
                size_bytes=178_648_008,
            ),
            # The same IS-Net general-use network as IMG.LY ships it to browsers (88 MB), in chunks.
            ModelSource(
                name="npm:@imgly/background-removal-data@1.4.5",
                kind="npm-chunks",
                url=_npm_tarball("@imgly/background-removal-data", "1.4.5"),
                sha256="b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb",
                size_bytes=88_188_479,
                resource="/models/medium",
            ),
        ),
    )


def _models() -> dict[str, ModelSpec]:
    specs = (_isnet_general_use(),)
    return {spec.name: spec for spec in specs}


MODELS: dict[str, ModelSpec] = _models()
DEFAULT_MODEL = "isnet-general-use"


def get_model(name: str) -> ModelSpec:
    """Return the spec of a model by name.

    Raises:
        UnknownEngine: no model of that name.
    """
    try:
        return MODELS[name]
    except KeyError:
        raise UnknownEngine(
            f"no model named {name!r}", hint=f"choose one of {', '.join(MODELS)}"
        ) from None
