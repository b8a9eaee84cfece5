"""The default store: one SQLite file.

WAL journaling so readers never block the refresh writer, foreign keys so a
removed source takes its items along, and one transaction per source update
so a crash never leaves half a feed. The FTS5 index is an external-content
table kept in sync by triggers: every write path updates it, whoever writes.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from highsignal.errors import ItemNotFoundError, SourceNotFoundError, StorageError
from highsignal.records import (
    Assessment,
    Attachment,
    Candidate,
    Chapter,
    FeedMeta,
    Item,
    PassageHit,
    Relation,
    SearchHit,
    Source,
    StoredItem,
    TranscriptSegment,
)
from highsignal.store import codec
from highsignal.store.base import FetchState, UpdateCounts

SCHEMA_VERSION = 5

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'feed',
        title TEXT,
        site_url TEXT,
        declared_kind TEXT,
        added TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_fetch TEXT,
        last_status INTEGER,
        last_error TEXT,
        error_streak INTEGER NOT NULL DEFAULT 0,
        next_fetch TEXT,
        gone INTEGER NOT NULL DEFAULT 0,
        content_hash TEXT,
        meta BLOB
    );
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        title TEXT,
        url TEXT,
        published TEXT,
        first_seen TEXT NOT NULL,
        last_updated TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        summary TEXT,
        text TEXT NOT NULL DEFAULT '',
        html TEXT,
        data BLOB NOT NULL,
        UNIQUE (source_id, key)
    );
    CREATE INDEX items_published ON items (published);
    CREATE INDEX items_source_published ON items (source_id, published);
    CREATE VIRTUAL TABLE items_fts USING fts5 (
        title, summary, text,
        content = 'items', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
        INSERT INTO items_fts (rowid, title, summary, text)
        VALUES (new.id, new.title, new.summary, new.text);
    END;
    CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
        INSERT INTO items_fts (items_fts, rowid, title, summary, text)
        VALUES ('delete', old.id, old.title, old.summary, old.text);
    END;
    CREATE TRIGGER items_au AFTER UPDATE OF title, summary, text ON items BEGIN
        INSERT INTO items_fts (items_fts, rowid, title, summary, text)
        VALUES ('delete', old.id, old.title, old.summary, old.text);
        INSERT INTO items_fts (rowid, title, summary, text)
        VALUES (new.id, new.title, new.summary, new.text);
    END;
    """,
    2: """
    CREATE TABLE assessments (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        rubric_version TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        score INTEGER NOT NULL,
        grade TEXT NOT NULL,
        data BLOB NOT NULL,
        assessed_at TEXT NOT NULL
    );
    CREATE INDEX assessments_score ON assessments (score);
    CREATE TABLE labels (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        grade TEXT NOT NULL CHECK (grade IN ('high', 'medium', 'low')),
        labelled_at TEXT NOT NULL
    );
    CREATE TABLE judgements (
        content_hash TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        model TEXT NOT NULL,
        data BLOB NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (content_hash, rubric_version, model)
    );
    """,
    3: """
    CREATE TABLE relations (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        topics BLOB NOT NULL,
        minhash BLOB,
        features BLOB
    );
    CREATE TABLE item_keys (
        key TEXT NOT NULL,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        PRIMARY KEY (key, item_id)
    ) WITHOUT ROWID;
    CREATE INDEX item_keys_item ON item_keys (item_id);
    CREATE INDEX items_first_seen ON items (first_seen);
    CREATE TABLE ratings (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        rated_at TEXT NOT NULL
    );
    CREATE TABLE read_states (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('read', 'skipped')),
        at TEXT NOT NULL
    );
    CREATE TABLE models (
        name TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        updated TEXT NOT NULL
    );
    """,
    # Transcripts are kept as timestamped passages outside the item blob: a feed
    # update rewrites the blob, and a transcript fetched once must survive that.
    4: """
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        start REAL,
        end REAL,
        speaker TEXT,
        text TEXT NOT NULL
    );
    CREATE INDEX passages_item ON passages (item_id, start);
    CREATE VIRTUAL TABLE passages_fts USING fts5 (
        speaker, text,
        content = 'passages', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts (rowid, speaker, text) VALUES (new.id, new.speaker, new.text);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts (passages_fts, rowid, speaker, text) VALUES ('delete', old.id, old.speaker, old.text);
    END;
    CREATE TABLE attachments (
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('chapters', 'transcript')),
        url TEXT NOT NULL,
        fetched TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        format TEXT,
        error TEXT,
        data BLOB,
        PRIMARY KEY (item_id, kind)
    );
    ALTER TABLE sources ADD COLUMN feed_format TEXT;
    ALTER TABLE sources ADD COLUMN content_type TEXT;
    """,
    # Semantic search: one vector per item under the model that made it. The
    # row id grows with every write (a re-embedded item gets a new row), so an
    # index held in memory catches up by reading the rows past the last it saw.
    5: """
    CREATE TABLE vectors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    """,
}

#: How much of an item's body goes into its vector, after the title and summary.
VECTOR_TEXT_CHARS = 2000

