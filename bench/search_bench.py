#!/usr/bin/env python3
"""Search latency at 1M items: highsignal's lib.search vs plain SQLite FTS5 (and reader).

Workload (deterministic, seed 42, cached in bench/data/search-<items>/):
  * synthetic RSS files of 10,000 items each (100 files for 1M items), ~500 bytes of
    text per item, words drawn from an AI vocabulary with a Zipf-like law
    (p(rank k) ~ 1/(k+15) over 20,000 words) so the top terms each match ~35-50% of
    items; pubDates spread over ~2 years, interleaved across sources;
  * highsignal store: lib.add_source(path) for every file, then one lib.refresh();
  * peer: one plain FTS5 table (title, summary, text + UNINDEXED published, source_id)
    holding the same rows, read back from the highsignal store.

Query mix (each with limit 20; repeated --repeats times after one warm-up pass):
very common single terms, rarer terms, 2-3 term AND, phrases, prefixes, OR / NOT,
title: field filters, date filter (since=), source filter. Reports p50/p95/max per
query class and overall, plus per-query medians.

Usage: bench/.venv/bin/python bench/search_bench.py [--items 1000000] [--repeats 5]
       [--with-reader [--reader-items 100000]] [--rebuild]
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import (
    DATA_DIR,
    HighsignalMissing,
    base_parser,
    env_info,
    fmt_num,
    fmt_ratio,
    fmt_secs,
    goal_line,
    import_highsignal,
    percentile,
    print_table,
    print_unavailable,
    ratio,
    warn_if_not_bench_venv,
    write_results,
)

GENERATOR_VERSION = 1
SEED = 42
VOCAB_SIZE = 20_000
ZIPF_OFFSET = 15
END_DATE = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
STEP = timedelta(seconds=63)  # 1M items span ~2 years
P95_GOAL_S = 0.050

_AI_TEXT = """
model agent inference latency token context window transformer gradient dataset benchmark
evaluation alignment reasoning retrieval embedding vector sparse dense mixture expert
quantization distillation finetune pretraining scaling law compute cluster accelerator kernel
attention cache open weights release paper preprint arxiv researcher startup funding policy
regulation safety interview episode guest host discussion future robotics vision speech
multimodal code assistant language training data learning neural network parameter layer
optimizer loss diffusion image video audio generation prompt chain thought tool planning
memory search ranking recommendation classifier label annotation synthetic simulation reward
reinforcement policy value feedback human preference chatbot api latency throughput gpu tpu
chip silicon datacenter energy efficiency cost price license openai anthropic google meta
mistral deepmind nvidia hugging face llama gemini claude gpt benchmark leaderboard eval
hallucination factuality grounding citation interpretability circuit neuron feature probe
steering jailbreak redteam misuse governance compliance copyright lawsuit investment valuation
acquisition hiring layoff product launch update version upgrade preview beta framework library
python pytorch jax cuda triton compiler sharding parallelism pipeline tensor batch sequence
length long short small large frontier lab university professor student thesis workshop
conference neurips icml iclr acl cvpr keynote talk podcast newsletter blog post thread
analysis opinion essay report survey review tutorial guide explainer demo notebook repo
github issue commit merge bug fix regression test coverage deploy serving endpoint edge
mobile device laptop server cloud region outage incident security privacy encryption
federated differential robustness adversarial attack defense watermark detection provenance
"""
AI_WORDS = _AI_TEXT.split()


# --------------------------------------------------------------------------- generator


def vocabulary() -> list[str]:
    rng = random.Random(SEED)
    words: list[str] = []
    seen: set[str] = set()
    for w in AI_WORDS:
        if w not in seen:
            seen.add(w)
            words.append(w)
    onsets = [*"bcdfghjklmnprstvwz", "br", "cr", "dr", "fl", "gr", "pl", "pr", "st", "tr", "sk", "sl", "sp"]
    vowels = [*"aeiou", "ai", "ea", "io", "ou"]
    codas = ["", "", "n", "r", "s", "t", "l", "m", "x", "nd", "rk", "st"]
    while len(words) < VOCAB_SIZE:
        w = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3))) + rng.choice(codas)
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def cum_weights(n: int) -> list[float]:
    out, acc = [], 0.0
    for k in range(n):
        acc += 1.0 / (k + 1 + ZIPF_OFFSET)
        out.append(acc)
    return out


def gen_file(path: Path, file_idx: int, n_files: int, per_file: int, vocab: list[str], cw: list[float]) -> None:
    rng = random.Random(SEED * 1_000_003 + file_idx)
    choices = rng.choices
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>Synthetic AI source {file_idx:03d}</title>\n"
        f"<link>https://src{file_idx:03d}.example.com/</link>\n"
        f"<description>Synthetic search benchmark feed {file_idx}</description>\n"
    ]
    for i in range(per_file):
        title_words = choices(vocab, cum_weights=cw, k=rng.randint(5, 9))
        title = " ".join(title_words).capitalize()
        sentences = []
        for _ in range(rng.randint(3, 4)):
            ws = choices(vocab, cum_weights=cw, k=rng.randint(13, 19))
            sentences.append(" ".join(ws).capitalize() + ".")
        desc = " ".join(sentences)
        when = END_DATE - STEP * (i * n_files + file_idx)
        link = f"https://src{file_idx:03d}.example.com/posts/{i}"
        parts.append(
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
            f"<description>{desc}</description></item>\n"
        )
    parts.append("</channel></rss>\n")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(parts), encoding="utf-8")
    tmp.replace(path)


def ensure_feeds(workdir: Path, n_items: int, per_file: int) -> list[Path]:
    n_files = max(1, n_items // per_file)
    feeds_dir = workdir / "feeds"
    feeds_dir.mkdir(parents=True, exist_ok=True)
    vocab, cw = vocabulary(), cum_weights(VOCAB_SIZE)
    paths = [feeds_dir / f"source{f:03d}.xml" for f in range(n_files)]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"generating {len(missing)} feed files x {per_file} items into {feeds_dir} ...", flush=True)
        t0 = time.perf_counter()
        for f, p in enumerate(paths):
            if not p.is_file():
                gen_file(p, f, n_files, per_file, vocab, cw)
        print(f"  generated in {time.perf_counter() - t0:.0f}s", flush=True)
    return paths


# --------------------------------------------------------------------------- stores


def meta_path(workdir: Path) -> Path:
    return workdir / "meta.json"


def load_meta(workdir: Path) -> dict[str, Any]:
    try:
        return json.loads(meta_path(workdir).read_text())
    except (OSError, ValueError):
        return {}


def save_meta(workdir: Path, meta: dict[str, Any]) -> None:
    meta_path(workdir).write_text(json.dumps(meta, indent=2, default=str))


def sqlite_schema(db: Path) -> list[list[str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        version = con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()
    return [[str(version)]] + [[str(c) for c in r] for r in rows]


def current_hs_schema(workdir: Path) -> list[list[str]]:
    """The schema the current highsignal code creates (to notice a stale cached store)."""
    hs = import_highsignal("highsignal", ("open",))
    probe = workdir / "schema-probe"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir()
    try:
        lib = hs.open(str(probe / "probe.sqlite"))
        close = getattr(lib, "close", None)
        if callable(close):
            close()
        return sqlite_schema(probe / "probe.sqlite")
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def build_highsignal(workdir: Path, feeds: list[Path]) -> dict[str, Any]:
    hs = import_highsignal("highsignal", ("open",))
    db = workdir / "highsignal.sqlite"
    for p in workdir.glob("highsignal.sqlite*"):
        p.unlink()
    print(f"ingesting {len(feeds)} files into {db} with highsignal ...", flush=True)
    t0 = time.perf_counter()
    lib = hs.open(str(db))
    import inspect

    kwargs = {"fetch": False} if "fetch" in inspect.signature(lib.add_source).parameters else {}
    for p in feeds:
        lib.add_source(str(p), **kwargs)
    t_add = time.perf_counter() - t0
    report = lib.refresh()
    t_refresh = time.perf_counter() - t0 - t_add
    info = {
        "add_s": t_add,
        "refresh_s": t_refresh,
        "new_items": getattr(report, "new_items", None),
        "errors": getattr(report, "errors", None),
    }
    lib.close()
    info["db_mb"] = sum(p.stat().st_size for p in workdir.glob("highsignal.sqlite*")) / 1e6
    print(
        f"  highsignal ingest: {info['new_items']} items in {t_refresh:.0f}s refresh (+{t_add:.1f}s add), "
        f"{info['errors']} errors, {info['db_mb']:.0f} MB",
        flush=True,
    )
    return info


def rows_from_highsignal(workdir: Path):
    """(id, source_id, published, title, summary, text) straight from highsignal's items table."""
    con = sqlite3.connect(f"file:{workdir / 'highsignal.sqlite'}?mode=ro", uri=True)
    try:
        yield from con.execute("SELECT id, source_id, published, title, summary, text FROM items ORDER BY id")
    finally:
        con.close()


