"""``story_keys``: the rows story clustering reads, with useless keys left in the database."""

from __future__ import annotations

from datetime import timedelta

from highsignal.records import Relation
from highsignal.store import SqliteStore

from .test_sqlite import T0, add, make_item


def _relate(store: SqliteStore, keys: dict[int, list[str]]) -> None:
    store.save_relations([(i, Relation("v", "h", keys=k, topics=[])) for i, k in keys.items()])


def _ids(store: SqliteStore) -> dict[str, int]:
    return {key: item_id for key, item_id in store._db.execute("SELECT key, id FROM items")}


def test_only_keys_that_can_link_within_the_window(store: SqliteStore) -> None:
    add(store, "https://a.example/feed", [make_item("a1", "A one"), make_item("a2", "A two")])
    old = make_item("old", "Old", published=T0 - timedelta(days=200))
    add(store, "https://b.example/feed", [make_item("b1", "B one"), old])
    add(store, "https://c.example/feed", [make_item(f"c{n}", f"C {n}") for n in range(5)])
    ids = _ids(store)
    _relate(
        store,
        {
            ids["a1"]: ["a:hf:org/model", "e:llama 3", "l:https://example.org", "m0:abc", "t:a one"],
            ids["a2"]: ["m0:zzz"],  # a band no one else has
            ids["b1"]: ["a:hf:org/model", "l:https://example.org", "m0:abc"],
            ids["old"]: ["e:llama 3"],  # outside the window
            **{ids[f"c{n}"]: ["e:gpt"] for n in range(5)},  # too many holders
        },
    )
    ids_a = [ids["a1"], ids["a2"], ids["c0"]]
    rows = store.story_keys(ids_a, T0 - timedelta(days=30), most=4)
    got = sorted((key, item_id) for key, item_id, _, _ in rows)
    assert got == sorted(
        [("a:hf:org/model", ids["a1"]), ("a:hf:org/model", ids["b1"]), ("m0:abc", ids["a1"]), ("m0:abc", ids["b1"])]
    )
    # Without a window the old item's model name links too; a higher ceiling lets the common one through.
    rows = store.story_keys(ids_a, None, most=5)
    keys = {key for key, _, _, _ in rows}
    assert keys == {"a:hf:org/model", "m0:abc", "e:llama 3", "e:gpt"}
    sources = {item_id: source_id for _, item_id, source_id, _ in rows}
    assert sources[ids["a1"]] != sources[ids["b1"]]
    assert all(when == T0 for _, item_id, _, when in rows if item_id != ids["old"])


def test_any_number_of_items(store: SqliteStore) -> None:
    # More ids than SQLite binds in one statement.
    items = [make_item(f"k{n}", f"Item {n}") for n in range(1200)]
    add(store, "https://many.example/feed", items)
    ids = sorted(_ids(store).values())
    _relate(store, {i: [f"e:model {n // 2}"] for n, i in enumerate(ids)})
    rows = store.story_keys(ids, None, most=40)
    assert len(rows) == 1200
    assert store.story_keys([], None, most=40) == []
