"""How the server's threads share the store: two Libraries, each behind its own lock.

FastAPI runs sync endpoints in a thread pool, and a ``Library`` is not
thread-safe: it holds one sqlite3 connection (opened with
``check_same_thread=False``, which only turns off Python's check) and caches
its config, rubric, focus and personal model in plain attributes. So every
use of a Library here holds that Library's lock.

One lock over one Library would let a refresh (seconds of network I/O)
stall every page. Instead there are two Libraries on the same file: the
*reader* serves pages and the quick writes (rate, mark, settings), the
*fetcher* does what waits on the network (refresh, add a source, import,
and questions that may go to an LLM).
SQLite in WAL mode lets the reader read while the fetcher writes. More
threads per Library would not help anyway: ranking and rendering are Python
code holding the GIL, and the digest cache means they rarely run.

Every write through the app bumps ``generation``, which is part of the
digest cache's key, so a page reloaded after a rating shows it at once;
changes from other processes are caught by the store fingerprint, read
through a third, read-only connection (``ReadOnlyStore``) that never waits
on either Library's lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import highsignal
from highsignal.api import Library
from highsignal.config import config_path
from highsignal.fetch import FetchSettings
from highsignal.store.readonly import ReadOnlyStore

#: How often (seconds) the store is probed for changes made outside the app.
PROBE_INTERVAL = 1.0


class LibraryAccess:
    """The reader and fetcher Libraries, their locks, and the fingerprint of what they hold."""

    def __init__(self, db_path: Path | None, fetch_settings: FetchSettings) -> None:
        self.reader: Library = highsignal.open(db_path, fetch_settings=fetch_settings)
        self.fetcher: Library = highsignal.open(self.reader.store.path, fetch_settings=fetch_settings)
        # One embedding model and vector index for both (the index of 100k items is 100 MB).
        self.fetcher.share_semantics(self.reader)
        self.path: Path = self.reader.store.path
        self.probe = ReadOnlyStore(self.path)
        self._read_lock = threading.RLock()
        self._fetch_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._generation = 0
        self._probed: tuple = ()
        self._probed_at = float("-inf")
        self._config_mtime: int | None = _mtime(config_path())

    @contextmanager
    def read(self) -> Iterator[Library]:
        """The reader Library, held for the block (reads, and writes that do not touch the network)."""
        with self._read_lock:
            yield self.reader

    @contextmanager
    def write(self) -> Iterator[Library]:
        """The reader Library for a quick write; cached views are dropped afterwards."""
        try:
            with self._read_lock:
                yield self.reader
        finally:
            self.bump()

    @contextmanager
    def fetching(self) -> Iterator[Library]:
        """The fetcher Library, for refreshes and adds that wait on the network."""
        try:
            with self._fetch_lock:
                yield self.fetcher
        finally:
            self.bump()

    @contextmanager
    def network(self) -> Iterator[Library]:
        """The fetcher Library for a read that may wait on the network (ask with an LLM): pages keep going."""
        with self._fetch_lock:
            yield self.fetcher

    def bump(self) -> None:
        """Note a write: the next fingerprint differs and is probed afresh."""
        with self._state_lock:
            self._generation += 1
            self._probed_at = float("-inf")

    def reload_config(self) -> None:
        """Forget both Libraries' config (after the settings page edits the file)."""
        with self._read_lock:
            self.reader.reload_config()
        with self._fetch_lock:
            self.fetcher.reload_config()
        self.bump()

    def fingerprint(self) -> tuple:
        """Something cheap that changes whenever the digest could: app writes, store changes, the config."""
        with self._state_lock:
            now = time.monotonic()
            if now - self._probed_at >= PROBE_INTERVAL:
                mtime = _mtime(config_path())
                if mtime != self._config_mtime:
                    # Edited from outside (``highsignal focus deep ...``): read it again.
                    self._config_mtime = mtime
                    self.reader.reload_config()
                    self.fetcher.reload_config()
                self._probed = (*self.probe.fingerprint(), mtime)
                self._probed_at = now
            return (self._generation, self._probed)

    def close(self) -> None:
        with self._read_lock, self._fetch_lock:
            self.probe.close()
            self.reader.close()
            self.fetcher.close()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