def rows_from_feeds(feeds: list[Path]):
    """Fallback when highsignal's store can't be read: the generator's own fields."""
    from lxml import etree

    rowid = 0
    for src, p in enumerate(feeds, start=1):
        root = etree.parse(str(p)).getroot()
        for item in root.iter("item"):
            rowid += 1
            desc = item.findtext("description")
            pub = datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z").isoformat()
            yield rowid, src, pub, item.findtext("title"), desc, desc


def build_fts5(workdir: Path, feeds: list[Path]) -> dict[str, Any]:
    db = workdir / "fts5.sqlite"
    for p in workdir.glob("fts5.sqlite*"):
        p.unlink()
    t0 = time.perf_counter()
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, summary, text, published UNINDEXED, source_id UNINDEXED, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    try:
        rows = rows_from_highsignal(workdir)
        first = next(rows)
        origin = "highsignal items table"
    except (sqlite3.Error, StopIteration) as exc:
        print(f"  cannot read highsignal's items ({exc}); building FTS5 from the feed files", flush=True)
        rows = rows_from_feeds(feeds)
        first = next(rows)
        origin = "feed files"

    def all_rows():
        yield first
        yield from rows

    n = 0
    with con:
        insert = "INSERT INTO t(rowid, title, summary, text, published, source_id) VALUES (?,?,?,?,?,?)"
        batch = []
        for rid, src, pub, title, summary, text in all_rows():
            batch.append((rid, title, summary, text, pub, src))
            if len(batch) >= 20_000:
                con.executemany(insert, batch)
                n += len(batch)
                batch.clear()
        if batch:
            con.executemany(insert, batch)
            n += len(batch)
    con.close()
    info = {"rows": n, "origin": origin, "build_s": time.perf_counter() - t0, "db_mb": db.stat().st_size / 1e6}
    print(f"  FTS5 peer: {n} rows from {origin} in {info['build_s']:.0f}s, {info['db_mb']:.0f} MB", flush=True)
    return info


