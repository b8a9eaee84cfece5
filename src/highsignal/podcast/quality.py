"""A transparent quality score for podcast feeds.

Every point of the score comes from a named check that says what it looked at
(``evidence``) and which published requirement it follows (``why``): Apple's
podcast RSS requirements, the Podcasting 2.0 namespace, the W3C Feed
Validation Service, and plain HTTP hygiene. A check that cannot run (nothing
recorded to judge it by) is reported with ``result=None`` and left out of the
total, so missing data never reads as a failure.

Scoring reads only plain records (``FeedFacts``) and walks the episode list
once, so a thousand stored feeds (~175,000 episodes) score in about a second
(``bench/quality_bench.py``).
"""

from __future__ import annotations

import heapq
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from highsignal.parse.dates import parse_date
from highsignal.records import FeedMeta, Item, ParsedFeed, Source

#: Check groups in report order, with the label a reader sees.
GROUPS: dict[str, str] = {
    "fetch": "Fetch and transport",
    "required": "Apple-required channel tags",
    "recommended": "Recommended channel tags",
    "integrity": "Episode integrity",
    "rich": "Rich signal (Podcasting 2.0)",
    "freshness": "Freshness and health",
}

NOT_A_PODCAST = "not a podcast feed: this checklist is for podcast feeds (no media enclosures, no podcast tags)"

# Apple's current top-level categories (2019 list); subcategories are stored flattened beside them.
APPLE_CATEGORIES = frozenset(
    {
        "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "Health & Fitness", "History",
        "Kids & Family", "Leisure", "Music", "News", "Religion & Spirituality", "Science", "Society & Culture",
        "Sports", "Technology", "True Crime", "TV & Film",
    }
)  # fmt: skip

AUDIO_TYPES = frozenset(
    {
        "audio/mpeg", "audio/mp3", "audio/x-mp3", "audio/mpeg3", "audio/x-mpeg", "audio/mp4", "audio/x-m4a",
        "audio/m4a", "audio/aac", "audio/x-aac", "audio/aacp", "audio/ogg", "audio/opus", "audio/vorbis",
        "audio/wav", "audio/x-wav", "audio/wave", "audio/flac", "audio/x-flac", "audio/webm",
    }
)  # fmt: skip
VIDEO_TYPES = frozenset({"video/mp4", "video/x-m4v", "video/quicktime", "video/webm", "video/mpeg", "video/ogg"})
_AUDIO_EXT = (".mp3", ".m4a", ".aac", ".ogg", ".opus", ".oga", ".wav", ".flac")
_XML_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"}
)
_JSON_FEED_TYPES = frozenset({"application/feed+json", "application/json"})

# Implied bitrate bounds for audio: below ~16 kbps is unlistenable, above ~512 kbps is not a podcast MP3/AAC.
MIN_KBPS, MAX_KBPS = 16.0, 512.0
# Only the newest gaps describe a show's cadence today; old seasons may have run on another schedule.
CADENCE_GAPS = 24

# Strict date forms; the field ranges are in the pattern so a match is (nearly) always a real date.
_DAY = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60))?"
_RFC822 = re.compile(
    rf"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?{_DAY}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+"
    rf"\d{{4}}\s+{_CLOCK}\s*(?:[+-]\d{{4}}|UT|GMT|[ECMP][SD]T|Z)$"
)
_RFC3339 = re.compile(
    rf"^\d{{4}}-(?:0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])T{_CLOCK}(?:\.\d+)?(?:Z|[+-]\d{{2}}:\d{{2}})$"
)
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass(slots=True)
class FeedFacts:
    """What the checks need to know about one feed, gathered from the store or a fresh fetch.

    Fetch fields are ``None`` when nothing was recorded (never fetched, or a
    fact the store does not keep); the checks that need them then do not run.
    """

    url: str
    meta: FeedMeta
    items: list[Item]
    now: datetime  # aware UTC, like every time in the records
    well_formed: bool | None = None  # from is_well_formed() on the last parse; not stored yet
    last_fetch: datetime | None = None
    status: int | None = None
    content_type: str | None = None  # Content-Type of the last 200; not stored yet
    has_etag: bool | None = None
    has_last_modified: bool | None = None
    error_streak: int | None = None
    last_error: str | None = None
    gone: bool = False
    fetch_attempts: int | None = None  # fetches in a recent window; not stored yet
    fetch_failures: int | None = None  # failed ones among them; not stored yet


