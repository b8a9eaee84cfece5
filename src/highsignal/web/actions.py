"""What the forms and the JSON API do, once: each page route and API route calls the same action.

Every action takes the shared ``WebState``, holds the right Library for as
short as it can, and returns plain data with a message for the reader.
Refusals (a private address, a bad OPML file, an unknown topic) raise
``HighsignalError`` subclasses whose messages name the input and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from highsignal import opml
from highsignal.api import RefreshReport
from highsignal.config import ConfigError, config_path, edit_focus
from highsignal.embed import EmbeddingUnavailable
from highsignal.errors import HighsignalError, SourceError
from highsignal.rank.focus import LISTS, MODES, check_topic

from . import shapes
from .digest_view import BadQuery, parse_since
from .guard import SourceRefused, check_source_url
from .views import WebState

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_QUESTION = 500
SEARCH_LIMIT = 30
MAX_SEARCH_LIMIT = 200


def _title(stored: Any) -> str:
    return stored.item.title or stored.item.url or f"item {stored.id}"


def rate(web: WebState, item_id: int, value: str) -> dict[str, Any]:
    if value not in ("up", "down"):
        raise BadQuery(f"a rating is 'up' or 'down', not {value!r}")
    with web.access.write() as lib:
        stored, model = lib.rate(item_id, value)
    learning = (
        f"the personal model has learned from {model.ratings} rating(s)"
        if model.ready
        else "a few more ratings (some up, some down) and your ratings start to shape the rank"
    )
    return {
        "id": stored.id,
        "rating": 1 if value == "up" else -1,
        "message": f"Rated “{_title(stored)}” {value}; {learning}.",
    }


def mark(web: WebState, item_id: int, state: str) -> dict[str, Any]:
    if state not in ("read", "skipped"):
        raise BadQuery(f"an item is marked 'read' or 'skipped', not {state!r}")
    with web.access.write() as lib:
        stored = lib.mark(item_id, state)
    return {"id": stored.id, "state": state, "message": f"Marked “{_title(stored)}” {state}: it leaves the digest."}


def add_source(web: WebState, url: str, *, fetch: bool = True) -> dict[str, Any]:
    """Subscribe to ``url`` after the address check; fetched right away unless ``fetch`` is false."""
    url = check_source_url(url, allow_private=web.settings.allow_private_sources)
    with web.access.fetching() as lib:
        result = lib.add_source(url, fetch=fetch)
    return {
        "source": shapes.source_json(result.source),
        "created": result.created,
        "message": result.message[:1].upper() + result.message[1:],
    }


def refresh(web: WebState, source_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """Fetch the given sources (all that are not gone when none are given), then assess what changed."""
    ids = list(source_ids) if source_ids is not None else None
    with web.access.fetching() as lib:
        # No worker processes: forking a threaded server is unsafe, and parsing in-process is fine here.
        report = lib.refresh(ids or None, workers=0)
    return {**_report_json(report), "message": _report_message(report)}


def _report_json(report: RefreshReport) -> dict[str, Any]:
    return {
        "sources": len(report.results),
        "new": report.new_items,
        "updated": report.updated_items,
        "failed": report.errors,
        "assessed": report.assessed,
        "results": [
            {
                "source_id": r.source_id,
                "url": r.url,
                "title": r.title,
                "outcome": r.outcome,
                "new": r.new,
                "updated": r.updated,
                "error": r.error,
                "warnings": list(r.warnings),
            }
            for r in report.results
        ],
    }


def _report_message(report: RefreshReport) -> str:
    if not report.results:
        return "Nothing to refresh: add a source first."
    text = (
        f"Refreshed {len(report.results)} source(s): {report.new_items} new, "
        f"{report.updated_items} updated, {report.errors} failed."
    )
    for r in report.failed[:3]:
        text += f" {r.title or r.url}: {r.error}."
    if report.errors > 3:
        text += f" And {report.errors - 3} more failures (see Sources)."
    return text


@dataclass(slots=True)
class ImportOutcome:
    added: list[dict[str, Any]] = field(default_factory=list)
    existing: int = 0
    skipped: list[str] = field(default_factory=list)


def import_opml(web: WebState, raw: bytes, *, fetch: bool = False) -> dict[str, Any]:
    """Subscribe to every http(s) feed of an OPML file that passes the address check.

    ``Library.import_opml`` also takes file paths relative to the OPML file,
    right for the CLI but not for an upload from a browser, so the entries
    are read and checked here and added one by one.
    """
    if len(raw) > MAX_OPML_BYTES:
        raise SourceError(f"OPML file too large: {len(raw)} bytes (limit {MAX_OPML_BYTES})")
    if not raw.strip():
        raise SourceError("the OPML file is empty: choose a file exported from a feed reader")
    entries = opml.read(raw)
    if not entries:
        raise SourceError("the OPML file lists no feeds (no outline has an xmlUrl)")
    out = ImportOutcome()
    allowed = []
    for entry in entries:
        try:
            allowed.append((check_source_url(entry.url, allow_private=web.settings.allow_private_sources), entry))
        except SourceRefused as exc:
            out.skipped.append(str(exc))
    with web.access.fetching() as lib:
        for url, entry in allowed:
            try:
                result = lib.add_source(url, title=entry.title, fetch=False)
            except HighsignalError as exc:
                out.skipped.append(str(exc))
                continue
            if result.created:
                out.added.append(shapes.source_json(result.source))
            else:
                out.existing += 1
        report = lib.refresh([s["id"] for s in out.added], workers=0) if fetch and out.added else None
    message = f"Imported {len(out.added)} new source(s); {out.existing} already subscribed"
    message += f"; skipped {len(out.skipped)}: {out.skipped[0]}" if out.skipped else ""
    message += "." if report is None else f". {_report_message(report)}"
    if out.added and report is None:
        message += " Refresh to fetch them."
    return {
        "added": out.added,
        "existing": out.existing,
        "skipped": out.skipped,
        "refresh": _report_json(report) if report else None,
        "message": message,
    }


def save_focus(web: WebState, changes: dict[str, Any]) -> dict[str, Any]:
    """Write the focus profile to the config file (keeping its comments), then use it."""
    mode = changes.get("mode")
    if mode is not None and mode not in MODES:
        raise BadQuery(f"mode must be depth or breadth, not {mode!r}")
    lists: dict[str, list[str]] = {}
    for name in LISTS:
        values = changes.get(name)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise BadQuery(f"{name} must be a list of strings")
        cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        try:
            lists[name] = [check_topic(v) for v in cleaned] if name in ("deep", "ignore") else cleaned
        except ConfigError as exc:  # an unknown topic is a bad input here, not a broken config file
            raise BadQuery(f"{name}: {exc}") from None
    both = set(lists.get("deep", [])) & set(lists.get("ignore", []))
    if both:
        raise BadQuery(f"topic(s) both deep and ignored: {', '.join(sorted(both))}")

    def change(table: Any) -> None:
        if mode is not None:
            table["mode"] = mode
        for name, values in lists.items():
            table[name] = values

    try:
        edit_focus(config_path(), change)
    except ConfigError as exc:
        raise BadQuery(str(exc)) from None
    web.access.reload_config()
    with web.access.read() as lib:
        focus = lib.focus
    return {"focus": {"mode": focus.mode, **{n: list(getattr(focus, n)) for n in LISTS}}, "message": "Focus saved."}


def search(web: WebState, params: dict[str, str | None]) -> dict[str, Any]:
    """Full-text search with the page's filters; an empty query returns no hits (and no error)."""
    q = (params.get("q") or "").strip()
    source = (params.get("source") or "").strip() or None
    since_text = (params.get("since") or "").strip() or None
    until_text = (params.get("until") or "").strip() or None
    since = parse_since(since_text) if since_text else None
    until = parse_since(until_text) if until_text else None
    raw_limit = (params.get("limit") or "").strip()
    try:
        limit = int(raw_limit) if raw_limit else SEARCH_LIMIT
    except ValueError:
        raise BadQuery(f"limit={raw_limit!r}: not a number") from None
    if not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise BadQuery(f"limit={limit}: must be between 1 and {MAX_SEARCH_LIMIT}")
    source_id = None
    if source is not None:
        if not source.isdigit():
            raise BadQuery(f"source={source!r}: use a source id")
        source_id = int(source)
    semantic = _flag(params.get("semantic"), "semantic")
    web.access.fingerprint()  # notices a config file edited outside the app ([embed] turned on or off)
    query = {"q": q, "source": source_id, "since": since_text, "until": until_text, "limit": limit}
    query["semantic"] = semantic
    with web.access.read() as lib:
        available = lib.semantic_available()
        if not q:
            return {"query": query, "hits": [], "spoken": [], "semantic_available": available}
        try:
            hits = lib.search(q, limit=limit, source=source_id, since=since, until=until, semantic=semantic)
        except EmbeddingUnavailable as exc:
            raise BadQuery(f"semantic=1: {exc}") from None
        # Transcripts have no publication dates of their own: with a date filter they are left out.
        dated = since is not None or until is not None
        spoken = [] if dated else lib.search_transcripts(q, limit=limit, source=source_id)
        scores = lib.store.scores([h.item_id for h in hits] + [h.item_id for h in spoken])
    return {
        "query": query,
        "hits": [shapes.hit_json(h, scores) for h in hits],
        "spoken": [shapes.passage_hit_json(h, scores) for h in spoken],
        "semantic_available": available,
    }


def _flag(value: str | None, name: str) -> bool:
    text = (value or "").strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise BadQuery(f"{name}={value!r}: use 1 or 0")


def ask(web: WebState, question: str, *, use_llm: bool) -> dict[str, Any]:
    """Answer a question from the library with numbered citations (``highsignal.ask``, imported when used).

    ``use_llm`` lets the answer be written by the LLM endpoint configured under
    ``[ask]`` (or ``[judge]``), which spends the reader's tokens: only a POST
    carrying the session's CSRF token may ask for that. A GET (a link, or an
    ``<img>`` on someone else's page) always gets the offline, extractive answer.
    """
    question = " ".join(question.split())[:MAX_QUESTION]
    if not question:
        raise BadQuery("ask a question, for example: which open models were released with weights this month?")
    try:
        from highsignal.ask import ask as answer_question
    except ImportError as exc:
        raise HighsignalError(f"asking is not available in this installation ({exc})") from None
    # The fetcher Library: an answer may wait on an LLM endpoint, and pages must not wait with it.
    with web.access.network() as lib:
        answer = answer_question(lib, question, limit=8, offline=not use_llm)
    return shapes.answer_json(question, answer)
