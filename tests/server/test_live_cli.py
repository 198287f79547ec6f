"""`livestall live serve` refuses a bad catalog or database with one line and an exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli.app import main


def test_missing_catalog_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["live", "serve", "--catalog", str(tmp_path / "nope.yaml")])

    assert code == 2
    assert "catalog.invalid" in capsys.readouterr().err


def test_unknown_database_url_exits_2(
    tmp_path: Path, live_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVESTALL_HOME", str(tmp_path))
    code = main(["live", "serve", "--catalog", str(live_catalog), "--db", "nosuchdb://x"])

    assert code == 2
