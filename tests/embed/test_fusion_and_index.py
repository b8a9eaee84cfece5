"""Reciprocal rank fusion and the in-memory vector index."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from highsignal.embed import VectorIndex, fuse
from highsignal.embed.index import pack
from highsignal.store import SqliteStore
from tests.store.test_sqlite import add, make_item

MODEL = "test-model"


def test_fuse_prefers_items_both_lists_rank_well() -> None:
    fused = [key for key, _ in fuse(["a", "b", "c"], ["c", "b", "d"])]
    assert set(fused[:2]) == {"b", "c"}  # near the top of both beats topping one
    assert set(fused) == {"a", "b", "c", "d"}


def test_fuse_of_one_list_keeps_its_order_and_scores_follow_the_formula() -> None:
    fused = fuse(["x", "y"])
    assert [k for k, _ in fused] == ["x", "y"]
    assert fused[0][1] == pytest.approx(1 / 61) and fused[1][1] == pytest.approx(1 / 62)
    assert fuse() == [] and fuse([], []) == []


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def store(tmp_path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "store.sqlite")
    yield s
    s.close()


@pytest.fixture
def filled(store: SqliteStore) -> tuple[SqliteStore, list[int]]:
    add(store, "https://a.example/feed", [make_item(f"k{i}", f"Item {i}") for i in range(3)])
    rows = store.stale_vectors(MODEL)
    vectors = np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(1, 1, 0)])
    store.save_vectors(MODEL, [(i, h, b) for (i, h, _), b in zip(rows, pack(vectors), strict=True)])
    return store, [r[0] for r in rows]


def test_nearest_is_exact_cosine_order(filled) -> None:
    store, ids = filled
    index = VectorIndex(MODEL, 3)
    index.sync(store)
    near = index.nearest(unit(1, 0.1, 0), k=3)
    assert [i for i, _ in near] == [ids[0], ids[2], ids[1]]
    assert near[0][1] == pytest.approx(float(unit(1, 0.1, 0) @ unit(1, 0, 0)), abs=1e-3)
    assert len(index.nearest(unit(1, 0, 0), k=1)) == 1
    assert index.nearest(np.zeros(3, dtype=np.float32), k=3) == []  # a query with no known word


def test_sync_reads_only_new_rows_and_applies_replacements(filled) -> None:
    store, ids = filled
    index = VectorIndex(MODEL, 3)
    index.sync(store)
    assert len(index) == 3
    index.sync(store)  # nothing new: nothing changes
    assert len(index) == 3
    # Item 0 re-embedded pointing elsewhere, and a new item arrives.
    store.save_vectors(MODEL, [(ids[0], "h", pack(unit(0, 0, 1)[None])[0])])
    add(store, "https://b.example/feed", [make_item("n", "New")])
    [(new_id, h, _)] = store.stale_vectors(MODEL, after=max(ids))
    store.save_vectors(MODEL, [(new_id, h, pack(unit(0, 1, 1)[None])[0])])
    index.sync(store)
    assert len(index) == 4
    assert [i for i, _ in index.nearest(unit(0, 0, 1), k=2)] == [ids[0], new_id]


def test_vectors_of_another_model_are_not_read(filled) -> None:
    store, _ = filled
    index = VectorIndex("another-model", 3)
    index.sync(store)
    assert len(index) == 0 and index.nearest(unit(1, 0, 0), k=5) == []


def test_an_item_embedded_twice_between_syncs_keeps_its_latest_vector(filled) -> None:
    store, ids = filled
    index = VectorIndex(MODEL, 3)
    index.sync(store)
    add(store, "https://b.example/feed", [make_item("n", "New")])
    [(new_id, h, _)] = store.stale_vectors(MODEL, after=max(ids))
    for vector in (unit(1, 0, 0), unit(0, 0, 1)):
        store.save_vectors(MODEL, [(new_id, h, pack(vector[None])[0]), (ids[1], h, pack(vector[None])[0])])
    index.sync(store)
    assert len(index) == 4
    assert {i for i, _ in index.nearest(unit(0, 0, 1), k=2)} == {new_id, ids[1]}
