"""`livestall live facebook-connect` / `facebook-disconnect`: the Page the server's sources read.

The same as the studio's Facebook box (`server.services.sources`): the token is checked with the
Graph API, kept in the data folder's ``source_secrets.json`` (0600), and never printed; the
Page's current lives are listed with the ``--source`` to give `livestall live serve`. The token
comes from ``FACEBOOK_PAGE_TOKEN`` or a hidden prompt, never from an argument (shell history).
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer

from livestall.cli.output import console
from server.services import facebook_page
from server.services.source_config import SourceConfig
from server.services.source_listen import SupervisorOptions
from studio.errors import BridgeError
from studio.paths import data_dir

PageOpt = Annotated[str, typer.Option("--page", help="The Facebook Page's numeric id.")]


def facebook_connect(page: PageOpt) -> None:
    """Connect a Facebook Page (token from FACEBOOK_PAGE_TOKEN or a hidden prompt)."""
    token = os.environ.get("FACEBOOK_PAGE_TOKEN", "").strip()
    if not token:
        token = typer.prompt("Page access token", hide_input=True).strip()
    graph_url = SupervisorOptions.from_environ().graph_url
    try:
        info = asyncio.run(facebook_page.check_page(page, token, graph_url=graph_url))
        lives = asyncio.run(facebook_page.current_lives(info.page_id, token, graph_url=graph_url))
    except ConnectionError as exc:
        raise BridgeError(
            f"Facebook cannot be reached: {exc}", hint="check the internet connection"
        ) from None
    config = SourceConfig(data_dir())
    config.save_page(info.page_id, info.name, token)
    console.print(
        f"connected Page {info.name} ({info.page_id}); token kept in {config.secrets_path}",
        markup=False,
    )
    if not lives:
        console.print("no live right now: start it on Facebook, then run this again", markup=False)
    for live in lives:
        console.print(
            f"  {live.title or live.video_id}   --source facebook:{info.page_id}/{live.video_id}",
            markup=False,
            soft_wrap=True,
        )


def facebook_disconnect(page: PageOpt = "") -> None:
    """Wipe a Page's token from this computer (every Page's without --page)."""
    config = SourceConfig(data_dir())
    had = config.forget_page(page)
    console.print("token wiped" if had else "no such Page was connected", markup=False)
