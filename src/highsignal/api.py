"""The ``Library``: the one object the CLI, the web UI and scripts all drive.

It ties the stages together (fetch, parse, store) and owns the policy
between them: when a source is due, how errors back off, when a redirect
moves a subscription, and what counts as new or changed.
"""

from __future__ import annotations

import asyncio
import builtins
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
from highsignal.config import load_config
from highsignal.errors import HighsignalError, SourceError, SourceNotFoundError
from highsignal.fetch import Fetcher, FetchRequest, FetchResult, FetchSettings
from highsignal.parse.document import Parsed, parse_document
from highsignal.records import Assessment, ParsedFeed, SearchHit, Source, StoredItem
from highsignal.store import FetchState, SqliteStore, Storage

MIN_INTERVAL = timedelta(minutes=15)
DEFAULT_INTERVAL = timedelta(hours=1)
MAX_INTERVAL = timedelta(days=1)
MAX_RETRY_AFTER = timedelta(days=7)
#: Refreshes with at least this many bodies to parse use worker processes.
PARALLEL_PARSE_THRESHOLD = 24
#: Items assessed (and written) per transaction.
ASSESS_BATCH = 500
GRADES = ("high", "medium", "low")


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
        return self.store.find_item(str(ref))

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: str | int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        source_id = self.source(source).id if source is not None else None
        return self.store.search(query, limit=limit, source_id=source_id, since=since, until=until)

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
            found = assess(stored.item, source=SourceFacts(source.kind, source.declared_kind), rubric=self.rubric)
            self.store.save_assessments([(stored.id, found)], datetime.now(UTC))
        return stored, found

    def assess_pending(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Assess every item that is new, changed, or was assessed under another rubric.

        Returns how many were assessed; ``progress(done, total)`` is called
        after each batch. Unchanged items under the same rubric cost nothing.
        """
        version = self.rubric.version
        total = self.store.count_stale_assessments(version)
        done = 0
        while done < total:
            batch = self.store.stale_assessments(version, limit=ASSESS_BATCH)
            if not batch:
                break
            results = [
                (stored.id, assess(stored.item, source=SourceFacts(kind, declared), rubric=self.rubric))
                for stored, kind, declared in batch
            ]
            self.store.save_assessments(results, datetime.now(UTC))
            done += len(results)
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

    # -- refresh -------------------------------------------------------------

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
                report.results = asyncio.run(self._refresh(chosen, progress, executor))
            finally:
                if executor is not None:
                    executor.shutdown(wait=True, cancel_futures=True)
        if assess and (report.new_items or report.updated_items):
            report.assessed = self.assess_pending()
        return report

    async def _refresh(
        self, sources: list[Source], progress: ProgressCallback | None, executor: Executor | None
    ) -> list[SourceResult]:
        loop = asyncio.get_running_loop()
        results: list[SourceResult] = []
        pending_states: list[FetchState] = []
        by_id = {s.id: s for s in sources}

        def done(result: SourceResult) -> None:
            results.append(result)
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
        finally:
            if pending_states:
                self.store.save_fetch_states(pending_states)
        return results

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
        result.warnings.extend(feed.warnings)
        state.content_hash = body_hash
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
