"""The server's shared state and the cached views built from it.

``WebState`` holds the Libraries (``access``), the view cache, the signer
and the templates, and knows how to answer with a page, a redirect carrying
a one-shot message, or a cached view.

Cached pages are rendered once for every visitor, so they cannot contain a
visitor's CSRF token or message. They are rendered with two random
placeholders instead, filled per request: the placeholders are made at
start-up from a secure random source, so feed text (which is escaped anyway)
cannot contain them by accident or design. A cached page is kept as UTF-8
bytes split at the placeholders, so serving it is one ``bytes.join``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jinja2
import orjson
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from highsignal.present.digest import to_atom
from highsignal.rank.topics import taxonomy

from . import digest_view, shapes
from .access import LibraryAccess
from .cache import ViewCache
from .digest_view import DigestQuery
from .security import FLASH_COOKIE, Signer, delete_cookie, safe_next, set_cookie
from .settings import ServerSettings

FLASH_KINDS = ("ok", "error")


@dataclass(frozen=True, slots=True)
class SlottedPage:
    """A rendered page as UTF-8 bytes with named gaps: ``bytes`` pieces are page text, ``str`` pieces slot names."""

    pieces: tuple[bytes | str, ...]

    def fill(self, values: dict[str, bytes]) -> bytes:
        return b"".join(p if isinstance(p, bytes) else values[p] for p in self.pieces)


class WebState:
    """Everything a request handler needs, created once per app."""

    def __init__(
        self, access: LibraryAccess, settings: ServerSettings, signer: Signer, templates: jinja2.Environment
    ) -> None:
        self.access = access
        self.settings = settings
        self.signer = signer
        self.templates = templates
        self.cache = ViewCache(settings.digest_ttl)
        self._csrf_slot = f"csrf-slot-{secrets.token_hex(16)}"
        self._flash_slot = f"<!--flash-slot-{secrets.token_hex(16)}-->"
        self._slots = re.compile(f"({re.escape(self._csrf_slot)}|{re.escape(self._flash_slot)})")

    # -- responses ----------------------------------------------------------

    def render(self, template: str, **context: Any) -> str:
        return self.templates.get_template(template).render(**context)

    def page(self, request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        """A page rendered for this visitor (their CSRF token and pending message)."""
        state = request.state
        html = self.render(
            template,
            csrf=state.csrf,
            flash=_flash(state.flash),
            login_required=state.login_required,
            **context,
        )
        return self._html(request, html, status)

    def slotted(self, html: str) -> SlottedPage:
        """A page rendered with the placeholders, ready to be filled per visitor."""
        pieces: list[bytes | str] = []
        for i, piece in enumerate(self._slots.split(html)):
            pieces.append(piece if i % 2 else piece.encode("utf-8"))
        return SlottedPage(tuple(pieces))

    def finish(self, request: Request, page: SlottedPage, status: int = 200) -> HTMLResponse:
        """A cached page with this visitor's CSRF token and message put in its placeholders."""
        flash = _flash(request.state.flash)
        note = ""
        if flash:
            note = f'<div class="flash flash-{flash["k"]}" role="status">{escape(flash["m"])}</div>'
        body = page.fill({self._csrf_slot: request.state.csrf.encode(), self._flash_slot: note.encode("utf-8")})
        return self._html(request, body, status)

    def _html(self, request: Request, html: str | bytes, status: int) -> HTMLResponse:
        response = HTMLResponse(html, status_code=status)
        if request.state.had_flash:
            delete_cookie(response, request, FLASH_COOKIE)
        return response

    def redirect(self, request: Request, target: str | None, message: str | None = None, kind: str = "ok") -> Response:
        """303 to a same-site path, with a one-shot message for the page it lands on."""
        response = RedirectResponse(safe_next(target), status_code=303)
        if message:
            packed = self.signer.pack("flash", {"m": message[:600], "k": kind if kind in FLASH_KINDS else "ok"})
            set_cookie(response, request, FLASH_COOKIE, packed, max_age=120)
        return response

    # -- cached views -------------------------------------------------------

    async def cached(self, key: Hashable, compute: Callable[[tuple], Any]) -> Any:
        """A view from the cache, computed in a worker thread when missing (never on the event loop)."""
        fingerprint = self.access.fingerprint()
        found = self.cache.peek(key, fingerprint, lambda: compute(fingerprint))
        if found is not None:
            return found
        return await run_in_threadpool(self.cache.get, key, fingerprint, lambda: compute(fingerprint))

    def digest_data(self, q: DigestQuery, fingerprint: tuple) -> dict[str, Any]:
        """The digest JSON for ``q`` (shared by the page, the API and the feed)."""

        def wide() -> Any:
            with self.access.read() as lib:
                found = lib.digest(digest_view.parse_since(q.since), top=digest_view.WIDE, mode=q.mode)
            # The wide digest is only narrowed: its left-out list (every other item) is not kept.
            return dataclasses.replace(found, left_out=[])

        def data() -> dict[str, Any]:
            pool = None
            if q.filtered:
                pool = self.cache.get(("wide", q.since, q.mode), fingerprint, wide, background=False)
            with self.access.read() as lib:
                digest = digest_view.compute(lib, q, pool)
                return digest_view.to_json(lib, digest, q)

        return self.cache.get(("data", q), fingerprint, data, background=False)

    def digest_page(self, q: DigestQuery, fingerprint: tuple) -> SlottedPage:
        data = self.digest_data(q, fingerprint)
        with self.access.read() as lib:
            sources = [(s.id, s.title or s.url) for s in lib.store.source_names()]
        tax = taxonomy()
        html = self.render(
            "digest.html.j2",
            page="digest",
            csrf=self._csrf_slot,
            flash_slot=Markup(self._flash_slot),
            login_required=self.settings.token is not None,
            digest=data,
            q=q,
            here="/" + _query(q.params()),
            since_choices=digest_view.SINCE_CHOICES,
            kinds=digest_view.ITEM_KINDS,
            topics=sorted(((t.id, t.label) for t in tax.topics.values()), key=lambda t: t[1].lower()),
            sources=sorted(sources, key=lambda s: s[1].lower()),
        )
        return self.slotted(html)

    def digest_api(self, q: DigestQuery, fingerprint: tuple) -> bytes:
        return orjson.dumps(self.digest_data(q, fingerprint))

    def digest_atom(self, q: DigestQuery, self_url: str, fingerprint: tuple) -> tuple[str, str]:
        """The Atom feed and its ETag, which changes only when the listed entries or their scores do."""
        data = self.digest_data(q, fingerprint)
        body = to_atom(data, feed_id="urn:highsignal:digest" + _query(q.params()), self_url=self_url)
        content = orjson.dumps([(e["id"], e["title"], e["score"], e["rank"], e["url"]) for e in data["items"]])
        return body, 'W/"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'

    def sources_data(self, fingerprint: tuple) -> list[dict[str, Any]]:
        """Every source with its track record and (when available) its feed quality."""
        with self.access.read() as lib:
            rows = []
            for r in lib.source_records():
                quality = shapes.quality_report(lib, r.source)
                rows.append(
                    {
                        **shapes.source_json(r.source),
                        **shapes.record_json(r),
                        "quality": shapes.quality_summary(quality),
                    }
                )
        return rows


def _flash(value: dict[str, Any] | None) -> dict[str, str] | None:
    if not value or not isinstance(value.get("m"), str):
        return None
    return {"m": value["m"], "k": value.get("k") if value.get("k") in FLASH_KINDS else "ok"}


def _query(params: dict[str, str]) -> str:
    return "?" + urlencode(params) if params else ""