@dataclass(slots=True)
class Check:
    """One line of the checklist: what was checked, what it found, and on whose authority.

    ``result`` is the fraction passed (1 pass, 0 fail, between: partial) or
    ``None`` when the check could not run.
    """

    id: str
    group: str
    label: str
    weight: float
    result: float | None
    evidence: str
    why: str = ""

    @property
    def outcome(self) -> str:
        """``pass``, ``fail``, ``partial`` or ``not run``, for readers who want a word, not a fraction."""
        if self.result is None:
            return "not run"
        if self.result >= 1.0:
            return "pass"
        return "fail" if self.result <= 0.0 else "partial"


@dataclass(slots=True)
class Quality:
    """The score (0-100), every check behind it and the per-group means (0-1, ``None`` if none ran)."""

    score: int
    checks: list[Check]
    groups: dict[str, float | None]
    not_run: int
    well_formed: bool | None
    is_podcast: bool = True
    notes: list[str] = field(default_factory=list)


# -- facts ---------------------------------------------------------------------


def facts_from(source: Source, items: list[Item], *, well_formed: bool | None, now: datetime) -> FeedFacts:
    """Gather a stored source's facts; fields the store does not keep yet stay ``None``.

    ``content_type``, ``fetch_attempts`` and ``fetch_failures`` are read from the
    source when it has them, so the checks start running once the store records them.
    """
    fetched = source.last_fetch is not None
    return FeedFacts(
        url=source.url,
        meta=source.meta or FeedMeta(),
        items=items,
        now=now,
        well_formed=well_formed,
        last_fetch=source.last_fetch,
        status=source.last_status,
        content_type=getattr(source, "content_type", None),
        has_etag=bool(source.etag) if fetched else None,
        has_last_modified=bool(source.last_modified) if fetched else None,
        error_streak=source.error_streak if fetched else None,
        last_error=source.last_error,
        gone=source.gone,
        fetch_attempts=getattr(source, "fetch_attempts", None),
        fetch_failures=getattr(source, "fetch_failures", None),
    )


def is_well_formed(feed: ParsedFeed) -> bool | None:
    """Whether the strict XML parser read the document as it is; ``None`` for JSON Feed.

    The parser says so in two ways: the feedparser fallback sets ``format`` to
    ``"fallback"``, and lxml's recover mode leaves an "XML is not well-formed" warning.
    """
    if feed.format == "json":
        return None
    if feed.format == "fallback":
        return False
    return not any(w.startswith("XML is not well-formed") for w in feed.warnings)


def is_podcast(meta: FeedMeta, items: list[Item]) -> bool:
    """A podcast declares itself with itunes/podcast tags or carries audio or video enclosures.

    Image enclosures (common on blogs) do not count; an untyped one does, since
    many podcast hosts leave the type out.
    """
    if meta.is_podcast:
        return True
    for item in items:
        enc = item.enclosure
        if enc is not None and enc.url and (not enc.type or enc.type.split("/", 1)[0].lower() in ("audio", "video")):
            return True
    return False


# -- one pass over the episodes ------------------------------------------------


@dataclass(slots=True)
class _Tally:
    """Counts every episode check needs, gathered in a single walk over the items."""

    episodes: int = 0
    titled: int = 0
    enclosed: int = 0
    media_https: int = 0
    known_type: int = 0
    odd_types: Counter[str] = field(default_factory=Counter)
    sized: int = 0
    guid_missing: int = 0
    guids: Counter[str] = field(default_factory=Counter)
    dates_strict: int = 0
    dates_lenient: int = 0
    dates_missing: int = 0
    dates_bad: int = 0
    dates_future: int = 0
    timed: int = 0
    rate_checked: int = 0
    rate_outside: int = 0
    worst_rate: tuple[float, float, str] | None = None  # (how far out, kbps, episode title)
    transcripts: int = 0
    chapters: int = 0
    persons: int = 0
    soundbites: int = 0
    dates: list[datetime] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)  # days, newest first (see _gaps_days)


def _media_type(raw: str | None) -> str:
    return raw.split(";", 1)[0].strip().lower() if raw else ""


