"""The graph the photo engine runs: the provisioned model cut to the one output it uses, in float32.

IS-Net has twelve outputs: the final mask and the side outputs its training supervised. ONNX
Runtime computes every node of a graph on each run, even when asked for one output, so the side
heads (each upsampled to 1024 x 1024 and passed through a sigmoid) cost 5 % of a forward pass for
nothing. The npm export also stores its weights as float16 for browsers; ONNX Runtime's x86 CPU
kernels have no float16 convolution, so it wraps the graph in Cast nodes and re-lays tensors out
around each of them (a further 8 %). The trimmed graph keeps only what the first output needs and
holds the same weights as float32 (bench/photos.py: 0.82 s -> 0.72 s per forward pass here).

The trimmed file is made once, next to the verified source file (``<name>.trimmed.onnx``), with a
sidecar naming the source's sha256; it is made again when the source or `TRIM_VERSION` changes.
A graph this module cannot convert (control flow, say) is run as provisioned.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections import deque
from pathlib import Path

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import numpy_helper

from studio.models.pull import read_sidecar, recorded_sha256, sha256_file, sidecar_path

log = logging.getLogger(__name__)

TRIM_VERSION = 1  # bump when `trim_graph` changes what it writes
FLOAT16 = onnx.TensorProto.FLOAT16
FLOAT = onnx.TensorProto.FLOAT
_TYPE_ATTRIBUTES = ("to", "dtype")  # attributes that name an element type (Cast, EyeLike, ...)


class UntrimmableGraph(ValueError):
    """The graph uses something `trim_graph` does not convert; it is run as provisioned."""


def trim_graph(model: onnx.ModelProto) -> onnx.ModelProto:
    """Keep the first output and the nodes it needs; turn float16 tensors and types into float32.

    Raises:
        UntrimmableGraph: the graph has subgraphs (If, Loop, Scan), which are not converted.
    """
    trimmed = onnx.ModelProto()
    trimmed.CopyFrom(model)
    graph = trimmed.graph
    if any(_has_subgraph(node) for node in graph.node):
        raise UntrimmableGraph("the graph has subgraphs")
    _keep_first_output(graph)
    _float16_to_float32(graph)
    onnx.checker.check_model(trimmed)
    return trimmed


def _has_subgraph(node: onnx.NodeProto) -> bool:
    kinds = (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS)
    return any(attribute.type in kinds for attribute in node.attribute)


def _keep_first_output(graph: onnx.GraphProto) -> None:
    del graph.output[1:]
    producers = {name: node for node in graph.node for name in node.output}
    needed: set[str] = set()
    pending = [graph.output[0].name]
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.add(name)
        node = producers.get(name)
        if node is not None:
            pending.extend(value for value in node.input if value)
            needed.update(node.output)
    kept = [node for node in graph.node if any(name in needed for name in node.output)]
    del graph.node[:]
    graph.node.extend(_topological_order(kept))
    initializers = [tensor for tensor in graph.initializer if tensor.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    value_info = [info for info in graph.value_info if info.name in needed]
    del graph.value_info[:]
    graph.value_info.extend(value_info)


def _topological_order(nodes: list[onnx.NodeProto]) -> list[onnx.NodeProto]:
    """Order nodes so each comes after the producers of its inputs (exports are not always)."""
    produced_by = {name: index for index, node in enumerate(nodes) for name in node.output}
    waiting_on = [
        {produced_by[name] for name in node.input if name in produced_by} for node in nodes
    ]
    consumers: dict[int, list[int]] = {}
    for index, producers in enumerate(waiting_on):
        for producer in producers:
            consumers.setdefault(producer, []).append(index)
    ready = deque(index for index, producers in enumerate(waiting_on) if not producers)
    ordered: list[onnx.NodeProto] = []
    while ready:
        index = ready.popleft()
        ordered.append(nodes[index])
        for consumer in consumers.get(index, []):
            waiting_on[consumer].discard(index)
            if not waiting_on[consumer]:
                ready.append(consumer)
    if len(ordered) != len(nodes):
        raise UntrimmableGraph("the graph has a cycle")
    return ordered


def _float16_to_float32(graph: onnx.GraphProto) -> None:
    for index, tensor in enumerate(graph.initializer):
        if tensor.data_type == FLOAT16:
            graph.initializer[index].CopyFrom(_as_float32(tensor))
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.TENSOR and attribute.t.data_type == FLOAT16:
                attribute.t.CopyFrom(_as_float32(attribute.t))
            elif attribute.name in _TYPE_ATTRIBUTES and attribute.i == FLOAT16:
                attribute.i = FLOAT
    for info in (*graph.input, *graph.output, *graph.value_info):
        if info.type.tensor_type.elem_type == FLOAT16:
            info.type.tensor_type.elem_type = FLOAT


def _as_float32(tensor: onnx.TensorProto) -> onnx.TensorProto:
    values = numpy_helper.to_array(tensor).astype(np.float32)
    return numpy_helper.from_array(values, tensor.name)


def trimmed_path(source: Path) -> Path:
    """Where the trimmed graph of ``source`` lives."""
    return source.with_name(source.stem + ".trimmed.onnx")


def discard_trimmed(source: Path) -> None:
    """Delete the trimmed graph of ``source`` and its sidecar (it is made again on next use)."""
    target = trimmed_path(source)
    for path in (target, sidecar_path(target)):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def runnable_model(source: Path) -> Path:
    """Return the trimmed graph of a verified model file, making it first if needed.

    Falls back to ``source`` itself (and logs why) when the graph cannot be trimmed or the
    folder cannot be written.
    """
    target = trimmed_path(source)
    source_sha = recorded_sha256(source) or sha256_file(source)
    if _is_current(target, source_sha):
        return target
    if not os.access(target.parent, os.W_OK):  # checked first: a trim costs ~1 s and ~1 GB
        log.warning("running %s as provisioned: %s is read-only", source.name, target.parent)
        return source
    try:
        trimmed = trim_graph(onnx.load(str(source)))
        _write_atomic(target, trimmed.SerializeToString())
    except (UntrimmableGraph, onnx.checker.ValidationError, DecodeError, OSError) as exc:
        log.warning("running %s as provisioned: cannot trim it (%s)", source.name, exc)
        return source
    record = {
        "source_sha256": source_sha,
        "trim_version": TRIM_VERSION,
        "size_bytes": target.stat().st_size,
    }
    with contextlib.suppress(OSError):  # without it the graph is trimmed again next time
        _write_atomic(sidecar_path(target), json.dumps(record, indent=2).encode())
    return target


def _is_current(target: Path, source_sha: str) -> bool:
    try:
        size = target.stat().st_size
    except OSError:
        return False
    return read_sidecar(target) == {
        "source_sha256": source_sha,
        "trim_version": TRIM_VERSION,
        "size_bytes": size,
    }


def _write_atomic(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # readable like the source (mkstemp makes it 0600)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
