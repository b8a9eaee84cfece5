"""The JSON the API returns for items, sources, search, ask and settings.

Each page renders exactly the dict its API endpoint returns, the same
principle as ``digest_json``: what the HTML shows is what the JSON says.
Existing shapes are reused rather than redrawn: ``assessment_json`` for an
item's assessment and ``entry_json`` for its place in the rank.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from highsignal.api import Library
from highsignal.assess import RULE_NAMES
from highsignal.assess.rubric import default_rubric
from highsignal.config import config_path
from highsignal.extract import extract
from highsignal.extract.benchmarks import BY_NAME, near_chance
from highsignal.present.assessment import assessment_json
from highsignal.present.digest import entry_json
from highsignal.rank.topics import taxonomy
from highsignal.records import SearchHit, Source
from highsignal.relate.sources import SourceRecord

from . import history
from .markup import plain, snippet_parts, span_context
from .probe import StoreProbe
from .settings import ServerSettings

#: Stored transcript turns listed on an item page (a long episode has thousands).
MAX_TRANSCRIPT_TURNS = 3000
MAX_TEXT_CHARS = 200_000


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def jsonable(value: Any, depth: int = 0) -> Any:
    """Any record (dataclass, datetime, enum, set) as plain JSON values, for optional reports of unknown shape."""
    if depth > 8:
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value, depth + 1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v, depth + 1) for v in value]
    if hasattr(value, "__dict__"):
        return {k: jsonable(v, depth + 1) for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


# -- items --------------------------------------------------------------------


def item_detail(lib: Library, ref: str | int) -> dict[str, Any]:
    """Everything ``highsignal show`` has about an item, plus what its evidence points at in the text."""
    stored, assessment = lib.assessment(ref)
    ranked = lib.explain(stored.id)
    it = stored.item
    ext = extract(it)
    source = lib.store.source(stored.source_id)
    rank = entry_json(0, ranked)
    found = assessment_json(it, assessment, stored_id=stored.id)
    rules: dict[str, list[dict[str, Any]]] = {}
    for s, shown in zip(assessment.signals, found["signals"], strict=True):
        shown["context"] = span_context(ext.text, s.start, s.end)
        rules.setdefault(s.rule, []).append(shown)
    found["rules"] = [
        {"rule": rule, "name": RULE_NAMES.get(rule, ""), "signals": rules[rule]}
        for rule in sorted(rules, key=lambda r: int(r[1:]) if r[1:].isdigit() else 99)
    ]
    claims = []
    seen: set[tuple] = set()
    for c in ext.claims:
        same = (c.kind, " ".join(c.text.lower().split()), c.benchmark, c.value, c.target)
        if same in seen:  # "7B" named four times is one claim to check
            continue
        seen.add(same)
        bench = BY_NAME.get(c.benchmark or "")
        claims.append(
            {
                "kind": c.kind,
                "text": c.text,
                "benchmark": c.benchmark,
                "value": c.value,
                "target": c.target,
                "ratio": c.ratio,
                "chance": round(bench.chance, 1) if bench and bench.chance is not None else None,
                "format": bench.format if bench else None,
                "near_chance": bool(
                    bench and c.value is not None and c.kind == "score" and near_chance(bench, c.value)
                ),
                "context": span_context(ext.text, c.start, c.end),
            }
        )
    story = rank["story"]
    return {
        "id": stored.id,
        "guid": it.guid,
        "title": it.title,
        "url": it.url,
        "source": {"id": source.id, "title": source.title or source.url, "url": source.url, "kind": source.kind},
        "published": iso(it.published),
        "first_seen": iso(stored.first_seen),
        "authors": list(it.authors),
        "categories": list(it.categories),
        "duration": it.duration,
        "enclosure": (
            {"url": it.enclosure.url, "type": it.enclosure.type, "length": it.enclosure.length}
            if it.enclosure
            else None
        ),
        "episode": it.episode,
        "season": it.season,
        "episode_type": it.episode_type,
        "persons": [{"name": p.name, "role": p.role, "group": p.group, "href": p.href} for p in it.persons],
        "summary": it.summary,
        "html": it.html,
        "text": it.text[:MAX_TEXT_CHARS] if it.text else "",
        "links": list(it.links),
        "assessment": found,
        "artefacts": [{"kind": a.kind, "url": a.url, "ident": a.ident, "host": a.host} for a in ext.artefacts],
        "claims": claims,
        "chapters": [{"start": c.start, "end": c.end, "title": c.title, "url": c.url} for c in it.chapters],
        "chapters_url": it.chapters_url,
        "transcripts": [{"url": t.url, "type": t.type, "language": t.language} for t in it.transcripts],
        "transcript": [
            {"start": t.start, "end": t.end, "speaker": t.speaker, "text": t.text}
            for t in it.transcript[:MAX_TRANSCRIPT_TURNS]
        ],
        "transcript_turns": len(it.transcript),
        "rank": {
            k: rank[k] for k in ("rank_score", "factors", "topics", "why", "story", "corroborating", "personal_terms")
        },
        "story_others": [i for i in story["items"] if i["id"] != stored.id] if story else [],
        "rating": lib.store.ratings().get(stored.id),
        "read_state": lib.store.read_states().get(stored.id),
    }


# -- sources ------------------------------------------------------------------


def source_json(s: Source) -> dict[str, Any]:
    """A source's subscription and fetch state (the fields of ``highsignal sources --format json``)."""
    return {
        "id": s.id,
        "url": s.url,
        "title": s.title,
        "site_url": s.site_url,
        "kind": s.kind,
        "declared_kind": s.declared_kind,
        "items": s.item_count,
        "status": s.status,
        "added": iso(s.added),
        "last_fetch": iso(s.last_fetch),
        "last_status": s.last_status,
        "last_error": s.last_error,
        "error_streak": s.error_streak,
        "next_fetch": iso(s.next_fetch),
        "gone": s.gone,
    }


