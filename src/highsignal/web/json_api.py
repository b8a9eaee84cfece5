"""The JSON API: everything the pages show, under ``/api``, described at ``/api/openapi.json``.

The digest comes in ``digest_json``'s shape (the CLI's ``--format json``);
items, sources, search hits and answers in the shapes of ``shapes``. Every
POST needs the session's CSRF token in ``X-CSRF-Token`` (from
``GET /api/session``), unless it is signed in with ``Authorization: Bearer``.
So anything that spends resources on the reader's behalf is a POST: asking
with the configured LLM is ``POST /api/ask``; ``GET /api/ask`` answers offline.
The curated digest is also an Atom feed at ``/feed.atom``, with an ETag.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from . import actions, shapes
from .digest_view import DigestQuery
from .views import WebState

router = APIRouter(prefix="/api", tags=["api"])
feed_router = APIRouter(tags=["feed"])

JSON = "application/json"


def _web(request: Request) -> WebState:
    return request.app.state.web


class RateBody(BaseModel):
    value: Literal["up", "down"]


class MarkBody(BaseModel):
    state: Literal["read", "skipped"]


class AddSourceBody(BaseModel):
    url: str = Field(description="A feed or web page URL (http or https).")
    fetch: bool = Field(True, description="Fetch and ingest it now.")


class RefreshBody(BaseModel):
    sources: list[int] | None = Field(None, description="Source ids; all sources that are not gone when omitted.")


class ImportBody(BaseModel):
    opml: str = Field(description="The OPML document as text.")
    fetch: bool = Field(False, description="Fetch the new sources right away.")


class AskBody(BaseModel):
    q: str = Field(description="The question.")


class FocusBody(BaseModel):
    mode: Literal["depth", "breadth"] | None = None
    deep: list[str] | None = None
    ignore: list[str] | None = None
    trusted_sources: list[str] | None = None
    muted_sources: list[str] | None = None
    muted_phrases: list[str] | None = None


def _digest_query(
    since: str | None, grade: str | None, topic: str | None, source: str | None, kind: str | None, mode: str | None,
    top: str | None,
) -> DigestQuery:  # fmt: skip
    params = {"since": since, "grade": grade, "topic": topic, "source": source, "kind": kind, "mode": mode, "top": top}
    return DigestQuery.parse({k: v for k, v in params.items() if v is not None})


SinceParam = Annotated[str | None, Query(description="Window: 24h, 7d, 2w, a date, or 'all'. Default 7d.")]
GradeParam = Annotated[str | None, Query(description="Only items of this grade: high, medium or low.")]
TopicParam = Annotated[str | None, Query(description="Only items on this topic id.")]
SourceParam = Annotated[str | None, Query(description="Only items from this source id.")]
KindParam = Annotated[str | None, Query(description="Only items of this kind: release, paper, code, ...")]
ModeParam = Annotated[str | None, Query(description="depth or breadth (default: the focus profile's).")]
TopParam = Annotated[str | None, Query(description="How many items (1-100, default 20).")]


@router.get("/session", summary="This session's CSRF token (send it as X-CSRF-Token on POST)")
def session(request: Request) -> dict[str, Any]:
    return {"csrf": request.state.csrf, "signed_in": request.state.authed, "header": "X-CSRF-Token"}


@router.get("/digest", summary="The ranked digest (the shape of `highsignal digest --format json`)")
async def digest(
    request: Request, since: SinceParam = None, grade: GradeParam = None, topic: TopicParam = None,
    source: SourceParam = None, kind: KindParam = None, mode: ModeParam = None, top: TopParam = None,
) -> Response:  # fmt: skip
    web = _web(request)
    q = _digest_query(since, grade, topic, source, kind, mode, top)
    body = await web.cached(("json", q), lambda fp: web.digest_api(q, fp))
    return Response(body, media_type=JSON)


@router.get("/items/{item_id}", summary="One item: assessment by rule, artefacts, claims, chapters, rank factors")
def item(request: Request, item_id: int) -> dict[str, Any]:
    web = _web(request)
    with web.access.read() as lib:
        return shapes.item_detail(lib, item_id)


@router.post("/items/{item_id}/rate", summary="Rate an item up or down")
def rate(request: Request, item_id: int, body: RateBody) -> dict[str, Any]:
    return actions.rate(_web(request), item_id, body.value)


@router.post("/items/{item_id}/mark", summary="Mark an item read or skipped (it leaves the digest)")
def mark(request: Request, item_id: int, body: MarkBody) -> dict[str, Any]:
    return actions.mark(_web(request), item_id, body.state)


@router.get("/sources", summary="Every source with its track record and feed quality")
async def sources(request: Request) -> list[dict[str, Any]]:
    web = _web(request)
    return await web.cached(("sources",), web.sources_data)


@router.get("/sources/{source_id}", summary="One source: history per month, cadence, quality checklist, shared links")
async def source(request: Request, source_id: int) -> dict[str, Any]:
    web = _web(request)
    rows = await web.cached(("sources",), web.sources_data)
    row = next((r for r in rows if r["id"] == source_id), None)

    def detail() -> dict[str, Any]:
        with web.access.read() as lib:
            return shapes.source_detail(lib, web.access.probe, source_id, row)

    return await asyncio.to_thread(detail)


@router.post("/sources", summary="Subscribe to a feed or page URL (public addresses only, unless configured)")
def add_source(request: Request, body: AddSourceBody) -> dict[str, Any]:
    return actions.add_source(_web(request), body.url, fetch=body.fetch)


@router.post("/refresh", summary="Fetch sources and assess what is new")
def refresh(request: Request, body: RefreshBody | None = None) -> dict[str, Any]:
    return actions.refresh(_web(request), body.sources if body else None)


@router.post("/import", summary="Subscribe to the http(s) feeds of an OPML document")
def import_opml(request: Request, body: ImportBody) -> dict[str, Any]:
    return actions.import_opml(_web(request), body.opml.encode("utf-8"), fetch=body.fetch)


@router.get(
    "/search",
    summary="Full-text search (optionally fused with search by meaning); hits inside transcripts come with their time",
)
def search(
    request: Request,
    q: Annotated[str, Query(description='Words, "a phrase", prefix*, OR, NOT, title:word.')] = "",
    source: Annotated[str | None, Query(description="Only this source id.")] = None,
    since: Annotated[str | None, Query(description="Published since: 7d, 2w, a date.")] = None,
    until: Annotated[str | None, Query(description="Published before: a span ago or a date.")] = None,
    limit: Annotated[str | None, Query(description="At most this many hits (1-200, default 30).")] = None,
    semantic: Annotated[
        str | None,
        Query(description="1: also rank by meaning and fuse the two rankings (needs the embed extra)."),
    ] = None,
) -> dict[str, Any]:
    params = {"q": q, "source": source, "since": since, "until": until, "limit": limit, "semantic": semantic}
    return actions.search(_web(request), params)


@router.get("/ask", summary="Answer a question offline (quoting stored passages), with numbered citations")
def ask(request: Request, q: Annotated[str, Query(description="The question.")]) -> dict[str, Any]:
    # Offline only: a GET can come from any page on the web (an <img>), and must not spend LLM tokens.
    return actions.ask(_web(request), q, use_llm=False)


@router.post("/ask", summary="Answer a question, written by the configured LLM if any, with numbered citations")
def ask_llm(request: Request, body: AskBody) -> dict[str, Any]:
    return actions.ask(_web(request), body.q, use_llm=True)


@router.get("/settings", summary="Focus profile, rubric weights (with overrides), rank and server settings")
def settings(request: Request) -> dict[str, Any]:
    web = _web(request)
    with web.access.read() as lib:
        return shapes.settings_json(lib, web.settings)


@router.post("/settings/focus", summary="Change the focus profile (only the fields given)")
def save_focus(request: Request, body: FocusBody) -> dict[str, Any]:
    return actions.save_focus(_web(request), body.model_dump(exclude_none=True))


@feed_router.get(
    "/feed.atom",
    summary="The digest as an Atom feed (same filters as /api/digest); ETag and 304 supported",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}, 304: {"description": "Not modified"}},
)
async def feed(
    request: Request, since: SinceParam = None, grade: GradeParam = None, topic: TopicParam = None,
    source: SourceParam = None, kind: KindParam = None, mode: ModeParam = None, top: TopParam = None,
) -> Response:  # fmt: skip
    web = _web(request)
    q = _digest_query(since, grade, topic, source, kind, mode, top)
    self_url = str(request.url)
    body, etag = await web.cached(("atom", q, self_url), lambda fp: web.digest_atom(q, self_url, fp))
    headers = {"etag": etag, "cache-control": "no-cache"}
    wanted = _etags(request.headers.get("if-none-match"))
    if etag in wanted or "*" in wanted:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)


def _etags(header: str | None) -> set[str]:
    """The entity tags of an If-None-Match header; weak and strong forms compare equal (RFC 9110 weak match)."""
    if not header:
        return set()
    tags = {t.strip() for t in header.split(",") if t.strip()}
    return tags | {t[2:] for t in tags if t.startswith("W/")} | {f"W/{t}" for t in tags if not t.startswith("W/")}
