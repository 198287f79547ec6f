"""The server's own comment sources (host token): list with health, add, start, stop, remove;
the Facebook Page they read with; and the after-live reconcile.

Routes only validate and shape answers; the work is in `server.services.sources` (the
supervisor), `server.services.reconcile` and `server.services.source_health` (the reasons in the
seller's language: ``?lang=`` / ``X-Livestall-Lang``). No answer ever carries a Page token.
The web studio's go-live tab calls the same services through `server.studio.live`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from server.api.deps import LiveDep
from server.bridges.body import CommentBody
from server.live import Live
from server.problems import request_lang
from server.services import reconcile
from server.services.source_health import reason_text
from server.services.sources import SourceSupervisor, SourceView

# One set of routes, mounted twice by `server.app.create_app`: at ``/api/sources`` behind the
# host token, and at ``/studio/api/live/sources`` for the web studio (this computer only).
router = APIRouter(tags=["sources"])
SOURCES_PREFIX = "/api/sources"
STUDIO_PREFIX = "/studio/api/live/sources"


async def get_sources(request: Request) -> SourceSupervisor:
    """Return the source supervisor of the app serving this request."""
    supervisor: SourceSupervisor = request.app.state.sources
    return supervisor


SourcesDep = Annotated[SourceSupervisor, Depends(get_sources)]


class GapOut(BaseModel):
    """A reconnect's window (epoch seconds) and whether the platform gave it back."""

    start: float
    end: float | None
    is_refilled: bool
    backfilled: int


class SourceOut(BaseModel):
    """One source with its health, in the page's language."""

    id: str
    spec: str
    kind: str
    target: str
    page_id: str
    is_enabled: bool
    state: str
    reconnects: int
    reason: str
    reason_text: str
    comments: int
    duplicates: int
    events: int
    backfilled: int
    last_comment_at: float | None
    gaps: list[GapOut]
    gaps_unfilled: int
    alert: str
    alert_text: str


class PageOut(BaseModel):
    """A connected Facebook Page (its id and name; never its token)."""

    page_id: str
    name: str


class SourcesOut(BaseModel):
    """Every source, the connected Pages, and after how long a quiet source is flagged."""

    sources: list[SourceOut]
    pages: list[PageOut]
    silence_s: float


class SourceIn(BaseModel):
    """A source to add: ``facebook:PAGE/VIDEO``, ``tiktok:@user``, ``youtube:URL``..."""

    spec: str = Field(min_length=3, max_length=600)
    is_started: bool = True


class PageIn(BaseModel):
    """A Page to connect with its access token (kept on this computer, 0600)."""

    page_id: str = Field(pattern=r"^[0-9]{1,64}$")
    token: str = Field(min_length=10, max_length=1000)


class LiveVideoOut(BaseModel):
    """One of the Page's current live videos, and the spec that follows it."""

    video_id: str
    title: str
    started_at: float | None
    spec: str


class ReconcileIn(BaseModel):
    """The live's full comment list: fetched for a Facebook source, or pasted / exported."""

    spec: str | None = Field(default=None, max_length=600)
    text: str | None = Field(default=None, max_length=1_000_000)
    format: str = Field(default="auto", max_length=20)


class MissingOut(BaseModel):
    """A comment the platform has and ingest never saw, and what it would order."""

    platform: str
    comment_id: str
    user_name: str
    text: str
    ts: float | None
    intent: str
    items: list[dict[str, str | int | None]]
    rule: str


class ReconcileOut(BaseModel):
    """The diff of the platform's list against what was ingested."""

    platform_total: int
    ingested: int
    missing: list[MissingOut]


class TakenOut(BaseModel):
    """What taking the missing comments did (ingest's answer for each, oldest first)."""

    taken: int
    orders: int
    answers: list[dict[str, object]]


def source_out(view: SourceView, lang: str) -> SourceOut:
    """Shape a source's view for a page in `lang` (the host console and the web studio)."""
    return SourceOut(
        id=view.source_id,
        spec=view.spec.text,
        kind=view.spec.kind,
        target=view.spec.target,
        page_id=view.spec.page_id,
        is_enabled=view.is_enabled,
        state=view.state,
        reconnects=view.reconnects,
        reason=view.reason,
        reason_text=reason_text(view.reason, lang),
        comments=view.comments,
        duplicates=view.duplicates,
        events=view.events,
        backfilled=view.backfilled,
        last_comment_at=view.last_comment_s,
        gaps=[
            GapOut(start=g.start_s, end=g.end_s, is_refilled=g.is_refilled, backfilled=g.backfilled)
            for g in view.gaps
        ],
        gaps_unfilled=sum(1 for g in view.gaps if g.end_s is not None and not g.is_refilled),
        alert=view.alert,
        alert_text=reason_text("silent", lang) if view.alert == "silent" else "",
    )