def record_json(r: SourceRecord) -> dict[str, Any]:
    return {
        "publisher": r.publisher,
        "mean_score": r.mean_score,
        "scored_items": r.scored,
        "artefact_share": r.artefact_share,
        "items_per_week": r.per_week,
    }


def quality_report(lib: Library, source_id: int) -> dict[str, Any] | None:
    """``lib.feed_quality(source_id)`` as JSON, or ``None`` when this Library has no such method.

    Feed quality comes from a module written alongside this one; the page
    shows it when it is there and a dash when not. A failure is shown as an
    error rather than breaking the page.
    """
    fn: Callable[[int], Any] | None = getattr(lib, "feed_quality", None)
    if fn is None:
        return None
    try:
        return _quality_json(fn(source_id))
    except Exception as exc:  # an optional report must not take the page down
        return {"error": f"{type(exc).__name__}: {exc}"}


def podcast_report(lib: Library, source_id: int, titles: dict[int, str]) -> dict[str, Any] | None:
    """``lib.podcast_report(source_id)`` as JSON (history, cadence, shared links, quality), if there is one."""
    fn: Callable[[int], Any] | None = getattr(lib, "podcast_report", None)
    if fn is None:
        return None
    try:
        report = fn(source_id)
    except Exception as exc:  # an optional report must not take the page down
        return {"error": f"{type(exc).__name__}: {exc}"}
    try:
        from highsignal.podcast.report import PodcastReport, report_json
    except ImportError:
        return jsonable(report)
    return report_json(report, titles) if isinstance(report, PodcastReport) else jsonable(report)


def _quality_json(found: Any) -> Any:
    try:
        from highsignal.podcast.quality import Quality, quality_json
    except ImportError:
        return jsonable(found)
    return quality_json(found) if isinstance(found, Quality) else jsonable(found)


_OUTCOMES = {"pass": True, "passed": True, "ok": True, "fail": False, "failed": False}
_LABEL_KEYS = ("label", "name", "title", "check", "id")
_DETAIL_KEYS = ("evidence", "detail", "message", "note", "hint")


