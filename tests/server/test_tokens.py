"""Tokens: generated once and stored privately, environment wins, constant-time checks."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from server.tokens import TOKENS_FILE, check_bearer, load_tokens
from studio.errors import AuthError


def test_first_run_generates_and_stores_tokens(tmp_path: Path) -> None:
    first = load_tokens(tmp_path, host=None, ingest=None)
    second = load_tokens(tmp_path, host=None, ingest=None)

    assert first == second
    assert len(first.host) >= 24 and first.host != first.ingest
    file = tmp_path / TOKENS_FILE
    assert json.loads(file.read_text()) == {"host": first.host, "ingest": first.ingest}
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_environment_tokens_win_and_are_not_written(tmp_path: Path) -> None:
    tokens = load_tokens(tmp_path, host="from-env-host", ingest="from-env-ingest")

    assert (tokens.host, tokens.ingest) == ("from-env-host", "from-env-ingest")
    assert not (tmp_path / TOKENS_FILE).exists()


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", "Basic secret", "Bearer secreT", "Bearer secret2"]
)
def test_wrong_bearer_is_refused(header: str | None) -> None:
    with pytest.raises(AuthError) as refused:
        check_bearer(header, "secret", role="host")
    assert refused.value.hint


def test_right_bearer_passes() -> None:
    check_bearer("Bearer secret", "secret", role="host")
    check_bearer("bearer secret", "secret", role="host")