def sources_out(supervisor: SourceSupervisor, lang: str) -> SourcesOut:
    """Every source and the connected Pages, for a page in `lang`."""
    return SourcesOut(
        sources=[source_out(view, lang) for view in supervisor.views()],
        pages=[PageOut(page_id=p.page_id, name=p.name) for p in supervisor.connected_pages()],
        silence_s=supervisor.options.silence_s,
    )


async def live_videos(supervisor: SourceSupervisor, page_id: str) -> list[LiveVideoOut]:
    """The Page's current lives, each with the spec to add it as a source."""
    lives = await supervisor.page_lives(page_id)
    return [
        LiveVideoOut(
            video_id=v.video_id,
            title=v.title,
            started_at=v.started_s,
            spec=f"facebook:{page_id}/{v.video_id}",
        )
        for v in lives
    ]


async def platform_list(supervisor: SourceSupervisor, body: ReconcileIn) -> list[CommentBody]:
    """The comment list a reconcile request names: pasted text, else fetched for its spec."""
    if body.text:
        return reconcile.comments_from_text(body.text, body.format)
    return await supervisor.platform_comments(body.spec or "")


async def reconcile_out(live: Live, comments: list[CommentBody]) -> ReconcileOut:
    """Diff `comments` against ingest and shape the report."""
    report = await reconcile.find_missing(live, comments)
    return ReconcileOut(
        platform_total=report.platform_total,
        ingested=report.ingested,
        missing=[
            MissingOut(
                platform=m.comment.platform,
                comment_id=m.comment.comment_id,
                user_name=m.comment.user_name,
                text=m.comment.text,
                ts=m.comment.ts,
                intent=m.parsed.intent,
                items=[
                    {"sku": i.sku, "qty": i.qty, "size": i.size, "color": i.color}
                    for i in m.parsed.items
                ],
                rule=m.parsed.rule,
            )
            for m in report.missing
        ],
    )


async def taken_out(live: Live, comments: list[CommentBody]) -> TakenOut:
    """Take the missing comments in comment order and shape ingest's answers."""
    answers = await reconcile.take_missing(live, comments)
    orders = sum(1 for a in answers if a.get("order"))
    return TakenOut(taken=len(answers), orders=orders, answers=[dict(a) for a in answers])


@router.get("", response_model=SourcesOut)
async def list_sources(request: Request, supervisor: SourcesDep) -> SourcesOut:
    """Every source with its health (state, counts, gaps, alert) and the connected Pages."""
    return sources_out(supervisor, request_lang(request))


@router.post("", response_model=SourceOut, status_code=201)
async def add_source(body: SourceIn, request: Request, supervisor: SourcesDep) -> SourceOut:
    """Add a source and start it (``is_started`` false: only add it)."""
    return source_out(supervisor.add(body.spec, is_started=body.is_started), request_lang(request))


@router.post("/{source_id}/start", response_model=SourceOut)
async def start_source(source_id: str, request: Request, supervisor: SourcesDep) -> SourceOut:
    """Start a stopped source (or retry one in error)."""
    return source_out(supervisor.start_source(source_id), request_lang(request))


@router.post("/{source_id}/stop", response_model=SourceOut)
async def stop_source(source_id: str, request: Request, supervisor: SourcesDep) -> SourceOut:
    """Stop a source; it stays in the list."""
    return source_out(await supervisor.stop_source(source_id), request_lang(request))


@router.delete("/{source_id}", status_code=204)
async def remove_source(source_id: str, supervisor: SourcesDep) -> None:
    """Stop a source and forget it."""
    await supervisor.remove(source_id)


@router.post("/facebook/pages", response_model=PageOut)
async def connect_page(body: PageIn, supervisor: SourcesDep) -> PageOut:
    """Check a Page token with Facebook and keep it on this computer (0600)."""
    page = await supervisor.connect_page(body.page_id, body.token)
    return PageOut(page_id=page.page_id, name=page.name)


@router.delete("/facebook/pages/{page_id}", status_code=204)
async def disconnect_page(page_id: str, supervisor: SourcesDep) -> None:
    """Wipe a Page's token and stop its sources (``-`` for every Page)."""
    await supervisor.disconnect_page("" if page_id == "-" else page_id)


@router.get("/facebook/pages/{page_id}/lives", response_model=list[LiveVideoOut])
async def page_lives(page_id: str, supervisor: SourcesDep) -> list[LiveVideoOut]:
    """The Page's videos that are live now, to pick one."""
    return await live_videos(supervisor, page_id)


@router.post("/reconcile", response_model=ReconcileOut)
async def reconcile_live(body: ReconcileIn, live: LiveDep, supervisor: SourcesDep) -> ReconcileOut:
    """The comments the platform has that ingest never saw, with what they would order."""
    return await reconcile_out(live, await platform_list(supervisor, body))


@router.post("/reconcile/take", response_model=TakenOut)
async def take_missing(body: ReconcileIn, live: LiveDep, supervisor: SourcesDep) -> TakenOut:
    """Ingest the missing comments in one call, oldest first (first come, first served)."""
    return await taken_out(live, await platform_list(supervisor, body))