def _tally(items: list[Item], now: datetime) -> _Tally:
    t = _Tally(episodes=len(items))
    future = now + timedelta(days=1)
    for item in items:
        if item.title:
            t.titled += 1
        _tally_media(t, item)
        if item.guid:
            t.guids[item.guid] += 1
        else:
            t.guid_missing += 1
        _tally_date(t, item, future)
        if item.duration and item.duration > 0:
            t.timed += 1
        if item.transcripts:
            t.transcripts += 1
        if item.chapters or item.chapters_url:
            t.chapters += 1
        if item.persons:
            t.persons += 1
        if item.soundbites:
            t.soundbites += 1
    t.gaps = _gaps_days(t.dates)
    return t


def _tally_media(t: _Tally, item: Item) -> None:
    enc = item.enclosure
    if enc is None or not enc.url:
        return
    url = enc.url
    if url.startswith(("http://", "https://")):
        t.enclosed += 1
    if url.startswith("https://"):
        t.media_https += 1
    mtype = _media_type(enc.type)
    if mtype in AUDIO_TYPES or mtype in VIDEO_TYPES:
        t.known_type += 1
    else:
        t.odd_types[mtype or "(none)"] += 1
    length = enc.length
    if length is None or length <= 0:
        return
    t.sized += 1
    duration = item.duration
    # Video bitrates legitimately run to megabits, so only audio is held to the speech range.
    audio = mtype.startswith("audio/") or (not mtype and urlsplit(url).path.lower().endswith(_AUDIO_EXT))
    if audio and duration and duration > 0:
        t.rate_checked += 1
        kbps = length * 8 / duration / 1000
        if not MIN_KBPS <= kbps <= MAX_KBPS:
            t.rate_outside += 1
            off = max(MIN_KBPS / kbps if kbps else float("inf"), kbps / MAX_KBPS)
            if t.worst_rate is None or off > t.worst_rate[0]:
                t.worst_rate = (off, kbps, item.title or item.guid or url)


def _tally_date(t: _Tally, item: Item, future: datetime) -> None:
    raw = item.published_raw or item.updated_raw
    if not raw:
        t.dates_missing += 1
        return
    raw = raw.strip()
    m = _RFC822.match(raw) or _RFC3339.match(raw)
    strict = m is not None
    # Refresh stamps an unreadable date with the fetch time, so item.published is trusted only
    # when the raw form is strict and its day exists in every month; anything else is re-read.
    if m is not None and int(m.group("d")) <= 28 and item.published is not None:
        when = item.published
    else:
        when = parse_date(raw)
    if when is None:
        t.dates_bad += 1
    elif when > future:
        t.dates_future += 1
    else:
        t.dates.append(when)
        if strict:
            t.dates_strict += 1
        else:
            t.dates_lenient += 1


# -- the checks ----------------------------------------------------------------

Outcome = tuple[float | None, str]
CheckFn = Callable[[FeedFacts, _Tally], Outcome]


@dataclass(frozen=True, slots=True)
class _Spec:
    id: str
    group: str
    label: str
    weight: float
    why: str
    fn: CheckFn


_CHECKS: list[_Spec] = []