def checklist(report: Any) -> list[dict[str, Any]]:
    """Rows ``{label, ok, outcome, detail, why}`` from a quality report (a list of checks, or a dict of them).

    ``ok`` is True for a pass, False for a fail, None for partial or not run;
    the shape is read loosely because the report belongs to another module.
    """
    if isinstance(report, dict):
        if isinstance(report.get("checks"), list):
            return checklist(report["checks"])
        return [
            {"label": str(k).replace("_", " "), "ok": v if isinstance(v, bool) else None,
             "outcome": None, "detail": _short(v), "why": None}
            for k, v in report.items()
            if not isinstance(v, dict | list)
        ]  # fmt: skip
    rows = []
    for entry in report if isinstance(report, list) else []:
        if not isinstance(entry, dict):
            rows.append({"label": _short(entry), "ok": None, "outcome": None, "detail": None, "why": None})
            continue
        outcome = entry.get("outcome")
        ok = _OUTCOMES.get(str(outcome).lower()) if outcome is not None else None
        for key in ("ok", "passed", "pass"):
            if isinstance(entry.get(key), bool):
                ok = entry[key]
        label = next((entry[k] for k in _LABEL_KEYS if entry.get(k)), "check")
        rows.append(
            {
                "label": str(label),
                "ok": ok,
                "outcome": str(outcome) if outcome is not None else ("pass" if ok else "fail" if ok is False else None),
                "detail": _short(next((entry[k] for k in _DETAIL_KEYS if entry.get(k)), None)),
                "why": _short(entry.get("why")),
            }
        )
    return rows


def quality_summary(found: dict[str, Any] | None) -> str:
    """One cell for the sources table: the report's score if it has one, else checks passed."""
    if found is None:
        return "—"
    if not isinstance(found, dict):
        return _short(found) or "—"
    if "error" in found and len(found) == 1:
        return "error"
    if found.get("score") is not None:
        return f"{found['score']}/100" if isinstance(found["score"], int | float) else str(found["score"])
    rows = [r for r in checklist(found) if r["ok"] is not None]
    if rows:
        return f"{sum(1 for r in rows if r['ok'])}/{len(rows)} checks"
    return "—"


def _short(value: Any, limit: int = 160) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_detail(lib: Library, probe: StoreProbe, source_id: int, row: dict[str, Any] | None) -> dict[str, Any]:
    """One source's page (and ``GET /api/sources/{id}``): record, history, cadence, quality, shared links.

    ``row`` is the source's row of the (cached) sources table, with its track record.
    """
    source = lib.store.source(source_id)
    base = row or source_json(source)
    titles = {s.id: s.title or s.url for s in lib.store.source_names()}
    quality = quality_report(lib, source_id)
    # The podcast report reads every episode and other sources' links: only for podcasts.
    is_podcast = "podcast" in (source.kind, source.declared_kind)
    report = podcast_report(lib, source_id, titles) if is_podcast else None
    if quality is None and isinstance(report, dict) and isinstance(report.get("quality"), dict):
        quality = report["quality"]
    recent = lib.items(source=source_id, limit=15)
    scores = lib.store.scores(s.id for s in recent)
    return {
        **base,
        "site_url": source.site_url,
        "description": source.meta.description if source.meta else None,
        "history": history.chart(probe.monthly_counts(source_id)),
        "cadence": history.cadence(probe.recent_dates(source_id), base.get("items_per_week")),
        "quality": quality,
        "checklist": checklist(quality) if isinstance(quality, dict | list) else [],
        "podcast": report,
        "recent": [
            {
                "id": s.id,
                "title": s.item.title,
                "url": s.item.url,
                "published": iso(s.item.published or s.first_seen),
                "score": scores[s.id][0] if s.id in scores else None,
                "grade": scores[s.id][1] if s.id in scores else None,
            }
            for s in recent
        ],
    }


# -- search -------------------------------------------------------------------