_SOURCE_COLUMNS = (
    "id, url, kind, title, site_url, declared_kind, added, etag, last_modified, last_fetch, "
    "last_status, last_error, error_streak, next_fetch, gone, content_hash, meta, feed_format, content_type, "
    "(SELECT count(*) FROM items WHERE items.source_id = sources.id)"
)
_ITEM_COLUMNS = (
    "items.id, items.source_id, sources.title, items.first_seen, items.published, "
    "items.summary, items.text, items.html, items.data"
)


def _iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat() if dt else None


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _source(row: Sequence) -> Source:
    return Source(
        id=row[0],
        url=row[1],
        kind=row[2],
        title=row[3],
        site_url=row[4],
        declared_kind=row[5],
        added=_dt(row[6]),
        etag=row[7],
        last_modified=row[8],
        last_fetch=_dt(row[9]),
        last_status=row[10],
        last_error=row[11],
        error_streak=row[12],
        next_fetch=_dt(row[13]),
        gone=bool(row[14]),
        content_hash=row[15],
        meta=codec.meta_from_json(row[16]),
        feed_format=row[17],
        content_type=row[18],
        item_count=row[19],
    )


def _stored(row: Sequence) -> StoredItem:
    item = codec.item_from_json(row[8], text=row[6] or "", summary=row[5])
    item.html = row[7]
    item.published = _dt(row[4])
    return StoredItem(
        id=row[0],
        source_id=row[1],
        source_title=row[2],
        first_seen=_dt(row[3]) or datetime.now(UTC),
        item=item,
    )


# Title matches count most, then the summary, then the body text.
_BM25_WEIGHTS = "5.0, 2.0, 1.0"


def _quote_terms(query: str) -> str:
    """A query FTS5 always accepts: every word quoted, implicitly ANDed."""
    words = re.findall(r"[\w][\w.'-]*", query, re.UNICODE)
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


