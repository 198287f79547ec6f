"""`livestall live bridge` and `livestall live replay`: comments from platforms into a live server.

Both commands are thin: the work is in `server.bridges` (adapters, delivery, reconnects). This
module builds the options, runs the asyncio tasks, and prints the status line.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.markup import escape

from livestall.cli.output import console, err_console, print_json
from server.bridges import (
    ChatEvent,
    ClientOptions,
    CommentBody,
    IngestClient,
    Outbox,
    ReplayReport,
    SourceOptions,
    parse_source,
    read_recording,
    run_source,
)
from server.bridges.client import find_ingest_token
from server.bridges.formats import FORMATS
from server.bridges.jsonl import dump_lines
from server.bridges.replay import replay_comments
from server.bridges.sources import SourceRun
from studio.errors import BridgeSourceInvalid
from studio.paths import data_dir

DEFAULT_SERVER = "http://127.0.0.1:8000"
ServerOpt = Annotated[str, typer.Option("--server", help="The live server's URL.")]
FORMAT_NAMES = ("auto", *FORMATS)
SHOWN_EVENTS = frozenset({"gift", "donation", "subscription", "follow"})


def _options(server: str) -> ClientOptions:
    return ClientOptions(server_url=server, token=find_ingest_token(data_dir() / "tokens.json"))


def bridge(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="One or more of youtube:VIDEO_ID_OR_URL, tiktok:@USER, facebook:LIVE_VIDEO_ID, "
            "ssn:SESSION_ID, twitch:CHANNEL.",
            show_default=False,
        ),
    ],
    server: ServerOpt = DEFAULT_SERVER,
    facebook_token: Annotated[
        str,
        typer.Option(
            "--facebook-token",
            envvar="FACEBOOK_PAGE_TOKEN",
            help="Page access token for facebook: sources (better: the FACEBOOK_PAGE_TOKEN variable).",
            show_default=False,
        ),
    ] = "",
    facebook_rate: Annotated[
        str,
        typer.Option(
            "--facebook-rate", help="one_per_two_seconds, ten_per_second or one_hundred_per_second."
        ),
    ] = "ten_per_second",
    ssn_server: Annotated[
        str, typer.Option("--ssn-server", help="Social Stream Ninja's websocket server.")
    ] = "wss://io.socialstream.ninja",
    twitch_url: Annotated[str, typer.Option("--twitch-url", help="Twitch's IRC websocket.")] = (
        "wss://irc-ws.chat.twitch.tv:443"
    ),
    record: Annotated[
        Path | None,
        typer.Option("--record", help="Also append every comment to this JSON Lines file."),
    ] = None,
    outbox: Annotated[
        Path | None,
        typer.Option(
            "--outbox", help="Where comments wait while the server is down (default: data folder)."
        ),
    ] = None,
    status_every_s: Annotated[
        float, typer.Option("--status-every", help="Seconds between status lines.", min=0.2)
    ] = 10.0,
    duration_s: Annotated[
        float | None,
        typer.Option("--duration", help="Stop after this many seconds (demos, tests)."),
    ] = None,
) -> None:
    """Forward comments from YouTube, TikTok, Facebook, Social Stream Ninja or Twitch to a live server."""
    if facebook_rate not in ("one_per_two_seconds", "ten_per_second", "one_hundred_per_second"):
        raise BridgeSourceInvalid(
            f"unknown --facebook-rate {facebook_rate!r}",
            hint="use one_per_two_seconds, ten_per_second or one_hundred_per_second",
        )
    source_options = SourceOptions(
        facebook_token=facebook_token,
        facebook_rate=facebook_rate,  # type: ignore[arg-type]  # checked just above
        ssn_server=ssn_server,
        twitch_url=twitch_url,
    )
    runs = [SourceRun(parse_source(spec, source_options)) for spec in sources]
    options = _options(server)
    outbox_path = outbox or default_outbox(server, [r.source.name for r in runs])
    asyncio.run(_bridge(runs, options, outbox_path, record, status_every_s, duration_s))


def default_outbox(server: str, sources: list[str]) -> Path:
    """Return the outbox file of one bridge command: the same sources and server reuse it after
    a restart; another bridge process (one per platform) gets its own."""
    key = hashlib.sha1("\n".join([server, *sorted(sources)]).encode()).hexdigest()[:12]
    return data_dir() / "bridges" / f"outbox-{key}.sqlite3"


async def _bridge(
    runs: list[SourceRun],
    options: ClientOptions,
    outbox_path: Path,
    record: Path | None,
    status_every_s: float,
    duration_s: float | None,
) -> None:
    box = Outbox.open(outbox_path)
    if len(box):
        err_console.print(
            f"[dim]{len(box)} comments from an earlier run are waiting; sending them first[/]"
        )
    recording = record.open("a", encoding="utf-8") if record is not None else None

    def on_comment(body: CommentBody) -> None:
        client.submit(body)
        if recording is not None:
            recording.write(dump_lines([body]))
            recording.flush()

    def on_event(event: ChatEvent) -> None:
        # Likes, joins and moderation come by the hundred; the status line counts them.
        if event.kind in SHOWN_EVENTS:
            err_console.print(
                f"{event.platform} {event.kind}: {event.user_name} {event.detail}",
                soft_wrap=True,
                markup=False,
            )

    async with httpx.AsyncClient() as http:
        client = IngestClient(options, box, http)
        sender = asyncio.create_task(client.run(), name="server")
        sources = {
            asyncio.create_task(run_source(r, on_comment, on_event=on_event), name=r.source.name): r
            for r in runs
        }
        status = asyncio.create_task(_print_status(runs, client, status_every_s), name="status")
        try:
            failure = await _supervise(sender, sources, duration_s)
            # Give queued comments a moment to reach the server before stopping.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(client.drain(), timeout=5.0)
        finally:
            for task in [sender, status, *sources]:
                task.cancel()
            await asyncio.gather(sender, status, *sources, return_exceptions=True)
            _print_status_once(runs, client)
            box.close()
            if recording is not None:
                recording.close()
    if failure is not None:
        raise failure


async def _supervise(
    sender: asyncio.Task[None],
    sources: dict[asyncio.Task[None], SourceRun],
    duration_s: float | None,
) -> BaseException | None:
    """Run until the duration ends or every source stopped; return the first source failure.

    One source that stops (an expired Facebook token, say) does not stop the others: its error
    is printed at once and the rest keep delivering. A refused ingest token stops everything.
    """
    deadline = None if duration_s is None else asyncio.get_running_loop().time() + duration_s
    pending: set[asyncio.Task[None]] = set(sources)
    failure: BaseException | None = None
    while pending:
        timeout = (
            None if deadline is None else max(0.0, deadline - asyncio.get_running_loop().time())
        )
        done, pending = await asyncio.wait(
            {*pending, sender}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if sender in done:
            sender.result()  # raises the refused-token error
        pending.discard(sender)
        for task in done - {sender}:
            error = task.exception()
            if error is not None:
                failure = failure or error
                name = escape(sources[task].source.name)
                err_console.print(
                    f"[bold red]stopped[/] {name}: {escape(str(error))}", soft_wrap=True
                )
        if not done:  # the duration is over
            break
    return failure


async def _print_status(runs: list[SourceRun], client: IngestClient, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        _print_status_once(runs, client)


def _print_status_once(runs: list[SourceRun], client: IngestClient) -> None:
    now = time.monotonic()
    for run in runs:
        status = run.status
        error = f" · last error: {status.last_error}" if status.last_error else ""
        err_console.print(
            f"{run.source.name}  {status.state}  {status.per_minute(now)}/min  "
            f"comments {status.comments}  events {status.events}{error}",
            soft_wrap=True,
            markup=False,
        )
    link, counts = client.link, client.counts
    error = f" · last error: {link.last_error}" if link.last_error else ""
    err_console.print(
        f"server {client.options.server_url}  {link.state}  {link.per_minute(now)}/min  "
        f"accepted {counts.accepted}  duplicate {counts.duplicate}  rejected {counts.rejected}  "
        f"orders {counts.orders}  queued {len(client.outbox)}  dropped {client.outbox.dropped}{error}",
        soft_wrap=True,
        markup=False,
    )


def replay(
    file: Annotated[
        Path, typer.Argument(help="A recorded chat (see docs/bridges.md for formats).")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help=f"One of {', '.join(FORMAT_NAMES)}.")
    ] = "auto",
    speed: Annotated[
        float,
        typer.Option(
            "--speed", help="1 = real time, 10 = ten times faster, 0 = all at once.", min=0
        ),
    ] = 1.0,
    server: ServerOpt = DEFAULT_SERVER,
    give_up_s: Annotated[
        float,
        typer.Option(
            "--give-up-after", help="Fail if the server stays unreachable this long.", min=1
        ),
    ] = 30.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Feed a recorded chat into a running live server (rehearsals, demos, tests)."""
    chosen, items = read_recording(file, fmt)
    comments = [i for i in items if isinstance(i, CommentBody)]
    if not comments:
        raise BridgeSourceInvalid(f"{file}: only events, no comments, in this {chosen.name} file")
    options = _options(server)
    report = asyncio.run(replay_comments(comments, options, speed=speed, give_up_s=give_up_s))
    if as_json:
        print_json({"file": str(file), "format": chosen.name, **_report_dict(report)})
        return
    console.print(
        f"{file.name} ({chosen.name}): sent {report.sent} in {report.elapsed_s:.1f} s · "
        f"accepted {report.accepted} · duplicate {report.duplicate} · rejected {report.rejected} · "
        f"orders {report.orders}",
        markup=False,
    )


def _report_dict(report: ReplayReport) -> dict[str, float | int]:
    return {
        "sent": report.sent,
        "accepted": report.accepted,
        "duplicate": report.duplicate,
        "rejected": report.rejected,
        "orders": report.orders,
        "dropped": report.dropped,
        "elapsed_s": round(report.elapsed_s, 3),
    }
