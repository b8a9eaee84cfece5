"""The JSON the API returns for items, sources, search, ask and settings.

Each page renders exactly the dict its API endpoint returns, the same
principle as ``digest_json``: what the HTML shows is what the JSON says.
Existing shapes are reused rather than redrawn: ``assessment_json`` for an
item's assessment and ``entry_json`` for its place in the rank.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from highsignal.api import Library
from highsignal.assess import RULE_NAMES
from highsignal.assess.rubric import default_rubric
from highsignal.config import config_path
from highsignal.embed import EmbeddingUnavailable
from highsignal.extract import extract
from highsignal.extract.benchmarks import BY_NAME, near_chance
from highsignal.podcast.quality import quality_json
from highsignal.podcast.report import report_json
from highsignal.podcast.timestamps import format_clock
from highsignal.present.assessment import assessment_json
from highsignal.present.digest import entry_json
from highsignal.rank.topics import taxonomy
from highsignal.records import PassageHit, SearchHit, Source
from highsignal.relate.sources import SourceRecord
from highsignal.store.readonly import ReadOnlyStore

from . import history
from .markup import plain, snippet_parts, span_context
from .settings import ServerSettings

#: Stored transcript turns listed on an item page (a long episode has thousands).
MAX_TRANSCRIPT_TURNS = 3000
MAX_TEXT_CHARS = 200_000


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


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


def is_show(source: Source) -> bool:
    """Whether a source holds podcast episodes (a feed, or a scraped episode page)."""
    return "podcast" in (source.kind, source.declared_kind) or source.feed_format == "episodes"


def quality_report(lib: Library, source: Source) -> dict[str, Any] | None:
    """The podcast feed quality checklist as JSON; None for sources it does not apply to."""
    if not is_show(source) or source.feed_format == "episodes":
        return None
    return quality_json(lib.feed_quality(source.id))


def checklist(quality: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows ``{label, ok, outcome, detail, why}``: ``ok`` is None for a partial result or a check that could not run."""
    return [
        {
            "label": c["label"],
            "ok": {"pass": True, "fail": False}.get(c["outcome"]),
            "outcome": c["outcome"],
            "detail": _short(c["evidence"]),
            "why": _short(c["why"]),
        }
        for c in quality["checks"]
    ]


def quality_summary(found: dict[str, Any] | None) -> str:
    """One cell for the sources table: the checklist's score, or a dash where it does not apply."""
    return f"{found['score']}/100" if found is not None and found["is_podcast"] else "—"


def _short(value: Any, limit: int = 160) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_detail(lib: Library, probe: ReadOnlyStore, source_id: int, row: dict[str, Any] | None) -> dict[str, Any]:
    """One source's page (and ``GET /api/sources/{id}``): record, history, cadence, quality, shared links.

    ``row`` is the source's row of the (cached) sources table, with its track record.
    """
    source = lib.store.source(source_id)
    base = row or source_json(source)
    titles = {s.id: s.title or s.url for s in lib.store.source_names()}
    # The podcast report (which includes the quality checklist) reads every episode and
    # other sources' links: only for shows.
    report = report_json(lib.podcast_report(source_id), titles) if is_show(source) else None
    quality = report["quality"] if report is not None else None
    recent = lib.items(source=source_id, limit=15)
    scores = lib.store.scores(s.id for s in recent)
    return {
        **base,
        "site_url": source.site_url,
        "description": source.meta.description if source.meta else None,
        "history": history.chart(probe.monthly_counts(source_id)),
        "cadence": history.cadence(probe.recent_dates(source_id), base.get("items_per_week")),
        "quality": quality,
        "checklist": checklist(quality) if quality is not None else [],
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
        # Hybrid search: where the word ranking and the meaning ranking put the hit (null when absent).
        "lexical_rank": h.lexical_rank,
        "semantic_rank": h.semantic_rank,
        "similarity": round(h.similarity, 4) if h.similarity is not None else None,
    }


def passage_hit_json(h: PassageHit, scores: dict[int, tuple[int, str]]) -> dict[str, Any]:
    """A match inside an episode's transcript: when it is said, by whom, and a link that plays it."""
    found = scores.get(h.item_id)
    return {
        "id": h.item_id,
        "source": h.source_title,
        "source_id": h.source_id,
        "title": h.title,
        "start": h.start,
        "clock": format_clock(h.start) if h.start is not None else None,
        "speaker": h.speaker,
        "link": h.link,
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


def semantic_json(lib: Library) -> dict[str, Any]:
    """Whether search by meaning works here, with which model, and how much of the library it covers."""
    try:
        model = lib.embedder
    except EmbeddingUnavailable as exc:
        return {"available": False, "reason": str(exc), "model": None, "total": None, "pending": None}
    return {
        "available": True,
        "reason": None,
        "model": model.name,
        "total": lib.store.count_items(),
        "pending": lib.store.count_stale_vectors(model.name),
    }


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
        "semantic": semantic_json(lib),
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
