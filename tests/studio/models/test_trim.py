"""Trimming the model graph: only the first output's nodes, float32, same answers, made once."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from studio.errors import ModelDamaged
from studio.models import get_model
from studio.models.pull import require_model
from studio.models.registry import DEFAULT_MODEL
from studio.models.session import open_model_session, session_options
from studio.models.trim import runnable_model, trim_graph, trimmed_path
from studio.paths import sample_photos_dir
from studio.photos.engines.isnet import IsNetEngine
from studio.photos.load import load_photo

WEIGHT = np.array([[1.5, -2.0], [0.25, 4.0]], dtype=np.float16)


def _float16_graph(*, with_subgraph: bool = False) -> onnx.ModelProto:
    """x -> Cast to fp16 -> MatMul by an fp16 weight -> Sigmoid -> Cast to fp32 = "mask", plus
    a second output "side"; the nodes are stored out of order, as some exports store them."""
    nodes = [  # out of order on purpose
        helper.make_node("Sigmoid", ["product16"], ["activated16"]),
        helper.make_node("Cast", ["x"], ["x16"], to=TensorProto.FLOAT16),
        helper.make_node("Cast", ["activated16"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["x16", "weight"], ["product16"]),
        helper.make_node("Relu", ["x"], ["side"]),
    ]
    if with_subgraph:
        branch = helper.make_graph(
            [helper.make_node("Identity", ["x"], ["y"])],
            "branch",
            [],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
        )
        nodes.append(
            helper.make_node("If", ["flag"], ["chosen"], then_branch=branch, else_branch=branch)
        )
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 2]),
            helper.make_tensor_value_info("side", TensorProto.FLOAT, [1, 2]),
        ],
        [numpy_helper.from_array(WEIGHT, "weight")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])


def _run(model: onnx.ModelProto, x: np.ndarray) -> list[np.ndarray]:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return [np.asarray(out) for out in session.run(None, {"x": x})]


def test_trimmed_graph_keeps_only_the_first_output_in_float32() -> None:
    original = _float16_graph()
    trimmed = trim_graph(original)
    assert [output.name for output in trimmed.graph.output] == ["mask"]
    assert {node.op_type for node in trimmed.graph.node} == {"Cast", "MatMul", "Sigmoid"}
    assert all(t.data_type == TensorProto.FLOAT for t in trimmed.graph.initializer)
    casts = [n for n in trimmed.graph.node if n.op_type == "Cast"]
    assert all(a.i == TensorProto.FLOAT for n in casts for a in n.attribute)
    x = np.array([[0.3, -1.2]], dtype=np.float32)
    (mask,) = _run(trimmed, x)
    expected = 1 / (1 + np.exp(-(x @ WEIGHT.astype(np.float32))))
    np.testing.assert_allclose(mask, expected, rtol=1e-6)
    np.testing.assert_allclose(mask, _run(original, x)[0], atol=2e-3)  # fp16 rounding only
    assert len(original.graph.output) == 2  # the input model is left as it was


def test_graph_with_subgraphs_is_run_as_provisioned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "odd.onnx"
    onnx.save(_float16_graph(with_subgraph=True), str(source))
    with caplog.at_level(logging.WARNING, logger="studio.models.trim"):
        assert runnable_model(source) == source
    assert "cannot trim" in caplog.text
    assert not trimmed_path(source).exists()


def test_trimmed_file_is_made_once_and_again_when_its_source_changes(tmp_path: Path) -> None:
    source = tmp_path / "tiny.onnx"
    onnx.save(_float16_graph(), str(source))
    made = runnable_model(source)
    assert made == trimmed_path(source) and made.is_file()
    assert made.stat().st_mode & 0o777 == 0o644
    first = made.stat().st_mtime_ns
    assert runnable_model(source) == made and made.stat().st_mtime_ns == first
    sidecar = made.with_name(made.name + ".livestall.json")
    record = json.loads(sidecar.read_text(encoding="utf-8"))
    record["source_sha256"] = "0" * 64  # as if the source had been replaced
    sidecar.write_text(json.dumps(record), encoding="utf-8")
    assert runnable_model(source) == made and made.stat().st_mtime_ns != first
    assert json.loads(sidecar.read_text(encoding="utf-8"))["source_sha256"] != "0" * 64


@pytest.mark.model
def test_trimmed_model_gives_the_provisioned_models_mask(tmp_path: Path) -> None:
    provisioned = require_model(get_model(DEFAULT_MODEL))
    source = tmp_path / provisioned.name
    shutil.copyfile(provisioned, source)
    trimmed = runnable_model(source)
    assert trimmed != source
    graph = onnx.load(str(trimmed), load_external_data=False).graph
    assert len(graph.output) == 1
    assert all(t.data_type != TensorProto.FLOAT16 for t in graph.initializer)
    options = session_options(threads=2)
    theirs = IsNetEngine(ort.InferenceSession(str(source), options))
    ours = IsNetEngine(ort.InferenceSession(str(trimmed), options))
    photo = load_photo(sample_photos_dir() / "coffee-cup.jpg")
    tensor = ours.prepare(photo.rgb)
    expected, got = theirs.predict(tensor), ours.predict(tensor)
    assert got.shape == expected.shape == (1024, 1024)
    assert float(np.abs(got - expected).max()) < 1 / 255  # never a visible alpha step


def _provision_copy(home: Path) -> Path:
    """The provisioned model and its verification record, copied into another model folder."""
    provisioned = require_model(get_model(DEFAULT_MODEL))
    home.mkdir(parents=True, exist_ok=True)
    sidecar = provisioned.with_name(provisioned.name + ".livestall.json")
    shutil.copyfile(sidecar, home / sidecar.name)
    copy = home / provisioned.name
    shutil.copyfile(provisioned, copy)
    return copy


@pytest.mark.model
def test_a_damaged_trimmed_graph_is_replaced_by_the_provisioned_file(tmp_path: Path) -> None:
    source = _provision_copy(tmp_path / "u2net")
    trimmed = runnable_model(source)
    trimmed.write_bytes(b"\0" * trimmed.stat().st_size)  # same size: the sidecar still agrees
    session = open_model_session(get_model(DEFAULT_MODEL), home=source.parent, threads=1)
    assert len(session.get_outputs()) == 12  # the provisioned graph ran
    assert not trimmed.exists()
    assert runnable_model(source) == trimmed and trimmed.stat().st_size > source.stat().st_size


@pytest.mark.model
def test_a_damaged_model_file_says_so(tmp_path: Path) -> None:
    source = _provision_copy(tmp_path / "u2net")
    source.write_bytes(b"\1" * source.stat().st_size)
    with pytest.raises(ModelDamaged, match="does not load") as caught:
        open_model_session(get_model(DEFAULT_MODEL), home=source.parent, threads=1)
    assert "models pull" in caught.value.hint