def build_reader(workdir: Path, feeds: list[Path]) -> dict[str, Any]:
    from reader import make_reader

    db = workdir / "reader.sqlite"
    for p in workdir.glob("reader.sqlite*"):
        p.unlink()
    print(f"ingesting {len(feeds)} files into {db} with reader (slow) ...", flush=True)
    t0 = time.perf_counter()
    r = make_reader(str(db), feed_root="")
    for p in feeds:
        r.add_feed(str(p))
    r.update_feeds(workers=1)
    t_update = time.perf_counter() - t0
    r.enable_search()
    r.update_search()
    info = {
        "entries": r.get_entry_counts().total,
        "update_s": t_update,
        "search_index_s": time.perf_counter() - t0 - t_update,
    }
    r.close()
    idx = info["search_index_s"]
    print(f"  reader: {info['entries']} entries, update {t_update:.0f}s, index {idx:.0f}s", flush=True)
    return info


# --------------------------------------------------------------------------- queries


def query_set(vocab: list[str], n_sources: int) -> list[dict[str, Any]]:
    """Deterministic mixed query set; words picked by frequency rank."""
    w = vocab
    since_30d = END_DATE - timedelta(days=30)
    since_1y = END_DATE - timedelta(days=365)
    src = min(7, n_sources)
    q = [
        ("common", w[0]),
        ("common", w[1]),
        ("common", w[3]),
        ("common", w[6]),
        ("single", w[60]),
        ("single", w[600]),
        ("single", w[6000]),
        ("and", f"{w[0]} {w[1]}"),
        ("and", f"{w[2]} {w[40]}"),
        ("and", f"{w[4]} {w[30]} {w[300]}"),
        ("and", f"{w[10]} {w[100]} {w[1000]}"),
        ("phrase", f'"{w[0]} {w[1]}"'),
        ("phrase", f'"{w[5]} {w[50]}"'),
        ("phrase", f'"{w[2]} {w[3]} {w[4]}"'),
        ("prefix", w[0][:3] + "*"),
        ("prefix", w[9][:4] + "*"),
        ("prefix", w[200][:3] + "*"),
        ("or", f"{w[0]} OR {w[1]}"),
        ("or", f"{w[500]} OR {w[700]} OR {w[900]}"),
        ("not", f"{w[0]} NOT {w[1]}"),
        ("not", f"{w[20]} NOT {w[2]}"),
        ("field", f"title:{w[0]}"),
        ("field", f"title:{w[80]}"),
        ("field", f"title:{w[8]} {w[9]}"),
    ]
    out = [{"cls": c, "q": s} for c, s in q]
    out += [
        {"cls": "date", "q": w[0], "since": since_30d},
        {"cls": "date", "q": f"{w[5]} {w[9]}", "since": since_1y},
        {"cls": "date", "q": w[300], "since": since_30d},
        {"cls": "source", "q": w[0], "source": src},
        {"cls": "source", "q": f"{w[1]} {w[2]}", "source": src},
        {"cls": "source", "q": w[700], "source": src},
    ]
    return out


