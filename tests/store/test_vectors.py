"""The store's side of semantic search: which items need a vector, and the vectors kept."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from highsignal.store import SqliteStore
from tests.store.test_sqlite import T0, add, make_item, state

MODEL = "test-model"


def blob(*values: float) -> bytes:
    return np.array(values, dtype=np.float16).tobytes()


def test_new_items_need_vectors_and_the_text_leads_with_the_title(store: SqliteStore) -> None:
    body = "Draft models guess ahead. " + "filler " * 1000
    add(store, "https://a.example/feed", [make_item("k1", "Speculative decoding", body)])
    [(item_id, content_hash, text)] = store.stale_vectors(MODEL)
    assert text.startswith("Speculative decoding\n") and "Draft models guess ahead." in text
    assert len(text) < len(body)  # the body's tail is left out
    assert store.count_stale_vectors(MODEL) == 1
    store.save_vectors(MODEL, [(item_id, content_hash, blob(1, 0))])
    assert store.stale_vectors(MODEL) == [] and store.count_stale_vectors(MODEL) == 0


def test_changed_content_or_another_model_makes_a_vector_stale(store: SqliteStore) -> None:
    sid = add(store, "https://a.example/feed", [make_item("k1", "First title", "body")])
    [(item_id, content_hash, _)] = store.stale_vectors(MODEL)
    store.save_vectors(MODEL, [(item_id, content_hash, blob(1, 0))])
    assert store.count_stale_vectors("other-model") == 1
    store.apply_update(
        state(sid, last_fetch=T0 + timedelta(hours=1)), None, [make_item("k1", "Second title", "body")], T0
    )
    [(same_id, new_hash, text)] = store.stale_vectors(MODEL)
    assert same_id == item_id and new_hash != content_hash and text.startswith("Second title")


def test_a_replaced_vector_gets_a_newer_row_and_old_rows_are_gone(store: SqliteStore) -> None:
    add(store, "https://a.example/feed", [make_item("k1", "One"), make_item("k2", "Two")])
    rows = store.stale_vectors(MODEL)
    store.save_vectors(MODEL, [(i, h, blob(1, 0)) for i, h, _ in rows])
    first_last = store.last_vector_row()
    store.save_vectors(MODEL, [(rows[0][0], rows[0][1], blob(0, 1))])
    assert store.last_vector_row() > first_last
    newer = store.vectors(MODEL, after=first_last)
    assert [(r[1], np.frombuffer(r[2], dtype=np.float16).tolist()) for r in newer] == [(rows[0][0], [0.0, 1.0])]
    assert len(store.vectors(MODEL)) == 2  # one row per item, whatever was replaced


def test_removing_a_source_removes_its_vectors(store: SqliteStore) -> None:
    sid = add(store, "https://a.example/feed", [make_item("k1", "One")])
    [(i, h, _)] = store.stale_vectors(MODEL)
    store.save_vectors(MODEL, [(i, h, blob(1, 0))])
    store.remove_source(sid)
    assert store.vectors(MODEL) == []


def test_filters_and_hits_for_semantic_results(store: SqliteStore) -> None:
    a = add(store, "https://a.example/feed", [make_item("k1", "Old post", "x", published=T0 - timedelta(days=30))])
    add(store, "https://b.example/feed", [make_item("k2", "New post", "A summary that stands in for a snippet.")])
    ids = sorted(store.item_ids(a).values()) + sorted(store.item_ids(a + 1).values())
    assert store.filter_items(ids, source_id=a) == {ids[0]}
    assert store.filter_items(ids, since=T0 - timedelta(days=1)) == {ids[1]}
    assert store.filter_items(ids, until=T0 - timedelta(days=1)) == {ids[0]}
    hits = store.search_hits([ids[1], 999_999, ids[0]])
    assert [h.item_id for h in hits] == [ids[1], ids[0]]  # order kept, a missing id dropped
    assert hits[0].title == "New post" and hits[0].snippet.startswith("A summary that stands in")
