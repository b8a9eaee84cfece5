"""The ``Library``: the one object the CLI, the web UI and scripts all drive.

It ties the stages together (fetch, parse, store, assess, relate, rank) and
owns the policy between them: when a source is due, how errors back off, when
a redirect moves a subscription, what counts as new or changed, and which
items a digest looks at.
"""

from __future__ import annotations

import asyncio
import builtins
import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from highsignal import opml
from highsignal.assess import SourceFacts, assess, configured_rubric, default_rubric
from highsignal.assess.rubric import Rubric
from highsignal.config import config_path, load_config
from highsignal.embed import Embedder, EmbeddingUnavailable, VectorIndex, embed_settings, fuse, load_embedder
from highsignal.embed.index import pack
from highsignal.embed.model import EmbedSettings
from highsignal.errors import HighsignalError, SourceError, SourceNotFoundError
from highsignal.extract import extract
from highsignal.fetch import Fetcher, FetchRequest, FetchResult, FetchSettings
from highsignal.parse.document import Parsed, parse_document
from highsignal.podcast import media as _media
from highsignal.podcast import quality as _quality
from highsignal.podcast.chapters import chapters_from_json
from highsignal.podcast.people import PersonEntry
from highsignal.podcast.quality import Quality, is_well_formed
from highsignal.podcast.report import PodcastReport
from highsignal.podcast.transcripts import parse_transcript, turns
from highsignal.rank import focus as _focus
from highsignal.rank import personal as _personal
from highsignal.rank import rank as _rank
from highsignal.rank.topics import detect as detect_topics
from highsignal.rank.topics import taxonomy
from highsignal.records import (
    Assessment,
    Attachment,
    Candidate,
    Digest,
    Item,
    LeftOut,
    ParsedFeed,
    PassageHit,
    Ranked,
    Relation,
    SearchHit,
    Source,
    StoredItem,
    Story,
    StoryItem,
)
from highsignal.relate import keys as _keys
from highsignal.relate import sources as _sources
from highsignal.relate.stories import GENERIC as STORY_GENERIC
from highsignal.relate.stories import WINDOW as STORY_WINDOW
from highsignal.relate.stories import Node, cluster
from highsignal.store import FetchState, SqliteStore, Storage

MIN_INTERVAL = timedelta(minutes=15)
DEFAULT_INTERVAL = timedelta(hours=1)
MAX_INTERVAL = timedelta(days=1)
MAX_RETRY_AFTER = timedelta(days=7)
#: Refreshes with at least this many bodies to parse use worker processes.
PARALLEL_PARSE_THRESHOLD = 24
#: Items assessed (and written) per transaction.
ASSESS_BATCH = 500
#: Items embedded per model call and store write.
EMBED_BATCH = 512
#: How deep each list goes before hybrid search fuses them.
HYBRID_DEPTH = 50
#: With filters (source, dates), semantic search looks this many times deeper and keeps what passes.
FILTER_DEPTH = 20
GRADES = ("high", "medium", "low")
#: Corroboration counts publishers pointing at the same artefact within this long either side.
CORROBORATION_WINDOW = timedelta(days=90)
#: How many of the best pre-ranked candidates get corroboration and stories worked out.
SHORTLIST = 400
PERSONAL_MODEL = "personal"
#: Stored as a source's feed format when its XML had to be repaired or read by the fallback parser.
NOT_WELL_FORMED = "not-well-formed"


def default_db_path() -> Path:
    """``$HIGHSIGNAL_DB``, else ``highsignal.sqlite`` in the user data directory."""
    env = os.environ.get("HIGHSIGNAL_DB")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("highsignal") / "highsignal.sqlite"


def open(path: str | os.PathLike[str] | None = None, *, fetch_settings: FetchSettings | None = None) -> Library:
    """Open (creating if needed) the library at ``path`` or the default location."""
    return Library(SqliteStore(Path(path) if path else default_db_path()), fetch_settings=fetch_settings)


@dataclass(slots=True)
class SourceResult:
    """What one refresh did to one source."""

    source_id: int
    url: str
    title: str | None
    outcome: str  # updated, unchanged, not_modified, error, gone, moved
    new: int = 0
    updated: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    status: int | None = None


@dataclass(slots=True)
class RefreshReport:
    results: list[SourceResult] = field(default_factory=list)
    skipped: int = 0
    assessed: int = 0
    embedded: int = 0  # items given a vector for semantic search
    embed_error: str | None = None
    media_fetched: int = 0  # chapter and transcript files stored
    media_errors: list[str] = field(default_factory=list)

    @property
    def new_items(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated_items(self) -> int:
        return sum(r.updated for r in self.results)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.error]

    @property
    def errors(self) -> int:
        return len(self.failed)


@dataclass(slots=True)
class AddResult:
    source: Source
    created: bool
    message: str


ProgressCallback = Callable[[SourceResult], None]


def _cut(
    shortlist: list[_rank.Placed], story_of: dict[int, Story], top: int
) -> tuple[list[_rank.Placed], list[LeftOut], list[_rank.Placed]]:
    """The first ``top`` of ``shortlist`` with one item per story; the repeats (with the
    entry they repeat) and the rest below the cut."""
    shown: list[_rank.Placed] = []
    out: list[LeftOut] = []
    seen_story: dict[str, int] = {}
    below: list[_rank.Placed] = []
    for p in shortlist:
        story = story_of.get(p.candidate.item_id)
        if story is not None and story.id in seen_story:
            out.append(LeftOut(p.candidate, f"same story as #{seen_story[story.id]}", p.rank_score))
            continue
        if len(shown) < top:
            shown.append(p)
            if story is not None:
                seen_story[story.id] = len(shown)
        else:
            below.append(p)
    return shown, out, below


@dataclass(slots=True)
class _Semantics:
    """The embedding model and in-memory vector index, loaded on first use (and shareable)."""

    embedder: Embedder | None = None
    vectors: VectorIndex | None = None
    settings: EmbedSettings | None = None  # the [embed] config they were loaded under


