"""The digest as the web UI asks for it: a window, a mode, and optional filters.

Without filters the page shows exactly ``Library.digest(since, top, mode)``,
the same digest as ``highsignal digest``. With filters (grade, topic, source,
item kind) it shows the best-ranked entries that match among a wider digest
of ``WIDE`` entries, so a filter narrows the ranking rather than re-ranking
a different pool. Both come out as ``digest_json``, the CLI's JSON shape,
plus a few keys the page needs (each entry's item kind and the reader's
rating, the library's size for the empty state, the filters applied).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from highsignal.api import GRADES, Library
from highsignal.errors import HighsignalError
from highsignal.present.digest import digest_json
from highsignal.rank.focus import MODES
from highsignal.rank.topics import taxonomy
from highsignal.records import Candidate, Digest, LeftOut, Ranked

#: A filtered view picks from this many of the digest's best entries.
WIDE = 150
MAX_TOP = 100
DEFAULT_SINCE = "7d"
#: The windows offered in the filter bar (any span like 12h, 2w or a date also works in the URL).
SINCE_CHOICES = (("1d", "24 hours"), ("7d", "7 days"), ("30d", "30 days"), ("90d", "90 days"), ("all", "all time"))
ITEM_KINDS = ("release", "paper", "code", "announcement", "social", "commentary")
_SPAN = re.compile(r"^(\d{1,5})([hdw])$")


class BadQuery(HighsignalError):
    """A digest or search parameter the UI cannot use; the message names it."""


def parse_since(value: str | None, now: datetime | None = None) -> datetime | None:
    """``12h``, ``7d``, ``2w`` ago, an ISO date, or ``all`` (no limit)."""
    if value is None or value.strip().lower() in ("", "all"):
        return None
    text = value.strip().lower()
    now = now or datetime.now(UTC)
    m = _SPAN.match(text)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return now - {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise BadQuery(f"since={value!r}: use a span like 12h, 7d, 2w, a date like 2024-09-01, or 'all'") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DigestQuery:
    """What one digest view shows; hashable, so it keys the view cache."""

    since: str = DEFAULT_SINCE
    grade: str | None = None
    topic: str | None = None
    source: int | None = None
    kind: str | None = None
    mode: str | None = None
    top: int = 20

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> DigestQuery:
        """From query parameters; empty values mean "any". Raises ``BadQuery`` naming the bad one."""

        def get(name: str) -> str | None:
            value = (params.get(name) or "").strip()
            return value or None

        since = (get("since") or DEFAULT_SINCE).lower()
        parse_since(since)  # validate now, so the error names the parameter
        grade = get("grade")
        if grade is not None and grade not in GRADES:
            raise BadQuery(f"grade={grade!r}: use one of {', '.join(GRADES)}")
        topic = get("topic")
        if topic is not None and topic not in taxonomy().topics:
            raise BadQuery(f"topic={topic!r}: not a known topic (see `highsignal focus topics`)")
        kind = get("kind")
        if kind is not None and kind not in ITEM_KINDS:
            raise BadQuery(f"kind={kind!r}: use one of {', '.join(ITEM_KINDS)}")
        mode = get("mode")
        if mode is not None and mode not in MODES:
            raise BadQuery(f"mode={mode!r}: use depth or breadth")
        source = _int_param("source", get("source"), 1, None)
        top = _int_param("top", get("top"), 1, MAX_TOP)
        return cls(since, grade, topic, source, kind, mode, top if top is not None else 20)

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.grade, self.topic, self.source, self.kind))

    def filters(self) -> dict[str, Any]:
        return {k: v for k in ("grade", "topic", "source", "kind") if (v := getattr(self, k)) is not None}

    def params(self, **changes: Any) -> dict[str, str]:
        """Query parameters for a link to this view (with ``changes``), defaults left out."""
        out = {}
        for f in fields(self):
            value = changes.get(f.name, getattr(self, f.name))
            if value is not None and value != f.default:
                out[f.name] = str(value)
        return out

    def matches(self, r: Ranked) -> bool:
        if self.grade is not None and (r.assessment is None or r.assessment.grade != self.grade):
            return False
        if self.topic is not None and self.topic not in {t for t, _ in r.topics}:
            return False
        if self.source is not None and r.stored.source_id != self.source:
            return False
        return not (self.kind is not None and (r.assessment is None or r.assessment.item_kind != self.kind))


def _int_param(name: str, value: str | None, low: int, high: int | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value)
    except ValueError:
        raise BadQuery(f"{name}={value!r}: not a number") from None
    if n < low or (high is not None and n > high):
        raise BadQuery(f"{name}={n}: must be between {low} and {high}" if high else f"{name}={n}: must be >= {low}")
    return n


def compute(lib: Library, q: DigestQuery, wide: Digest | None = None) -> Digest:
    """The digest for ``q``: the Library's own, or (filtered) narrowed from ``wide``."""
    since = parse_since(q.since)
    if not q.filtered:
        return lib.digest(since, top=q.top, mode=q.mode)
    if wide is None:
        wide = lib.digest(since, top=WIDE, mode=q.mode)
    return narrow(wide, q)


def narrow(wide: Digest, q: DigestQuery) -> Digest:
    """The entries of ``wide`` matching ``q``, best first, sectioned as ``Library.digest`` would."""
    must_read = {id(r) for r in wide.must_read}
    matching = [r for r in wide.must_read + wide.worth_a_look if q.matches(r)]
    shown = matching[: q.top]
    must = [r for r in shown if id(r) in must_read][: max(1, q.top // 3)]
    picked = {id(r) for r in must}
    below = [LeftOut(_candidate(r), "below the cut", r.rank_score) for r in matching[q.top :]]
    return Digest(
        generated=wide.generated,
        since=wide.since,
        mode=wide.mode,
        must_read=must,
        worth_a_look=[r for r in shown if id(r) not in picked],
        left_out=below,
        considered=wide.considered,
        deep=list(wide.deep),
        ignore=list(wide.ignore),
    )


def _candidate(r: Ranked) -> Candidate:
    a = r.assessment
    return Candidate(
        item_id=r.stored.id,
        source_id=r.stored.source_id,
        when=r.stored.item.published or r.stored.first_seen,
        score=a.score if a else None,
        grade=a.grade if a else None,
        topics=list(r.topics),
        features=None,
        title=r.stored.item.title,
        url=r.stored.item.url,
    )


def to_json(lib: Library, digest: Digest, q: DigestQuery) -> dict[str, Any]:
    """``digest_json`` plus the keys the page needs; the JSON API returns exactly this."""
    sources = lib.sources()
    titles = {s.id: s.title or s.url for s in sources}
    data = digest_json(digest, titles)
    ranked = {r.stored.id: r for r in digest.must_read + digest.worth_a_look}
    ratings = lib.store.ratings()
    for entry in [*data["items"], *(e for s in data["sections"] for e in s["entries"])]:
        r = ranked.get(entry["id"])
        entry["kind"] = r.assessment.item_kind if r is not None and r.assessment is not None else None
        entry["source_id"] = r.stored.source_id if r is not None else None
        entry["rating"] = ratings.get(entry["id"])
    data["query"] = {"since": q.since, "top": q.top, "mode": q.mode, **q.filters()}
    data["filtered_from"] = WIDE if q.filtered else None
    data["library"] = {"sources": len(sources), "items": lib.store.count_items()}
    return data
