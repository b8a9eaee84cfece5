"""The SQLite store: schema, pragmas, cascades, FTS sync, search and atomic updates."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import highsignal
from highsignal.errors import SourceNotFoundError, StorageError
from highsignal.parse.feeds import content_hash
from highsignal.records import FeedMeta, Item
from highsignal.store import FetchState, SqliteStore
from highsignal.store.sqlite import SCHEMA_VERSION

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_item(key: str, title: str, text: str = "", published: datetime | None = T0, **kw: object) -> Item:
    item = Item(key=key, guid=key, title=title, text=text, summary=text[:80] or None, published=published, **kw)
    item.content_hash = content_hash(item)
    return item


def state(source_id: int, **kw: object) -> FetchState:
    return FetchState(source_id=source_id, last_fetch=kw.pop("last_fetch", T0), status=200, **kw)  # type: ignore[arg-type]


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def fts_rows(store: SqliteStore) -> int:
    """Documents in the FTS index (one docsize row per indexed item)."""
    return store._db.execute("SELECT count(*) FROM items_fts_docsize").fetchone()[0]


def fts_check(store: SqliteStore) -> None:
    """FTS5's own check that the index matches the items table (raises if not)."""
    store._db.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)")


def add(store: SqliteStore, url: str, items: list[Item], **st: object) -> int:
    src, created = store.add_source(url, "feed")
    assert created
    store.apply_update(state(src.id, **st), FeedMeta(title=url), items, T0)
    return src.id


# -- schema ------------------------------------------------------------------------


def test_schema_version_table(store: SqliteStore, db_path: Path) -> None:
    assert SCHEMA_VERSION == 5
    assert store.schema_version == 5
    with raw(db_path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)
        ]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    assert {"sources", "items", "items_fts", "schema_version", "items_ai", "items_ad", "items_au"} <= tables
    assert {"assessments", "labels", "judgements"} <= tables
    assert {"relations", "item_keys", "ratings", "read_states", "models"} <= tables
    assert {"passages", "passages_fts", "passages_ai", "passages_ad", "attachments"} <= tables


def test_an_older_database_upgrades_and_keeps_its_items(db_path: Path, monkeypatch) -> None:
    import highsignal.store.sqlite as sqlite_module
    from highsignal.store import codec

    # A version-2 file, written with the SQL of that time (today's queries name newer columns).
    monkeypatch.setattr(sqlite_module, "SCHEMA_VERSION", 2)
    SqliteStore(db_path).close()
    with raw(db_path) as db:
        db.execute(
            "INSERT INTO sources (id, url, kind, added) VALUES (1, 'https://a.example/feed', 'feed', ?)",
            (T0.isoformat(),),
        )
        item = make_item("k1", "Hello world")
        db.execute(
            """INSERT INTO items (source_id, key, title, first_seen, last_updated, content_hash, text, data)
               VALUES (1, 'k1', ?, ?, ?, ?, ?, ?)""",
            (item.title, T0.isoformat(), T0.isoformat(), item.content_hash, item.text, codec.item_blob(item)),
        )
    monkeypatch.undo()
    new = SqliteStore(db_path)
    assert new.schema_version == SCHEMA_VERSION
    assert new.stale_vectors("any-model") != [] and new.vectors("any-model") == []
    assert [i.item.key for i in new.items(source_id=1)] == ["k1"]
    assert new.ratings() == {} and new.candidates()[0].topics == []
    assert new.source(1).feed_format is None and new.passages(1) == (None, [])
    assert len(new.search("hello")) == 1
    new.close()


def test_reopen_is_idempotent(db_path: Path) -> None:
    s = SqliteStore(db_path)
    sid = add(s, "https://a.example/feed", [make_item("k1", "Hello world")])
    s.close()
    for _ in range(3):
        s = SqliteStore(db_path)
        assert s.schema_version == SCHEMA_VERSION
        assert [x.id for x in s.sources()] == [sid]
        assert s.count_items() == 1
        assert len(s.search("hello")) == 1
        s.close()
    with raw(db_path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)
        ]


def test_newer_schema_version_refused(db_path: Path) -> None:
    SqliteStore(db_path).close()
    with raw(db_path) as db:
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StorageError) as info:
        SqliteStore(db_path)
    msg = str(info.value)
    assert str(db_path) in msg
    assert str(SCHEMA_VERSION + 1) in msg and "upgrade" in msg
    with pytest.raises(StorageError):
        highsignal.open(db_path)
    with raw(db_path) as db:
        assert db.execute("SELECT max(version) FROM schema_version").fetchone() == (SCHEMA_VERSION + 1,)