def _check(check_id: str, label: str, weight: float, why: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check; the group is the id's prefix, the order of registration is the report order."""

    def register(fn: CheckFn) -> CheckFn:
        _CHECKS.append(_Spec(check_id, check_id.split(".", 1)[0], label, weight, why, fn))
        return fn

    return register


def _share(n: int, of: int, what: str) -> Outcome:
    """A per-episode fraction with its evidence, ``None`` when there are no episodes to count."""
    if of == 0:
        return None, "no episodes to check"
    return n / of, f"{n} of {of} episodes {what}"


def _ramp(x: float, good: float, bad: float) -> float:
    """1 at or below ``good``, 0 at or above ``bad``, linear between."""
    if x <= good:
        return 1.0
    if x >= bad:
        return 0.0
    return (bad - x) / (bad - good)


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def _same_place(a: str, b: str) -> bool:
    """Two feed URLs name the same place when they differ only in scheme, host case or a trailing slash."""

    def norm(u: str) -> str:
        p = urlsplit(u.strip())
        return f"{p.netloc.lower()}{p.path.rstrip('/')}?{p.query}"

    return norm(a) == norm(b)


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _fetch_facts_missing(f: FeedFacts) -> str | None:
    """Why HTTP checks cannot run for this feed, or ``None`` when they can."""
    if not _is_http(f.url):
        return "not fetched over HTTP"
    if f.last_fetch is None:
        return "no fetch recorded"
    return None


@_check("fetch.well_formed", "Well-formed XML", 3.0, "W3C Feed Validation Service: a feed must be well-formed XML")
def _well_formed(f: FeedFacts, t: _Tally) -> Outcome:
    if f.well_formed is None:
        return None, "well-formedness not recorded"
    if f.well_formed:
        return 1.0, "the strict XML parser read the document"
    return 0.0, "not well-formed: only a tolerant parser could read it"


@_check("fetch.https", "Feed served over HTTPS", 2.0, "Apple Podcasts hosting guidance; HTTP can be altered in transit")
def _https(f: FeedFacts, t: _Tally) -> Outcome:
    if not _is_http(f.url):
        return None, "not an HTTP URL"
    if f.url.startswith("https://"):
        return 1.0, "feed URL is https"
    return 0.0, "feed URL is plain http"


@_check("fetch.media_https", "Media served over HTTPS", 1.0, "Apple Podcasts hosting guidance (App Transport Security)")
def _media_https(f: FeedFacts, t: _Tally) -> Outcome:
    if t.enclosed == 0:
        return None, "no enclosure URLs to check"
    return t.media_https / t.enclosed, f"{t.media_https} of {t.enclosed} enclosure URLs are https"


@_check("fetch.status", "Last fetch succeeded", 3.0, "RFC 9110: 200, or 304 to a conditional GET, means served")
def _status(f: FeedFacts, t: _Tally) -> Outcome:
    missing = _fetch_facts_missing(f)
    if missing:
        return None, missing
    if f.status in (200, 304):
        return 1.0, f"HTTP {f.status} on the last fetch"
    if f.status is None:
        return 0.0, f"no HTTP response: {_short(f.last_error or 'unknown error')}"
    return 0.0, f"HTTP {f.status} on the last fetch"


@_check(
    "fetch.validators",
    "ETag / Last-Modified for conditional GET",
    1.0,
    "RFC 9110 conditional requests; Podcast Index asks hosts to support them to cut polling",
)
def _validators(f: FeedFacts, t: _Tally) -> Outcome:
    missing = _fetch_facts_missing(f)
    if missing or f.has_etag is None or f.has_last_modified is None:
        return None, missing or "validators not recorded"
    sent = [name for name, has in (("ETag", f.has_etag), ("Last-Modified", f.has_last_modified)) if has]
    if len(sent) == 2:
        return 1.0, "server sends ETag and Last-Modified"
    if sent:
        # One validator is enough for a 304; the second only adds robustness.
        return 0.75, f"server sends {sent[0]} only"
    return 0.0, "server sends neither ETag nor Last-Modified: every poll downloads the whole feed"


@_check("fetch.errors", "No error streak", 2.0, "Apple Podcasts and Podcast Index stop polling feeds that keep failing")
def _errors(f: FeedFacts, t: _Tally) -> Outcome:
    missing = _fetch_facts_missing(f)
    if missing or f.error_streak is None:
        return None, missing or "error streak not recorded"
    if f.error_streak == 0:
        return 1.0, "no failures since the last success"
    detail = f": {_short(f.last_error)}" if f.last_error else ""
    return max(0.0, 1 - f.error_streak / 3), f"{f.error_streak} failed fetch(es) in a row{detail}"


@_check(
    "fetch.location",
    "Not gone; moves followed",
    2.0,
    "RFC 9110 (410 Gone, 301/308) and Apple Podcasts itunes:new-feed-url",
)
def _location(f: FeedFacts, t: _Tally) -> Outcome:
    if f.gone:
        return 0.0, "the server says the feed is gone (HTTP 410)"
    moved = f.meta.new_feed_url
    if moved and _is_http(moved) and not _same_place(moved, f.url):
        return 0.5, f"itunes:new-feed-url points to {_short(moved)} but the subscription still reads {_short(f.url)}"
    return 1.0, "feed is where the subscription points" + (" (new-feed-url matches)" if moved else "")


@_check(
    "fetch.content_type",
    "Served with an XML media type",
    1.0,
    "W3C Feed Validation Service: serve as application/rss+xml or another XML type, not text/plain or text/html",
)
def _content_type(f: FeedFacts, t: _Tally) -> Outcome:
    if f.content_type is None:
        return None, "Content-Type not recorded"
    mtype = _media_type(f.content_type)
    if mtype in _XML_TYPES or mtype in _JSON_FEED_TYPES:
        return 1.0, f"served as {mtype}"
    return 0.0, f"served as {mtype or 'no type'}"


_APPLE_REQ = "Apple Podcasts RSS requirements: required channel tag"


@_check("required.title", "Show title", 3.0, f"{_APPLE_REQ} <title>")
def _title(f: FeedFacts, t: _Tally) -> Outcome:
    return (1.0, f"title: {_short(f.meta.title)}") if f.meta.title else (0.0, "no <title>")


@_check("required.description", "Show description", 2.0, f"{_APPLE_REQ} <description> (at most 4,000 bytes)")
def _description(f: FeedFacts, t: _Tally) -> Outcome:
    d = f.meta.description
    if not d:
        return 0.0, "no <description> or itunes:summary"
    size = len(d.encode())
    if size > 4000:
        return 0.5, f"description is {size} bytes; Apple cuts it at 4,000"
    return 1.0, f"description of {size} bytes"


@_check("required.image", "Show artwork", 3.0, f"{_APPLE_REQ} <itunes:image> (JPEG or PNG, 1400-3000 px)")
def _image(f: FeedFacts, t: _Tally) -> Outcome:
    img = f.meta.image
    if not img:
        return 0.0, "no artwork"
    if not _is_http(img):
        return 0.5, f"artwork is not an http(s) URL: {_short(img)}"
    path = urlsplit(img).path.lower()
    if path.endswith((".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff")):
        return 0.5, f"artwork is not JPEG or PNG: {_short(img)}"
    return 1.0, "artwork URL present"


@_check("required.language", "Language", 2.0, f"{_APPLE_REQ} <language> (ISO 639 code)")
def _language(f: FeedFacts, t: _Tally) -> Outcome:
    lang = f.meta.language
    if not lang:
        return 0.0, "no <language>"
    if _LANGUAGE.match(lang.strip()):
        return 1.0, f"language {lang}"
    return 0.5, f"language {_short(lang)!r} is not an ISO 639 code"


@_check("required.category", "Apple category", 2.0, f"{_APPLE_REQ} <itunes:category> from Apple's list")
def _category(f: FeedFacts, t: _Tally) -> Outcome:
    cats = f.meta.categories
    if not cats:
        return 0.0, "no category"
    apple = [c for c in cats if c in APPLE_CATEGORIES]
    if apple:
        return 1.0, f"category {apple[0]}"
    return 0.5, f"categories {', '.join(_short(c, 30) for c in cats[:3])} are not Apple categories"


@_check("required.explicit", "Explicit flag", 2.0, f"{_APPLE_REQ} <itunes:explicit> (true or false)")
def _explicit(f: FeedFacts, t: _Tally) -> Outcome:
    if f.meta.explicit is None:
        return 0.0, "no readable itunes:explicit"
    return 1.0, f"itunes:explicit {'true' if f.meta.explicit else 'false'}"


_APPLE_REC = "Apple Podcasts RSS requirements: recommended channel tag"


@_check("recommended.author", "Author", 1.0, f"{_APPLE_REC} <itunes:author>")
def _author(f: FeedFacts, t: _Tally) -> Outcome:
    return (1.0, f"author: {_short(f.meta.author)}") if f.meta.author else (0.0, "no author")


@_check("recommended.link", "Website link", 1.0, f"{_APPLE_REC} <link>; RSS 2.0 requires it")
def _link(f: FeedFacts, t: _Tally) -> Outcome:
    link = f.meta.link
    if not link:
        return 0.0, "no <link>"
    return (1.0, "website link present") if _is_http(link) else (0.5, f"link is not an http(s) URL: {_short(link)}")


@_check(
    "recommended.owner_email",
    "Owner email",
    1.5,
    "Apple Podcasts: itunes:owner email verifies ownership; podcast:locked relies on it",
)
def _owner_email(f: FeedFacts, t: _Tally) -> Outcome:
    email = f.meta.owner_email
    if not email:
        return 0.0, "no itunes:owner email"
    return (1.0, "owner email present") if _EMAIL.match(email.strip()) else (0.5, "owner email is not an address")


@_check("recommended.copyright", "Copyright", 0.5, f"{_APPLE_REC} <copyright>")
def _copyright(f: FeedFacts, t: _Tally) -> Outcome:
    value = f.meta.copyright
    return (1.0, f"copyright: {_short(value)}") if value else (0.0, "no <copyright>")


@_check("recommended.itunes_type", "Show type", 0.5, f"{_APPLE_REC} <itunes:type> (episodic or serial)")
def _itunes_type(f: FeedFacts, t: _Tally) -> Outcome:
    kind = f.meta.itunes_type
    if not kind:
        return 0.0, "no itunes:type"
    if kind.lower() in ("episodic", "serial"):
        return 1.0, f"itunes:type {kind.lower()}"
    return 0.5, f"itunes:type {_short(kind)!r} is neither episodic nor serial"


@_check(
    "recommended.podcast_guid",
    "podcast:guid",
    1.0,
    "Podcasting 2.0 namespace: podcast:guid, a UUIDv5 of the feed URL, keeps identity across moves",
)
def _podcast_guid(f: FeedFacts, t: _Tally) -> Outcome:
    guid = f.meta.podcast_guid
    if not guid:
        return 0.0, "no podcast:guid"
    m = _UUID.match(guid.strip())
    if m is None:
        return 0.5, f"podcast:guid {_short(guid, 40)!r} is not a UUID"
    if m.group(1) != "5":
        return 0.75, f"podcast:guid is a version {m.group(1)} UUID, not version 5"
    return 1.0, "podcast:guid is a UUIDv5"


@_check(
    "recommended.locked",
    "podcast:locked",
    0.5,
    "Podcasting 2.0 namespace: podcast:locked says whether other platforms may import the show",
)
def _locked(f: FeedFacts, t: _Tally) -> Outcome:
    if f.meta.locked is None:
        return 0.0, "no podcast:locked"
    return 1.0, f"podcast:locked {'yes' if f.meta.locked else 'no'}"


@_check(
    "recommended.self_link",
    "atom:link rel=self",
    0.5,
    "W3C Feed Validation Service: an RSS feed should name its own URL with atom:link rel=self",
)
def _self_link(f: FeedFacts, t: _Tally) -> Outcome:
    own = f.meta.self_url
    if not own:
        return 0.0, "no atom:link rel=self"
    if not _is_http(f.url):
        return 1.0, "self link present"  # a local file has no URL of its own to compare with
    if _same_place(own, f.url):
        return 1.0, "self link matches the feed URL"
    return 0.5, f"self link {_short(own)} differs from the feed URL"


@_check("integrity.titles", "Episode titles", 2.0, "Apple Podcasts: <title> is a required episode tag")
def _ep_titles(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.titled, t.episodes, "have a title")


@_check(
    "integrity.enclosures",
    "Every episode has media",
    3.0,
    "Apple Podcasts: <enclosure> with a URL is required for each episode, and a show needs at least one",
)
def _ep_enclosures(f: FeedFacts, t: _Tally) -> Outcome:
    if t.episodes == 0:
        return 0.0, "the feed lists no episodes"
    return _share(t.enclosed, t.episodes, "have an enclosure URL")


@_check(
    "integrity.media_types",
    "Known audio/video types",
    2.0,
    "Apple Podcasts formats (M4A, MP3, MP4, M4V, MOV); W3C validator checks the enclosure type",
)
def _ep_types(f: FeedFacts, t: _Tally) -> Outcome:
    result, evidence = _share(t.known_type, t.episodes, "declare a known audio/video type")
    if t.odd_types:
        shown = ", ".join(f"{k} ×{n}" for k, n in t.odd_types.most_common(3))
        evidence += f" (others: {shown})"
    return result, evidence


@_check(
    "integrity.lengths",
    "Enclosure lengths",
    2.0,
    "RSS 2.0 and W3C validator: enclosure length is the file size in bytes",
)
def _ep_lengths(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.sized, t.episodes, "have an enclosure length")


@_check(
    "integrity.guids",
    "Unique episode GUIDs",
    3.0,
    "Apple Podcasts: each episode needs a permanent, unique <guid>; apps key downloads and play state on it",
)
def _ep_guids(f: FeedFacts, t: _Tally) -> Outcome:
    if t.episodes == 0:
        return None, "no episodes to check"
    reused = {g: n for g, n in t.guids.items() if n > 1}
    sharing = sum(reused.values())
    good = t.episodes - t.guid_missing - sharing
    result = good / t.episodes
    parts = [f"{good} of {t.episodes} episodes have a unique GUID"]
    if reused:
        # A repeated GUID makes apps merge or drop episodes, so any repeat halves the check at least.
        result = min(result, 0.5)
        parts.append(f"{sharing} episodes share {len(reused)} GUID(s)")
    if t.guid_missing:
        parts.append(f"{t.guid_missing} have none")
    return result, "; ".join(parts)


@_check(
    "integrity.dates",
    "Publication dates",
    2.0,
    "Apple Podcasts and W3C validator: <pubDate> in RFC 2822 form",
)
def _ep_dates(f: FeedFacts, t: _Tally) -> Outcome:
    if t.episodes == 0:
        return None, "no episodes to check"
    # A date only a lenient parser reads still sorts, but strict readers may drop it: half credit.
    result = (t.dates_strict + 0.5 * t.dates_lenient) / t.episodes
    parts = [f"{t.dates_strict} of {t.episodes} episodes have an RFC 822/3339 date"]
    for n, what in (
        (t.dates_lenient, "readable only leniently"),
        (t.dates_bad, "unreadable"),
        (t.dates_future, "in the future"),
        (t.dates_missing, "missing"),
    ):
        if n:
            parts.append(f"{n} {what}")
    return result, "; ".join(parts)


@_check(
    "integrity.durations",
    "Episode durations",
    1.0,
    "Apple Podcasts RSS requirements: recommended episode tag <itunes:duration>",
)
def _ep_durations(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.timed, t.episodes, "have a readable duration")


@_check(
    "integrity.bitrate",
    "Duration fits file size",
    1.5,
    "Enclosure length vs itunes:duration: podcast audio implies roughly 16-512 kbps",
)
def _ep_bitrate(f: FeedFacts, t: _Tally) -> Outcome:
    if t.rate_checked == 0:
        return None, "no audio episode has both a length and a duration"
    ok = t.rate_checked - t.rate_outside
    evidence = f"{ok} of {t.rate_checked} audio episodes imply {MIN_KBPS:.0f}-{MAX_KBPS:.0f} kbps"
    if t.worst_rate is not None:
        _, kbps, title = t.worst_rate
        evidence += f"; worst {kbps:.3g} kbps: {_short(title, 50)}"
    return ok / t.rate_checked, evidence


_P20 = "Podcasting 2.0 namespace"


@_check("rich.transcripts", "Transcripts", 1.0, f"{_P20}: podcast:transcript (Apple shows transcripts too)")
def _transcripts(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.transcripts, t.episodes, "link a transcript")


@_check("rich.chapters", "Chapters", 0.75, f"{_P20}: podcast:chapters (or Podlove Simple Chapters)")
def _chapters(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.chapters, t.episodes, "have chapters")


@_check("rich.persons", "People", 0.5, f"{_P20}: podcast:person")
def _persons(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.persons, t.episodes, "name their people")


@_check("rich.funding", "Funding link", 0.25, f"{_P20}: podcast:funding")
def _funding(f: FeedFacts, t: _Tally) -> Outcome:
    n = len(f.meta.funding)
    return (1.0, f"{n} funding link(s)") if n else (0.0, "no podcast:funding")


@_check("rich.soundbites", "Soundbites", 0.25, f"{_P20}: podcast:soundbite")
def _soundbites(f: FeedFacts, t: _Tally) -> Outcome:
    return _share(t.soundbites, t.episodes, "mark a soundbite")


def _gaps_days(dates: list[datetime]) -> list[float]:
    """Days between consecutive episodes, newest first, for the newest ``CADENCE_GAPS`` gaps."""
    newest = heapq.nlargest(CADENCE_GAPS + 1, dates)
    return [(a - b).total_seconds() / 86400 for a, b in itertools.pairwise(newest)]


def _ended(meta: FeedMeta) -> bool:
    # A finished show should not be judged on freshness.
    return meta.complete


@_check(
    "freshness.newest",
    "Newest episode is recent",
    2.0,
    "Apple Podcasts and Podcast Index treat long-silent shows as inactive",
)
def _newest(f: FeedFacts, t: _Tally) -> Outcome:
    if _ended(f.meta):
        return None, "itunes:complete: the show has ended"
    if not t.dates:
        return None, "no dated episodes"
    newest = max(t.dates)
    age = max(0.0, (f.now - newest).total_seconds() / 86400)
    gaps = t.gaps
    typical = statistics.median(gaps) if gaps else 0.0
    # A monthly show at 40 days is on time; a daily one is not: allow two typical gaps, 30-180 days.
    grace = min(180.0, max(30.0, 2 * typical))
    evidence = f"newest episode {age:.0f} days old"
    if gaps:
        evidence += f" (typical gap {typical:.0f} days)"
    return _ramp(age, grace, 365.0), evidence


@_check(
    "freshness.cadence",
    "Regular cadence",
    1.0,
    "Listener expectation; coefficient of variation of the gaps between the newest episodes",
)
def _cadence(f: FeedFacts, t: _Tally) -> Outcome:
    if _ended(f.meta):
        return None, "itunes:complete: the show has ended"
    gaps = t.gaps
    if len(gaps) < 3:
        return None, "fewer than 4 dated episodes"
    mean = statistics.fmean(gaps)
    if mean <= 0:
        return None, "the newest episodes all carry the same date"
    cv = statistics.pstdev(gaps) / mean
    return _ramp(cv, 0.5, 1.5), f"gaps vary by {cv:.2f}× their mean {mean:.1f} days over {len(gaps)} gaps"


@_check("freshness.history", "Fetch history", 1.0, "Podcast Index and Apple drop feeds that fail often")
def _history(f: FeedFacts, t: _Tally) -> Outcome:
    if not f.fetch_attempts or f.fetch_failures is None:
        return None, "fetch history not recorded"
    ok = f.fetch_attempts - f.fetch_failures
    return max(0.0, ok / f.fetch_attempts), f"{f.fetch_failures} of {f.fetch_attempts} recent fetches failed"


# -- the score -----------------------------------------------------------------


def _weighted(checks: list[Check]) -> float | None:
    ran = [c for c in checks if c.result is not None]
    total = sum(c.weight for c in ran)
    if not total:
        return None
    return sum(c.weight * c.result for c in ran if c.result is not None) / total


def score_feed(facts: FeedFacts) -> Quality:
    """Run every check on one feed and combine them into a 0-100 score.

    A feed that is not well-formed scores 0 whatever else passes: strict
    readers (Apple's among them) reject it outright. A feed that is not a
    podcast gets no checks and a note saying so.
    """
    if not is_podcast(facts.meta, facts.items):
        return Quality(
            score=0,
            checks=[],
            groups=dict.fromkeys(GROUPS),
            not_run=0,
            well_formed=facts.well_formed,
            is_podcast=False,
            notes=[NOT_A_PODCAST],
        )
    tally = _tally(facts.items, facts.now)
    checks = []
    for spec in _CHECKS:
        result, evidence = spec.fn(facts, tally)
        if result is not None:
            result = min(1.0, max(0.0, result))
        checks.append(Check(spec.id, spec.group, spec.label, spec.weight, result, evidence, spec.why))
    groups = {g: _weighted([c for c in checks if c.group == g]) for g in GROUPS}
    overall = _weighted(checks)
    notes: list[str] = []
    if facts.well_formed is False:
        notes.append("not well-formed XML: the overall score is 0 whatever the other checks find")
        total = 0
    else:
        total = round(overall * 100) if overall is not None else 0
    not_run = sum(1 for c in checks if c.result is None)
    if not_run:
        notes.append(f"{not_run} check(s) could not run and are left out of the score")
    return Quality(
        score=total, checks=checks, groups=groups, not_run=not_run, well_formed=facts.well_formed, notes=notes
    )


def quality_json(q: Quality) -> dict:
    """A JSON-ready dict of a ``Quality``: fractions rounded to 3 places, each check with its outcome."""
    return {
        "score": q.score,
        "is_podcast": q.is_podcast,
        "well_formed": q.well_formed,
        "not_run": q.not_run,
        "notes": list(q.notes),
        "groups": {g: (round(v, 3) if v is not None else None) for g, v in q.groups.items()},
        "checks": [
            {
                "id": c.id,
                "group": c.group,
                "label": c.label,
                "weight": c.weight,
                "result": round(c.result, 3) if c.result is not None else None,
                "outcome": c.outcome,
                "evidence": c.evidence,
                "why": c.why,
            }
            for c in q.checks
        ],
    }
