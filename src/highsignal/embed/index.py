"""Nearest neighbours over the stored vectors, held in memory.

An exact scan: one matrix product over every vector. At 100k items of 256
dimensions that is 100 MB of float32 and a few milliseconds, exact, with
nothing to tune and nothing to rebuild; an approximate graph index would
start to pay only well past a million items. The store keeps float16 (half
the disk, and cosines move in the third decimal); the matrix is float32
because numpy multiplies float16 without BLAS, many times slower. The
matrix follows the store by reading only the rows written since it last
looked (``Storage.vectors(after=...)``).
"""

from __future__ import annotations

import threading

import numpy as np

from highsignal.store import Storage

#: Stored vectors decoded per step while loading.
SYNC_BLOCK = 8192


class VectorIndex:
    """The vectors of one model, kept in step with the store.

    A re-embedded item overwrites its row. A deleted item's row stays until
    the index is next built from scratch: search results are read back from
    the store, which drops it.
    """

    def __init__(self, model: str, dim: int) -> None:
        self.model = model
        self.dim = dim
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._order = np.zeros(0, dtype=np.int64)  # argsort of _ids, to find an item's row
        self._last_row = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

    def sync(self, store: Storage) -> None:
        """Read the vector rows written since the last sync (one indexed lookup when there are none)."""
        with self._lock:
            if store.last_vector_row() == self._last_row:
                return
            rows = store.vectors(self.model, after=self._last_row)
            if not rows:
                return
            ids = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
            # Decoded straight into float32 rows, a block at a time: no second copy of the whole set.
            block = np.empty((len(rows), self.dim), dtype=np.float32)
            for i in range(0, len(rows), SYNC_BLOCK):
                chunk = rows[i : i + SYNC_BLOCK]
                half = np.frombuffer(b"".join(r[2] for r in chunk), dtype=np.float16)
                block[i : i + len(chunk)] = half.reshape(len(chunk), self.dim)
            self._last_row = rows[-1][0]
            del rows
            if not len(self._ids):
                self._ids, self._matrix = ids, block
            else:
                self._merge(ids, block)
            self._order = np.argsort(self._ids, kind="stable")

    def _merge(self, ids: np.ndarray, block: np.ndarray) -> None:
        """Overwrite the rows of items already held, append the rest (later rows of one item win)."""
        sorted_ids = self._ids[self._order]
        at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        held = sorted_ids[at] == ids
        self._matrix[self._order[at[held]]] = block[held]
        fresh_ids, fresh = np.unique(ids[~held][::-1], return_index=True)
        if len(fresh_ids):
            rows = block[~held][::-1][fresh]
            self._ids = np.concatenate([self._ids, fresh_ids])
            self._matrix = np.concatenate([self._matrix, rows])

    def nearest(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` items closest to a unit-length query vector: (item id, cosine similarity), closest first."""
        with self._lock:
            ids, matrix = self._ids, self._matrix
        if not len(ids) or k <= 0 or not np.any(query):
            return []
        sims = matrix @ query.astype(np.float32)
        k = min(k, len(ids))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(ids[i]), float(sims[i])) for i in top]


def pack(vectors: np.ndarray) -> list[bytes]:
    """Rows as the bytes the store keeps (float16: half the size, and cosine barely moves)."""
    half = vectors.astype(np.float16)
    return [row.tobytes() for row in half]