def _is_url(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


def _clamp(value: timedelta, low: timedelta, high: timedelta) -> timedelta:
    return max(low, min(high, value))


class Library:
    """A reader's subscriptions and everything ingested from them."""

    def __init__(
        self,
        store: Storage,
        *,
        fetch_settings: FetchSettings | None = None,
        config: dict | None = None,
    ) -> None:
        self.store = store
        self.fetch_settings = fetch_settings or FetchSettings()
        self._config = config
        self._rubric: Rubric | None = None
        self._focus: _focus.Focus | None = None
        self._model: _personal.Model | None = None
        self._semantics = _Semantics()
        self._embedded_through: int | None = None  # every item up to this id has a current vector
        # (write stamp, rubric version, relate version, window start) at which nothing was stale.
        self._fresh: tuple[tuple[int, int], str, str, datetime | None] | None = None

    @property
    def config(self) -> dict:
        """The reader's config file (read once, on first use)."""
        if self._config is None:
            self._config = load_config()
        return self._config

    @property
    def rubric(self) -> Rubric:
        """The default rubric with the reader's ``[rubric]`` overrides applied."""
        if self._rubric is None:
            self._rubric = configured_rubric(self.config)
        return self._rubric

    @property
    def focus(self) -> _focus.Focus:
        """The reader's focus profile (``[focus]`` in the config file)."""
        if self._focus is None:
            self._focus = _focus.from_config(self.config, config_path())
        return self._focus

    @property
    def rank_settings(self) -> _rank.RankSettings:
        return _rank.settings_from_config(self.config)

    @property
    def relate_version(self) -> str:
        """Stored relations made under another version (keys, topics, features) are made again."""
        return f"{_keys.KEYS_VERSION}.{taxonomy().version}.{_personal.FEATURES_VERSION}"

    def reload_config(self) -> None:
        """Forget the config read so far (after ``highsignal focus`` edits it)."""
        self._config = None
        self._rubric = None
        self._focus = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- sources -------------------------------------------------------------

    def normalize_source(self, ref: str) -> tuple[str, str]:
        """Validate a URL or path; return (stored URL, kind). Raises ``SourceError``."""
        ref = ref.strip()
        if not ref:
            raise SourceError("empty source: give a feed URL, a page URL or a file path")
        if _is_url(ref):
            try:
                parts = urlsplit(ref)
            except ValueError as exc:
                raise SourceError(f"invalid URL {ref!r}: {exc}") from exc
            if not parts.hostname:
                raise SourceError(f"invalid URL {ref!r}: it has no host")
            try:
                parts.port  # noqa: B018 - raises on a bad port
            except ValueError as exc:
                raise SourceError(f"invalid URL {ref!r}: {exc}") from exc
            return ref, "feed"
        if ref.startswith("file://"):
            path = Path(urlsplit(ref).path)
        elif "://" in ref:
            scheme = ref.split("://", 1)[0]
            raise SourceError(f"unsupported URL scheme {scheme!r} in {ref!r}: use http(s) or a file path")
        else:
            path = Path(ref).expanduser()
        if not path.exists():
            raise SourceError(f"no such file: {ref}")
        if not path.is_file():
            raise SourceError(f"not a file: {ref}")
        return path.resolve().as_uri(), "feed"

    def add_source(
        self, ref: str, *, title: str | None = None, declared_kind: str | None = None, fetch: bool = True
    ) -> AddResult:
        """Subscribe to a feed URL, a web page or a local file, and (by default) ingest it now.

        Adding a source twice is a no-op: the existing source comes back with
        ``created`` false.
        """
        url, kind = self.normalize_source(ref)
        source, created = self.store.add_source(url, kind, title)
        if not created:
            return AddResult(source, False, f"already subscribed: {source.title or url} (source {source.id})")
        if declared_kind:
            self.store.set_source_fields(source.id, declared_kind=declared_kind)
        message = f"added {url}"
        if fetch:
            report = self.refresh([source.id])
            result = report.results[0] if report.results else None
            if result is not None:
                if result.error:
                    message = f"added {url}, but its first fetch failed: {result.error}"
                else:
                    message = f"added {result.url}: {result.new} item(s)"
        return AddResult(self.store.source(source.id), True, message)

    def sources(self) -> list[Source]:
        return self.store.sources()

    def source(self, ref: str | int) -> Source:
        """A source by id, URL, file path or (unique) title."""
        if isinstance(ref, int) or str(ref).isdigit():
            return self.store.source(int(ref))
        ref = str(ref)
        found = self.store.find_source(ref)
        if found is None and not _is_url(ref):
            try:
                found = self.store.find_source(self.normalize_source(ref)[0])
            except SourceError:
                found = None
        if found is None:
            matches = [s for s in self.store.sources() if (s.title or "").lower() == ref.lower()]
            if len(matches) == 1:
                found = matches[0]
        if found is None:
            raise SourceNotFoundError(f"no source matches {ref!r} (use an id from 'highsignal sources')")
        return found

    def remove_source(self, ref: str | int) -> Source:
        source = self.source(ref)
        self.store.remove_source(source.id)
        return source

    def set_declared_kind(self, ref: str | int, kind: str) -> Source:
        source = self.source(ref)
        self.store.set_source_fields(source.id, declared_kind=kind)
        # The rules read the declared kind: this source's items are assessed again.
        self.store.clear_assessments(source.id)
        return self.store.source(source.id)

    def import_opml(self, data: bytes | str | os.PathLike[str]) -> tuple[list[AddResult], list[str]]:
        """Subscribe to every feed of an OPML file (without fetching: ``refresh`` does)."""
        if isinstance(data, str | os.PathLike) and not str(data).lstrip().startswith("<"):
            path = Path(data)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read {path}: {exc.strerror}") from exc
            base = path.resolve().parent
        else:
            raw = data.encode() if isinstance(data, str) else bytes(data)  # type: ignore[arg-type]
            base = Path.cwd()
        results, errors = [], []
        for entry in opml.read(raw):
            ref = entry.url
            if not _is_url(ref) and "://" not in ref and not Path(ref).is_absolute():
                ref = str(base / ref)
            try:
                results.append(self.add_source(ref, title=entry.title, fetch=False))
            except SourceError as exc:
                errors.append(str(exc))
        return results, errors

    def export_opml(self) -> str:
        return opml.write(self.store.sources())

    # -- items ---------------------------------------------------------------

    def items(
        self, source: str | int | None = None, since: datetime | None = None, limit: int | None = None
    ) -> list[StoredItem]:
        source_id = self.source(source).id if source is not None else None
        return self.store.items(source_id=source_id, since=since, limit=limit)

    def item(self, ref: str | int) -> StoredItem:
        """A stored item, with the chapters and transcript fetched for it since it was stored."""
        stored = self.store.find_item(str(ref))
        self._attach_media(stored)
        return stored

    def _attach_media(self, stored: StoredItem) -> None:
        # Fetched files beat what the notes spelled out; the notes' own version is kept otherwise.
        origin, passages = self.store.passages(stored.id)
        if passages and (origin == "file" or not stored.item.transcript):
            stored.item.transcript = passages
        chapters = self.store.fetched_chapters(stored.id)
        if chapters:
            stored.item.chapters = chapters

    def _attach_media_batch(self, batch: list[StoredItem]) -> None:
        ids = [s.id for s in batch]
        with_files = {i for i, origin in self.store.passage_origins(ids).items() if origin == "file"}
        with_files |= {i for (i, kind), (_, _, ok) in self.store.attachment_attempts(ids).items() if ok}
        for stored in batch:
            if stored.id in with_files:
                self._attach_media(stored)

    def search_transcripts(
        self, query: str, *, limit: int = 20, source: str | int | None = None, item: str | int | None = None
    ) -> list[PassageHit]:
        """Full-text search inside episode transcripts; each hit links to its moment in the audio."""
        source_id = self.source(source).id if source is not None else None
        item_id = self.item(item).id if item is not None else None
        return self.store.search_passages(query, limit=limit, source_id=source_id, item_id=item_id)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: str | int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        semantic: bool = False,
    ) -> list[SearchHit]:
        """Full-text search, best first; with ``semantic``, fused with nearest neighbours by meaning.

        The hybrid ranking is reciprocal rank fusion of the two lists (each
        ``HYBRID_DEPTH`` deep), and every hit says where each list put it.
        Raises ``EmbeddingUnavailable`` when semantic search cannot run.
        """
        source_id = self.source(source).id if source is not None else None
        if not semantic:
            return self.store.search(query, limit=limit, source_id=source_id, since=since, until=until)
        depth = max(limit, HYBRID_DEPTH)
        lexical = self.store.search(query, limit=depth, source_id=source_id, since=since, until=until)
        near = self.nearest(query, depth, source_id=source_id, since=since, until=until)
        similarity = dict(near)
        by_id = {h.item_id: h for h in lexical}
        lexical_rank = {h.item_id: n for n, h in enumerate(lexical, start=1)}
        semantic_rank = {item_id: n for n, (item_id, _) in enumerate(near, start=1)}
        fused = fuse([h.item_id for h in lexical], [item_id for item_id, _ in near])[:limit]
        missing = [item_id for item_id, _ in fused if item_id not in by_id]
        by_id.update((h.item_id, h) for h in self.store.search_hits(missing))
        hits = []
        for item_id, score in fused:
            hit = by_id.get(item_id)
            if hit is None:
                continue  # removed between the two reads
            hits.append(
                dataclasses.replace(
                    hit,
                    score=score,
                    lexical_rank=lexical_rank.get(item_id),
                    semantic_rank=semantic_rank.get(item_id),
                    similarity=similarity.get(item_id),
                )
            )
        return hits

    def semantic_search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: str | int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        """Items nearest the query by meaning alone (cosine similarity), closest first."""
        source_id = self.source(source).id if source is not None else None
        near = self.nearest(query, limit, source_id=source_id, since=since, until=until)
        hits = self.store.search_hits([item_id for item_id, _ in near])
        similarity = dict(near)
        return [
            dataclasses.replace(h, score=similarity[h.item_id], semantic_rank=n, similarity=similarity[h.item_id])
            for n, h in enumerate(hits, start=1)
        ]

    # -- semantic index ------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        """The configured embedding model, loaded on first use (``EmbeddingUnavailable`` when it cannot be)."""
        semantics = self._semantics
        settings = embed_settings(self.config)
        if semantics.settings != settings:  # first use, or [embed] edited since
            semantics.embedder, semantics.vectors, semantics.settings = None, None, settings
        if semantics.embedder is None:
            semantics.embedder = load_embedder(self.config)
        return semantics.embedder

    def share_semantics(self, other: Library) -> None:
        """Use ``other``'s embedding model and vector index (loaded once for both).

        For two Libraries on one file in one process, like the web server's
        reader and fetcher: each copy of the index of 100k items is 100 MB.
        """
        self._semantics = other._semantics

    def semantic_available(self) -> bool:
        """Can this installation search by meaning (the extra installed and not turned off)?"""
        try:
            return self.embedder is not None
        except EmbeddingUnavailable:
            return False

    def embed_pending(self, progress: Callable[[int, int], None] | None = None, *, after: int = 0) -> int:
        """Embed every item with no vector from the current model for its current content; return how many.

        With ``after``, only items with higher ids (the ones added since).
        ``progress(done, total)`` is called after each batch. Raises
        ``EmbeddingUnavailable`` when there is no model.
        """
        embedder = self.embedder
        newest = self.store.max_item_id()
        total = self.store.count_stale_vectors(embedder.name, after=after)
        done, last = 0, after
        while done < total:
            batch = self.store.stale_vectors(embedder.name, limit=EMBED_BATCH, after=last)
            if not batch:
                break
            last = batch[-1][0]
            vectors = embedder.embed([text for _, _, text in batch])
            rows = [(i, content_hash, blob) for (i, content_hash, _), blob in zip(batch, pack(vectors), strict=True)]
            done += self.store.save_vectors(embedder.name, rows)
            if progress is not None:
                progress(done, total)
        self._embedded_through = max(self._embedded_through or 0, newest, last)
        return done

    def nearest(
        self,
        query: str,
        k: int,
        *,
        source_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple[int, float]]:
        """(item id, cosine) of the ``k`` items nearest the query that pass the filters, closest first.

        Items not embedded yet are embedded first, so a search never misses
        what the last refresh brought in.
        """
        embedder = self.embedder
        # A search embeds only items newer than any embedded yet (cheap: an index lookup); changed items are
        # re-embedded by refresh, and ``highsignal embed`` catches up on everything.
        if self._embedded_through is None:
            self._embedded_through = self.store.last_embedded_item(embedder.name)
        self.embed_pending(after=self._embedded_through)
        semantics = self._semantics
        if semantics.vectors is None or semantics.vectors.model != embedder.name:
            semantics.vectors = VectorIndex(embedder.name, embedder.dim)
        vectors = semantics.vectors
        vectors.sync(self.store)
        vector = embedder.embed([query])[0]
        filtered = source_id is not None or since is not None or until is not None
        # With filters, look further and keep the neighbours that pass them.
        near = vectors.nearest(vector, k * FILTER_DEPTH if filtered else k)
        if filtered:
            allowed = self.store.filter_items([i for i, _ in near], source_id=source_id, since=since, until=until)
            near = [(i, sim) for i, sim in near if i in allowed]
        return [(i, sim) for i, sim in near[:k] if sim > 0]

    # -- assessment ----------------------------------------------------------

    def assessment(self, ref: str | int) -> tuple[StoredItem, Assessment]:
        """A stored item and its assessment under the current rubric (made now if stale)."""
        stored = self.item(ref)
        found = self.store.assessment(stored.id)
        if (
            found is None
            or found.rubric_version != self.rubric.version
            or found.content_hash != stored.item.content_hash
        ):
            source = self.store.source(stored.source_id)
            found, relation = self._assess_one(stored.item, SourceFacts(source.kind, source.declared_kind))
            self.store.save_assessments([(stored.id, found)], datetime.now(UTC))
            self.store.save_relations([(stored.id, relation)])
        return stored, found

    def _assess_one(self, item: Item, facts: SourceFacts) -> tuple[Assessment, Relation]:
        """Assess and relate one item from a single extraction."""
        ext = extract(item)
        found = assess(item, ext, source=facts, rubric=self.rubric)
        relation = _keys.relation(item, ext, self.relate_version)
        relation.topics = detect_topics(item.title, ext.text)
        relation.features = _personal.vectorise(item.title, item.text or item.summary or "")
        return found, relation

    def assess_pending(self, progress: Callable[[int, int], None] | None = None, since: datetime | None = None) -> int:
        """Assess (and relate) every item that is new, changed, or was done under another version.

        Returns how many were assessed; ``progress(done, total)`` is called
        after each batch. Unchanged items under the same rubric cost nothing.
        With ``since``, a digest's window: a quick check when nothing there is
        stale, and the whole store is brought up to date when something is.
        """
        version, relate_version = self.rubric.version, self.relate_version
        stamp = self.store.write_stamp()
        fresh = self._fresh
        if fresh is not None and fresh[:3] == (stamp, version, relate_version):
            if fresh[3] is None or (since is not None and since >= fresh[3]):
                return 0  # nothing written since this window (or a wider one) was found up to date
        total = self.store.count_stale_assessments(version, relate_version, since)
        if not total:
            # Only a count of none is remembered: after a pass of our own, another process may
            # have written while we did, so the next call counts again.
            self._fresh = (stamp, version, relate_version, since)
            return 0
        if since is not None:
            total = self.store.count_stale_assessments(version, relate_version)
        done = last = 0
        now = datetime.now(UTC)
        while done < total:
            batch = self.store.stale_assessments(version, relate_version, limit=ASSESS_BATCH, after=last)
            if not batch:
                break
            last = batch[-1][0].id
            self._attach_media_batch([stored for stored, _, _ in batch])
            assessed, related = [], []
            for stored, kind, declared in batch:
                found, relation = self._assess_one(stored.item, SourceFacts(kind, declared))
                assessed.append((stored.id, found))
                related.append((stored.id, relation))
            self.store.save_assessments(assessed, now)
            self.store.save_relations(related)
            done += len(assessed)
            if progress is not None:
                progress(done, total)
        return done

    def label(self, ref: str | int, grade: str) -> StoredItem:
        """Record the reader's own grade for an item (for ``agreement``)."""
        if grade not in GRADES:
            raise HighsignalError(f"grade must be one of high, medium, low, not {grade!r}")
        stored = self.item(ref)
        self.store.set_label(stored.id, grade, datetime.now(UTC))
        return stored

    # -- relate and rank ----------------------------------------------------

    def _publishers(self) -> dict[int, str]:
        return {s.id: _sources.publisher(s) for s in self.store.source_names()}

    def stories(
        self, since: datetime | None = None, until: datetime | None = None, *, min_sources: int = 1
    ) -> list[Story]:
        """Stories with at least one item in the window (earlier coverage within reach joins them)."""
        self.assess_pending()
        window = self.store.candidates(since, until)
        names = self.store.source_names()
        return self._stories([c.item_id for c in window], since, names, min_sources=min_sources)

    def _stories(
        self, item_ids: list[int], since: datetime | None, names: list[Source], *, min_sources: int = 1
    ) -> list[Story]:
        lookback = since - STORY_WINDOW if since is not None else None
        held: dict[int, list[str]] = {i: [] for i in item_ids}
        for key, item_id, _, _ in self.store.story_keys(item_ids, lookback, STORY_GENERIC):
            held.setdefault(item_id, []).append(key)
        briefs = self.store.briefs(held)
        hashes = self.store.minhashes(held)
        publishers = {s.id: _sources.publisher(s) for s in names}
        titles = {s.id: s.title for s in names}
        nodes = []
        for item_id, item_keys in held.items():
            if item_id not in briefs:
                continue
            source_id, title, url, when = briefs[item_id]
            member = StoryItem(
                item_id, source_id, titles.get(source_id), publishers.get(source_id, ""), title, url, when
            )
            nodes.append(Node(member, item_keys, hashes.get(item_id)))
        wanted = set(item_ids)
        found = [s for s in cluster(nodes) if any(i.item_id in wanted for i in s.items)]
        return [s for s in found if s.independent_sources >= min_sources]

    def _confirmations(
        self, item_ids: list[int], since: datetime | None
    ) -> tuple[dict[int, set[str]], dict[int, Story], dict[int, int]]:
        """Per item: the other publishers pointing at its artefacts, its story, and how many
        other independent publishers confirm it (the larger of the two counts)."""
        names = self.store.source_names()
        publishers = {s.id: _sources.publisher(s) for s in names}
        corroborating = self._corroborating(item_ids, publishers)
        story_of = {i.item_id: st for st in self._stories(item_ids, since, names) for i in st.items}
        counts = {}
        for item_id in item_ids:
            n = len(corroborating.get(item_id, ()))
            story = story_of.get(item_id)
            if story is not None:
                own = next(i.publisher for i in story.items if i.item_id == item_id)
                n = max(n, len({i.publisher for i in story.items} - {own}))
            counts[item_id] = n
        return corroborating, story_of, counts

    def _corroborating(self, item_ids: list[int], publishers: dict[int, str]) -> dict[int, set[str]]:
        """Per item, the other publishers that point at one of its artefacts within the window."""
        rows = self.store.key_rows(item_ids)
        mine: dict[int, list[str]] = {}
        for item_id, key in rows:
            if key.startswith(("a:", "l:")):
                mine.setdefault(item_id, []).append(key[2:])
        if not mine:
            return {}
        wanted = {k for ks in mine.values() for k in ks}
        holders: dict[str, list[tuple[int, int, datetime]]] = {}
        for key, item_id, source_id, when in self.store.sharing_keys([p + k for k in wanted for p in ("a:", "l:")]):
            holders.setdefault(key[2:], []).append((item_id, source_id, when))
        briefs = self.store.briefs(mine)
        out: dict[int, set[str]] = {}
        for item_id, art_keys in mine.items():
            source_id, _, _, when = briefs[item_id]
            own = publishers.get(source_id)
            others: set[str] = set()
            for k in art_keys:
                for other_id, other_source, other_when in holders.get(k, []):
                    if other_id == item_id or abs(other_when - when) > CORROBORATION_WINDOW:
                        continue
                    pub = publishers.get(other_source)
                    if pub and pub != own:
                        others.add(pub)
            if others:
                out[item_id] = others
        return out

    def personal_model(self) -> _personal.Model:
        if self._model is None:
            blob = self.store.model(PERSONAL_MODEL)
            self._model = _personal.Model.from_bytes(blob) if blob else _personal.Model.empty()
        return self._model

    def rate(self, ref: str | int, value: str | int) -> tuple[StoredItem, _personal.Model]:
        """Rate an item up or down; the personal model learns from it at once."""
        if value in ("up", "+", 1, "1"):
            v = 1
        elif value in ("down", "-", -1, "-1"):
            v = -1
        else:
            raise HighsignalError(f"a rating is 'up' or 'down', not {value!r}")
        stored = self.item(ref)
        now = datetime.now(UTC)
        self.store.set_rating(stored.id, v, now)
        if stored.id not in self.store.features([stored.id]):
            self.assess_pending()
        return stored, self._update_model(now)

    def _update_model(self, now: datetime) -> _personal.Model:
        ratings = self.store.ratings()
        features = self.store.features(ratings)
        model = self.personal_model()
        model.update([(features[i], v) for i, v in ratings.items() if i in features])
        self.store.save_model(PERSONAL_MODEL, model.to_bytes(), now)
        return model

    def mark(self, ref: str | int, state: str) -> StoredItem:
        """Mark an item read or skipped: it leaves the digest (and a skip counts as a mild down-vote)."""
        if state not in ("read", "skipped"):
            raise HighsignalError(f"an item is marked 'read' or 'skipped', not {state!r}")
        stored = self.item(ref)
        self.store.set_read_state(stored.id, state, datetime.now(UTC))
        return stored

    def _source_ids(self, refs: list[str]) -> set[int]:
        ids = set()
        for ref in refs:
            try:
                ids.add(self.source(ref).id)
            except SourceNotFoundError:
                continue  # a source unsubscribed since it was trusted or muted: nothing to do
        return ids

    def digest(
        self,
        since: datetime | None = None,
        *,
        top: int = 20,
        mode: str | None = None,
        now: datetime | None = None,
    ) -> Digest:
        """The ranked feed for a window: must-reads, items worth a look, and what was left out and why."""
        now = now or datetime.now(UTC)
        self.assess_pending(since=since)
        focus = self.focus
        if mode is not None:
            if mode not in _focus.MODES:
                raise HighsignalError(f"mode must be 'depth' or 'breadth', not {mode!r}")
            focus = dataclasses.replace(focus, mode=mode)
        settings = self.rank_settings
        candidates = self.store.candidates(since, features=self.personal_model().ready)
        personal = self._personal_scores(candidates)
        placed, dropped = _rank.prerank(
            candidates,
            focus=focus,
            settings=settings,
            now=now,
            personal=personal,
            trusted=self._source_ids(focus.trusted_sources),
            muted=self._source_ids(focus.muted_sources),
            states=self.store.read_states(),
        )
        # Only items that corroboration could still lift into the top get clustered: at first
        # those that could pass the top-th pre-ranked score, then, if a repeated story left
        # a lower score at the cut, those that could pass that. Breadth mode reorders by
        # topic after corroboration, so it takes the whole shortlist.
        limit = min(len(placed), SHORTLIST)
        if focus.mode == "breadth" or len(placed) <= top:
            n = limit
        else:
            n = max(top, min(limit, _rank.reachable(placed[:limit], placed[top - 1].rank_score, settings)))
        while True:
            shortlist = placed[:n]
            corroborating, story_of, counts = self._confirmations([p.candidate.item_id for p in shortlist], since)
            shortlist = _rank.rerank(shortlist, counts, settings)
            if focus.mode == "breadth":
                shortlist = _rank.spread(shortlist, settings)
            shown, out, below = _cut(shortlist, story_of, top)
            floor = shown[-1].rank_score if len(shown) == top else 0.0
            wider = min(limit, _rank.reachable(placed[:limit], floor, settings))
            if wider <= n:
                break
            n = wider
        rest = placed[n:]
        must_cap = max(1, top // 3)
        ranked = [self._ranked(p, story_of, corroborating) for p in shown]
        must = [r for r in ranked if r.rank_score >= settings.must_read][:must_cap]
        picked = {id(r) for r in must}
        worth = [r for r in ranked if id(r) not in picked]
        reasons: list[LeftOut] = list(out)
        reasons += [LeftOut(c, why) for c, why in dropped]
        reasons += [LeftOut(p.candidate, "below the cut", p.rank_score) for p in below + rest]
        return Digest(
            generated=now,
            since=since,
            mode=focus.mode,
            must_read=must,
            worth_a_look=worth,
            left_out=reasons,
            considered=len(candidates),
            deep=list(focus.deep),
            ignore=list(focus.ignore),
        )

    def _personal_scores(self, candidates: list[Candidate]) -> dict[int, float]:
        model = self.personal_model()
        if not model.ready:
            return {}
        scores = model.score([c.features for c in candidates])
        return {c.item_id: s for c, s in zip(candidates, scores, strict=True) if s is not None}

    def _ranked(self, p: _rank.Placed, story_of: dict[int, Story], corroborating: dict[int, set[str]]) -> Ranked:
        stored = self.store.item(p.candidate.item_id)
        found = self.store.assessment(stored.id)
        terms: list[tuple[str, float]] = []
        if p.factors.personal is not None:
            terms = self.personal_model().explain(stored.item.title, stored.item.text or stored.item.summary or "")
        return Ranked(
            stored=stored,
            assessment=found,
            rank_score=p.rank_score,
            factors=p.factors,
            topics=p.candidate.topics,
            why=p.why,
            story=story_of.get(stored.id),
            personal_terms=terms,
            corroborating=sorted(corroborating.get(stored.id, ())),
        )

    def explain(self, ref: str | int, now: datetime | None = None) -> Ranked:
        """One item's place in the feed: every factor of its rank, its topics and its story."""
        now = now or datetime.now(UTC)
        stored, _ = self.assessment(ref)
        cands = self.store.candidates(ids=[stored.id])
        placed, _ = _rank.prerank(
            cands,
            # Explained as if nothing filtered it out: the reasons a digest drops an item are its own.
            focus=dataclasses.replace(self.focus, ignore=[], muted_sources=[], muted_phrases=[]),
            settings=self.rank_settings,
            now=now,
            personal=self._personal_scores(cands),
            trusted=self._source_ids(self.focus.trusted_sources),
        )
        p = placed[0]
        corroborating, story_of, counts = self._confirmations([stored.id], None)
        _rank.rerank([p], counts, self.rank_settings)
        return self._ranked(p, story_of, corroborating)

    def source_records(self) -> list[_sources.SourceRecord]:
        """Each source's track record: mean score, share of items with artefacts, items per week."""
        self.assess_pending()
        now = datetime.now(UTC)
        return _sources.records(self.store.sources(), self.store.source_stats(), now)

    def health(self, since: datetime | None = None, top: int = 50) -> _sources.Health:
        """How concentrated the reader's top items are on one source or platform."""
        digest = self.digest(since, top=top)
        titles = {s.id: (s.title or s.url) for s in self.store.sources()}
        publishers = self._publishers()
        entries = digest.must_read + digest.worth_a_look
        return _sources.concentration(
            [(titles.get(r.stored.source_id, "?"), publishers.get(r.stored.source_id, "?")) for r in entries]
        )

    # -- refresh -------------------------------------------------------------

    # -- podcasts ------------------------------------------------------------

    def feed_quality(self, ref: str | int, now: datetime | None = None) -> Quality:
        """The podcast feed quality checklist for one source, from what its last fetches stored."""
        source = self.source(ref)
        stored = self.store.items(source_id=source.id)
        self._attach_media_batch(stored)
        return self._quality(source, [s.item for s in stored], now or datetime.now(UTC))

    @staticmethod
    def _quality(source: Source, items: list[Item], now: datetime) -> Quality:
        well_formed = None if source.feed_format is None else source.feed_format != NOT_WELL_FORMED
        return _quality.score_feed(_quality.facts_from(source, items, well_formed=well_formed, now=now))

    def people(self) -> list[PersonEntry]:
        """Hosts, guests and speakers across every subscribed show, most episodes first."""
        from highsignal.podcast.people import author_hosts, person_index

        shows = {s.id: s for s in self.store.sources() if s.kind == "podcast" or s.feed_format == "episodes"}
        episodes = []
        hosted: list[tuple[str, str, int, list[int]]] = []
        for source_id, show in shows.items():
            stored = self.store.items(source_id=source_id)
            self._attach_media_batch(stored)
            episodes += [(s.id, source_id, s.item) for s in stored]
            named = author_hosts(show.meta.author if show.meta else None)
            hosted += [(key, name, source_id, [s.id for s in stored]) for key, name in named.items()]
        metas = {i: s.meta for i, s in shows.items() if s.meta is not None}
        index = person_index(episodes, metas)
        # A show's author line names its hosts, who are on every episode even when no tag says so.
        for key, name, source_id, item_ids in hosted:
            entry = index.setdefault(key, PersonEntry(key, name))
            entry.roles = ["host", *[r for r in entry.roles if r != "host"]]
            entry.episodes += [i for i in item_ids if i not in entry.episodes]
            if source_id not in entry.shows:
                entry.shows.append(source_id)
        return sorted(index.values(), key=lambda p: (-len(p.shows), -len(p.episodes), p.name.lower()))

    def podcast_report(self, ref: str | int, *, top: int = 20, now: datetime | None = None) -> PodcastReport:
        """A show's publication history, cadence, durations, people, shared links and feed quality."""
        from highsignal.podcast import analytics, people, sponsors
        from highsignal.podcast.report import PersonCount, PodcastReport

        now = now or datetime.now(UTC)
        source = self.source(ref)
        stored = self.store.items(source_id=source.id)
        self._attach_media_batch(stored)
        items = [s.item for s in stored]
        dates = [i.published for i in items]
        episodes = [
            analytics.Episode(s.id, s.item.title, s.item.published, s.item.duration, s.item.links) for s in stored
        ]
        others = self.store.links_by_source(exclude=source.id)
        links, boiler = analytics.shared_links(episodes, others.items(), top=top)

        counts: dict[str, PersonCount] = {}
        named_hosts = people.author_hosts(source.meta.author if source.meta else None)
        for s in stored:
            found = [
                (people.person_key(w.name), w.name, w.role) for w in people.people_for_episode(s.item, source.meta)
            ]
            found += [(key, name, "host") for key, name in named_hosts.items()]  # on every episode
            seen: set[str] = set()
            for key, name, role in found:
                entry = counts.setdefault(key, PersonCount(name, 0, []))
                role = "host" if key in named_hosts else role
                if role not in entry.roles:
                    entry.roles.append(role)
                if key not in seen:
                    entry.episodes += 1
                    seen.add(key)
        ranked = sorted(counts.values(), key=lambda p: (-p.episodes, p.name))
        hosts = [p for p in ranked if "host" in p.roles]
        guests = [p for p in ranked if "host" not in p.roles][:top]
        reads = sum(
            1
            for i in items
            if sponsors.sponsorships(i.text) or any(sponsors.sponsorships(t.text) for t in i.transcript)
        )
        notes = []
        checklist = None
        if source.feed_format == "episodes":
            notes.append("a scraped episode page, not a feed: the feed quality checklist does not apply")
        else:
            checklist = self._quality(source, items, now)
        if source.kind != "podcast":
            notes.append(
                f"source {source.id} holds {source.kind} items, not podcast episodes: some figures may not apply"
            )
        return PodcastReport(
            source_id=source.id,
            title=source.title,
            url=source.url,
            episodes=len(items),
            newest=max((d for d in dates if d), default=None),
            oldest=min((d for d in dates if d), default=None),
            history=analytics.history(dates),
            cadence=analytics.cadence(dates),
            durations=analytics.durations(i.duration for i in items),
            hosts=hosts,
            guests=guests,
            shared_links=links,
            boilerplate=boiler,
            with_chapters=sum(1 for i in items if i.chapters),
            with_transcript=sum(1 for i in items if i.transcript),
            sponsor_reads=reads,
            quality=checklist,
            notes=notes,
        )

    def due_sources(self, now: datetime | None = None) -> list[Source]:
        now = now or datetime.now(UTC)
        return [s for s in self.store.sources() if not s.gone and (s.next_fetch is None or s.next_fetch <= now)]

    def refresh(
        self,
        sources: Iterable[str | int] | None = None,
        *,
        due_only: bool = False,
        progress: ProgressCallback | None = None,
        workers: int | None = None,
        assess: bool = True,
    ) -> RefreshReport:
        """Fetch, parse and store sources, then assess what is new or changed; return what changed.

        With no ``sources``, every source that is not gone (with ``due_only``,
        only those whose next fetch time has come). Sources named explicitly
        are fetched even when gone or not yet due.
        """
        if sources is not None:
            chosen = [self.source(s) for s in sources]
        else:
            chosen = self.due_sources() if due_only else [s for s in self.store.sources() if not s.gone]
        report = RefreshReport(skipped=len(self.store.sources()) - len(chosen) if sources is None else 0)
        if chosen:
            # Workers are forked here, before the event loop and its threads exist.
            executor = _make_executor(len(chosen), workers)
            try:
                asyncio.run(self._refresh(chosen, progress, executor, report))
            finally:
                if executor is not None:
                    executor.shutdown(wait=True, cancel_futures=True)
        if assess and (report.new_items or report.updated_items):
            report.assessed = self.assess_pending()
            report.embedded = self._embed_quietly(report)
        return report

    def _embed_quietly(self, report: RefreshReport) -> int:
        """Embed what a refresh brought in when semantic search is installed; a bad ``[embed]`` is reported."""
        try:
            return self.embed_pending() if self.semantic_available() else 0
        except HighsignalError as exc:
            report.embed_error = str(exc)
            return 0

    async def _refresh(
        self,
        sources: list[Source],
        progress: ProgressCallback | None,
        executor: Executor | None,
        report: RefreshReport,
    ) -> None:
        loop = asyncio.get_running_loop()
        pending_states: list[FetchState] = []
        media: list[_media.MediaRequest] = []
        by_id = {s.id: s for s in sources}

        def done(result: SourceResult) -> None:
            report.results.append(result)
            if progress is not None:
                progress(result)

        async def handle(source: Source, fetched: FetchResult) -> None:
            now = datetime.now(UTC)
            result, state, parsed = await self._process(source, fetched, now, loop, executor)
            if parsed is not None and parsed.feed is not None:
                feed = parsed.feed
                counts = self.store.apply_update(state, feed.meta, feed.items, now, kind=_content_kind(feed))
                result.new, result.updated = counts.new, counts.updated
                result.outcome = "updated" if counts.new or counts.updated else "unchanged"
                media.extend(self._index_episodes(source.id, feed))
            else:
                pending_states.append(state)
            done(result)

        try:
            async with Fetcher(self.fetch_settings) as fetcher:
                file_sources = [s for s in sources if s.url.startswith("file://")]
                http_sources = [s for s in sources if not s.url.startswith("file://")]
                tasks = [asyncio.create_task(handle(s, _read_file(s))) for s in file_sources]
                requests = [FetchRequest(s.id, s.url, s.etag, s.last_modified) for s in http_sources]
                async for fetched in fetcher.fetch_all(requests):
                    tasks.append(asyncio.create_task(handle(by_id[fetched.key], fetched)))
                for t in tasks:
                    await t
                if media:
                    await self._fetch_media(fetcher, media[: _media.PER_REFRESH], report)
        finally:
            if pending_states:
                self.store.save_fetch_states(pending_states)

    def _index_episodes(self, source_id: int, feed: ParsedFeed) -> list[_media.MediaRequest]:
        """Make transcripts in show notes searchable; return the chapter and transcript files still to fetch."""
        episodes = [i for i in feed.items if _media.is_episode(i, feed)]
        if not episodes:
            return []
        ids = self.store.item_ids(source_id)
        origins = self.store.passage_origins(ids[i.key] for i in episodes if i.key in ids)
        for item in episodes:
            item_id = ids.get(item.key)
            if item_id is not None and item.transcript and origins.get(item_id) != "file":
                self.store.save_passages(item_id, item.transcript, "notes")
        attempts = self.store.attachment_attempts(ids[i.key] for i in episodes if i.key in ids)
        return _media.requests_for(episodes, ids, attempts)

    async def _fetch_media(self, fetcher: Fetcher, wanted: list[_media.MediaRequest], report: RefreshReport) -> None:
        """Fetch episodes' chapter and transcript files; a bad one is recorded, never fatal."""
        requests = [FetchRequest(n, w.url) for n, w in enumerate(wanted)]
        changed: list[int] = []
        async for fetched in fetcher.fetch_all(requests):
            want = wanted[fetched.key]
            now = datetime.now(UTC)
            record = Attachment(want.item_id, want.kind, want.url, now)
            if fetched.error or fetched.status != 200 or not fetched.body:
                record.error = fetched.error or f"HTTP {fetched.status}"
            elif want.kind == "chapters":
                found = chapters_from_json(fetched.body, want.duration)
                record.format, record.error = "json", found.error
                if found.error is None:
                    self.store.save_attachment(record, found.chapters)
                    changed.append(want.item_id)
                    continue
            else:
                parsed = parse_transcript(fetched.body, fetched.content_type or want.content_type, want.url)
                record.format, record.error = parsed.format, parsed.error
                if parsed.error is None and not parsed.segments:
                    record.error = "the transcript has no text"
                if record.error is None:
                    self.store.save_passages(want.item_id, turns(parsed.segments), "file")
                    changed.append(want.item_id)
            if record.error is not None:
                report.media_errors.append(f"{want.kind} {want.url}: {record.error}")
            self.store.save_attachment(record)
        report.media_fetched += len(changed)
        # The assessment reads transcripts (links and claims spoken): redo it for these episodes.
        self.store.forget_assessments(changed)

    async def _process(
        self,
        source: Source,
        fetched: FetchResult,
        now: datetime,
        loop: asyncio.AbstractEventLoop,
        executor: Executor | None,
    ) -> tuple[SourceResult, FetchState, Parsed | None]:
        result = SourceResult(source.id, source.url, source.title, "not_modified", status=fetched.status)
        state = FetchState(
            source_id=source.id,
            last_fetch=now,
            status=fetched.status,
            etag=fetched.etag or source.etag,
            last_modified=fetched.last_modified or source.last_modified,
            content_hash=None,
            content_type=fetched.content_type,
        )
        if fetched.permanent_redirect and fetched.permanent_redirect != source.url:
            state.new_url = fetched.permanent_redirect
            result.warnings.append(f"moved permanently to {fetched.permanent_redirect}")
        if fetched.error or (fetched.status is not None and fetched.status not in (200, 304)):
            return self._failed(source, fetched, state, result, now), state, None
        state.next_fetch = now + self._interval(fetched, source)
        if fetched.not_modified or fetched.body is None:
            return result, state, None
        body_hash = hashlib.blake2b(fetched.body, digest_size=16).hexdigest()
        if body_hash == source.content_hash and source.last_error is None:
            result.outcome = "unchanged"
            return result, state, None
        url = fetched.final_url or source.url
        parsed = await _parse(loop, executor, fetched.body, url, fetched.content_type, discover=True)
        if parsed.feed_links:
            feed_url = parsed.feed_links[0]
            async with Fetcher(self.fetch_settings) as fetcher:
                second = await fetcher.fetch(FetchRequest(source.id, feed_url))
            if second.error or second.body is None:
                state.error = f"feed {feed_url} advertised by the page failed: {second.error}"
                state.error_streak = source.error_streak + 1
                result.outcome, result.error = "error", state.error
                return result, state, None
            body_hash = hashlib.blake2b(second.body, digest_size=16).hexdigest()
            state.etag, state.last_modified = second.etag, second.last_modified
            state.content_type = second.content_type
            parsed = await _parse(loop, executor, second.body, feed_url, second.content_type, discover=False)
            url = feed_url
            if parsed.feed is not None and self.store.find_source(feed_url) is None:
                state.new_url = feed_url
                result.warnings.append(f"{source.url} is a web page; subscribed to its feed {feed_url}")
        if parsed.error:
            state.error = f"{parsed.error} ({url})"
            state.error_streak = source.error_streak + 1
            state.next_fetch = now + self._backoff(state.error_streak)
            result.outcome, result.error = "error", state.error
            return result, state, None
        assert parsed.feed is not None
        feed = parsed.feed
        _media.enrich(feed)
        result.warnings.extend(feed.warnings)
        state.content_hash = body_hash
        state.feed_format = NOT_WELL_FORMED if is_well_formed(feed) is False else feed.format
        new_feed_url = feed.meta.new_feed_url
        if new_feed_url and _is_url(new_feed_url) and new_feed_url != source.url:
            state.new_url = new_feed_url
            result.warnings.append(f"the feed moved itself to {new_feed_url} (itunes:new-feed-url)")
        if feed.meta.ttl_minutes and not fetched.max_age:
            state.next_fetch = now + _clamp(timedelta(minutes=feed.meta.ttl_minutes), MIN_INTERVAL, MAX_INTERVAL)
        if state.new_url:
            result.url = state.new_url
        result.title = result.title or feed.meta.title
        for item in feed.items:
            if item.published is None:
                item.published = now
        return result, state, parsed

    def _failed(
        self, source: Source, fetched: FetchResult, state: FetchState, result: SourceResult, now: datetime
    ) -> SourceResult:
        status = fetched.status
        state.error = fetched.error or f"HTTP {status}"
        state.error_streak = source.error_streak + 1
        result.outcome, result.error = "error", f"{state.error} ({source.url})"
        if status == 410:
            state.gone = True
            result.outcome = "gone"
            result.error = f"gone: the server says the feed was removed (HTTP 410) ({source.url})"
        if fetched.retry_after is not None:
            wait = _clamp(timedelta(seconds=fetched.retry_after), timedelta(seconds=0), MAX_RETRY_AFTER)
            state.next_fetch = now + max(wait, self._backoff(state.error_streak) if state.error_streak > 1 else wait)
        else:
            state.next_fetch = now + self._backoff(state.error_streak)
        return result

    @staticmethod
    def _backoff(streak: int) -> timedelta:
        return min(MAX_INTERVAL, MIN_INTERVAL * (2 ** max(0, streak - 1)))

    @staticmethod
    def _interval(fetched: FetchResult, source: Source) -> timedelta:
        if fetched.max_age is not None:
            return _clamp(timedelta(seconds=fetched.max_age), MIN_INTERVAL, MAX_INTERVAL)
        meta = source.meta
        if meta is not None and meta.ttl_minutes:
            return _clamp(timedelta(minutes=meta.ttl_minutes), MIN_INTERVAL, MAX_INTERVAL)
        return DEFAULT_INTERVAL


@dataclass(slots=True)
class AssessedDocument:
    """What ``assess_document`` read and what it made of each item."""

    url: str
    feed: ParsedFeed
    content_kind: str
    assessments: list[Assessment]


def assess_document(
    ref: str,
    *,
    data: bytes | None = None,
    rubric: Rubric | None = None,
    fetch_settings: FetchSettings | None = None,
    declared_kind: str | None = None,
) -> AssessedDocument:
    """Assess a feed, page or text document without subscribing to it.

    ``ref`` is a URL (fetched once), a file path, or ``-`` with the bytes in
    ``data`` (standard input). Raises ``SourceError`` naming the input when
    it cannot be read or parsed.
    """
    content_type = None
    if ref == "-":
        url = "stdin:"
        body = data if data is not None else b""
        content_type = _sniff(body)
    elif _is_url(ref):
        url = ref
        fetched = asyncio.run(_fetch_one(ref, fetch_settings or FetchSettings()))
        if fetched.error or fetched.body is None or fetched.status != 200:
            raise SourceError(f"cannot fetch {ref}: {fetched.error or f'HTTP {fetched.status}'}")
        body, content_type, url = fetched.body, fetched.content_type, fetched.final_url or ref
    else:
        path = Path(ref).expanduser()
        url = path.resolve().as_uri()
        read = _read_path(path, 0, url)
        if read.error or read.body is None:
            raise SourceError(read.error or f"cannot read {ref}")
        body = read.body
    if not body.strip():
        raise SourceError(f"{'standard input' if ref == '-' else ref} is empty: nothing to assess")
    parsed = parse_document(body, url, content_type, discover=False)
    if parsed.error or parsed.feed is None:
        raise SourceError(f"cannot read {ref}: {parsed.error}")
    feed = parsed.feed
    kind = _content_kind(feed)
    facts = SourceFacts(kind, declared_kind)
    rubric = rubric or default_rubric()
    return AssessedDocument(url, feed, kind, [assess(item, source=facts, rubric=rubric) for item in feed.items])


def _sniff(body: bytes) -> str | None:
    """A content type for bytes that came without one (standard input)."""
    head = body.lstrip()[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "text/html"
    if head[:1] in (b"<", b"{"):
        return None  # a feed: the parser tells the formats apart
    return "text/plain"


async def _fetch_one(url: str, settings: FetchSettings) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch(FetchRequest(0, url))


def _content_kind(feed: ParsedFeed) -> str:
    """What a source turned out to hold, whether it came over HTTP or from a file."""
    if feed.format == "page":
        return "page"
    if feed.format == "text":
        return "document"
    audio = sum(1 for i in feed.items if i.enclosure and (i.enclosure.type or "").startswith(("audio", "video")))
    return "podcast" if feed.meta.is_podcast or (audio and audio * 2 >= len(feed.items)) else "feed"


def _make_executor(n_sources: int, workers: int | None) -> Executor | None:
    if workers is None:
        cpus = os.cpu_count() or 1
        workers = min(cpus, 4) if n_sources >= PARALLEL_PARSE_THRESHOLD and cpus > 1 else 0
    if workers <= 0:
        return None
    import multiprocessing

    # fork, not spawn or forkserver: those re-import the caller's __main__ in every
    # worker, which re-runs an unguarded script. Forking is safe because it happens
    # now, before the event loop starts any thread; the no-op makes the pool fork
    # all its workers at once.
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    executor.submit(int).result()
    return executor


async def _parse(
    loop: asyncio.AbstractEventLoop,
    executor: Executor | None,
    body: bytes,
    url: str,
    content_type: str | None,
    *,
    discover: bool,
) -> Parsed:
    if executor is None:
        return parse_document(body, url, content_type, discover)
    try:
        return await loop.run_in_executor(executor, parse_document, body, url, content_type, discover)
    except builtins.BaseException as exc:  # a worker died (out of memory, killed)
        if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt):
            raise
        return parse_document(body, url, content_type, discover)


def _read_file(source: Source) -> FetchResult:
    """A subscribed local file as if it were a fetch."""
    return _read_path(Path(urlsplit(source.url).path), source.id, source.url)


def _read_path(path: Path, key: int, url: str) -> FetchResult:
    """A local file as if it were a fetch: 200 with its bytes, or an error (same size cap as HTTP)."""
    res = FetchResult(key=key, url=url)
    try:
        size = path.stat().st_size
        if size > 50 * 1024 * 1024:
            res.error = f"file too large: {size} bytes (limit 52428800)"
            return res
        res.body = path.read_bytes()
        res.status = 200
    except FileNotFoundError:
        res.error = f"no such file: {path}"
    except OSError as exc:
        res.error = f"cannot read {path}: {exc.strerror}"
    return res