def hit_json(h: SearchHit, scores: dict[int, tuple[int, str]]) -> dict[str, Any]:
    """A search hit; the snippet comes as plain text and as parts flagged where the query matched."""
    found = scores.get(h.item_id)
    return {
        "id": h.item_id,
        "source": h.source_title,
        "source_id": h.source_id,
        "title": h.title,
        "url": h.url,
        "published": iso(h.published),
        "relevance": round(h.score, 4),
        "score": found[0] if found else None,
        "grade": found[1] if found else None,
        "snippet": plain(h.snippet),
        "snippet_parts": snippet_parts(h.snippet),
    }


# -- ask ----------------------------------------------------------------------


def answer_json(question: str, answer: Any) -> dict[str, Any]:
    """An ``highsignal.ask`` answer: sentences carrying citation numbers, and the numbered citations."""
    citations = []
    for c in getattr(answer, "citations", None) or []:
        start = getattr(c, "start", None)
        citations.append(
            {
                "n": getattr(c, "n", None),
                "item_id": getattr(c, "item_id", None),
                "title": getattr(c, "title", None),
                "url": getattr(c, "url", None),
                "source_title": getattr(c, "source_title", None),
                "snippet": plain(getattr(c, "snippet", None)),
                "snippet_parts": snippet_parts(getattr(c, "snippet", None)),
                "start": float(start) if isinstance(start, int | float) else None,
                "link": getattr(c, "link", None),
                "speaker": getattr(c, "speaker", None),
            }
        )
    return {
        "question": question,
        "mode": getattr(answer, "mode", "none"),
        "text": getattr(answer, "text", "") or "",
        "sentences": [
            {"text": getattr(s, "text", ""), "citations": [int(n) for n in getattr(s, "citations", None) or []]}
            for s in getattr(answer, "sentences", None) or []
        ],
        "citations": citations,
        "warnings": [str(w) for w in getattr(answer, "warnings", None) or []],
        "model": getattr(answer, "model", None),
    }


# -- settings -----------------------------------------------------------------


def settings_json(lib: Library, server: ServerSettings) -> dict[str, Any]:
    """The focus profile, the rubric with the reader's overrides, rank settings and server settings."""
    focus = lib.focus
    tax = taxonomy()
    rubric = lib.rubric
    default = default_rubric()
    overrides = (lib.config.get("rubric") or {}).get("weights") or {}
    rank = lib.rank_settings
    return {
        "config_path": str(config_path()),
        "focus": {
            "mode": focus.mode,
            "deep": list(focus.deep),
            "ignore": list(focus.ignore),
            "trusted_sources": list(focus.trusted_sources),
            "muted_sources": list(focus.muted_sources),
            "muted_phrases": list(focus.muted_phrases),
        },
        "topics": [{"id": t.id, "label": t.label, "description": t.description} for t in tax.topics.values()],
        "rubric": {
            "version": rubric.version,
            "base": rubric.base,
            "grades": {"high": rubric.high, "medium": rubric.medium},
            "weights": [
                {
                    "signal": sid,
                    "rule": sid.split(".", 1)[0],
                    "default": default.weights.get(sid),
                    "weight": w,
                    "overridden": sid in overrides,
                }
                for sid, w in sorted(rubric.weights.items(), key=lambda kv: _signal_order(kv[0]))
            ],
        },
        "rank": {
            "weights": dict(rank.weights),
            "half_life_days": rank.half_life_days,
            "freshness_weight": rank.freshness_weight,
            "trusted_bonus": rank.trusted_bonus,
            "must_read": rank.must_read,
        },
        "server": {
            "token_set": server.token is not None,
            "allow_private_sources": server.allow_private_sources,
            "allowed_hosts": list(server.allowed_hosts),
            "digest_ttl": server.digest_ttl,
        },
        "generated": datetime.now(UTC).isoformat(),
    }


def _signal_order(signal_id: str) -> tuple[int, str]:
    rule = signal_id.split(".", 1)[0]
    return (int(rule[1:]) if rule[1:].isdigit() else 99, signal_id)
