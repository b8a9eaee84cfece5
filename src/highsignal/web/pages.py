"""The HTML pages and their forms.

Every form posts to a route here that calls the same action as the JSON
API, then redirects (303) to a page with a one-shot message, so reloading
never re-submits. The ask form is the exception: it changes nothing, and its
answer is shown in place; it posts (with the CSRF token) because only a
question from this site's own form may be answered by the configured LLM,
while ``GET /ask?q=`` (a link) is answered offline. The pages also work
without JavaScript: the script only adds keyboard shortcuts, in-place
rating and the audio seek.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from highsignal.errors import HighsignalError

from . import actions, shapes
from .digest_view import DigestQuery
from .security import AUTH_COOKIE, delete_cookie, safe_next, set_cookie, token_matches
from .views import WebState

router = APIRouter(include_in_schema=False)


def _web(request: Request) -> WebState:
    return request.app.state.web


# -- digest -------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def digest_page(request: Request) -> Response:
    web = _web(request)
    q = DigestQuery.parse(request.query_params)
    html = await web.cached(("page", q), lambda fp: web.digest_page(q, fp))
    return web.finish(request, html)


# -- items --------------------------------------------------------------------


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: int, t: float | None = None) -> Response:
    web = _web(request)
    with web.access.read() as lib:
        item = shapes.item_detail(lib, item_id)
    return web.page(request, "item.html.j2", page="item", item=item, start=t, here=f"/items/{item_id}")


@router.post("/items/{item_id}/rate")
def rate_form(
    request: Request, item_id: int, value: Annotated[str, Form()], back: Annotated[str, Form(alias="next")] = "/"
) -> Response:
    web = _web(request)
    try:
        done = actions.rate(web, item_id, value)
    except HighsignalError as exc:
        return web.redirect(request, back, str(exc), "error")
    return web.redirect(request, back, done["message"])


@router.post("/items/{item_id}/mark")
def mark_form(
    request: Request, item_id: int, state: Annotated[str, Form()], back: Annotated[str, Form(alias="next")] = "/"
) -> Response:
    web = _web(request)
    try:
        done = actions.mark(web, item_id, state)
    except HighsignalError as exc:
        return web.redirect(request, back, str(exc), "error")
    return web.redirect(request, back, done["message"])


# -- sources ------------------------------------------------------------------


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request) -> Response:
    web = _web(request)
    rows = await web.cached(("sources",), web.sources_data)
    return web.page(request, "sources.html.j2", page="sources", sources=rows)


@router.get("/sources.opml")
def export_opml(request: Request) -> Response:
    web = _web(request)
    with web.access.read() as lib:
        text = lib.export_opml()
    return Response(
        text,
        media_type="text/x-opml; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="highsignal-subscriptions.opml"'},
    )


@router.get("/sources/{source_id}", response_class=HTMLResponse)
async def source_page(request: Request, source_id: int) -> Response:
    web = _web(request)
    rows = await web.cached(("sources",), web.sources_data)
    row = next((r for r in rows if r["id"] == source_id), None)
    data = await asyncio.to_thread(_source_detail, web, source_id, row)
    return web.page(request, "source.html.j2", page="sources", source=data, here=f"/sources/{source_id}")


def _source_detail(web: WebState, source_id: int, row: dict[str, Any] | None) -> dict[str, Any]:
    with web.access.read() as lib:
        return shapes.source_detail(lib, web.access.probe, source_id, row)


@router.post("/sources/add")
def add_source_form(
    request: Request, url: Annotated[str, Form()] = "", fetch: Annotated[str | None, Form()] = None
) -> Response:
    web = _web(request)
    try:
        done = actions.add_source(web, url, fetch=fetch is not None)
    except HighsignalError as exc:
        return web.redirect(request, "/settings#sources", str(exc), "error")
    return web.redirect(request, f"/sources/{done['source']['id']}", done["message"])


@router.post("/sources/refresh")
def refresh_form(
    request: Request,
    source_id: Annotated[str | None, Form()] = None,
    back: Annotated[str, Form(alias="next")] = "/sources",
) -> Response:
    web = _web(request)
    ids = [int(source_id)] if source_id and source_id.isdigit() else None
    try:
        done = actions.refresh(web, ids)
    except HighsignalError as exc:
        return web.redirect(request, back, str(exc), "error")
    return web.redirect(request, back, done["message"], "error" if done["failed"] else "ok")


@router.post("/sources/import")
async def import_form(
    request: Request, opml: Annotated[UploadFile, File()], fetch: Annotated[str | None, Form()] = None
) -> Response:
    web = _web(request)
    raw = await opml.read(actions.MAX_OPML_BYTES + 1)
    try:
        done = await asyncio.to_thread(actions.import_opml, web, raw, fetch=fetch is not None)
    except HighsignalError as exc:
        return web.redirect(request, "/settings#sources", f"{opml.filename or 'upload'}: {exc}", "error")
    return web.redirect(request, "/sources", done["message"], "error" if done["skipped"] else "ok")


# -- search and ask -------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    web = _web(request)
    params = dict(request.query_params)
    with web.access.read() as lib:
        sources = sorted(((s.id, s.title or s.url) for s in lib.store.source_names()), key=lambda s: s[1].lower())
    error = None
    try:
        found = actions.search(web, params)
    except HighsignalError as exc:
        found = {"query": {"q": params.get("q", "")}, "hits": [], "spoken": [], "semantic_available": False}
        error = str(exc)
    return web.page(
        request, "search.html.j2", page="search", found=found, params=params, sources=sources, error=error,
        status=400 if error else 200,
    )  # fmt: skip


@router.get("/ask", response_class=HTMLResponse)
def ask_page(request: Request, q: str = "") -> Response:
    """The question box; with ``?q=`` an offline answer (a link must not spend the reader's LLM tokens)."""
    return _ask(request, q, use_llm=False)


@router.post("/ask", response_class=HTMLResponse)
def ask_form(request: Request, q: Annotated[str, Form()] = "") -> Response:
    """The form's answer, which the configured LLM may write (the CSRF check has passed), shown in place."""
    return _ask(request, q, use_llm=True)


def _ask(request: Request, q: str, *, use_llm: bool) -> Response:
    web = _web(request)
    answer, error = None, None
    if q.strip():
        try:
            answer = actions.ask(web, q, use_llm=use_llm)
        except HighsignalError as exc:
            error = str(exc)
    return web.page(request, "ask.html.j2", page="ask", question=q, answer=answer, error=error, offline=not use_llm)


# -- settings -------------------------------------------------------------------


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request) -> Response:
    web = _web(request)
    with web.access.read() as lib:
        data = shapes.settings_json(lib, web.settings)
    return web.page(request, "settings.html.j2", page="settings", settings=data)


