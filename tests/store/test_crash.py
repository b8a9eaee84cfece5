"""Kill a refreshing process with SIGKILL and check the database survives whole.

A child Python process subscribes to many feeds served by the test's loopback
server and refreshes them, printing a line from the ``progress`` callback
(called after each source's transaction commits). Once the parent has read a
few such lines it SIGKILLs the child's whole process group (the child and any
parse workers). The database must then pass ``PRAGMA integrity_check``, open
with ``highsignal.open``, hold every item of every source reported committed,
and hold no half-written source.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import highsignal
from tests.conftest import running_server
from tests.feedserver import FeedServer

N_FEEDS = 60
N_ITEMS = 50

CHILD = r"""
import sys
import time
import highsignal
from highsignal.fetch import FetchSettings

db, base, n, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
settings = FetchSettings(per_host=8, connect_timeout=5, read_timeout=10, total_timeout=60)
lib = highsignal.open(db, fetch_settings=settings)
for i in range(n):
    lib.add_source(f"{base}/feed{i}.xml", fetch=False)
print("ready", flush=True)

# Widen the window a kill can land in: SQLite calls this every few thousand VM steps,
# so each source's transaction takes tens of milliseconds instead of a few.
conn = lib.store._db
conn.set_progress_handler(lambda: time.sleep(0.002) or 0, 2000)

def trace(sql):
    if sql.lstrip().startswith("INSERT INTO items ("):
        print("inserting", flush=True)

conn.set_trace_callback(trace)

def progress(result):
    print(f"committed {result.source_id} {result.outcome} {result.new}", flush=True)

lib.refresh(progress=progress, workers=workers)
print("done", flush=True)
"""


def feed(i: int) -> bytes:
    items = "".join(
        f"<item><guid>s{i}-{j}</guid><title>Feed {i} post {j}</title>"
        f"<link>https://f{i}.example/p/{j}</link><pubDate>Mon, 01 Jan 2024 {j % 24:02d}:00:00 GMT</pubDate>"
        f"<description>Post {j} of feed {i}. " + "Attention is all you need, again and again. " * 20 + "</description>"
        "</item>"
        for j in range(N_ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>'
        f"<link>https://f{i}.example/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with running_server() as srv:
        for i in range(N_FEEDS):
            srv.add(f"/feed{i}.xml", feed(i))
        yield srv


def feed_index(source_url: str) -> int:
    return int(source_url.rsplit("/feed", 1)[1].removesuffix(".xml"))


def expected_keys(source_url: str) -> set[str]:
    i = feed_index(source_url)
    return {f"s{i}-{j}" for j in range(N_ITEMS)}


def run_and_kill(db: Path, server: FeedServer, kill_after: int, workers: int, tmp_path: Path) -> list[int]:
    """Run the child; SIGKILL it mid-insert after ``kill_after`` commits; return the committed ids."""
    stderr = (tmp_path / "child.err").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), server.url(""), str(N_FEEDS), str(workers)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        start_new_session=True,  # its own process group: the kill takes parse workers too
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.strip())
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    committed: list[int] = []
    finished = False
    deadline = time.monotonic() + 20
    try:
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None or line == "done":
                finished = True
                break
            if line == "inserting" and len(committed) >= kill_after:
                break  # the next source's transaction is writing its items: kill now
            if line.startswith("committed "):
                _, sid, outcome, new = line.split()
                assert outcome == "updated" and int(new) == N_ITEMS, line
                committed.append(int(sid))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)
        stderr.close()
    # Lines already written before the kill were committed too.
    while (line := lines.get(timeout=5)) is not None:
        if line.startswith("committed "):
            committed.append(int(line.split()[1]))
    err = (tmp_path / "child.err").read_text()
    assert not finished, f"the child finished before the kill; make the refresh longer\n{err}"
    assert proc.returncode == -signal.SIGKILL, err
    assert len(committed) >= kill_after, err
    return committed


def check_db(db: Path, committed: list[int]) -> dict[int, int]:
    """The invariants after a crash; returns items per source."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with highsignal.open(db) as lib:
        assert lib.store.integrity_check() == "ok"
        lib.store._db.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)")
        sources = {s.id: s for s in lib.sources()}
        assert len(sources) == N_FEEDS
        counts = {}
        for sid, src in sources.items():
            keys = {s.item.key for s in lib.store.items(source_id=sid)}
            counts[sid] = len(keys)
            # One transaction per source: all of its items or none, and its state with them.
            assert keys in (set(), expected_keys(src.url)), f"source {sid} is half-written"
            assert (src.content_hash is not None) == bool(keys)
        for sid in committed:
            assert counts[sid] == N_ITEMS, f"source {sid} was reported committed but lost items"
            src = sources[sid]
            assert src.last_status == 200 and src.title == f"Feed {feed_index(src.url)}"
        fts_docs = lib.store._db.execute("SELECT count(*) FROM items_fts_docsize").fetchone()[0]
        assert fts_docs == sum(counts.values())
        if committed:
            i = feed_index(sources[committed[0]].url)
            assert len(lib.search(f'"feed {i} post 7"')) == 1
    return counts


@pytest.mark.parametrize(("kill_after", "workers"), [(2, 0), (12, 2), (30, 0)])
def test_sigkill_mid_refresh_leaves_a_whole_database(
    server: FeedServer, tmp_path: Path, kill_after: int, workers: int
) -> None:
    db = tmp_path / "crash.sqlite"
    committed = run_and_kill(db, server, kill_after, workers, tmp_path)
    counts = check_db(db, committed)
    assert sum(1 for c in counts.values() if c) >= len(set(committed))
    assert sum(1 for c in counts.values() if c) < N_FEEDS, "the kill landed before the end"


def test_refresh_after_crash_completes(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite"
    committed = run_and_kill(db, server, 5, 0, tmp_path)
    empty = sum(1 for c in check_db(db, committed).values() if c == 0)
    with highsignal.open(db) as lib:
        report = lib.refresh(workers=0)
        assert report.errors == 0
        by_id = {r.source_id: r for r in report.results}
        for sid in committed:
            assert by_id[sid].new == 0, "committed sources are not ingested twice"
        assert report.new_items == empty * N_ITEMS
        assert all(s.item_count == N_ITEMS for s in lib.sources())
        assert lib.store.count_items() == N_FEEDS * N_ITEMS
    check_db(db, list(range(1, N_FEEDS + 1)))
