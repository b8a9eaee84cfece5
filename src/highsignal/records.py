"""The plain records passed between pipeline stages.

Every stage takes and returns these dataclasses; none of them knows about the
network or the database. Times are timezone-aware UTC ``datetime`` objects;
durations and offsets are seconds as ``float``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Enclosure:
    """An attached media file (a podcast's audio, a ``media:content`` video)."""

    url: str
    type: str | None = None
    length: int | None = None


@dataclass(slots=True)
class Chapter:
    """One chapter of an episode; ``end`` is the next chapter's start."""

    start: float
    title: str
    end: float | None = None
    url: str | None = None


@dataclass(slots=True)
class TranscriptRef:
    """A ``podcast:transcript`` pointer; a feed may list several per item."""

    url: str
    type: str | None = None
    language: str | None = None
    rel: str | None = None


@dataclass(slots=True)
class TranscriptSegment:
    """One speaker turn (or cue) of a transcript."""

    start: float
    text: str
    end: float | None = None
    speaker: str | None = None


@dataclass(slots=True)
class Person:
    """A ``podcast:person``: host, guest, producer."""

    name: str
    role: str | None = None
    group: str | None = None
    href: str | None = None
    img: str | None = None


@dataclass(slots=True)
class Soundbite:
    start: float
    duration: float
    title: str | None = None


@dataclass(slots=True)
class Funding:
    url: str
    text: str | None = None


@dataclass(slots=True)
class Item:
    """One post, episode, paper or page.

    ``key`` is the identity of the item within its source (guid, else canonical
    link, else enclosure URL, else a content hash); ``guid`` is the feed's own id
    (Atom ``<id>``, RSS ``<guid>``) when it has one.
    """

    key: str
    guid: str | None = None
    title: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    published_raw: str | None = None
    updated: datetime | None = None
    updated_raw: str | None = None
    summary: str | None = None
    html: str | None = None
    text: str = ""
    enclosure: Enclosure | None = None
    media: list[Enclosure] = field(default_factory=list)
    duration: float | None = None
    image: str | None = None
    episode: int | None = None
    season: int | None = None
    episode_type: str | None = None
    explicit: bool | None = None
    categories: list[str] = field(default_factory=list)
    chapters_url: str | None = None
    chapters: list[Chapter] = field(default_factory=list)
    transcripts: list[TranscriptRef] = field(default_factory=list)
    transcript: list[TranscriptSegment] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    soundbites: list[Soundbite] = field(default_factory=list)
    txt: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    content_hash: str = ""


@dataclass(slots=True)
class FeedMeta:
    """Channel-level facts of a feed."""

    title: str | None = None
    link: str | None = None
    self_url: str | None = None
    new_feed_url: str | None = None
    description: str | None = None
    language: str | None = None
    image: str | None = None
    author: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None
    categories: list[str] = field(default_factory=list)
    explicit: bool | None = None
    itunes_type: str | None = None
    podcast_guid: str | None = None
    locked: bool | None = None
    persons: list[Person] = field(default_factory=list)
    funding: list[Funding] = field(default_factory=list)
    txt: list[str] = field(default_factory=list)
    ttl_minutes: int | None = None
    generator: str | None = None
    copyright: str | None = None
    complete: bool = False  # itunes:complete: the show has ended and will publish no more
    is_podcast: bool = False


@dataclass(slots=True)
class ParsedFeed:
    """What the parse stage returns for one document."""

    format: str
    meta: FeedMeta
    items: list[Item]
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    """A subscription and its fetch state."""

    id: int
    url: str
    kind: str = "feed"  # what it holds: feed, podcast, page, document
    title: str | None = None
    site_url: str | None = None
    declared_kind: str | None = None  # researcher, lab, vendor, aggregator, media, podcast
    added: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    error_streak: int = 0
    next_fetch: datetime | None = None
    gone: bool = False
    item_count: int = 0
    content_hash: str | None = None
    meta: FeedMeta | None = None
    feed_format: str | None = None  # how the last good fetch parsed: rss2, atom, ... or "fallback" (not well-formed)
    content_type: str | None = None

    @property
    def status(self) -> str:
        if self.gone:
            return "gone"
        if self.last_fetch is None:
            return "new"
        if self.last_error:
            return "error"
        return "ok"


@dataclass(slots=True)
class StoredItem:
    """An item as read back from the store, with its source."""

    id: int
    source_id: int
    source_title: str | None
    first_seen: datetime
    item: Item


MATCH_START, MATCH_END = "\x02", "\x03"


@dataclass(slots=True)
class SearchHit:
    """One full-text search result.

    ``snippet`` marks each match between ``MATCH_START`` and ``MATCH_END``
    (control characters, so they never collide with the text itself).
    """

    item_id: int
    source_id: int
    source_title: str | None
    title: str | None
    url: str | None
    published: datetime | None
    snippet: str
    score: float
    # Hybrid search says where each list put the hit (1-based), and the cosine similarity when it had one.
    lexical_rank: int | None = None
    semantic_rank: int | None = None
    similarity: float | None = None


@dataclass(slots=True)
class PassageHit:
    """A full-text match inside a transcript: where in the episode it is said, and by whom."""

    item_id: int
    source_id: int
    source_title: str | None
    title: str | None
    url: str | None
    audio_url: str | None
    start: float | None
    speaker: str | None
    snippet: str
    score: float

    @property
    def link(self) -> str | None:
        """A link that plays the audio from the passage (media fragment), else the episode page."""
        if self.audio_url and self.start is not None:
            return f"{self.audio_url}#t={int(self.start)}"
        return self.url or self.audio_url


@dataclass(slots=True)
class Attachment:
    """A file an episode points at (chapters JSON, a transcript) and how fetching it went."""

    item_id: int
    kind: str  # chapters | transcript
    url: str
    fetched: datetime
    attempts: int = 1
    format: str | None = None
    error: str | None = None


@dataclass(slots=True)
class Artefact:
    """A thing an item points at that a reader can check for themselves.

    ``kind`` is one of: model, dataset, space, code, paper, pdf, package,
    notebook, demo, api, card. ``ident`` is the thing's own name where the URL
    spells one (``org/model`` on the Hub, ``owner/repo`` on GitHub, an arXiv id).
    """

    kind: str
    url: str
    ident: str | None = None
    host: str | None = None


@dataclass(slots=True)
class Mention:
    """A phrase the extractor recognised, with its offsets in the scanned text.

    ``kind`` names what it is evidence of (``library``, ``compute``, ``usage``,
    ``licence``, ``sponsor``, ...); ``key`` is the normalised thing named
    (``vllm``, ``h100``, ``apache-2.0``).
    """

    kind: str
    key: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Claim:
    """Something the item asserts that can be sanity-checked.

    ``kind`` is ``score`` (a benchmark result), ``comparison`` ("beats GPT-4"),
    ``size`` ("7B parameters") or ``rank`` ("#1 on the Open LLM Leaderboard").
    ``value`` is the score in percent, or the size in billions of parameters;
    for a comparison, ``ratio`` is how many times larger the other side is.
    Offsets are ``None`` for claims read from an HTML table.
    """

    kind: str
    text: str
    start: int | None
    end: int | None
    benchmark: str | None = None
    value: float | None = None
    target: str | None = None
    ratio: float | None = None


@dataclass(slots=True)
class Extraction:
    """Everything the extract stage found in one item.

    ``text`` is the text that was scanned (the item's plain text, capped):
    every ``start``/``end`` offset refers to it.
    """

    text: str
    truncated_from: int | None = None
    links: list[str] = field(default_factory=list)
    artefacts: list[Artefact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    code_blocks: int = 0

    def of(self, kind: str) -> list[Mention]:
        """The mentions of one kind, in text order."""
        return [m for m in self.mentions if m.kind == kind]


@dataclass(slots=True)
class Signal:
    """One piece of evidence a rule found, and what it is worth.

    ``id`` is ``"<rule>.<name>"`` (for example ``R1.open_weights``); the rubric
    gives its weight. ``evidence`` is the quoted span or URL; ``start``/``end``
    locate a span in the scanned text when there is one.
    """

    id: str
    polarity: str
    weight: float
    message: str
    evidence: str
    flag: str | None = None
    start: int | None = None
    end: int | None = None
    url: str | None = None

    @property
    def rule(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(slots=True)
class Assessment:
    """How much an item lets a reader verify, with the evidence for each point."""

    score: int
    grade: str
    flags: dict[str, bool]
    signals: list[Signal]
    rubric_version: str
    item_kind: str
    content_hash: str = ""
    base: float = 0.0
    notes: list[str] = field(default_factory=list)
    judge: dict | None = None


@dataclass(slots=True)
class Relation:
    """What the relate stage keeps per item to find its story and its topics later.

    ``keys`` are the strings two items about the same thing would share: an
    artefact (``a:hf:org/model``), a named model as the item's subject
    (``e:deepseek v3``), a title (``t:...``) or a near-duplicate-text band
    (``m3:...``). ``topics`` pairs each detected topic with a strength in 0-1,
    strongest first. ``minhash`` is the text's MinHash signature (uint32s), so
    a candidate near-duplicate can be confirmed without rereading either text.
    ``features`` is the hashed bag of words the personal model reads.
    """

    version: str
    content_hash: str
    keys: list[str] = field(default_factory=list)
    topics: list[tuple[str, float]] = field(default_factory=list)
    minhash: bytes | None = None
    features: bytes | None = None


@dataclass(slots=True)
class StoryItem:
    """One member of a story, as listed to the reader."""

    item_id: int
    source_id: int
    source: str | None
    publisher: str
    title: str | None
    url: str | None
    published: datetime | None


@dataclass(slots=True)
class Story:
    """Items from different sources about the same thing.

    ``independent_sources`` counts publishers (one site's several feeds count
    once); ``reasons`` says which shared keys joined the items.
    """

    id: str
    title: str
    items: list[StoryItem]
    independent_sources: int
    reasons: list[str] = field(default_factory=list)

    @property
    def first(self) -> datetime | None:
        dates = [i.published for i in self.items if i.published]
        return min(dates) if dates else None


@dataclass(slots=True)
class Factors:
    """The parts of an item's rank, each in 0-1 (``personal`` is ``None`` until there are enough ratings)."""

    signal: float
    focus: float
    personal: float | None
    corroboration: float
    freshness: float
    trusted: bool = False


@dataclass(slots=True)
class Ranked:
    """An item placed in the reader's feed, with everything behind its place."""

    stored: StoredItem
    assessment: Assessment | None
    rank_score: float
    factors: Factors
    topics: list[tuple[str, float]] = field(default_factory=list)
    why: str | None = None
    story: Story | None = None
    personal_terms: list[tuple[str, float]] = field(default_factory=list)
    corroborating: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LeftOut:
    """An item the digest did not show, and why."""

    candidate: Candidate
    reason: str
    rank_score: float = 0.0


@dataclass(slots=True)
class Digest:
    """The ranked feed for one window: what to read, what to glance at, what was dropped."""

    generated: datetime
    since: datetime | None
    mode: str
    must_read: list[Ranked]
    worth_a_look: list[Ranked]
    left_out: list[LeftOut]
    considered: int
    deep: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """The few stored facts ranking needs about one item, read in bulk for a window."""

    item_id: int
    source_id: int
    when: datetime
    score: int | None
    grade: str | None
    topics: list[tuple[str, float]]
    features: bytes | None
    title: str | None = None
    url: str | None = None