@pytest.mark.parametrize(
    "content",
    [b"this is plainly not a database\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4080],
    ids=["text", "bad-header"],
)
def test_non_sqlite_file_refused(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(StorageError) as info:
        SqliteStore(db_path)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == content, "the file is left untouched"


def test_directory_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        SqliteStore(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_foreign_sqlite_database_refused(db_path: Path) -> None:
    with raw(db_path) as db:
        db.execute("CREATE TABLE sources (name TEXT)")
        db.execute("INSERT INTO sources VALUES ('someone else''s data')")
    with pytest.raises(StorageError) as info:
        SqliteStore(db_path)
    assert str(db_path) in str(info.value)
    with raw(db_path) as db:
        assert db.execute("SELECT * FROM sources").fetchall() == [("someone else's data",)]


def test_wal_and_foreign_keys(store: SqliteStore, db_path: Path) -> None:
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with raw(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "WAL persists in the file"
    with pytest.raises(sqlite3.IntegrityError):
        store._db.execute(
            "INSERT INTO items (source_id, key, first_seen, last_updated, content_hash, data) "
            "VALUES (999, 'k', 'x', 'x', 'h', x'7b7d')"
        )


def test_concurrent_first_open(db_path: Path) -> None:
    # Hold the write lock so both openers read "version 0" and then queue for the lock.
    with raw(db_path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    holder = raw(db_path)
    holder.execute("BEGIN IMMEDIATE")
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            SqliteStore(db_path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    holder.execute("ROLLBACK")
    holder.close()
    for t in threads:
        t.join(15)
    assert errors == []
    with raw(db_path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)
        ]


# -- sources and cascades ---------------------------------------------------------------


def test_add_source_twice_returns_existing(store: SqliteStore) -> None:
    a, created = store.add_source("https://a.example/feed", "feed", "A")
    b, again = store.add_source("https://a.example/feed", "feed", "other title")
    assert created and not again
    assert a.id == b.id and b.title == "A"
    assert len(store.sources()) == 1


def test_remove_source_cascades_items_and_fts(store: SqliteStore) -> None:
    keep = add(store, "https://keep.example/feed", [make_item(f"k{i}", f"Keeper {i}", "ordinary") for i in range(3)])
    drop = add(
        store, "https://drop.example/feed", [make_item(f"d{i}", f"Dropped {i}", "zanzibar quokka") for i in range(4)]
    )
    assert store.count_items() == 7 and fts_rows(store) == 7
    assert len(store.search("zanzibar")) == 4

    store.remove_source(drop)
    assert store.count_items() == 3
    assert fts_rows(store) == 3
    assert store.search("zanzibar") == []
    assert store.search("quokka OR dropped") == []
    assert [s.id for s in store.sources()] == [keep]
    assert store.items(source_id=drop) == []
    fts_check(store)
    assert store.integrity_check() == "ok"
    with pytest.raises(SourceNotFoundError):
        store.remove_source(drop)


# -- FTS sync -------------------------------------------------------------------------


def test_fts_in_sync_after_insert_update_delete(store: SqliteStore) -> None:
    src, _ = store.add_source("https://a.example/feed", "feed")
    counts = store.apply_update(state(src.id), None, [make_item("k1", "Alpha release", "walrus tusks")], T0)
    assert (counts.new, counts.updated, counts.unchanged) == (1, 0, 0)
    assert [h.title for h in store.search("walrus")] == ["Alpha release"]
    fts_check(store)

    later = T0 + timedelta(hours=1)
    counts = store.apply_update(state(src.id), None, [make_item("k1", "Beta release", "narwhal horns")], later)
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 0)
    assert store.search("walrus") == [], "old words no longer match"
    assert store.search("alpha") == []
    assert [h.title for h in store.search("narwhal")] == ["Beta release"]
    assert [h.title for h in store.search("beta")] == ["Beta release"]
    assert fts_rows(store) == 1
    fts_check(store)

    counts = store.apply_update(state(src.id), None, [make_item("k1", "Beta release", "narwhal horns")], later)
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)

    store._db.execute("DELETE FROM items WHERE key = 'k1'")
    assert store.search("narwhal") == []
    assert fts_rows(store) == 0
    fts_check(store)


def test_updated_item_keeps_first_seen_and_id(store: SqliteStore) -> None:
    src, _ = store.add_source("https://a.example/feed", "feed")
    store.apply_update(state(src.id), None, [make_item("k1", "v1", "one")], T0)
    (before,) = store.items()
    store.apply_update(state(src.id), None, [make_item("k1", "v2", "two")], T0 + timedelta(days=1))
    (after,) = store.items()
    assert after.id == before.id
    assert after.first_seen == before.first_seen == T0
    assert after.item.title == "v2" and after.item.text == "two"


def test_stored_item_round_trips(store: SqliteStore) -> None:
    item = make_item("k1", "Title", "plain text", categories=["ml", "nlp"], authors=["Ada"], html="<p>plain text</p>")
    sid = add(store, "https://a.example/feed", [item])
    (stored,) = store.items(source_id=sid)
    got = stored.item
    assert (got.key, got.title, got.text, got.html) == ("k1", "Title", "plain text", "<p>plain text</p>")
    assert got.categories == ["ml", "nlp"] and got.authors == ["Ada"]
    assert got.published == T0
    assert got.content_hash == item.content_hash
    assert stored.source_title == "https://a.example/feed"


# -- search ---------------------------------------------------------------------------


def test_title_match_ranks_above_body_match(store: SqliteStore) -> None:
    # Inserted body-first so insertion order cannot explain the ranking.
    items = [
        make_item("body", "Weekly notes", "a long digest that mentions mamba once among many other words"),
        make_item("title", "Mamba explained", "a long digest about state space models among many other words"),
    ]
    add(store, "https://a.example/feed", items)
    hits = store.search("mamba")
    assert [h.title for h in hits] == ["Mamba explained", "Weekly notes"]
    assert hits[0].score > hits[1].score
    assert "\x02" in hits[1].snippet and "\x03" in hits[1].snippet


@pytest.mark.parametrize(
    "query",
    ['gpt-4 "unbalanced', "gpt-4", '"gpt-4', 'gpt-4 unbalanced"', "(gpt-4", "gpt-4)", "GPT-4:", "gpt-4, unbalanced!"],
)
def test_search_syntax_errors_fall_back_to_quoted_terms(store: SqliteStore, query: str) -> None:
    add(
        store,
        "https://a.example/feed",
        [
            make_item("hit", "Benchmarks", "the gpt-4 results look unbalanced across tasks"),
            make_item("miss", "Other", "nothing relevant here at all"),
        ],
    )
    hits = store.search(query)
    assert [h.title for h in hits] == ["Benchmarks"]


@pytest.mark.parametrize("query", ['"', "*", "AND", "OR", "(", ")", "^", "+", "NEAR(", "a:b", "'", "", "   ", "-"])
def test_search_never_raises_on_junk(store: SqliteStore, query: str) -> None:
    add(store, "https://a.example/feed", [make_item("k", "Something", "and or near not text")])
    assert isinstance(store.search(query), list)


def test_search_prefix_and_stemming(store: SqliteStore) -> None:
    add(store, "https://a.example/feed", [make_item("k", "Training transformers", "we trained models")])
    assert len(store.search("transform*")) == 1
    assert len(store.search("train")) == 1  # porter: training/trained -> train


def test_search_filters_by_source_and_dates(store: SqliteStore) -> None:
    def items(prefix: str) -> list[Item]:
        return [
            make_item(f"{prefix}{d}", f"{prefix} day {d}", "kraken sighting", published=T0 + timedelta(days=d))
            for d in range(5)
        ]

    a = add(store, "https://a.example/feed", items("a"))
    b = add(store, "https://b.example/feed", items("b"))
    assert len(store.search("kraken")) == 10
    assert {h.source_id for h in store.search("kraken", source_id=a)} == {a}
    assert len(store.search("kraken", source_id=b)) == 5

    since, until = T0 + timedelta(days=1), T0 + timedelta(days=3)
    hits = store.search("kraken", since=since, until=until)
    assert sorted(h.title for h in hits) == ["a day 1", "a day 2", "b day 1", "b day 2"]
    assert all(h.published is not None and since <= h.published < until for h in hits)
    hits = store.search("kraken", source_id=b, since=T0 + timedelta(days=4))
    assert [h.title for h in hits] == ["b day 4"]
    assert len(store.search("kraken", limit=3)) == 3

    assert len(store.items(since=since)) == 8
    assert [s.item.title for s in store.items(source_id=a, since=T0 + timedelta(days=3))] == ["a day 4", "a day 3"]
    assert len(store.items(limit=2)) == 2


def test_search_dates_compare_across_timezones(store: SqliteStore) -> None:
    from datetime import timezone

    tz = timezone(timedelta(hours=-8))
    add(
        store,
        "https://a.example/feed",
        [make_item("k", "Late", "owl", published=datetime(2024, 3, 1, 20, 0, tzinfo=tz))],
    )
    # 20:00 at UTC-8 is 04:00 UTC on 2 March.
    assert len(store.search("owl", since=datetime(2024, 3, 2, 3, 0, tzinfo=UTC))) == 1
    assert store.search("owl", until=datetime(2024, 3, 2, 3, 0, tzinfo=UTC)) == []


# -- atomic updates ------------------------------------------------------------------------


def snapshot(path: Path) -> tuple:
    with raw(path) as db:
        return (
            db.execute("SELECT * FROM sources ORDER BY id").fetchall(),
            db.execute("SELECT * FROM items ORDER BY id").fetchall(),
            db.execute("SELECT count(*) FROM items_fts_docsize").fetchone(),
        )


def test_apply_update_rolls_back_when_an_item_cannot_be_encoded(store: SqliteStore, db_path: Path) -> None:
    sid = add(store, "https://a.example/feed", [make_item("k1", "Original", "first words")], etag='"v1"')
    before = snapshot(db_path)

    bad = make_item("k3", "Broken", "never stored")
    bad.categories = [object()]  # type: ignore[list-item]  # orjson cannot encode this
    items = [make_item("k1", "Changed", "changed words"), make_item("k2", "New", "new words"), bad]
    with pytest.raises(TypeError):
        store.apply_update(state(sid, etag='"v2"', last_fetch=T0 + timedelta(hours=1)), None, items, T0)

    assert snapshot(db_path) == before
    src = store.source(sid)
    assert src.etag == '"v1"' and src.last_fetch == T0
    assert [s.item.title for s in store.items()] == ["Original"]
    assert store.search("changed") == [] and len(store.search("first")) == 1
    assert store._db.in_transaction is False
    fts_check(store)
    # The store is still usable afterwards.
    store.apply_update(state(sid), None, [make_item("k2", "New", "new words")], T0)
    assert store.count_items() == 2


class _FailingExecutemany:
    """Wraps a connection; executemany fails as a full disk or I/O error would."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def executemany(self, *args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)


def test_apply_update_rolls_back_when_insert_fails(store: SqliteStore, db_path: Path) -> None:
    sid = add(store, "https://a.example/feed", [make_item("k1", "Original", "first words")], etag='"v1"')
    other = add(store, "https://b.example/feed", [make_item("o1", "Other", "other words")])
    before = snapshot(db_path)

    real = store._db
    store._db = _FailingExecutemany(real)  # type: ignore[assignment]
    try:
        items = [make_item("k1", "Changed", "changed words"), make_item("k2", "New", "new words")]
        meta = FeedMeta(title="New title", link="https://a.example/", is_podcast=True)
        with pytest.raises(sqlite3.OperationalError, match="simulated"):
            store.apply_update(state(sid, etag='"v2"', error_streak=0), meta, items, T0 + timedelta(hours=1))
    finally:
        store._db = real

    assert snapshot(db_path) == before, "the state, meta and the in-place UPDATE were all rolled back"
    assert real.in_transaction is False
    assert store.source(sid).etag == '"v1"' and store.source(sid).kind == "feed"
    assert {s.item.title for s in store.items()} == {"Original", "Other"}
    assert store.source(other).item_count == 1
    fts_check(store)


def test_failed_update_leaves_other_writers_unblocked(store: SqliteStore, db_path: Path) -> None:
    sid = add(store, "https://a.example/feed", [])
    bad = make_item("x", "Broken")
    bad.categories = [object()]  # type: ignore[list-item]
    with pytest.raises(TypeError):
        store.apply_update(state(sid), None, [bad], T0)
    with raw(db_path) as db:
        db.execute("PRAGMA busy_timeout = 200")
        db.execute("BEGIN IMMEDIATE")  # would time out if the failed transaction still held the lock
        db.execute("ROLLBACK")


def test_save_fetch_states_is_one_transaction(
    store: SqliteStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = add(store, "https://a.example/feed", [])
    b = add(store, "https://b.example/feed", [])
    before = snapshot(db_path)
    real_write = store._write_state
    calls = []

    def failing_second_write(st):  # the second state's write dies mid-transaction
        calls.append(st.source_id)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real_write(st)

    monkeypatch.setattr(store, "_write_state", failing_second_write)
    with pytest.raises(sqlite3.OperationalError):
        store.save_fetch_states([state(a, error="HTTP 500", error_streak=1), state(b, error="HTTP 404")])
    assert calls == [a, b]
    assert snapshot(db_path) == before


def test_moving_onto_a_subscribed_url_keeps_the_old_url(store: SqliteStore) -> None:
    a = add(store, "https://a.example/feed", [])
    b = add(store, "https://b.example/feed", [])
    store.save_fetch_states([state(b, new_url="https://a.example/feed")])
    assert store.source(b).url == "https://b.example/feed"
    assert store.source(a).url == "https://a.example/feed"
