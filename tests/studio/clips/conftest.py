"""Clip tests keep their cut-out cache in one temporary data folder per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _livestall_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIVESTALL_HOME", str(tmp_path_factory.mktemp("livestall-home")))
        yield
