"""A cache of rendered views that holds while the store's fingerprint does.

Ranking 100k items takes about half a second, far too long to redo per
request. A view (the digest page, its JSON, the Atom feed) is kept with the
fingerprint it was made under and served while the fingerprint still
matches. Freshness decays with the clock too, so after ``ttl`` seconds an
entry is remade, but in the background: the stale copy keeps being served
meanwhile, since only time (not the data) changed. When the data changed,
the first request remakes it and concurrent requests for the same view wait
for that one computation instead of repeating it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Entry:
    fingerprint: tuple
    made: float
    value: Any


class ViewCache:
    """Values keyed by view parameters, each valid for the fingerprint it was made under."""

    def __init__(self, ttl: float, maxsize: int = 128) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._guard = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._refreshing: set[Hashable] = set()

    def peek(self, key: Hashable, fingerprint: tuple, refresh: Callable[[], Any] | None = None) -> Any | None:
        """The cached value if it is current, else ``None``; never computes in the caller's thread.

        An entry past its ``ttl`` counts as missing, unless ``refresh`` is
        given: then the stale value is returned and ``refresh`` remakes it in
        a background thread (one at a time per key).
        """
        with self._guard:
            entry = self._entries.get(key)
            if entry is None or entry.fingerprint != fingerprint:
                return None
            self._entries.move_to_end(key)
            if not (self.ttl > 0 and time.monotonic() - entry.made >= self.ttl):
                return entry.value
            if refresh is None:
                return None
            start = key not in self._refreshing
            if start:
                self._refreshing.add(key)
        if start:
            threading.Thread(
                target=self._refresh, args=(key, fingerprint, refresh), name="highsignal-view-refresh", daemon=True
            ).start()
        return entry.value

    def get(self, key: Hashable, fingerprint: tuple, compute: Callable[[], Any], *, background: bool = True) -> Any:
        """The cached value, computing it (once, however many threads ask) when missing or outdated.

        ``background`` allows serving a value that is stale by time only
        while it is remade; views built from other cached values pass False
        for those, so a remade page never reads a stale ingredient.
        """
        found = self.peek(key, fingerprint, compute if background else None)
        if found is not None:
            return found
        with self._lock_for(key):
            found = self.peek(key, fingerprint)
            if found is not None:
                return found
            value = compute()
            self._store(key, fingerprint, value)
            return value

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()

    def _refresh(self, key: Hashable, fingerprint: tuple, compute: Callable[[], Any]) -> None:
        try:
            with self._lock_for(key):
                self._store(key, fingerprint, compute())
        except Exception:  # a failed background remake keeps the old value; the next request retries
            log.exception("remaking cached view %r failed", key)
        finally:
            with self._guard:
                self._refreshing.discard(key)

    def _lock_for(self, key: Hashable) -> threading.Lock:
        with self._guard:
            lock = self._key_locks.get(key)
            if lock is None:
                lock = self._key_locks[key] = threading.Lock()
            return lock

    def _store(self, key: Hashable, fingerprint: tuple, value: Any) -> None:
        with self._guard:
            self._entries[key] = _Entry(fingerprint, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                old, _ = self._entries.popitem(last=False)
                self._key_locks.pop(old, None)
