"""`livestall live`: Live sale server: comments in, orders out, OBS overlay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from livestall.cli import after_live, bridge, reconcile
from livestall.cli import sources as source_commands
from livestall.cli.output import console
from server.app import create_app
from server.live import Live
from server.serve import check_workers, serve_workers
from server.serve import serve as run_server
from server.settings import Settings
from server.tokens import TOKENS_FILE, mask_token
from studio.errors import BridgeSourceInvalid
from studio.paths import data_dir

app = typer.Typer(
    help="Live sale server: comments in, orders out, OBS overlay.", no_args_is_help=True
)
# Platform bridges live in their own module (livestall/cli/bridge.py); keep these two lines.
app.command("bridge")(bridge.bridge)
app.command("replay")(bridge.replay)
# After the live: packing slips and carrier export (livestall/cli/after_live.py).
app.command("slips")(after_live.slips)
app.command("ship-export")(after_live.ship_export)
# Comments the platform had that never arrived (livestall/cli/reconcile.py).
app.command("reconcile")(reconcile.reconcile)
# The Facebook Page the server's own sources read (livestall/cli/sources.py).
app.command("facebook-connect")(source_commands.facebook_connect)
app.command("facebook-disconnect")(source_commands.facebook_disconnect)


@app.command("serve")
def serve(
    catalog: Annotated[
        Path, typer.Option("--catalog", help="Catalog file (YAML or CSV) with SKUs and stock.")
    ],
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="LIVESTALL_DB_URL",
            help="SQLAlchemy URL (sqlite:/// or postgresql+psycopg://); default: live.sqlite "
            "in the data folder.",
        ),
    ] = "",
    redis: Annotated[
        str,
        typer.Option(
            "--redis",
            envvar="LIVESTALL_REDIS_URL",
            help="redis:// URL: share live events with other server processes (docs/deploy.md).",
        ),
    ] = "",
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Server processes on this port (needs --db and --redis)."
        ),
    ] = 1,
    host: Annotated[
        str, typer.Option("--host", help="Interface to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="A platform source the server runs itself (repeatable): facebook:PAGE/VIDEO, "
            "tiktok:@user, youtube:URL, twitch:CHANNEL, ssn:SESSION or file:PATH.",
            show_default=False,
        ),
    ] = None,
    hold: Annotated[
        str,
        typer.Option(
            "--hold",
            envvar="LIVESTALL_HOLD",
            help="How long an unpaid, unconfirmed cart line keeps its stock: 90s, 30m, 2h "
            "(0 = no deadline; default: the host console's setting).",
        ),
    ] = "",
) -> None:
    """Run the live sale server and print the page URLs and where its tokens are."""
    settings = Settings(
        catalog_path=catalog, db_url=db, redis_url=redis, host=host, port=port, hold=hold
    )
    check_workers(settings, workers)
    fastapi_app = create_app(settings) if workers == 1 else None
    if sources and fastapi_app is None:
        raise BridgeSourceInvalid(
            "--source runs in a single server process",
            hint="drop --workers, or run `livestall live bridge` beside the workers",
        )
    for spec in sources or []:  # started with the server, kept in sources.json
        assert fastapi_app is not None
        fastapi_app.state.sources.add(spec)
    live = fastapi_app.state.live if fastapi_app is not None else Live.open(settings)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown_host}:{port}"
    console.print(f"[bold]Livestall live[/] — session {live.session_id}, catalog {catalog}")
    lines = [
        f"  host console   {base}/host",
        f"  OBS overlay    {base}/overlay   portrait: {base}/overlay?layout=portrait",
        f"  viewer page    {base}/viewer",
        f"  comments API   POST {base}/api/comments",
    ]
    # Never the whole token: a terminal is screen-shared, recorded and pasted into chats.
    folder = settings.data_dir or data_dir()
    for role, token, given in (
        ("host", live.tokens.host, settings.host_token),
        ("ingest", live.tokens.ingest, settings.ingest_token),
    ):
        where = f"LIVESTALL_{role.upper()}_TOKEN" if given else str(folder / TOKENS_FILE)
        lines.append(f"  {role + ' token':<15}{mask_token(token)}   full token in {where}")
    if live.db_path is not None:
        lines.append(f"  database       {live.db_path}")
    else:
        lines.append(f"  database       {live.engine.url.render_as_string(hide_password=True)}")
    if redis:
        lines.append(f"  event bus      {redis}   workers {workers}")
    for spec in sources or []:
        lines.append(f"  source         {spec}")
    for line in lines:  # soft_wrap: URLs and tokens stay on one line, easy to copy
        console.print(line, soft_wrap=True, highlight=False, markup=False)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(
            f"[yellow]![/] listening on {host}: anyone on this network can open the pages"
        )
    if fastapi_app is None:
        live.engine.dispose()  # each worker opens its own connections
        serve_workers(settings, workers=workers)
    else:
        run_server(fastapi_app, host=host, port=port)
