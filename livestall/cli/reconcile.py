"""`livestall live reconcile`: after the live, the comments the platform has that never arrived.

A thin client of the running server's ``POST /api/sources/reconcile`` (and ``/take``): the same
service the host console and the studio use (`server.services.reconcile`). The platform's list
is fetched for a Facebook source (``--source facebook:PAGE/VIDEO``, its Page connected in the
server) or read from an exported file (``--file``, any recorded-chat format).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from livestall.cli.output import console, print_json
from server.tokens import TOKENS_FILE
from studio.errors import AuthError, BridgeError, InputError, RecordingUnreadable
from studio.paths import data_dir

DEFAULT_SERVER = "http://127.0.0.1:8000"


def reconcile(
    source: Annotated[
        str | None,
        typer.Option("--source", help="Fetch the full list for this source: facebook:PAGE/VIDEO."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="The platform's exported comment list (JSON, JSON Lines...)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Format of --file (auto detects).")] = "auto",
    take: Annotated[
        bool, typer.Option("--take", help="Take the missing comments now, oldest first.")
    ] = False,
    server: Annotated[
        str, typer.Option("--server", help="The live server's URL.")
    ] = DEFAULT_SERVER,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """List the platform's comments that never reached the live, with what they would order."""
    if (source is None) == (file is None):
        raise InputError("give either --source or --file", hint="e.g. --file comments.json")
    body: dict[str, Any] = {"format": fmt}
    if file is not None:
        try:
            body["text"] = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RecordingUnreadable(f"{file}: cannot read it ({exc})") from None
    else:
        body["spec"] = source
    path = "/api/sources/reconcile/take" if take else "/api/sources/reconcile"
    answer = _post(server, path, body)
    if as_json:
        print_json(answer)
        return
    if take:
        console.print(f"taken {answer['taken']} comments · orders {answer['orders']}", markup=False)
        return
    console.print(
        f"platform {answer['platform_total']} comments · ingested {answer['ingested']} · "
        f"missing {len(answer['missing'])}",
        markup=False,
    )
    for row in answer["missing"]:
        when = (
            datetime.fromtimestamp(row["ts"], UTC).strftime("%H:%M:%S") if row["ts"] else "--:--:--"
        )
        items = ", ".join(f"{i['sku']} x{i['qty']}" for i in row["items"]) or row["intent"]
        console.print(
            f"  {when}  {row['user_name']}: {row['text']}  → {items}", markup=False, soft_wrap=True
        )
    if answer["missing"]:
        console.print("run again with --take to take them in comment order", markup=False)


def _host_token() -> str:
    token = os.environ.get("LIVESTALL_HOST_TOKEN", "").strip()
    if token:
        return token
    try:
        stored = json.loads((data_dir() / TOKENS_FILE).read_text(encoding="utf-8")).get("host")
    except (OSError, ValueError, AttributeError):
        stored = None
    if isinstance(stored, str) and stored:
        return stored
    raise AuthError(
        "no host token for the live server",
        hint="set LIVESTALL_HOST_TOKEN, or run this on the server's computer",
    )


def _post(server: str, path: str, body: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {_host_token()}"}
    try:
        response = httpx.post(server.rstrip("/") + path, json=body, headers=headers, timeout=120)
    except httpx.HTTPError as exc:
        raise BridgeError(
            f"the live server at {server} cannot be reached ({type(exc).__name__})",
            hint="start it with `livestall live serve` or give --server",
        ) from None
    if response.status_code >= 400:
        try:
            problem = response.json()
        except ValueError:
            problem = {"message": response.text[:200]}
        raise BridgeError(
            f"the live server refused: {problem.get('message', '')}",
            hint=str(problem.get("hint") or ""),
        )
    return response.json()
