"""A second, read-only connection to a store file, for questions asked often and cheaply.

A long-running reader (the web server) needs to know on every request
whether the store changed, including changes made by another process
(``highsignal refresh`` from cron, ``highsignal rate`` in a terminal).
``PRAGMA data_version`` only says that about other connections' writes, and
not across connections reliably, so ``fingerprint`` reads a few values that
every relevant write moves: the newest item id, the sources' last fetch
times, the ratings, the read states and the personal models. Each is an
index lookup or a scan of a small table, well under a millisecond even at
100k items.

``ReadOnlyStore`` has its own connection (opened ``mode=ro``, so it cannot
write even by mistake) and its own lock, so these queries never wait behind
the lock of a ``SqliteStore`` busy computing a digest; SQLite's WAL mode lets
them read while another connection writes.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from types import TracebackType

from highsignal.errors import StorageError

#: How long (milliseconds) a query waits for a lock held by a writer before giving up.
BUSY_TIMEOUT_MS = 5000

_FINGERPRINT = """
SELECT (SELECT max(id) FROM items),
       (SELECT count(*) || '/' || coalesce(max(last_fetch), '') FROM sources),
       (SELECT count(*) || '/' || coalesce(max(rated_at), '') FROM ratings),
       (SELECT count(*) || '/' || coalesce(max(at), '') FROM read_states),
       (SELECT coalesce(max(updated), '') FROM models)
"""

_MONTHLY_COUNTS = """
SELECT substr(coalesce(published, first_seen), 1, 7) AS month, count(*)
FROM items WHERE source_id = ? GROUP BY month ORDER BY month
"""

_RECENT_DATES = """
SELECT coalesce(published, first_seen) AS at FROM items
WHERE source_id = ? ORDER BY at DESC LIMIT ?
"""


class ReadOnlyStore:
    """Cheap read-only queries on a store file, safe to call from any thread.

    The file must already be a highsignal database (opened once by
    ``SqliteStore``, which creates and migrates it); this class never writes.
    """

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {self.path} read-only: {exc}") from exc
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection (waiting for a query in progress on another thread)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> ReadOnlyStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def fingerprint(self) -> tuple:
        """Values that change whenever items, fetches, ratings, read states or personal models change.

        Compare two fingerprints for equality; their contents are not meant to be read.
        """
        with self._lock:
            return tuple(self._db.execute(_FINGERPRINT).fetchone())

    def monthly_counts(self, source_id: int) -> list[tuple[str, int]]:
        """``(YYYY-MM, items)`` for one source, oldest first, by publication date (else first seen).

        Months without items are left out; an unknown source gives ``[]``.
        """
        with self._lock:
            rows = self._db.execute(_MONTHLY_COUNTS, (source_id,)).fetchall()
        return [(month, n) for month, n in rows if month]

    def recent_dates(self, source_id: int, limit: int = 200) -> list[datetime]:
        """The newest ``limit`` publication dates (else first-seen dates) of a source, newest first.

        For its cadence; a value that is not an ISO date is skipped.
        """
        with self._lock:
            rows = self._db.execute(_RECENT_DATES, (source_id, limit)).fetchall()
        out = []
        for (value,) in rows:
            try:
                out.append(datetime.fromisoformat(value))
            except (TypeError, ValueError):
                continue
        return out
