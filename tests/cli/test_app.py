"""The `livestall` command: help on every command, version, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from livestall.cli.app import app, main
from studio import __version__


def all_command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: typer.main.TyperCommand | TyperGroup, prefix: list[str]) -> None:
        paths.append(prefix)
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "livestall")
def test_every_command_has_help(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage:" in out


def test_groups_exist() -> None:
    top = {p[0] for p in all_command_paths() if p}
    assert {"photos", "clip", "live", "models", "demo"} <= top


def test_version_from_installed_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "livestall", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"livestall {__version__}"


def test_unknown_command_fails_with_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err


LANG_VARIABLES = ("LIVESTALL_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LIVESTALL_LANG": "vi"}, "Không dùng được file x.csv: không tìm thấy file"),
        ({"LANG": "ar_EG.UTF-8"}, "لا يمكن استخدام الملف x.csv: الملف غير موجود"),
        (
            {"LIVESTALL_LANG": "en", "LANG": "vi_VN.UTF-8"},
            "x.csv: no such catalog file — check the path",
        ),
        (
            {"LC_ALL": "C.UTF-8", "LANG": "vi_VN.UTF-8"},
            "x.csv: no such catalog file — check the path",
        ),
    ],
    ids=["livestall-lang", "system-arabic", "livestall-lang-wins", "c-locale"],
)
def test_an_error_line_is_in_the_command_lines_language(
    env: dict[str, str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    for name in LANG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["catalog", "import", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "catalog.invalid" in err and expected in err
