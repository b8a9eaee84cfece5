"""Who publishes what: source records (rules R7 and R10) and feed concentration.

A *publisher* is the site behind a source, so one lab's three feeds count as
one voice when counting independent confirmation. A *platform* is where the
site lives (substack.com, medium.com, youtube.com, x.com): a feed resting on
one platform is as fragile as one resting on one source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from ..records import Source

_HOST_PREFIXES = ("www.", "feeds.", "feed.", "rss.", "m.")
# Second-level labels under which the registrable domain has three labels.
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu"}


def _host(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    return host or None


# Hosts where each account is its own voice: the account, not the host, is the publisher.
SHARED_HOSTS = frozenset(
    "x.com twitter.com bsky.app mastodon.social threads.net youtube.com medium.com github.com "
    "linkedin.com reddit.com huggingface.co news.ycombinator.com".split()
)


_NOT_ACCOUNTS = frozenset("profile profiles user users u c channel feed feeds rss r users @".split())


def publisher(source: Source) -> str:
    """The voice a source speaks with: its site's host, or host and account on a shared platform.

    Falls back to the feed's host, then the title, so two feeds of one lab
    count once while two people posting on the same platform count twice.
    """
    for url in (source.site_url, source.url):
        host = _host(url)
        if not host or host in ("feedburner.com", "feedproxy.google.com"):
            continue
        if host in SHARED_HOSTS:
            segments = urlsplit(url or "").path.strip("/").split("/")
            account = next((seg for seg in segments if seg and seg.lower() not in _NOT_ACCOUNTS), None)
            return f"{host}/{(account or source.title or '').lower()}".rstrip("/")
        return host
    return (source.title or source.url).lower()


def platform(host: str) -> str:
    """The registrable domain a host sits on (``simonw.substack.com`` -> ``substack.com``)."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


@dataclass(slots=True)
class SourceRecord:
    """A source's track record: what its items score and how often they show their work."""

    source: Source
    publisher: str
    items: int
    scored: int
    mean_score: float | None
    artefact_share: float | None
    per_week: float

    @property
    def declared_kind(self) -> str | None:
        return self.source.declared_kind


def records(sources: list[Source], stats: dict[int, dict], now: datetime) -> list[SourceRecord]:
    """One record per source from the store's per-source counts.

    Items per week are measured over the span the source has items for (at
    least a week, at most the last year), so a new source is not overrated.
    """
    out = []
    for s in sources:
        st = stats.get(s.id) or {}
        n = int(st.get("items") or 0)
        first = st.get("first")
        weeks = 1.0
        if isinstance(first, datetime):
            span = min(now - first, timedelta(days=365))
            weeks = max(1.0, span.total_seconds() / (7 * 86400))
        mean = st.get("mean_score")
        out.append(
            SourceRecord(
                source=s,
                publisher=publisher(s),
                items=n,
                scored=int(st.get("scored") or 0),
                mean_score=round(float(mean), 1) if mean is not None else None,
                artefact_share=round(int(st.get("with_artefacts") or 0) / n, 3) if n else None,
                per_week=round(n / weeks, 2),
            )
        )
    return out


@dataclass(slots=True)
class Health:
    """How concentrated the reader's top items are, by source and by platform."""

    top_items: int
    by_source: list[tuple[str, int, float]]
    by_platform: list[tuple[str, int, float]]
    effective_sources: float
    warnings: list[str] = field(default_factory=list)


#: Above this share of the top items, one source or platform dominates the feed.
MAX_SHARE = 0.4
#: Below this many "effective" sources (inverse Simpson index), the feed rests on too few.
MIN_EFFECTIVE = 3.0


def concentration(top: list[tuple[str, str]]) -> Health:
    """Concentration of the top items, each given as ``(source title, publisher host)``."""
    n = len(top)
    if n == 0:
        return Health(0, [], [], 0.0, ["no ranked items yet: refresh first, then run this again"])
    by_source = Counter(title for title, _ in top)
    by_platform = Counter(platform(host) for _, host in top)
    effective = 1.0 / sum((c / n) ** 2 for c in by_source.values())
    warnings = []
    name, count = by_source.most_common(1)[0]
    if count / n > MAX_SHARE and len(by_source) > 0:
        warnings.append(f"{count / n:.0%} of your top {n} items come from one source ({name})")
    pname, pcount = by_platform.most_common(1)[0]
    if pcount / n > MAX_SHARE and len(by_platform) > 1:
        warnings.append(f"{pcount / n:.0%} of your top {n} items live on one platform ({pname})")
    elif len(by_platform) == 1 and n > 1:
        warnings.append(f"all of your top {n} items live on one platform ({pname})")
    if effective < MIN_EFFECTIVE:
        warnings.append(f"your top items rest on about {effective:.1f} sources: subscribe to more independent voices")
    return Health(
        top_items=n,
        by_source=[(k, c, round(c / n, 3)) for k, c in by_source.most_common()],
        by_platform=[(k, c, round(c / n, 3)) for k, c in by_platform.most_common()],
        effective_sources=round(effective, 2),
        warnings=warnings,
    )
