"""Fetch, verify and install model files. The only network code of the `studio` package.

Order of sources for a model: the file already present with a good checksum → each of the
model's sources in turn (rembg's release file, then the npm registry chunks). Every fetch is
written to a ``.part`` file (resumed with an HTTP Range request after an interrupt), verified
against its pinned sha256, and only then renamed to where rembg loads it; a mismatch deletes the
file and says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tarfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import httpx

from studio.errors import ModelChecksumMismatch, ModelDownloadFailed, ModelError, ModelMissing
from studio.models.registry import ModelSource, ModelSpec

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0

ChecksumStatus = Literal["ok", "mismatch", "missing"]


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    """Progress of one fetch: bytes done of total (0 when the server did not say)."""

    source: str
    done_bytes: int
    total_bytes: int


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """A model file as found on disk."""

    name: str
    path: Path
    size_bytes: int
    source: str
    checksum: ChecksumStatus


ProgressCallback = Callable[[DownloadProgress], None]


def _ignore_progress(progress: DownloadProgress) -> None:
    del progress


def u2net_home() -> Path:
    """Return the folder rembg looks in: ``$U2NET_HOME``, default ``$XDG_DATA_HOME/.u2net`` or
    ``~/.u2net`` (the same rule as rembg's ``BaseSession.u2net_home``)."""
    default = os.path.join(os.environ.get("XDG_DATA_HOME", "~"), ".u2net")
    return Path(os.environ.get("U2NET_HOME", default)).expanduser()


def model_path(spec: ModelSpec, home: Path | None = None) -> Path:
    """Return where the model's file lives (whether or not it is there yet)."""
    return (home or u2net_home()) / spec.filename


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def sidecar_path(path: Path) -> Path:
    """Where Livestall records what it knows of a model file (``<name>.livestall.json``)."""
    return path.with_name(path.name + ".livestall.json")


def inspect_model(
    spec: ModelSpec, home: Path | None = None, *, verify: bool = True
) -> InstalledModel:
    """Describe the model file on disk: size, source it came from, checksum status.

    With ``verify=False`` a file whose recorded size and sha256 match the sidecar is trusted
    without re-hashing (fast start-up); ``models list`` and ``models pull`` verify fully.
    """
    path = model_path(spec, home)
    if not path.is_file():
        return InstalledModel(spec.name, path, 0, "", "missing")
    size = path.stat().st_size
    source = str(read_sidecar(path).get("source", "unknown"))
    if not verify and recorded_sha256(path) in spec.sha256_accepted:
        return InstalledModel(spec.name, path, size, source, "ok")
    status: ChecksumStatus = "ok" if sha256_file(path) in spec.sha256_accepted else "mismatch"
    return InstalledModel(spec.name, path, size, source, status)


def recorded_sha256(path: Path) -> str | None:
    """The sha256 recorded when ``path`` was verified, if its size still matches the record."""
    record = read_sidecar(path)
    sha = record.get("sha256")
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return sha if isinstance(sha, str) and record.get("size_bytes") == size else None


def installed_models(specs: Sequence[ModelSpec], home: Path | None = None) -> list[InstalledModel]:
    """Describe every model of the table (missing ones included)."""
    return [inspect_model(spec, home) for spec in specs]


def require_model(spec: ModelSpec, home: Path | None = None) -> Path:
    """Return the path of a provisioned, verified model file, never downloading.

    Raises:
        ModelMissing: the file is absent or its checksum is wrong.
    """
    found = inspect_model(spec, home, verify=False)
    if found.checksum == "ok":
        return found.path
    state = "is not installed" if found.checksum == "missing" else "has a wrong checksum"
    raise ModelMissing(
        f"the background-removal model {spec.name!r} {state} ({found.path})",
        hint="run `livestall models pull` (or pass --engine classic --allow-classic)",
    )


def pull_model(
    spec: ModelSpec,
    *,
    home: Path | None = None,
    is_offline: bool = False,
    sources: Sequence[ModelSource] | None = None,
    on_progress: ProgressCallback = _ignore_progress,
) -> InstalledModel:
    """Make sure a verified copy of the model is where rembg looks, fetching it if needed.

    Args:
        spec: the model to provision.
        home: the model folder (default: rembg's ``U2NET_HOME`` rule).
        is_offline: never touch the network; fail if the file is not already there.
        sources: override the spec's sources (tests use a local server).
        on_progress: called with a `DownloadProgress` as bytes arrive.

    Returns:
        The installed model, checksum verified.

    Raises:
        ModelMissing: offline and no good file present.
        ModelDownloadFailed: every source failed; the message lists why, per source.
    """
    target = model_path(spec, home)
    present = inspect_model(spec, home)
    if present.checksum == "ok":
        _write_sidecar(target, present.source or "present", present.size_bytes)
        return present
    if is_offline:
        raise ModelMissing(
            f"offline and {spec.name!r} is not installed at {target}",
            hint="run `livestall models pull` once while online",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for source in sources if sources is not None else spec.sources:
        try:
            _fetch_source(source, target, on_progress)
        except (
            ModelError,
            httpx.HTTPError,
            OSError,
            tarfile.TarError,
            KeyError,
            ValueError,
        ) as exc:
            log.warning("model source %s failed: %s", source.name, exc)
            failures.append(f"{source.name}: {exc}")
            continue
        _write_sidecar(target, source.name, target.stat().st_size)
        return InstalledModel(spec.name, target, target.stat().st_size, source.name, "ok")
    raise ModelDownloadFailed(
        f"could not fetch {spec.name!r}: " + "; ".join(failures),
        hint="check the internet connection and run `livestall models pull` again",
    )


def _fetch_source(source: ModelSource, target: Path, on_progress: ProgressCallback) -> None:
    part = target.with_name(target.name + ".part")
    if source.kind == "url":
        download(source.url, part, source=source.name, on_progress=on_progress)
    else:
        tarball = target.with_name(f"{target.stem}.{source.name.replace('/', '_')}.tgz")
        tarball_part = tarball.with_name(tarball.name + ".part")
        if not tarball.is_file():
            download(source.url, tarball_part, source=source.name, on_progress=on_progress)
            tarball_part.replace(tarball)
        try:
            assemble_npm_chunks(tarball, source.resource, part)
        except (tarfile.TarError, KeyError, ValueError):
            tarball.unlink(missing_ok=True)  # a bad tarball is fetched again next time
            raise
    verify_and_install(part, target, source)
    if source.kind == "npm-chunks":
        tarball.unlink(missing_ok=True)


def verify_and_install(part: Path, target: Path, source: ModelSource) -> None:
    """Check a fetched file's sha256; rename it into place, or delete it and raise.

    Raises:
        ModelChecksumMismatch: the file's sha256 is not the pinned one (the file is deleted).
    """
    actual = sha256_file(part)
    if actual != source.sha256:
        part.unlink(missing_ok=True)
        raise ModelChecksumMismatch(
            f"{source.name}: sha256 {actual[:12]}… is not the pinned {source.sha256[:12]}…; "
            "the downloaded file was deleted",
            hint="the source may be corrupt or tampered with; try again later",
        )
    os.replace(part, target)


def download(
    url: str,
    part: Path,
    *,
    source: str,
    on_progress: ProgressCallback = _ignore_progress,
) -> None:
    """Stream ``url`` into ``part``, resuming from its current size with an HTTP Range request.

    A server that ignores the Range header (answers 200) restarts the file from zero.

    Raises:
        httpx.HTTPError: the connection failed or the server answered an error.
    """
    offset = part.stat().st_size if part.is_file() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    with httpx.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as resp:
        if resp.status_code == 416 and offset:
            return  # the part file is already complete
        resp.raise_for_status()
        is_resumed = resp.status_code == 206
        done = offset if is_resumed else 0
        total = int(resp.headers.get("content-length", 0)) + done
        with part.open("ab" if is_resumed else "wb") as handle:
            for block in resp.iter_bytes():
                handle.write(block)
                done += len(block)
                on_progress(DownloadProgress(source, done, total))
    if total and done != total:
        raise ModelDownloadFailed(f"{source}: connection closed after {done} of {total} bytes")


def assemble_npm_chunks(tarball: Path, resource: str, out: Path) -> None:
    """Concatenate the chunks of ``resource`` listed in the package's ``dist/resources.json``.

    Raises:
        KeyError: the resource or a chunk is not in the package.
        ValueError: a chunk's offsets do not follow each other.
    """
    with tarfile.open(tarball, "r:gz") as archive:
        index = json.load(_member(archive, "package/dist/resources.json"))
        chunks = index[resource]["chunks"]
        expected = 0
        with out.open("wb") as handle:
            for chunk in chunks:
                start, end = chunk["offsets"]
                if start != expected:
                    raise ValueError(
                        f"chunk {chunk['hash'][:12]} starts at {start}, not {expected}"
                    )
                handle.write(_member(archive, f"package/dist/{chunk['hash']}").read())
                expected = end


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise KeyError(name)
    return extracted


def read_sidecar(path: Path) -> dict[str, object]:
    """The record beside ``path`` (`sidecar_path`); empty when it is missing or unreadable."""
    try:
        data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_sidecar(path: Path, source: str, size_bytes: int) -> None:
    record = read_sidecar(path)
    if record.get("source") == source and record.get("size_bytes") == size_bytes:
        return
    sha = sha256_file(path)
    payload = {"source": source, "sha256": sha, "size_bytes": size_bytes, "pulled_at": time.time()}
    sidecar_path(path).write_text(json.dumps(payload, indent=2), encoding="utf-8")
