"""The host and ingest tokens: loaded, generated on first run, compared in constant time.

Priority: explicit settings (``LIVESTALL_HOST_TOKEN`` / ``LIVESTALL_INGEST_TOKEN``), then
``tokens.json`` in the data folder, else new random tokens written there (mode 0600).
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from studio.errors import AuthError, OutputError

TOKENS_FILE = "tokens.json"
MASK_SHOWN_CHARS = 4  # of 32: the other 28 characters (168 bits) stay secret


@dataclass(frozen=True, slots=True)
class Tokens:
    """Secrets of one server: ``host`` runs the sale, ``ingest`` posts comments."""

    host: str
    ingest: str


def load_tokens(data_dir: Path, *, host: str | None, ingest: str | None) -> Tokens:
    """Return the tokens, creating ``tokens.json`` under `data_dir` when one is missing.

    Args:
        data_dir: the seller's data folder.
        host: a host token from the environment or arguments (wins over the file).
        ingest: an ingest token from the environment or arguments (wins over the file).

    Raises:
        OutputError: the data folder cannot be written.
    """
    file = data_dir / TOKENS_FILE
    stored: dict[str, str] = {}
    if file.is_file():
        loaded = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            stored = {str(k): str(v) for k, v in loaded.items()}
    if host and ingest:
        return Tokens(host=host, ingest=ingest)
    from_file = {
        "host": stored.get("host") or secrets.token_urlsafe(24),
        "ingest": stored.get("ingest") or secrets.token_urlsafe(24),
    }
    if from_file != stored:
        _write_tokens(file, from_file)
    return Tokens(host=host or from_file["host"], ingest=ingest or from_file["ingest"])


def _write_tokens(file: Path, tokens: dict[str, str]) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(tokens, handle)
    except OSError as exc:
        raise OutputError(
            f"{file}: cannot store the server tokens ({exc.strerror})",
            hint="set LIVESTALL_HOME to a writable folder",
        ) from exc


def is_server_bearer(authorization: str | None, tokens: Tokens) -> bool:
    """Whether ``Authorization: Bearer <token>`` holds the host or the ingest token.

    Compared in constant time; says nothing about which of the two it is (routes check that).
    """
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    presented = given.strip().encode()
    is_host = hmac.compare_digest(presented, tokens.host.encode())
    is_ingest = hmac.compare_digest(presented, tokens.ingest.encode())
    return is_host or is_ingest


def mask_token(token: str) -> str:
    """The first characters of a token and an ellipsis: enough to tell tokens apart, not to use.

    >>> mask_token("Xq3kF9pLmN2vB8wR")
    'Xq3k…'
    """
    return f"{token[:MASK_SHOWN_CHARS]}…" if len(token) > 2 * MASK_SHOWN_CHARS else "…"


def check_bearer(authorization: str | None, expected: str, *, role: str) -> None:
    """Accept ``Authorization: Bearer <expected>``, compared in constant time.

    Raises:
        AuthError: the header is missing or holds another token.
    """
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise AuthError(
            f"the {role} token is missing", hint=f"send 'Authorization: Bearer <{role} token>'"
        )
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise AuthError(
            f"wrong {role} token",
            hint=f"use the {role} token from tokens.json in the data folder "
            "(`livestall live serve` says where)",
        )
