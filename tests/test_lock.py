"""The lock file installs exactly what pyproject.toml allows, and this environment is the lock.

`make install` installs `requirements.lock` (hash-checked) and nothing else, so a fresh machine gets
the versions the tests saw; `make lock` refreshes it (docs/contributing.md).
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>\S+)(?: ; (?P<marker>[^\\]+?))? \\$")


def lock_pins() -> dict[str, Version]:
    """The lock's pins that apply to this interpreter, by canonical name."""
    pins: dict[str, Version] = {}
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        found = ENTRY.match(line)
        if not found:
            continue
        assert lines[number + 1].strip().startswith("--hash=sha256:"), f"{line}: no hash"
        marker = found["marker"]
        if marker and not Marker(marker).evaluate():
            continue
        name = canonicalize_name(found["name"])
        assert name not in pins, f"{name} pinned twice for this interpreter"
        pins[name] = Version(found["version"])
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(text)
        for text in project["dependencies"] + project["optional-dependencies"]["dev"]
    ]


def test_every_declared_range_is_pinned_inside_its_range() -> None:
    pins = lock_pins()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{name} is in pyproject.toml but not in requirements.lock: run make lock"
        )
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}: run make lock"
        )


def test_this_environment_runs_the_locked_versions() -> None:
    mismatched = []
    for name, version in lock_pins().items():
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            mismatched.append(f"{name}: not installed (lock {version})")
            continue
        if installed != version:
            mismatched.append(f"{name}: {installed} installed, lock {version}")
    assert not mismatched, "run make install: " + "; ".join(mismatched)