class SqliteStore:
    """The SQLite implementation of the storage interface."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        db = self._db
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA cache_size = -65536")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StorageError(f"{self.path} is not a highsignal database: {exc}") from exc
        except StorageError:
            db.close()
            raise

    # -- schema --------------------------------------------------------------

    def _migrate(self) -> None:
        db = self._db
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        # Read the version inside the write lock: two processes opening a new
        # database at once must not both run the same migration.
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
            if current > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path} has schema version {current}; this highsignal knows up to "
                    f"{SCHEMA_VERSION}: upgrade highsignal"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _split_sql(_MIGRATIONS[version]):
                    db.execute(statement)
                db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return self._db.execute("SELECT max(version) FROM schema_version").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    # -- sources -------------------------------------------------------------

    def add_source(self, url: str, kind: str, title: str | None = None) -> tuple[Source, bool]:
        """Insert a source; return it and whether it was new."""
        existing = self.find_source(url)
        if existing is not None:
            return existing, False
        now = _iso(datetime.now(UTC))
        cur = self._db.execute(
            "INSERT INTO sources (url, kind, title, added) VALUES (?, ?, ?, ?)", (url, kind, title, now)
        )
        return self.source(cur.lastrowid), True

    def find_source(self, url: str) -> Source | None:
        row = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = ?", (url,)).fetchone()
        return _source(row) if row else None

    def source(self, source_id: int) -> Source:
        row = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise SourceNotFoundError(f"no source with id {source_id}")
        return _source(row)

    def sources(self) -> list[Source]:
        rows = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id").fetchall()
        return [_source(r) for r in rows]

    def source_names(self) -> list[Source]:
        """Every source with only its id, URLs, title and kinds: cheap enough to read per digest."""
        rows = self._db.execute("SELECT id, url, kind, title, site_url, declared_kind FROM sources ORDER BY id")
        return [Source(i, url, kind, title, site, declared) for i, url, kind, title, site, declared in rows]

    def remove_source(self, source_id: int) -> None:
        with self._transaction():
            cur = self._db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        if cur.rowcount == 0:
            raise SourceNotFoundError(f"no source with id {source_id}")

    def set_source_fields(self, source_id: int, **fields: object) -> None:
        allowed = {"title", "declared_kind", "kind", "url", "site_url"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"cannot set {', '.join(sorted(bad))}")
        assignments = ", ".join(f"{k} = ?" for k in fields)
        self._db.execute(f"UPDATE sources SET {assignments} WHERE id = ?", (*fields.values(), source_id))

    def save_fetch_states(self, states: Iterable[FetchState]) -> None:
        """Record fetch outcomes that carried no new content (304s, errors) in one go."""
        with self._transaction():
            for st in states:
                self._write_state(st)

    def _write_state(self, st: FetchState) -> None:
        if st.new_url and self._url_taken(st.new_url, st.source_id):
            st.new_url = None  # another subscription already has that URL
        self._db.execute(
            """UPDATE sources SET etag = ?, last_modified = ?, last_fetch = ?, last_status = ?,
               last_error = ?, error_streak = ?, next_fetch = ?, gone = ?,
               content_hash = coalesce(?, content_hash), url = coalesce(?, url),
               feed_format = coalesce(?, feed_format), content_type = coalesce(?, content_type)
               WHERE id = ?""",
            (
                st.etag,
                st.last_modified,
                _iso(st.last_fetch),
                st.status,
                st.error,
                st.error_streak,
                _iso(st.next_fetch),
                int(st.gone),
                st.content_hash,
                st.new_url,
                st.feed_format,
                st.content_type,
                st.source_id,
            ),
        )

    # -- items ---------------------------------------------------------------

    def apply_update(
        self,
        state: FetchState,
        meta: FeedMeta | None,
        items: Sequence[Item],
        now: datetime,
        kind: str | None = None,
    ) -> UpdateCounts:
        """Store one source's fetch outcome and parsed items in a single transaction.

        New items are inserted, changed ones (same key, new content hash)
        replaced, unchanged ones cost no write.
        """
        counts = UpdateCounts()
        db = self._db
        now_s = _iso(now)
        with self._transaction():
            self._write_state(state)
            if meta is not None:
                db.execute(
                    """UPDATE sources SET meta = ?, title = coalesce(title, ?),
                       site_url = coalesce(?, site_url), kind = coalesce(?, kind) WHERE id = ?""",
                    (codec.dumps(meta), meta.title, meta.link, kind, state.source_id),
                )
            known = dict(
                (k, (i, h))
                for k, i, h in db.execute(
                    "SELECT key, id, content_hash FROM items WHERE source_id = ?", (state.source_id,)
                )
            )
            inserts = []
            for item in items:
                prev = known.get(item.key)
                if prev is not None and prev[1] == item.content_hash:
                    counts.unchanged += 1
                    continue
                # A summary that merely repeats the start of the text stays out of the
                # summary column (and so out of the index, where it would double the
                # work and skew bm25); the blob records only its length.
                summary = item.summary
                if summary and item.text.startswith(summary):
                    summary = None
                    blob = codec.item_blob(item, summary_len=len(item.summary or ""))
                else:
                    blob = codec.item_blob(item)
                if prev is None:
                    inserts.append(
                        (
                            state.source_id,
                            item.key,
                            item.title,
                            item.url,
                            _iso(item.published) or now_s,
                            now_s,
                            now_s,
                            item.content_hash,
                            summary,
                            item.text,
                            item.html,
                            blob,
                        )
                    )
                    known[item.key] = (0, item.content_hash)
                    counts.new += 1
                else:
                    db.execute(
                        """UPDATE items SET title = ?, url = ?, published = coalesce(?, published),
                           last_updated = ?, content_hash = ?, summary = ?, text = ?, html = ?,
                           data = ? WHERE id = ?""",
                        (
                            item.title,
                            item.url,
                            _iso(item.published),
                            now_s,
                            item.content_hash,
                            summary,
                            item.text,
                            item.html,
                            blob,
                            prev[0],
                        ),
                    )
                    counts.updated += 1
            if inserts:
                db.executemany(
                    """INSERT INTO items (source_id, key, title, url, published, first_seen,
                       last_updated, content_hash, summary, text, html, data)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    inserts,
                )
        return counts

    def _url_taken(self, url: str, source_id: int) -> bool:
        row = self._db.execute("SELECT id FROM sources WHERE url = ? AND id != ?", (url, source_id)).fetchone()
        return row is not None

    def items(
        self,
        source_id: int | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[StoredItem]:
        where, args = [], []
        if source_id is not None:
            where.append("items.source_id = ?")
            args.append(source_id)
        if since is not None:
            where.append("items.published >= ?")
            args.append(_iso(since))
        sql = f"SELECT {_ITEM_COLUMNS} FROM items JOIN sources ON sources.id = items.source_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY items.published DESC, items.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [_stored(r) for r in self._db.execute(sql, args)]

    def item(self, item_id: int) -> StoredItem:
        row = self._db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM items JOIN sources ON sources.id = items.source_id WHERE items.id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            raise ItemNotFoundError(f"no item with id {item_id}")
        return _stored(row)

    def find_item(self, ref: str) -> StoredItem:
        """An item by numeric id, feed id (guid) or URL."""
        if ref.isdigit():
            return self.item(int(ref))
        row = self._db.execute(
            "SELECT id FROM items WHERE key = ? OR url = ? ORDER BY id LIMIT 1", (ref, ref)
        ).fetchone()
        if row is None:
            raise ItemNotFoundError(f"no item with id, guid or URL {ref!r}")
        return self.item(row[0])

    def count_items(self) -> int:
        return self._db.execute("SELECT count(*) FROM items").fetchone()[0]

    def write_stamp(self) -> tuple[int, int]:
        """A value that moves whenever anything is committed to the file, by this connection
        (``total_changes``) or any other (``PRAGMA data_version``): equal stamps mean nothing
        was written in between, so an answer computed at the first still holds."""
        return self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes

    # -- assessments ---------------------------------------------------------

    _STALE = """LEFT JOIN assessments a ON a.item_id = items.id
                LEFT JOIN relations r ON r.item_id = items.id
                WHERE (a.item_id IS NULL OR a.rubric_version != ? OR a.content_hash != items.content_hash
                   OR r.item_id IS NULL OR r.version != ? OR r.content_hash != items.content_hash)"""

    def stale_assessments(
        self, rubric_version: str, relate_version: str = "", limit: int = 500, after: int = 0
    ) -> list[tuple[StoredItem, str, str | None]]:
        """Items with no assessment or relation, or ones made under another version or for older content.

        Ordered by id from ``after`` on: a caller walking a large store passes
        the last id it saw, so each batch starts where the last ended instead
        of scanning the assessed items again.
        Each comes with its source's kind and declared kind, which the rules read.
        """
        rows = self._db.execute(
            f"""SELECT {_ITEM_COLUMNS}, sources.kind, sources.declared_kind FROM items
                JOIN sources ON sources.id = items.source_id
                {self._STALE} AND items.id > ?
                ORDER BY items.id LIMIT ?""",
            (rubric_version, relate_version, after, limit),
        ).fetchall()
        return [(_stored(r[:9]), r[9], r[10]) for r in rows]

    def count_stale_assessments(
        self, rubric_version: str, relate_version: str = "", since: datetime | None = None
    ) -> int:
        """How many items are stale (of those published, else first seen, since ``since``)."""
        sql, args = f"SELECT count(*) FROM items {self._STALE}", [rubric_version, relate_version]
        if since is not None:
            sql += " AND (items.published >= ? OR (items.published IS NULL AND items.first_seen >= ?))"
            args += [_iso(since), _iso(since)]
        return self._db.execute(sql, args).fetchone()[0]

    def save_assessments(self, pairs: Iterable[tuple[int, Assessment]], now: datetime) -> int:
        rows = [
            (item_id, a.rubric_version, a.content_hash, a.score, a.grade, codec.assessment_blob(a), _iso(now))
            for item_id, a in pairs
        ]
        with self._transaction():
            # An item deleted since it was read (its source removed) is skipped, not an error.
            self._db.executemany(
                """INSERT OR REPLACE INTO assessments
                   (item_id, rubric_version, content_hash, score, grade, data, assessed_at)
                   SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM items WHERE id = ?)""",
                [(*r, r[0]) for r in rows],
            )
        return len(rows)

    def assessment(self, item_id: int) -> Assessment | None:
        row = self._db.execute("SELECT data FROM assessments WHERE item_id = ?", (item_id,)).fetchone()
        return codec.assessment_from_json(row[0]) if row else None

    def clear_assessments(self, source_id: int | None = None) -> None:
        """Forget stored assessments (of one source): they are redone on the next pass."""
        with self._transaction():
            if source_id is None:
                self._db.execute("DELETE FROM assessments")
            else:
                self._db.execute(
                    "DELETE FROM assessments WHERE item_id IN (SELECT id FROM items WHERE source_id = ?)", (source_id,)
                )

    def set_label(self, item_id: int, grade: str, now: datetime) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO labels (item_id, grade, labelled_at) VALUES (?, ?, ?)",
                (item_id, grade, _iso(now)),
            )

    def labels(self) -> dict[int, str]:
        return dict(self._db.execute("SELECT item_id, grade FROM labels"))

    def scores(self, item_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
        """Stored (score, grade) of the given items, where they have one."""
        rows = self._rows_in("SELECT item_id, score, grade FROM assessments WHERE item_id IN ({marks})", item_ids)
        return {item_id: (score, grade) for item_id, score, grade in rows}

    def _rows_in(self, sql: str, values: Iterable[object]) -> list[tuple]:
        """``sql`` run for ``values`` in chunks (SQLite caps bound parameters); ``{marks}`` takes the placeholders."""
        values = list(values)
        out: list[tuple] = []
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            out += self._db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
        return out

    def label_pairs(self) -> list[tuple[int, str, str | None, str]]:
        """(item id, reader's grade, heuristic grade or None, content hash) for every labelled item."""
        return self._db.execute(
            """SELECT labels.item_id, labels.grade, a.grade, items.content_hash FROM labels
               JOIN items ON items.id = labels.item_id
               LEFT JOIN assessments a ON a.item_id = labels.item_id"""
        ).fetchall()

    # -- relations, ratings, models ------------------------------------------

    def save_relations(self, pairs: Iterable[tuple[int, Relation]]) -> int:
        """Store each item's relation and replace its keys, in one transaction."""
        pairs = list(pairs)
        with self._transaction():
            ids = [(item_id,) for item_id, _ in pairs]
            self._db.executemany("DELETE FROM item_keys WHERE item_id = ?", ids)
            self._db.executemany(
                """INSERT OR REPLACE INTO relations
                   (item_id, version, content_hash, topics, minhash, features)
                   SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM items WHERE id = ?)""",
                [
                    (
                        item_id,
                        r.version,
                        r.content_hash,
                        codec.dumps(r.topics),
                        r.minhash,
                        r.features,
                        item_id,
                    )
                    for item_id, r in pairs
                ],
            )
            self._db.executemany(
                """INSERT OR IGNORE INTO item_keys (key, item_id)
                   SELECT ?, ? WHERE EXISTS (SELECT 1 FROM items WHERE id = ?)""",
                [(key, item_id, item_id) for item_id, r in pairs for key in r.keys],
            )
        return len(pairs)

    def candidates(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        ids: list[int] | None = None,
        *,
        features: bool = True,
    ) -> list[Candidate]:
        """Items in a window (by publication time, else first seen), or the given items, as ranking reads them.

        ``features=False`` leaves out the personal model's feature vectors
        (about 1.4 KB an item, most of what the query reads) when no model
        will score them.
        """
        where: list[str] = []
        args: list[object] = []
        if ids is not None:
            where.append(f"items.id IN ({','.join('?' * len(ids))})")
            args += ids
        if since is not None:
            where.append("(items.published >= ? OR (items.published IS NULL AND items.first_seen >= ?))")
            args += [_iso(since), _iso(since)]
        if until is not None:
            where.append("coalesce(items.published, items.first_seen) < ?")
            args.append(_iso(until))
        sql = f"""SELECT items.id, items.source_id, coalesce(items.published, items.first_seen), a.score, a.grade,
                        r.topics, {"r.features" if features else "NULL"}, items.title, items.url
                 FROM items LEFT JOIN assessments a ON a.item_id = items.id
                 LEFT JOIN relations r ON r.item_id = items.id"""
        if where:
            sql += " WHERE " + " AND ".join(where)
        loads = codec.loads
        return [
            Candidate(
                row[0],
                row[1],
                datetime.fromisoformat(row[2]),
                row[3],
                row[4],
                [tuple(t) for t in loads(row[5])] if row[5] else [],
                row[6],
                row[7],
                row[8],
            )
            for row in self._db.execute(sql, args)
        ]

    def sharing_keys(self, keys: Iterable[str]) -> list[tuple[str, int, int, datetime]]:
        """(key, item id, source id, time) of every item holding any of ``keys``."""
        rows = self._rows_in(
            """SELECT k.key, k.item_id, items.source_id, coalesce(items.published, items.first_seen)
               FROM item_keys k JOIN items ON items.id = k.item_id WHERE k.key IN ({marks})""",
            dict.fromkeys(keys),
        )
        return [(key, item_id, source_id, datetime.fromisoformat(when)) for key, item_id, source_id, when in rows]

    def story_keys(
        self, item_ids: Iterable[int], since: datetime | None, most: int
    ) -> list[tuple[str, int, int, datetime]]:
        """(key, item id, source id, time) of the items that share a story key with ``item_ids``.

        Only keys that can join a story (``a:``, ``e:``, ``t:`` and MinHash
        bands) and that between 2 and ``most`` items hold from ``since`` on:
        a key nobody else holds links nothing and one held by more names no
        one thing, so neither is worth reading back. One query, ids passed as
        a JSON array, so the window can be any size.
        """
        rows = self._db.execute(
            """WITH wanted(id) AS (SELECT value FROM json_each(?1)),
               mine(key) AS (
                   SELECT DISTINCT key FROM item_keys WHERE item_id IN wanted
                   AND (substr(key, 1, 2) IN ('a:', 'e:', 't:')
                        OR (substr(key, 1, 1) = 'm' AND substr(key, 2, 1) BETWEEN '0' AND '9'))),
               held AS (
                   SELECT k.key, k.item_id, items.source_id, coalesce(items.published, items.first_seen) AS at
                   FROM mine JOIN item_keys k ON k.key = mine.key JOIN items ON items.id = k.item_id
                   WHERE ?2 IS NULL OR at >= ?2 OR k.item_id IN wanted)
               SELECT held.key, held.item_id, held.source_id, held.at FROM held
               WHERE held.key IN (SELECT key FROM held GROUP BY key HAVING count(*) BETWEEN 2 AND ?3)""",
            (codec.dumps(list(item_ids)).decode(), _iso(since) if since is not None else None, most),
        ).fetchall()
        when = datetime.fromisoformat
        return [(key, item_id, source_id, when(at)) for key, item_id, source_id, at in rows]

    def key_rows(self, item_ids: Iterable[int]) -> list[tuple[int, str]]:
        """(item id, key) for the given items."""
        return self._rows_in("SELECT item_id, key FROM item_keys WHERE item_id IN ({marks})", item_ids)

    def minhashes(self, item_ids: Iterable[int]) -> dict[int, bytes]:
        return dict(
            self._rows_in(
                "SELECT item_id, minhash FROM relations WHERE minhash IS NOT NULL AND item_id IN ({marks})", item_ids
            )
        )

    def briefs(self, item_ids: Iterable[int]) -> dict[int, tuple[int, str | None, str | None, datetime]]:
        """(source id, title, url, time) of the given items, for listing them without loading them."""
        rows = self._rows_in(
            "SELECT id, source_id, title, url, coalesce(published, first_seen) FROM items WHERE id IN ({marks})",
            item_ids,
        )
        return {i: (source_id, title, url, datetime.fromisoformat(when)) for i, source_id, title, url, when in rows}

    def set_rating(self, item_id: int, value: int, now: datetime) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO ratings (item_id, value, rated_at) VALUES (?, ?, ?)",
                (item_id, value, _iso(now)),
            )

    def ratings(self) -> dict[int, int]:
        return dict(self._db.execute("SELECT item_id, value FROM ratings"))

    def features(self, item_ids: Iterable[int]) -> dict[int, bytes]:
        return dict(
            self._rows_in(
                "SELECT item_id, features FROM relations WHERE features IS NOT NULL AND item_id IN ({marks})", item_ids
            )
        )

    def set_read_state(self, item_id: int, state: str, now: datetime) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO read_states (item_id, state, at) VALUES (?, ?, ?)", (item_id, state, _iso(now))
            )

    def read_states(self) -> dict[int, str]:
        return dict(self._db.execute("SELECT item_id, state FROM read_states"))

    def model(self, name: str) -> bytes | None:
        row = self._db.execute("SELECT data FROM models WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def save_model(self, name: str, data: bytes, now: datetime) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO models (name, data, updated) VALUES (?, ?, ?)", (name, data, _iso(now))
            )

    def source_stats(self, since: datetime | None = None) -> dict[int, dict[str, object]]:
        """Per source: items, assessed items, mean score, items with artefacts, first and last item time."""
        cond = ""
        args: list[object] = []
        if since is not None:
            cond = "WHERE coalesce(items.published, items.first_seen) >= ?"
            args.append(_iso(since))
        out: dict[int, dict[str, object]] = {}
        for sid, n, scored, mean, with_art, first, last in self._db.execute(
            f"""SELECT items.source_id, count(*), count(a.score), avg(a.score),
                       sum(EXISTS (SELECT 1 FROM item_keys k WHERE k.item_id = items.id
                                   AND (k.key >= 'a:' AND k.key < 'a;' OR k.key >= 'l:' AND k.key < 'l;'))),
                       min(coalesce(items.published, items.first_seen)),
                       max(coalesce(items.published, items.first_seen))
                FROM items LEFT JOIN assessments a ON a.item_id = items.id {cond}
                GROUP BY items.source_id""",
            args,
        ):
            out[sid] = {
                "items": n,
                "scored": scored,
                "mean_score": mean,
                "with_artefacts": with_art or 0,
                "first": _dt(first),
                "last": _dt(last),
            }
        return out

    def judgement(self, content_hash: str, rubric_version: str, model: str) -> dict | None:
        row = self._db.execute(
            "SELECT data FROM judgements WHERE content_hash = ? AND rubric_version = ? AND model = ?",
            (content_hash, rubric_version, model),
        ).fetchone()
        return codec.loads(row[0]) if row else None

    def save_judgement(self, content_hash: str, rubric_version: str, model: str, data: dict, now: datetime) -> None:
        with self._transaction():
            self._db.execute(
                """INSERT OR REPLACE INTO judgements (content_hash, rubric_version, model, data, created)
                   VALUES (?, ?, ?, ?, ?)""",
                (content_hash, rubric_version, model, codec.dumps(data), _iso(now)),
            )

    # -- search --------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        """Full-text search, best matches first (bm25, title weighted highest)."""
        try:
            return self._search(query, limit, source_id, since, until)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            # Anything else here is FTS5 rejecting the query's syntax.
            safe = _quote_terms(query)
            if not safe:
                return []
            return self._search(safe, limit, source_id, since, until)

    def _search(
        self,
        query: str,
        limit: int,
        source_id: int | None,
        since: datetime | None,
        until: datetime | None,
    ) -> list[SearchHit]:
        # Phase 1 ranks on the FTS table alone: no join, no snippet, so the only
        # per-match cost is bm25 itself. Filters join items, which also means
        # bm25 runs only on the rows that pass them.
        where = ["items_fts MATCH ?"]
        args: list[object] = [query]
        join = ""
        if source_id is not None or since is not None or until is not None:
            join = "JOIN items ON items.id = items_fts.rowid"
        if source_id is not None:
            where.append("items.source_id = ?")
            args.append(source_id)
        if since is not None:
            where.append("items.published >= ?")
            args.append(_iso(since))
        if until is not None:
            where.append("items.published < ?")
            args.append(_iso(until))
        ranked = self._db.execute(
            f"""SELECT items_fts.rowid, bm25(items_fts, {_BM25_WEIGHTS}) AS score FROM items_fts {join}
                WHERE {" AND ".join(where)} ORDER BY score LIMIT ?""",
            [*args, limit],
        ).fetchall()
        if not ranked:
            return []
        # Phase 2: snippets and item fields for the few rows that made the cut.
        marks = ",".join("?" * len(ranked))
        rows = {
            r[0]: r
            for r in self._db.execute(
                f"""SELECT items.id, items.source_id, sources.title, items.title, items.url, items.published,
                           snippet(items_fts, -1, char(2), char(3), '…', 24)
                    FROM items_fts JOIN items ON items.id = items_fts.rowid
                    JOIN sources ON sources.id = items.source_id
                    WHERE items_fts MATCH ? AND items_fts.rowid IN ({marks})""",
                [query, *(r[0] for r in ranked)],
            )
        }
        hits = []
        for rowid, score in ranked:
            r = rows.get(rowid)
            if r is not None:
                hits.append(
                    SearchHit(
                        item_id=r[0],
                        source_id=r[1],
                        source_title=r[2],
                        title=r[3],
                        url=r[4],
                        published=_dt(r[5]),
                        snippet=r[6],
                        score=-score,
                    )
                )
        return hits

    # -- transcripts and attachments ------------------------------------------

    def document_counts(self, queries: list[str]) -> dict[str, int]:
        """How many items match each FTS5 query: a count walks one doclist and ranks nothing, so it stays cheap."""
        return {
            q: self._db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (q,)).fetchone()[0]
            for q in dict.fromkeys(queries)
        }

    def item_ids(self, source_id: int) -> dict[str, int]:
        """A source's item ids by item key."""
        return dict(self._db.execute("SELECT key, id FROM items WHERE source_id = ?", (source_id,)))

    def forget_assessments(self, item_ids: Iterable[int]) -> None:
        """Drop assessments so the next pass redoes them (an episode's transcript arrived)."""
        ids = list(item_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            self._db.execute(f"DELETE FROM assessments WHERE item_id IN ({','.join('?' * len(chunk))})", chunk)

    def links_by_source(self, exclude: int | None = None) -> dict[int, set[str]]:
        """Every link each source's items carry (for "which other shows link this?")."""
        out: dict[int, set[str]] = {}
        for source_id, data in self._db.execute(
            "SELECT source_id, data FROM items WHERE source_id IS NOT ?", (exclude,)
        ):
            links = codec.loads(data).get("links")
            if links:
                out.setdefault(source_id, set()).update(links)
        return out

    def save_passages(self, item_id: int, segments: Sequence[TranscriptSegment], origin: str) -> None:
        """Replace an item's transcript passages (one origin wins: a fetched file over notes)."""
        with self._transaction():
            self._db.execute("DELETE FROM passages WHERE item_id = ?", (item_id,))
            self._db.executemany(
                "INSERT INTO passages (item_id, origin, start, end, speaker, text) VALUES (?, ?, ?, ?, ?, ?)",
                [(item_id, origin, s.start, s.end, s.speaker, s.text) for s in segments if s.text.strip()],
            )

    def passages(self, item_id: int) -> tuple[str | None, list[TranscriptSegment]]:
        """An item's transcript passages in time order, and where they came from."""
        rows = self._db.execute(
            "SELECT origin, start, end, speaker, text FROM passages WHERE item_id = ? ORDER BY start, id", (item_id,)
        ).fetchall()
        origin = rows[0][0] if rows else None
        return origin, [TranscriptSegment(start=r[1] or 0.0, end=r[2], speaker=r[3], text=r[4]) for r in rows]

    def passage_origins(self, item_ids: Iterable[int]) -> dict[int, str]:
        rows = self._rows_in("SELECT DISTINCT item_id, origin FROM passages WHERE item_id IN ({marks})", item_ids)
        return dict(rows)

    def search_passages(
        self, query: str, *, limit: int = 20, source_id: int | None = None, item_id: int | None = None
    ) -> list[PassageHit]:
        """Full-text search inside transcripts; each hit carries its time in the episode."""
        try:
            return self._search_passages(query, limit, source_id, item_id)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            safe = _quote_terms(query)
            return self._search_passages(safe, limit, source_id, item_id) if safe else []

    def _search_passages(self, query: str, limit: int, source_id: int | None, item_id: int | None) -> list[PassageHit]:
        where, args = ["passages_fts MATCH ?"], [query]
        if source_id is not None:
            where.append("items.source_id = ?")
            args.append(source_id)
        if item_id is not None:
            where.append("passages.item_id = ?")
            args.append(item_id)
        rows = self._db.execute(
            f"""SELECT passages.item_id, items.source_id, sources.title, items.title, items.url, items.data,
                       passages.start, passages.speaker,
                       snippet(passages_fts, 1, char(2), char(3), '…', 24), bm25(passages_fts, 0.5, 1.0) AS score
                FROM passages_fts JOIN passages ON passages.id = passages_fts.rowid
                JOIN items ON items.id = passages.item_id JOIN sources ON sources.id = items.source_id
                WHERE {" AND ".join(where)} ORDER BY score LIMIT ?""",
            [*args, limit],
        ).fetchall()
        hits = []
        for r in rows:
            enclosure = codec.item_from_json(r[5]).enclosure
            hits.append(
                PassageHit(
                    item_id=r[0],
                    source_id=r[1],
                    source_title=r[2],
                    title=r[3],
                    url=r[4],
                    audio_url=enclosure.url if enclosure else None,
                    start=r[6],
                    speaker=r[7],
                    snippet=r[8],
                    score=-r[9],
                )
            )
        return hits

    def save_attachment(self, attachment: Attachment, chapters: Sequence[Chapter] | None = None) -> None:
        """Record fetching an episode's chapters or transcript; attempts count up on each failure."""
        data = (
            codec.dumps([{"start": c.start, "title": c.title, "end": c.end, "url": c.url} for c in chapters])
            if (chapters is not None)
            else None
        )
        self._db.execute(
            """INSERT INTO attachments (item_id, kind, url, fetched, attempts, format, error, data)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (item_id, kind) DO UPDATE SET url = excluded.url, fetched = excluded.fetched,
                 attempts = CASE WHEN excluded.error IS NULL THEN 1 ELSE attachments.attempts + 1 END,
                 format = excluded.format, error = excluded.error, data = coalesce(excluded.data, attachments.data)""",
            (
                attachment.item_id,
                attachment.kind,
                attachment.url,
                _iso(attachment.fetched),
                attachment.attempts,
                attachment.format,
                attachment.error,
                data,
            ),
        )

    def attachments(self, item_id: int) -> list[Attachment]:
        rows = self._db.execute(
            "SELECT item_id, kind, url, fetched, attempts, format, error FROM attachments WHERE item_id = ?",
            (item_id,),
        ).fetchall()
        return [Attachment(r[0], r[1], r[2], _dt(r[3]) or datetime.now(UTC), r[4], r[5], r[6]) for r in rows]

    def fetched_chapters(self, item_id: int) -> list[Chapter]:
        row = self._db.execute(
            "SELECT data FROM attachments WHERE item_id = ? AND kind = 'chapters' AND data IS NOT NULL", (item_id,)
        ).fetchone()
        return [Chapter(**c) for c in codec.loads(row[0])] if row else []

    def attachment_attempts(self, item_ids: Iterable[int]) -> dict[tuple[int, str], tuple[str, int, bool]]:
        """(item, kind) → (url, attempts, succeeded) for the given items."""
        rows = self._rows_in(
            "SELECT item_id, kind, url, attempts, error FROM attachments WHERE item_id IN ({marks})", item_ids
        )
        return {(item_id, kind): (url, attempts, error is None) for item_id, kind, url, attempts, error in rows}

    # -- plumbing ------------------------------------------------------------

    # -- vectors (semantic search) -------------------------------------------

    def stale_vectors(self, model: str, limit: int = 500, after: int = 0) -> list[tuple[int, str, str]]:
        """(item id, content hash, text) of items with no vector from ``model`` for their current content.

        The text is the title, summary and the start of the body: what the item
        is about, without a long body's tail drowning the average of a static
        embedding. Ordered by id from ``after`` on, like ``stale_assessments``.
        """
        rows = self._db.execute(
            f"""SELECT items.id, items.content_hash,
                       coalesce(items.title, '') || char(10) || coalesce(items.summary, '') || char(10)
                       || substr(items.text, 1, {VECTOR_TEXT_CHARS})
                FROM items LEFT JOIN vectors v ON v.item_id = items.id
                WHERE (v.item_id IS NULL OR v.model != ? OR v.content_hash != items.content_hash) AND items.id > ?
                ORDER BY items.id LIMIT ?""",
            (model, after, limit),
        ).fetchall()
        return [(r[0], r[1], r[2] or "") for r in rows]

    def count_stale_vectors(self, model: str, after: int = 0) -> int:
        """How many items (with ids above ``after``) ``stale_vectors`` would return."""
        return self._db.execute(
            """SELECT count(*) FROM items LEFT JOIN vectors v ON v.item_id = items.id
               WHERE (v.item_id IS NULL OR v.model != ? OR v.content_hash != items.content_hash) AND items.id > ?""",
            (model, after),
        ).fetchone()[0]

    def max_item_id(self) -> int:
        return self._db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]

    def save_vectors(self, model: str, rows: Iterable[tuple[int, str, bytes]]) -> int:
        """Store (item id, content hash, vector bytes) rows made by ``model``, replacing older ones."""
        rows = list(rows)
        with self._transaction():
            # Delete then insert (not upsert) so a replaced vector gets a new, higher row id.
            self._db.executemany("DELETE FROM vectors WHERE item_id = ?", [(r[0],) for r in rows])
            self._db.executemany(
                "INSERT INTO vectors (item_id, model, content_hash, vector) VALUES (?, ?, ?, ?)",
                [(item_id, model, content_hash, blob) for item_id, content_hash, blob in rows],
            )
        return len(rows)

    def vectors(self, model: str, after: int = 0) -> list[tuple[int, int, bytes]]:
        """(row id, item id, vector bytes) of ``model``'s vectors written after row ``after``, oldest first."""
        return self._db.execute(
            "SELECT id, item_id, vector FROM vectors WHERE model = ? AND id > ? ORDER BY id", (model, after)
        ).fetchall()

    def last_embedded_item(self, model: str) -> int:
        """The highest item id with a vector from ``model`` (0 when none): items above it are new to the index."""
        # Walks the item_id index from the top and stops at the first of this model's rows.
        row = self._db.execute(
            "SELECT item_id FROM vectors WHERE model = ? ORDER BY item_id DESC LIMIT 1", (model,)
        ).fetchone()
        return row[0] if row else 0

    def last_vector_row(self) -> int:
        """The newest vector row id: when it moves, an in-memory index has rows to read."""
        return self._db.execute("SELECT coalesce(max(id), 0) FROM vectors").fetchone()[0]

    def filter_items(
        self,
        item_ids: Iterable[int],
        *,
        source_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> set[int]:
        """The given items that pass the search filters (the same ones ``search`` applies)."""
        sql = "SELECT id FROM items WHERE id IN ({marks})"
        extra: list[object] = []
        if source_id is not None:
            sql += " AND source_id = ?"
            extra.append(source_id)
        if since is not None:
            sql += " AND published >= ?"
            extra.append(_iso(since))
        if until is not None:
            sql += " AND published < ?"
            extra.append(_iso(until))
        ids = list(item_ids)
        out: set[int] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self._db.execute(sql.format(marks=marks), [*chunk, *extra]))
        return out

    def search_hits(self, item_ids: Sequence[int]) -> list[SearchHit]:
        """Items as search hits, in the order given, the summary's start standing in for a snippet."""
        rows = {
            r[0]: r
            for r in self._rows_in(
                """SELECT items.id, items.source_id, sources.title, items.title, items.url, items.published,
                          substr(coalesce(nullif(items.summary, ''), items.text), 1, 240)
                   FROM items JOIN sources ON sources.id = items.source_id WHERE items.id IN ({marks})""",
                item_ids,
            )
        }
        return [
            SearchHit(
                item_id=r[0], source_id=r[1], source_title=r[2], title=r[3], url=r[4], published=_dt(r[5]),
                snippet=" ".join((r[6] or "").split()), score=0.0,
            )
            for r in (rows.get(i) for i in item_ids)
            if r is not None
        ]  # fmt: skip

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and (not joined.upper().startswith("CREATE TRIGGER") or joined.endswith("END;")):
            statements.append(joined)
            buf = []
    if "".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
