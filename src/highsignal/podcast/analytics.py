"""Show analytics: publication history, cadence, durations and the links a show shares.

A listener deciding whether a show is worth its hours wants the same few
facts a directory page shows (how often, how long, who comes on), plus one
the directories cannot give: which of the links in its notes other shows and
newsletters they follow also point at. Per-show boilerplate (the socials,
sponsor and subscribe links repeated under every episode) is dropped first,
or it would top every list.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from urllib.parse import urlsplit

from highsignal.parse.urls import canonical_url

# A link under more than this share of a show's episodes is its furniture, not content.
BOILERPLATE_SHARE = 0.5
# ... but only once the show has enough episodes for a share to mean anything.
BOILERPLATE_MIN_EPISODES = 4
# Hosts whose links are never what an episode is about.
_CHROME_HOSTS = (
    "podcasts.apple.com",
    "open.spotify.com",
    "music.amazon.com",
    "podcasts.google.com",
    "overcast.fm",
    "pca.st",
    "castbox.fm",
    "anchor.fm",
    "podcasters.spotify.com",
    "patreon.com",
    "buymeacoffee.com",
    "ko-fi.com",
)
DURATION_BUCKETS = ((0, 15), (15, 30), (30, 45), (45, 60), (60, 90), (90, 120), (120, None))


@dataclass(slots=True)
class Cadence:
    """How regularly a show publishes: the median gap, and how much gaps vary around it."""

    episodes: int
    median_gap_days: float | None
    regularity: float | None  # 1 − coefficient of variation of the gaps, floored at 0
    label: str  # weekly, fortnightly, monthly, irregular, ...


@dataclass(slots=True)
class Durations:
    count: int
    median_minutes: float | None
    shortest_minutes: float | None
    longest_minutes: float | None
    buckets: list[tuple[str, int]]


@dataclass(slots=True)
class SharedLink:
    """A link in a show's notes, how often the show uses it, and who else links it."""

    url: str
    episodes: int
    other_sources: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Episode:
    """What the analytics need of one stored episode."""

    item_id: int
    title: str | None
    published: datetime | None
    duration: float | None
    links: list[str]


def history(dates: Iterable[datetime | None]) -> list[tuple[str, int]]:
    """Episodes per calendar month, oldest first, with empty months kept so gaps show."""
    counts = Counter(d.strftime("%Y-%m") for d in dates if d is not None)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= last:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def cadence(dates: Iterable[datetime | None]) -> Cadence:
    ordered = sorted(d for d in dates if d is not None)
    gaps = [(b - a).total_seconds() / 86400 for a, b in pairwise(ordered)]
    gaps = [g for g in gaps if g > 0.01]  # same-day duplicates say nothing about rhythm
    if len(gaps) < 2:
        return Cadence(len(ordered), gaps[0] if gaps else None, None, "too few episodes to tell")
    median = statistics.median(gaps)
    mean = statistics.fmean(gaps)
    cv = statistics.pstdev(gaps) / mean if mean else 0.0
    regularity = max(0.0, 1.0 - cv)
    return Cadence(len(ordered), round(median, 1), round(regularity, 2), _cadence_label(median, cv))


def _cadence_label(median_days: float, cv: float) -> str:
    if cv > 1.0:
        return "irregular"
    for limit, name in ((1.5, "daily"), (4.5, "twice weekly"), (10, "weekly"), (20, "fortnightly"), (45, "monthly")):
        if median_days <= limit:
            return name
    return "occasional"


def durations(seconds: Iterable[float | None]) -> Durations:
    minutes = sorted(s / 60 for s in seconds if s and s > 0)
    buckets = []
    for lo, hi in DURATION_BUCKETS:
        label = f"{lo}-{hi} min" if hi is not None else f"{lo}+ min"
        buckets.append((label, sum(1 for m in minutes if m >= lo and (hi is None or m < hi))))
    if not minutes:
        return Durations(0, None, None, None, buckets)
    return Durations(
        len(minutes), round(statistics.median(minutes), 1), round(minutes[0], 1), round(minutes[-1], 1), buckets
    )


def normalise_link(url: str) -> str | None:
    """The spelling under which two notes' links count as the same; None for links never worth counting."""
    canon = canonical_url(url)
    try:
        parts = urlsplit(canon)
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if parts.scheme not in ("http", "https") or not host:
        return None
    if host in _CHROME_HOSTS or any(host.endswith("." + h) for h in _CHROME_HOSTS):
        return None
    path = parts.path.rstrip("/") or ""
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{path}{query}"


def episode_links(episodes: Sequence[Episode]) -> tuple[Counter[str], set[str]]:
    """How many episodes carry each normalised link, and which links are the show's boilerplate."""
    per_link: Counter[str] = Counter()
    for ep in episodes:
        per_link.update({n for n in (normalise_link(u) for u in ep.links) if n})
    boiler: set[str] = set()
    if len(episodes) >= BOILERPLATE_MIN_EPISODES:
        cut = BOILERPLATE_SHARE * len(episodes)
        boiler = {link for link, n in per_link.items() if n > cut}
    return per_link, boiler


def shared_links(
    episodes: Sequence[Episode],
    elsewhere: Iterable[tuple[int, Iterable[str]]] = (),
    *,
    top: int = 20,
) -> tuple[list[SharedLink], list[str]]:
    """The show's content links, most used first, each with the other sources that link it.

    ``elsewhere`` is (source id, that source's links) for every other
    subscription. Returns the links and the boilerplate that was dropped.
    """
    counts, boiler = episode_links(episodes)
    others: dict[str, set[int]] = defaultdict(set)
    wanted = {link for link in counts if link not in boiler}
    for source_id, links in elsewhere:
        for url in links:
            n = normalise_link(url)
            if n in wanted:
                others[n].add(source_id)
    ranked = sorted(wanted, key=lambda u: (-(counts[u] + 2 * len(others.get(u, ()))), u))
    out = [SharedLink(u, counts[u], sorted(others.get(u, ()))) for u in ranked[:top]]
    return out, sorted(boiler)
