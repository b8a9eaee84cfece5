"""A second, read-only connection to the store, for questions the server asks often and cheaply.

The digest cache needs to know on every request whether the store changed,
including changes made by another process (``highsignal refresh`` from cron,
``highsignal rate`` in a terminal). ``PRAGMA data_version`` only says that
about other connections' writes, and not across connections reliably, so
the fingerprint reads a few values that every relevant write moves: the
newest item id, the sources' last fetch times, and the ratings and read
states. Each is an index lookup or a scan of a small table, well under a
millisecond even at 100k items, and runs on its own connection so it never
waits behind a digest being computed.

This reads the store's tables directly; the two queries would sit better as
store methods (see the web package's report), but they must not block on the
Library's lock, which is why they live here with their own connection.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path

_FINGERPRINT = """
SELECT (SELECT max(id) FROM items),
       (SELECT count(*) || '/' || coalesce(max(last_fetch), '') FROM sources),
       (SELECT count(*) || '/' || coalesce(max(rated_at), '') FROM ratings),
       (SELECT count(*) || '/' || coalesce(max(at), '') FROM read_states),
       (SELECT coalesce(max(updated), '') FROM models)
"""


class StoreProbe:
    """Cheap read-only queries on the store file, safe to call from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def fingerprint(self) -> tuple:
        """Values that change whenever items, fetches, ratings or read states change."""
        with self._lock:
            return tuple(self._db.execute(_FINGERPRINT).fetchone())

    def monthly_counts(self, source_id: int) -> list[tuple[str, int]]:
        """``(YYYY-MM, items)`` for one source, oldest first, by publication date (else first seen)."""
        with self._lock:
            rows = self._db.execute(
                """SELECT substr(coalesce(published, first_seen), 1, 7) AS month, count(*)
                   FROM items WHERE source_id = ? GROUP BY month ORDER BY month""",
                (source_id,),
            ).fetchall()
        return [(m, n) for m, n in rows if m]

    def recent_dates(self, source_id: int, limit: int = 200) -> list[datetime]:
        """The newest ``limit`` publication dates of a source, newest first (for its cadence)."""
        with self._lock:
            rows = self._db.execute(
                """SELECT coalesce(published, first_seen) AS at FROM items
                   WHERE source_id = ? ORDER BY at DESC LIMIT ?""",
                (source_id, limit),
            ).fetchall()
        out = []
        for (value,) in rows:
            try:
                out.append(datetime.fromisoformat(value))
            except (TypeError, ValueError):
                continue
        return out
