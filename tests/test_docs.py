"""The docs stay true: every error code the code can raise is documented in docs/errors.md."""

from __future__ import annotations

import inspect
from pathlib import Path

import studio.errors as errors

DOCS = Path(__file__).resolve().parents[1] / "docs"


def error_codes() -> set[str]:
    return {
        cls.code
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.LivestallError)
    }


def test_every_error_code_is_documented() -> None:
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    missing = sorted(code for code in error_codes() if f"`{code}`" not in text)
    assert missing == []


def test_readme_links_point_at_existing_docs() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for name in ("install", "photos", "clips", "live", "errors", "benchmarks"):
        assert f"docs/{name}.md" in readme
        assert (DOCS / f"{name}.md").is_file()