def make_hs_search(workdir: Path):
    hs = import_highsignal("highsignal", ("open",))
    lib = hs.open(str(workdir / "highsignal.sqlite"))
    if not hasattr(lib, "search"):
        raise HighsignalMissing("Library has no search() yet")

    def run(spec: dict[str, Any]) -> int:
        kw: dict[str, Any] = {"limit": 20}
        if "since" in spec:
            kw["since"] = spec["since"]
        if "source" in spec:
            kw["source"] = spec["source"]
        hits = lib.search(spec["q"], **kw)
        for h in hits:  # touch what a caller would render
            _ = (h.title, h.snippet)
        return len(hits)

    return run, lib


def make_fts5_search(workdir: Path):
    con = sqlite3.connect(f"file:{workdir / 'fts5.sqlite'}?mode=ro", uri=True)
    base = "SELECT rowid, bm25(t), snippet(t, -1, '[', ']', '…', 24) FROM t WHERE t MATCH ?"

    def run(spec: dict[str, Any]) -> int:
        sql, args = base, [spec["q"]]
        if "since" in spec:
            sql += " AND published >= ?"
            args.append(spec["since"].astimezone(UTC).isoformat())
        if "source" in spec:
            sql += " AND source_id = ?"
            args.append(spec["source"])
        sql += " ORDER BY rank LIMIT 20"
        return len(con.execute(sql, args).fetchall())

    def count(spec: dict[str, Any]) -> int:
        return con.execute("SELECT count(*) FROM t WHERE t MATCH ?", [spec["q"]]).fetchone()[0]

    return run, count, con


def make_reader_search(workdir: Path, feeds: list[Path]):
    from reader import make_reader

    r = make_reader(str(workdir / "reader.sqlite"), feed_root="")
    src_urls = [str(p) for p in feeds]

    def run(spec: dict[str, Any]) -> int | None:
        if "since" in spec:
            return None  # reader's search_entries has no date filter
        kw: dict[str, Any] = {"limit": 20}
        if "source" in spec:
            kw["feed"] = src_urls[spec["source"] - 1]
        return len(list(r.search_entries(spec["q"], **kw)))

    return run, r


def time_queries(run, queries: list[dict[str, Any]], repeats: int) -> tuple[list[list[float]], list[Any]]:
    """Warm-up pass, then ``repeats`` passes; returns per-query timings and result counts."""
    counts = []
    for spec in queries:
        try:
            counts.append(run(spec))
        except Exception as exc:
            counts.append(f"error: {type(exc).__name__}: {exc}"[:120])
    times: list[list[float]] = [[] for _ in queries]
    for _ in range(repeats):
        for i, spec in enumerate(queries):
            if isinstance(counts[i], str) or counts[i] is None:
                continue
            t0 = time.perf_counter()
            run(spec)
            times[i].append(time.perf_counter() - t0)
    return times, counts