@router.post("/settings/focus")
async def focus_form(request: Request) -> Response:
    web = _web(request)
    form = await request.form()

    def lines(name: str) -> list[str]:
        value = form.get(name)
        return [v.strip() for v in str(value or "").splitlines() if v.strip()]

    deep, ignore = [], []
    for key, value in form.multi_items():
        if key.startswith("topic:"):
            if value == "deep":
                deep.append(key[6:])
            elif value == "ignore":
                ignore.append(key[6:])
    changes = {
        "mode": str(form.get("mode") or "depth"),
        "deep": deep,
        "ignore": ignore,
        "trusted_sources": lines("trusted_sources"),
        "muted_sources": lines("muted_sources"),
        "muted_phrases": lines("muted_phrases"),
    }
    try:
        done = await asyncio.to_thread(actions.save_focus, web, changes)
    except HighsignalError as exc:
        return web.redirect(request, "/settings#focus", f"Focus not saved: {exc}", "error")
    return web.redirect(request, "/settings#focus", done["message"])


# -- sign-in, API page, liveness ------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, back: Annotated[str, Query(alias="next")] = "/") -> Response:
    web = _web(request)
    if not request.state.login_required:
        return web.redirect(request, safe_next(back))
    return web.page(request, "login.html.j2", page="login", next=safe_next(back), error=None)


@router.post("/login")
async def login(
    request: Request, token: Annotated[str, Form()] = "", back: Annotated[str, Form(alias="next")] = "/"
) -> Response:
    web = _web(request)
    if not request.state.login_required:
        return web.redirect(request, safe_next(back))
    if not token_matches(web.settings, token.strip()):
        await asyncio.sleep(0.5)  # slows guessing; the token's length does the rest
        return web.page(
            request, "login.html.j2", status=401, page="login", next=safe_next(back),
            error="That token does not match [server] token in the config file.",
        )  # fmt: skip
    response = web.redirect(request, safe_next(back), "Signed in.")
    set_cookie(response, request, AUTH_COOKIE, web.signer.auth_cookie())
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    web = _web(request)
    response = web.redirect(request, "/login", "Signed out.")
    delete_cookie(response, request, AUTH_COOKIE)
    return response


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> Response:
    web = _web(request)
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
            endpoints.append(
                {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params}
            )
    return web.page(request, "api.html.j2", page="api", endpoints=endpoints)


@router.get("/healthz")
def healthz() -> dict[str, bool]:
    return {"ok": True}
