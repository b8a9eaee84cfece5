"""The read-only second connection: change fingerprint, per-month counts and dates, and no writes."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from highsignal.errors import StorageError
from highsignal.parse.feeds import content_hash
from highsignal.records import Item
from highsignal.store import FetchState, SqliteStore
from highsignal.store.readonly import ReadOnlyStore

T0 = datetime(2024, 1, 15, 12, 0, tzinfo=UTC)


def make_item(key: str, published: datetime | None = T0) -> Item:
    item = Item(key=key, guid=key, title=f"Item {key}", text=f"text of {key}", published=published)
    item.content_hash = content_hash(item)
    return item


def add_items(store: SqliteStore, source_id: int, items: list[Item], at: datetime = T0) -> None:
    store.apply_update(FetchState(source_id=source_id, last_fetch=at, status=200), None, items, at)


def item_id(store: SqliteStore, key: str) -> int:
    return store._db.execute("SELECT id FROM items WHERE key = ?", (key,)).fetchone()[0]


@pytest.fixture
def ro(store: SqliteStore, db_path: Path):
    r = ReadOnlyStore(db_path)
    try:
        yield r
    finally:
        r.close()


def test_fingerprint_changes_with_every_write_that_matters(store: SqliteStore, ro: ReadOnlyStore) -> None:
    empty = ro.fingerprint()
    assert isinstance(empty, tuple) and ro.fingerprint() == empty, "stable while nothing changes"

    source, _ = store.add_source("https://example.org/feed.xml", "feed", "Example")
    with_source = ro.fingerprint()
    assert with_source != empty

    add_items(store, source.id, [make_item("a")])
    with_item = ro.fingerprint()
    assert with_item != with_source

    # A fetch that brings nothing new still moves the fingerprint (the source's last fetch).
    add_items(store, source.id, [], at=T0 + timedelta(hours=1))
    fetched = ro.fingerprint()
    assert fetched != with_item

    store.set_rating(item_id(store, "a"), 1, T0 + timedelta(hours=2))
    rated = ro.fingerprint()
    assert rated != fetched

    # Changing a rating (same count) is seen through its time.
    store.set_rating(item_id(store, "a"), -1, T0 + timedelta(hours=3))
    rerated = ro.fingerprint()
    assert rerated != rated

    store.set_read_state(item_id(store, "a"), "read", T0 + timedelta(hours=4))
    read = ro.fingerprint()
    assert read != rerated

    store.save_model("personal", b"weights", T0 + timedelta(hours=5))
    assert ro.fingerprint() != read
    assert ro.fingerprint() == ro.fingerprint()


def test_fingerprint_sees_writes_from_another_connection(db_path: Path, ro: ReadOnlyStore) -> None:
    """What another process (the CLI) writes is seen, not only this process's writes."""
    before = ro.fingerprint()
    other = SqliteStore(db_path)
    try:
        source, _ = other.add_source("https://example.org/other.xml", "feed")
        add_items(other, source.id, [make_item("from-elsewhere")])
    finally:
        other.close()
    assert ro.fingerprint() != before


def test_monthly_counts_and_recent_dates(store: SqliteStore, ro: ReadOnlyStore) -> None:
    source, _ = store.add_source("https://example.org/feed.xml", "feed")
    other, _ = store.add_source("https://example.org/other.xml", "feed")
    jan, feb, apr = T0, datetime(2024, 2, 3, tzinfo=UTC), datetime(2024, 4, 30, 23, 0, tzinfo=UTC)
    add_items(store, source.id, [make_item("j1", jan), make_item("j2", jan + timedelta(days=10))])
    add_items(store, source.id, [make_item("f1", feb), make_item("a1", apr)])
    # No publication date: counted by when it was first seen.
    add_items(store, source.id, [make_item("undated", None)], at=datetime(2024, 5, 2, tzinfo=UTC))
    add_items(store, other.id, [make_item("o1", feb)])

    assert ro.monthly_counts(source.id) == [("2024-01", 2), ("2024-02", 1), ("2024-04", 1), ("2024-05", 1)]
    assert ro.monthly_counts(other.id) == [("2024-02", 1)]
    assert ro.monthly_counts(999) == []

    dates = ro.recent_dates(source.id)
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    assert dates[0] == datetime(2024, 5, 2, tzinfo=UTC) and dates[1] == apr and dates[-1] == jan
    assert ro.recent_dates(source.id, limit=2) == dates[:2]
    assert ro.recent_dates(999) == []


def test_the_read_only_store_refuses_writes(store: SqliteStore, ro: ReadOnlyStore, db_path: Path) -> None:
    store.add_source("https://example.org/feed.xml", "feed")
    before = ro.fingerprint()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro._db.execute("INSERT INTO sources (url, kind) VALUES ('https://example.org/x', 'feed')")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro._db.execute("DELETE FROM sources")
    assert ro.fingerprint() == before
    assert [s.url for s in store.source_names()] == ["https://example.org/feed.xml"]


def test_queries_from_many_threads(store: SqliteStore, ro: ReadOnlyStore) -> None:
    source, _ = store.add_source("https://example.org/feed.xml", "feed")
    add_items(store, source.id, [make_item(f"k{i}", T0 + timedelta(days=i)) for i in range(40)])
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                ro.fingerprint()
                assert sum(n for _, n in ro.monthly_counts(source.id)) == 40
        except BaseException as exc:  # collected, re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_missing_file_is_a_storage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "store.sqlite"
    with pytest.raises(StorageError, match="read-only"):
        ReadOnlyStore(missing)
    assert not missing.exists(), "opening read-only never creates the file"


def test_context_manager_closes(store: SqliteStore, db_path: Path) -> None:
    with ReadOnlyStore(db_path) as r:
        assert r.path == db_path
        r.fingerprint()
    with pytest.raises(sqlite3.ProgrammingError):
        r.fingerprint()