def class_stats(queries: list[dict[str, Any]], times: list[list[float]]) -> dict[str, dict[str, float]]:
    by: dict[str, list[float]] = {}
    for spec, ts in zip(queries, times, strict=True):
        by.setdefault(spec["cls"], []).extend(ts)
        by.setdefault("ALL", []).extend(ts)
    return {
        cls: {"n": len(ts), "p50": percentile(ts, 50), "p95": percentile(ts, 95), "max": max(ts)}
        for cls, ts in by.items()
        if ts
    }


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = base_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=1_000_000, help="items in the store (default 1,000,000)")
    ap.add_argument("--per-file", type=int, default=10_000, help="items per generated feed file")
    ap.add_argument("--rebuild", action="store_true", help="regenerate and re-ingest even if cached")
    ap.add_argument("--with-reader", action="store_true", help="also time reader's search (slow to build)")
    ap.add_argument("--reader-items", type=int, default=100_000, help="items in reader's store (default 100,000)")
    args = ap.parse_args()
    warn_if_not_bench_venv()

    workdir = DATA_DIR / f"search-{args.items}"
    if args.rebuild and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    feeds = ensure_feeds(workdir, args.items, args.per_file)
    vocab = vocabulary()
    queries = query_set(vocab, len(feeds))

    meta = load_meta(workdir)
    want = {"generator": GENERATOR_VERSION, "items": args.items, "per_file": args.per_file}
    if {k: meta.get(k) for k in want} != want:
        meta = dict(want)
    unavailable: dict[str, str] = {}

    # ---- highsignal store (cached)
    hs_run = None
    try:
        import_highsignal("highsignal", ("open",))
        hs_db = workdir / "highsignal.sqlite"
        stale = None
        if "highsignal" not in meta or not hs_db.is_file():
            stale = "no cached store"
        elif sqlite_schema(hs_db) != current_hs_schema(workdir):
            stale = "highsignal's schema changed since the cached store was built"
        if stale:
            print(f"building the highsignal store ({stale}) ...", flush=True)
            meta["highsignal"] = build_highsignal(workdir, feeds)
            meta["highsignal"]["git_commit"] = env_info()["git_commit"]
            meta.pop("fts5", None)  # rebuild the peer from the new rows
            save_meta(workdir, meta)
        else:
            print(f"using cached highsignal store {workdir / 'highsignal.sqlite'}")
        hs_run, _hs_lib = make_hs_search(workdir)
    except HighsignalMissing as exc:
        unavailable["highsignal"] = str(exc)
        print(f"!! highsignal unavailable: {exc}", file=sys.stderr)

    # ---- FTS5 peer (cached)
    if "fts5" not in meta or not (workdir / "fts5.sqlite").is_file():
        print("building the plain FTS5 peer ...", flush=True)
        meta["fts5"] = build_fts5(workdir, feeds)
        save_meta(workdir, meta)
    fts_run, fts_count, _fts_con = make_fts5_search(workdir)

    # ---- reader (optional, cached separately)
    reader_run = None
    reader_info = None
    if args.with_reader:
        rdir = DATA_DIR / f"search-reader-{args.reader_items}"
        rdir.mkdir(parents=True, exist_ok=True)
        rfeeds = ensure_feeds(rdir, args.reader_items, args.per_file)
        rmeta = load_meta(rdir)
        rwant = {"generator": GENERATOR_VERSION, "items": args.reader_items, "per_file": args.per_file}
        if {k: rmeta.get(k) for k in rwant} != rwant or "reader" not in rmeta:
            rmeta = dict(rwant)
            rmeta["reader"] = build_reader(rdir, rfeeds)
            save_meta(rdir, rmeta)
        reader_info = rmeta["reader"]
        reader_run, _reader = make_reader_search(rdir, rfeeds)

    # ---- queries
    matches = []
    for spec in queries:
        try:
            matches.append(fts_count(spec))
        except sqlite3.Error as exc:
            matches.append(f"error: {exc}")
    n_rows = meta["fts5"]["rows"]
    engines: dict[str, Any] = {}
    plan = [("highsignal", hs_run), ("fts5", fts_run)]
    if reader_run is not None:
        plan.append((f"reader@{reader_info['entries']}", reader_run))
    for name, run in plan:
        if run is None:
            continue
        print(f"timing {name}: {len(queries)} queries x {args.repeats} repeats ...", flush=True)
        times, counts = time_queries(run, queries, args.repeats)
        engines[name] = {"times": times, "counts": counts, "classes": class_stats(queries, times)}

    # ---- report
    classes = list(dict.fromkeys([q["cls"] for q in queries] + ["ALL"]))
    names = list(engines)
    rows = []
    for cls in classes:
        row = [cls]
        for name in names:
            st = engines[name]["classes"].get(cls)
            row += [fmt_secs(st["p50"]), fmt_secs(st["p95"]), fmt_secs(st["max"])] if st else ["n/a", "", ""]
        if "highsignal" in engines and "fts5" in engines:
            a, b = engines["highsignal"]["classes"].get(cls), engines["fts5"]["classes"].get(cls)
            row.append(fmt_ratio(ratio(a["p95"], b["p95"])) if a and b else "n/a")
        rows.append(row)
    headers = ["class"]
    for name in names:
        headers += [f"{name} p50", "p95", "max"]
    if "highsignal" in engines and "fts5" in engines:
        headers.append("hs/fts5 p95")
    print_table(
        headers,
        rows,
        title=f"Search latency, limit 20, {n_rows} rows, {args.repeats} repeats per query (after one warm-up pass)",
    )

    qrows = []
    for i, spec in enumerate(queries):
        label = spec["q"] + (f" since={spec['since'].date()}" if "since" in spec else "")
        label += f" source={spec['source']}" if "source" in spec else ""
        row = [spec["cls"], label[:48], matches[i] if isinstance(matches[i], int) else "err"]
        for name in names:
            ts = engines[name]["times"][i]
            c = engines[name]["counts"][i]
            if ts:
                row.append(fmt_secs(sorted(ts)[len(ts) // 2]))
            else:
                row.append("n/a" if c is None else "ERR")
        qrows.append(row)
    print_table(["class", "query", "matches"] + [f"{n} med" for n in names], qrows, title="Per query (median)")
    for name in names:
        for i, c in enumerate(engines[name]["counts"]):
            if isinstance(c, str):
                print(f"  {name} failed on {queries[i]['q']!r}: {c}")
        if name == "highsignal":
            zero = [queries[i]["q"] for i, c in enumerate(engines[name]["counts"]) if c == 0]
            if zero:
                print(f"  highsignal returned no hits for: {zero}")

    goals: dict[str, Any] = {}
    print("\nGoals:")
    hs_all = engines.get("highsignal", {}).get("classes", {}).get("ALL")
    goals["p95_s"] = hs_all["p95"] if hs_all else None
    goals["items"] = n_rows
    print(
        goal_line(
            f"highsignal search p95 at {fmt_num(n_rows)} items",
            goals["p95_s"],
            P95_GOAL_S,
            higher_is_better=False,
            fmt=fmt_secs,
        )
    )
    print_unavailable(unavailable)

    for name in engines:
        engines[name]["per_query"] = [
            {
                "cls": q["cls"],
                "q": q["q"],
                "since": q.get("since"),
                "source": q.get("source"),
                "matches": matches[i],
                "hits": engines[name]["counts"][i],
                "times": engines[name]["times"][i],
            }
            for i, q in enumerate(queries)
        ]
        del engines[name]["times"], engines[name]["counts"]
    out = write_results(
        "search_bench",
        {
            "benchmark": "search",
            "env": env_info(),
            "args": vars(args),
            "store": meta,
            "reader_store": reader_info,
            "unavailable": unavailable,
            "bench_seconds": time.perf_counter() - t_start,
            "engines": engines,
            "goals": goals,
        },
        args.out,
    )
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
