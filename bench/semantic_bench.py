#!/usr/bin/env python3
"""Semantic search on the 100k-item synthetic store: embedding, index load, query latency, memory.

Needs the store from ``bench/make_rank_store.py`` (100,000 AI items from ~300 sources; about
3 minutes to build). Works on a copy in a temporary directory (with its -wal and -shm), unless
--in-place: opening it migrates it to schema v5 (the ``vectors`` table) and this script writes a
vector for every item, so the cached store is never touched otherwise.

What it measures, side by side in one run (the machine has two noisy cores: every latency is
repeated, and medians and p95 are reported, never one run):

  1. embedding throughput: ``lib.embed_pending()`` over the whole store (timed once: it is the
     long step, about a minute), in items/s including the store reads and writes; and the model
     alone, ``lib.embedder.embed`` on a fixed sample of --embed-sample item texts (spread over
     the store) in batches of --embed-batch, --embed-repeats times, median items/s;
  2. index load: the first ``semantic_search`` in a fresh Library (model load + the check for
     items without a vector + reading every vector into memory + the query), --load-repeats
     fresh Library objects in this process, and as many fresh processes (what a CLI call pays);
     plus the parts on their own (model load, the stale-vector count, ``VectorIndex.sync``);
  3. warm query latency for ~30 queries (topics, paraphrases that share no keyword with the
     items, model and lab names, short and long), each --runs times after one warm-up pass,
     interleaved: lexical ``search``, ``semantic_search``, hybrid ``search(semantic=True)``,
     and ``ask(offline=True)`` with embeddings and with them turned off
     (``config={"embed": {"enabled": False}}``); p50 / p95 and the ratios hybrid / lexical and
     ask with / without embeddings;
  4. memory: resident set (VmRSS) before and after loading the index, in this process and in
     fresh processes (which also give the peak, VmHWM, that the load passes through), and in
     fresh processes step by step: SQLite's page cache (the stale-vector count reads the items),
     ``VectorIndex.sync``, and what is left after ``malloc_trim``;
  5. nearest-neighbour peer: sqlite-vec's brute-force KNN when ``sqlite_vec`` is importable
     (and this Python's sqlite3 can load extensions); otherwise the in-memory numpy index
     (``VectorIndex.nearest``: float32, BLAS, argpartition, and ``lib.nearest`` around it)
     against a naive pure-numpy baseline (float16 matrix as stored, matmul, full argsort),
     on the same vectors and query vectors, with recall@k against the exact index.

Usage:
    .venv/bin/python bench/semantic_bench.py [--store PATH] [--in-place] [--runs 5] [--load-repeats 3]
        [--embed-sample 5000] [--embed-batch 512] [--embed-repeats 5] [--nn-repeats 5] [--k 50]
        [--limit 20] [--show 2] [--no-fresh-process] [--out FILE]

About 3-4 minutes with the defaults on two cores (a minute of it embedding the store). Run it alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from _common import (  # noqa: E402
    DATA_DIR,
    fmt_num,
    fmt_ratio,
    percentile,
    print_table,
    ratio,
    run_json_subprocess,
    write_results,
)

try:
    import highsignal
    from highsignal.api import Library
    from highsignal.ask import ask
    from highsignal.embed import VectorIndex, load_embedder
    from highsignal.store import SqliteStore
except ImportError:  # not installed in this venv: use the source tree
    sys.path.insert(0, str(BENCH.parent / "src"))
    import highsignal
    from highsignal.api import Library
    from highsignal.ask import ask
    from highsignal.embed import VectorIndex, load_embedder
    from highsignal.store import SqliteStore

#: (kind, query). Paraphrases avoid the generator's vocabulary on purpose: lexical search finds
#: little or nothing for them, which is what semantic search is for.
QUERIES: list[tuple[str, str]] = [
    # AI topics, in the store's own words
    ("topic", "speculative decoding"),
    ("topic", "KV-cache compression for long context serving"),
    ("topic", "mixture-of-experts training"),
    ("topic", "reinforcement learning from verifiable rewards"),
    ("topic", "robot foundation models"),
    ("topic", "evaluation variance across seeds"),
    ("topic", "export controls on AI accelerators"),
    # paraphrases: the meaning without the keywords
    ("paraphrase", "making chatbots answer faster on cheap hardware"),
    ("paraphrase", "shrinking neural network weights to fewer bits"),
    ("paraphrase", "machines that walk around and pick things up"),
    ("paraphrase", "government rules for artificial intelligence in Europe"),
    ("paraphrase", "teaching a small network to copy a big one"),
    ("paraphrase", "reading text out of photographed paper forms"),
    ("paraphrase", "startups raising money from venture investors"),
    ("paraphrase", "programs that write software for you"),
    ("paraphrase", "computers that talk back with a natural voice"),
    ("paraphrase", "keeping powerful systems from causing harm"),
    # names: models, labs, products, hardware
    ("name", "Llama 3.1"),
    ("name", "Orion11.4 123B"),
    ("name", "Qwen2.5 72B"),
    ("name", "Cedar 2 14B"),
    ("name", "Lattice CX-900"),
    ("name", "Raven Voice"),
    ("name", "Meridian Labs"),
    ("name", "GPT-4o"),
    # short
    ("short", "GGUF"),
    ("short", "agents"),
    ("short", "H100"),
    # long
    (
        "long",
        "Tell me everything the feed says about speculative decoding, KV-cache compression and paged attention "
        "in serving engines for large language models this year",
    ),
    (
        "long",
        "which open-weight multimodal models released in the last few months can read charts and documents "
        "and run on a single consumer GPU",
    ),
    (
        "long",
        "how much did companies pay for datacenter buildouts with liquid-cooled racks and what did analysts "
        "say about the cost",
    ),
]

MODES = ("lexical", "semantic", "hybrid", "ask_embed", "ask_plain")
MODE_LABELS = {
    "lexical": "lexical search (FTS5 bm25)",
    "semantic": "semantic_search (vectors only)",
    "hybrid": "hybrid search(semantic=True)",
    "ask_embed": "ask offline, embeddings on",
    "ask_plain": "ask offline, embeddings off",
}
#: A model name no vector is stored under: ``stale_vectors`` then returns every item's text.
NO_MODEL = "semantic-bench-sample"


# --------------------------------------------------------------------------- helpers


def proc_status_mb(field: str) -> float:
    """``VmRSS`` / ``VmHWM`` of this process in MB (ru_maxrss as a fallback for the peak)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lat(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": statistics.median(ms), "p95": percentile(ms, 95), "max": max(ms), "min": min(ms)}


def med(values: list[float]) -> float:
    return statistics.median(values)


def copy_store(src: Path, dest_dir: Path) -> Path:
    db = dest_dir / src.name
    for suffix in ("", "-wal", "-shm"):
        part = src.with_name(src.name + suffix)
        if part.exists():
            shutil.copy(part, dest_dir / part.name)
    return db


def probe(db: str, query: str) -> None:
    """Run in a fresh interpreter: time and measure the first semantic query; print one JSON line."""
    rss_start = proc_status_mb("VmRSS")
    t0 = time.perf_counter()
    lib = highsignal.open(db)
    t_open = time.perf_counter() - t0
    rss_open = proc_status_mb("VmRSS")
    t0 = time.perf_counter()
    lib.embedder  # noqa: B018 - loads the model
    t_model = time.perf_counter() - t0
    rss_model = proc_status_mb("VmRSS")
    hwm_before = proc_status_mb("VmHWM")
    t0 = time.perf_counter()
    lib.semantic_search(query, limit=20)
    t_first = time.perf_counter() - t0
    rss_index = proc_status_mb("VmRSS")
    hwm_index = proc_status_mb("VmHWM")
    t0 = time.perf_counter()
    lib.semantic_search(query + " today", limit=20)
    t_second = time.perf_counter() - t0
    lib.close()
    out = {
        "open_s": t_open,
        "model_s": t_model,
        "first_query_s": t_first,
        "model_plus_first_s": t_model + t_first,
        "second_query_ms": t_second * 1000,
        "rss_start_mb": rss_start,
        "rss_open_mb": rss_open,
        "rss_model_mb": rss_model,
        "rss_index_mb": rss_index,
        "hwm_before_index_mb": hwm_before,
        "hwm_index_mb": hwm_index,
        "rss_anon_index_mb": proc_status_mb("RssAnon"),
    }
    print(json.dumps(out))


def probe_parts(db: str) -> None:
    """Run in a fresh interpreter: where the first query's memory goes, step by step; print one JSON line."""
    lib = highsignal.open(db)
    embedder = lib.embedder
    rss_model = proc_status_mb("VmRSS")
    lib.store.count_stale_vectors(embedder.name)  # reads items and vectors: SQLite's page cache fills
    rss_count = proc_status_mb("VmRSS")
    index = VectorIndex(embedder.name, embedder.dim)
    index.sync(lib.store)
    rss_sync, hwm_sync = proc_status_mb("VmRSS"), proc_status_mb("VmHWM")
    trimmed = None
    try:  # glibc keeps freed blocks (the 100k vector rows read from SQLite): hand them back to see the rest
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        trimmed = proc_status_mb("VmRSS")
    except (OSError, AttributeError):
        pass
    out = {
        "vectors": len(index),
        "rss_model_mb": rss_model,
        "sqlite_cache_mb": rss_count - rss_model,
        "sync_mb": rss_sync - rss_count,
        "sync_peak_mb": hwm_sync - rss_count,
        "sync_after_trim_mb": None if trimmed is None else trimmed - rss_count,
        "total_mb": rss_sync - rss_model,
    }
    lib.close()
    print(json.dumps(out))


# --------------------------------------------------------------------------- the stages


def measure_embedding(lib: Library, args: argparse.Namespace) -> dict[str, Any]:
    embedder = lib.embedder
    n_items = lib.store.count_items()
    # A fixed sample spread over the store: equal slices from evenly spaced id ranges.
    slices = 10
    per = max(1, args.embed_sample // slices)
    step = max(1, lib.store.max_item_id() // slices)
    texts: list[str] = []
    for s in range(slices):
        texts += [text for _, _, text in lib.store.stale_vectors(NO_MODEL, limit=per, after=s * step)]
    texts = texts[: args.embed_sample]
    embedder.embed(texts[: args.embed_batch])  # warm-up
    rates = []
    for _ in range(args.embed_repeats):
        t0 = time.perf_counter()
        for i in range(0, len(texts), args.embed_batch):
            embedder.embed(texts[i : i + args.embed_batch])
        rates.append(len(texts) / (time.perf_counter() - t0))
    sample = {
        "texts": len(texts),
        "mean_chars": statistics.mean(len(t) for t in texts) if texts else 0,
        "batch": args.embed_batch,
        "items_per_s": rates,
        "median_items_per_s": med(rates),
    }
    print(
        f"model alone: {len(texts):,} item texts (mean {sample['mean_chars']:.0f} chars) in batches of "
        f"{args.embed_batch}, x{args.embed_repeats}: median {med(rates):,.0f} items/s "
        f"({min(rates):,.0f}..{max(rates):,.0f})",
        flush=True,
    )

    stale = lib.store.count_stale_vectors(embedder.name)
    full: dict[str, Any] = {"items": n_items, "stale_before": stale}
    if stale == 0:
        print("embed_pending: NOT MEASURED (every item already has a vector from this model)", flush=True)
        full["embedded"] = 0
        return {"sample": sample, "embed_pending": full}
    marks = {stale * q // 4 for q in (1, 2, 3)}
    shown: set[int] = set()
    t_start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        for m in sorted(marks - shown):
            if done >= m:
                shown.add(m)
                print(f"  embedded {done:,}/{total:,} ({time.perf_counter() - t_start:.0f}s)", flush=True)

    embedded = lib.embed_pending(progress=progress)
    elapsed = time.perf_counter() - t_start
    full.update(
        embedded=embedded,
        seconds=elapsed,
        items_per_s=embedded / elapsed,
        stale_after=lib.store.count_stale_vectors(embedder.name),
    )
    print(
        f"embed_pending: {embedded:,} items in {elapsed:.1f}s = {embedded / elapsed:,.0f} items/s "
        f"(reads, model and writes; stale after: {full['stale_after']})",
        flush=True,
    )
    return {"sample": sample, "embed_pending": full}


def measure_load(db: Path, lib: Library, args: argparse.Namespace) -> dict[str, Any]:
    query = "making chatbots answer faster on cheap hardware"
    out: dict[str, Any] = {}

    # Memory: this process's own Library loads its index now (the model is already in memory).
    gc.collect()
    rss0 = proc_status_mb("VmRSS")
    t0 = time.perf_counter()
    lib.semantic_search(query, limit=args.limit)
    out["main_first_query_s"] = time.perf_counter() - t0
    out["main_rss_before_mb"], out["main_rss_after_mb"] = rss0, proc_status_mb("VmRSS")
    print(
        f"this process: first semantic query {out['main_first_query_s']:.2f}s (model loaded already); "
        f"VmRSS {rss0:.0f} -> {out['main_rss_after_mb']:.0f} MB (+{out['main_rss_after_mb'] - rss0:.0f} MB)",
        flush=True,
    )

    # Fresh Library objects in this process: model + stale check + vectors + query.
    firsts, seconds, rss_deltas = [], [], []
    for _ in range(args.load_repeats):
        gc.collect()
        rss_a = proc_status_mb("VmRSS")
        fresh = highsignal.open(db)
        t0 = time.perf_counter()
        fresh.semantic_search(query, limit=args.limit)
        firsts.append(time.perf_counter() - t0)
        rss_deltas.append(proc_status_mb("VmRSS") - rss_a)
        t0 = time.perf_counter()
        fresh.semantic_search(query + " today", limit=args.limit)
        seconds.append((time.perf_counter() - t0) * 1000)
        fresh.close()
        del fresh
    out["fresh_library"] = {"first_query_s": firsts, "second_query_ms": seconds, "rss_delta_mb": rss_deltas}
    print(
        f"fresh Library x{args.load_repeats}: first semantic query median {med(firsts):.2f}s "
        f"({min(firsts):.2f}..{max(firsts):.2f}); the next one {med(seconds):.1f} ms",
        flush=True,
    )

    # The parts on their own.
    model_s, count_s, sync_s = [], [], []
    name = lib.embedder.name
    for _ in range(args.load_repeats):
        t0 = time.perf_counter()
        embedder = load_embedder({})
        model_s.append(time.perf_counter() - t0)
        del embedder
        t0 = time.perf_counter()
        lib.store.count_stale_vectors(name)
        count_s.append(time.perf_counter() - t0)
        index = VectorIndex(name, lib.embedder.dim)
        t0 = time.perf_counter()
        index.sync(lib.store)
        sync_s.append(time.perf_counter() - t0)
        del index
        gc.collect()
    out["parts"] = {"model_load_s": model_s, "count_stale_s": count_s, "vector_sync_s": sync_s}
    print(
        f"  parts (median of {args.load_repeats}): model load {med(model_s):.2f}s, stale-vector count "
        f"{med(count_s):.2f}s, VectorIndex.sync of {lib.store.count_items():,} vectors {med(sync_s):.2f}s",
        flush=True,
    )

    # Fresh processes: what a `highsignal search --semantic` pays, and clean memory numbers.
    if args.no_fresh_process:
        return out
    code = "import sys, semantic_bench; semantic_bench.probe(sys.argv[1], sys.argv[2])"
    runs = []
    for _ in range(args.load_repeats):
        r = run_json_subprocess(code, [str(db), query], timeout=300)
        if "error" in r:
            print(f"  fresh process: NOT MEASURED ({r['error']})", flush=True)
            break
        runs.append(r)
    out["fresh_process"] = runs
    parts = []
    for _ in range(args.load_repeats if runs else 0):
        r = run_json_subprocess("import sys, semantic_bench; semantic_bench.probe_parts(sys.argv[1])", [str(db)])
        if "error" in r:
            print(f"  memory parts: NOT MEASURED ({r['error']})", flush=True)
            break
        parts.append(r)
    out["fresh_process_memory_parts"] = parts
    if runs:
        first = [r["model_plus_first_s"] for r in runs]
        rss = [r["rss_index_mb"] - r["rss_model_mb"] for r in runs]
        peak = [r["hwm_index_mb"] - r["rss_model_mb"] for r in runs]
        print(
            f"fresh process x{len(runs)}: model load + first semantic query median {med(first):.2f}s; "
            f"VmRSS +{med(rss):.0f} MB for the index (peak +{med(peak):.0f} MB while loading)",
            flush=True,
        )
    return out


def measure_queries(lib: Library, plain: Library, args: argparse.Namespace) -> dict[str, Any]:
    def run(mode: str, q: str) -> Any:
        if mode == "lexical":
            return lib.search(q, limit=args.limit)
        if mode == "semantic":
            return lib.semantic_search(q, limit=args.limit)
        if mode == "hybrid":
            return lib.search(q, limit=args.limit, semantic=True)
        if mode == "ask_embed":
            return ask(lib, q, offline=True)
        return ask(plain, q, offline=True)

    results: dict[tuple[str, str], Any] = {}
    for _, q in QUERIES:  # warm-up: page cache, regexes, the FTS tables
        for mode in MODES:
            results[mode, q] = run(mode, q)
    times: dict[tuple[str, str], list[float]] = {(m, q): [] for m in MODES for _, q in QUERIES}
    t_start = time.perf_counter()
    for r in range(args.runs):
        order = MODES[r % len(MODES) :] + MODES[: r % len(MODES)]  # rotate: no mode always runs first
        for _, q in QUERIES:
            for mode in order:
                t0 = time.perf_counter()
                run(mode, q)
                times[mode, q].append((time.perf_counter() - t0) * 1000)
    print(
        f"timed {args.runs} runs x {len(QUERIES)} queries x {len(MODES)} modes in {time.perf_counter() - t_start:.0f}s",
        flush=True,
    )
    overall = {m: lat([t for (mm, _), ts in times.items() if mm == m for t in ts]) for m in MODES}
    per_query = []
    for kind, q in QUERIES:
        row: dict[str, Any] = {"kind": kind, "query": q}
        for m in MODES:
            row[m + "_median_ms"] = med(times[m, q])
        row["lexical_hits"] = len(results["lexical", q])
        row["semantic_hits"] = len(results["semantic", q])
        row["hybrid_hits"] = len(results["hybrid", q])
        row["hybrid_from_semantic_only"] = sum(1 for h in results["hybrid", q] if h.lexical_rank is None)
        row["ask_embed_mode"] = results["ask_embed", q].mode
        row["ask_plain_mode"] = results["ask_plain", q].mode
        row["ask_embed_citations"] = len(results["ask_embed", q].citations)
        row["ask_plain_citations"] = len(results["ask_plain", q].citations)
        per_query.append(row)
    by_kind = {}
    for kind in dict.fromkeys(k for k, _ in QUERIES):
        qs = [q for k, q in QUERIES if k == kind]
        by_kind[kind] = {m: lat([t for q in qs for t in times[m, q]]) for m in MODES}
    examples = [q for k, q in QUERIES if k == "paraphrase"][: args.show]
    shown = {q: {m: [h.title for h in results[m, q][:3]] for m in ("lexical", "semantic", "hybrid")} for q in examples}
    return {"overall": overall, "by_kind": by_kind, "per_query": per_query, "examples": shown}


def measure_nearest(lib: Library, args: argparse.Namespace) -> dict[str, Any]:
    embedder = lib.embedder
    k = args.k
    out: dict[str, Any] = {"k": k}
    try:
        import sqlite3

        import sqlite_vec  # noqa: F401

        conn = sqlite3.connect(":memory:")
        if not hasattr(conn, "enable_load_extension"):
            raise ImportError("this Python's sqlite3 cannot load extensions")
        conn.close()
        out["sqlite_vec"] = "importable"
        peer = "sqlite-vec"
    except ImportError as exc:
        out["sqlite_vec"] = f"not available: {exc}"
        peer = None

    qvecs = embedder.embed([q for _, q in QUERIES])
    index = VectorIndex(embedder.name, embedder.dim)
    index.sync(lib.store)
    rows = lib.store.vectors(embedder.name)
    ids16 = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    m16 = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).reshape(len(rows), embedder.dim)
    del rows
    out["vectors"] = len(ids16)
    out["float32_matrix_mb"] = len(ids16) * embedder.dim * 4 / 1e6
    out["float16_matrix_mb"] = m16.nbytes / 1e6

    def naive16(v: np.ndarray) -> list[int]:
        sims = m16 @ v.astype(np.float16)
        return [int(ids16[i]) for i in np.argsort(-sims, kind="stable")[:k]]

    vec_peer = None
    if peer == "sqlite-vec":
        vec_peer = _sqlite_vec_peer(ids16, m16, k)

    methods: dict[str, Any] = {
        "lib.nearest": lambda n, q: [i for i, _ in lib.nearest(q, k)],
        "VectorIndex.nearest": lambda n, q: [i for i, _ in index.nearest(qvecs[n], k)],
        "naive numpy float16": lambda n, q: naive16(qvecs[n]),
    }
    if vec_peer is not None:
        methods["sqlite-vec"] = lambda n, q: vec_peer(qvecs[n])
    timing: dict[str, list[float]] = {m: [] for m in methods}
    recall: dict[str, list[float]] = {m: [] for m in methods}
    for n, (_, q) in enumerate(QUERIES):
        exact = {i for i, _ in index.nearest(qvecs[n], k)}
        for name, fn in methods.items():
            got = fn(n, q)  # warm-up, and the result for recall
            recall[name].append(len(exact & set(got)) / max(1, len(exact)))
    for _ in range(args.nn_repeats):
        for n, (_, q) in enumerate(QUERIES):
            for name, fn in methods.items():
                t0 = time.perf_counter()
                fn(n, q)
                timing[name].append((time.perf_counter() - t0) * 1000)
    out["methods"] = {name: {**lat(timing[name]), "recall_at_k": statistics.mean(recall[name])} for name in methods}
    out["peer"] = peer or "none (sqlite_vec not importable): naive numpy float16 baseline instead"
    return out


def _sqlite_vec_peer(ids: np.ndarray, m16: np.ndarray, k: int) -> Any:
    """Brute-force KNN with sqlite-vec's ``vec0`` over the same vectors (float32, cosine)."""
    import sqlite3

    import sqlite_vec

    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    sqlite_vec.load(conn)
    conn.enable_load_extension(False)
    dim = m16.shape[1]
    conn.execute(f"CREATE VIRTUAL TABLE v USING vec0(embedding float[{dim}] distance_metric=cosine)")
    m32 = m16.astype(np.float32)
    conn.executemany(
        "INSERT INTO v (rowid, embedding) VALUES (?, ?)", ((int(i), m32[n].tobytes()) for n, i in enumerate(ids))
    )

    def knn(v: np.ndarray) -> list[int]:
        rows = conn.execute(
            "SELECT rowid FROM v WHERE embedding MATCH ? AND k = ? ORDER BY distance",
            (v.astype(np.float32).tobytes(), k),
        ).fetchall()
        return [r[0] for r in rows]

    return knn


# --------------------------------------------------------------------------- report


def report(res: dict[str, Any], args: argparse.Namespace) -> None:
    emb, load, qs, nn = res["embedding"], res["load"], res["queries"], res["nearest"]

    # 1. embedding
    full = emb["embed_pending"]
    rows = [
        [
            f"model alone, {emb['sample']['texts']:,} texts, batches of {emb['sample']['batch']}",
            f"{emb['sample']['median_items_per_s']:,.0f}",
            f"{min(emb['sample']['items_per_s']):,.0f}..{max(emb['sample']['items_per_s']):,.0f}",
            f"x{len(emb['sample']['items_per_s'])}",
        ]
    ]
    if full.get("embedded"):
        rows.append(
            [
                f"embed_pending, all {full['embedded']:,} items",
                f"{full['items_per_s']:,.0f}",
                f"{full['seconds']:.1f}s total",
                "x1",
            ]
        )
    else:
        rows.append(["embed_pending", "NOT MEASURED", "already embedded", ""])
    print_table(["embedding", "items/s (median)", "range", "runs"], rows, title="1. embedding throughput")

    # 2. index load, 4. memory
    rows = []
    fl = load["fresh_library"]
    rows.append(
        [
            "fresh Library, first semantic_search (model + check + vectors + query)",
            f"{med(fl['first_query_s']):.2f}s",
            f"{min(fl['first_query_s']):.2f}..{max(fl['first_query_s']):.2f}s",
            f"x{len(fl['first_query_s'])}",
        ]
    )
    fp = load.get("fresh_process") or []
    if fp:
        first = [r["model_plus_first_s"] for r in fp]
        rows.append(
            [
                "fresh process, model load + first semantic_search",
                f"{med(first):.2f}s",
                f"{min(first):.2f}..{max(first):.2f}s",
                f"x{len(fp)}",
            ]
        )
    for label, key in (
        ("  model load (load_embedder)", "model_load_s"),
        ("  count_stale_vectors over every item", "count_stale_s"),
        ("  VectorIndex.sync (read every vector)", "vector_sync_s"),
    ):
        v = load["parts"][key]
        rows.append([label, f"{med(v):.2f}s", f"{min(v):.2f}..{max(v):.2f}s", f"x{len(v)}"])
    rows.append(
        [
            "fresh Library, the second semantic_search",
            f"{med(fl['second_query_ms']):.1f}ms",
            f"{min(fl['second_query_ms']):.1f}..{max(fl['second_query_ms']):.1f}ms",
            f"x{len(fl['second_query_ms'])}",
        ]
    )
    print_table(["index load", "median", "range", "runs"], rows, title="2. index load (first semantic query)")

    rows = [
        [
            "this process, main Library (model already loaded)",
            f"{load['main_rss_before_mb']:.0f}",
            f"{load['main_rss_after_mb']:.0f}",
            f"+{load['main_rss_after_mb'] - load['main_rss_before_mb']:.0f}",
            "",
        ],
        [
            f"this process, fresh Library x{len(fl['rss_delta_mb'])}: model + index (median)",
            "",
            "",
            f"+{med(fl['rss_delta_mb']):.0f}",
            "",
        ],
    ]
    if fp:
        rows.append(
            [
                f"fresh process x{len(fp)} (median): after the model -> after the index",
                f"{med([r['rss_model_mb'] for r in fp]):.0f}",
                f"{med([r['rss_index_mb'] for r in fp]):.0f}",
                f"+{med([r['rss_index_mb'] - r['rss_model_mb'] for r in fp]):.0f}",
                f"+{med([r['hwm_index_mb'] - r['rss_model_mb'] for r in fp]):.0f}",
            ]
        )
        rows.append(
            [
                "fresh process: the model itself (after open -> after the model)",
                f"{med([r['rss_open_mb'] for r in fp]):.0f}",
                f"{med([r['rss_model_mb'] for r in fp]):.0f}",
                f"+{med([r['rss_model_mb'] - r['rss_open_mb'] for r in fp]):.0f}",
                "",
            ]
        )
    mp = load.get("fresh_process_memory_parts") or []
    if mp:
        rows.append(
            [
                f"  of the first query, fresh process x{len(mp)}: SQLite page cache (stale-vector count)",
                "",
                "",
                f"+{med([r['sqlite_cache_mb'] for r in mp]):.0f}",
                "",
            ]
        )
        rows.append(
            [
                "  of the first query: VectorIndex.sync (the matrix and what reading it leaves)",
                "",
                "",
                f"+{med([r['sync_mb'] for r in mp]):.0f}",
                f"+{med([r['sync_peak_mb'] for r in mp]):.0f}",
            ]
        )
        if all(r["sync_after_trim_mb"] is not None for r in mp):
            rows.append(
                [
                    "  VectorIndex.sync after malloc_trim(0): matrix + id map (freed row buffers handed back)",
                    "",
                    "",
                    f"+{med([r['sync_after_trim_mb'] for r in mp]):.0f}",
                    "",
                ]
            )
    print_table(
        ["memory (VmRSS, MB)", "before", "after", "increase", "peak increase (VmHWM)"],
        rows,
        title=f"4. memory: the index is {nn['vectors']:,} x 256 float32 = {nn['float32_matrix_mb']:.0f} MB of matrix",
    )

    # 3. query latency
    ov = qs["overall"]
    rows = [
        [MODE_LABELS[m], f"{ov[m]['p50']:.1f}", f"{ov[m]['p95']:.1f}", f"{ov[m]['max']:.1f}", ov[m]["n"]] for m in MODES
    ]
    print_table(
        ["mode", "p50 ms", "p95 ms", "max ms", "n"],
        rows,
        title=f"3. warm query latency: {len(QUERIES)} queries x {args.runs} runs, limit {args.limit}",
    )
    ratios = {
        "hybrid / lexical": ("hybrid", "lexical"),
        "semantic / lexical": ("semantic", "lexical"),
        "ask with / without embeddings": ("ask_embed", "ask_plain"),
    }
    for label, (a, b) in ratios.items():
        print(
            f"  {label}: p50 {fmt_ratio(ratio(ov[a]['p50'], ov[b]['p50']))}, "
            f"p95 {fmt_ratio(ratio(ov[a]['p95'], ov[b]['p95']))}"
        )
    rows = []
    for kind, st in qs["by_kind"].items():
        pq = [r for r in qs["per_query"] if r["kind"] == kind]
        rows.append(
            [kind, len(pq)]
            + [f"{st[m]['p50']:.1f} / {st[m]['p95']:.1f}" for m in MODES]
            + [
                f"{statistics.mean(r['lexical_hits'] for r in pq):.1f}",
                f"{statistics.mean(r['hybrid_from_semantic_only'] for r in pq):.1f}",
                f"{sum(r['ask_embed_mode'] != 'none' for r in pq)} / {sum(r['ask_plain_mode'] != 'none' for r in pq)}",
            ]
        )
    headers = ["kind", "queries", *(f"{m} p50/p95 ms" for m in MODES)]
    headers += ["lexical hits", "hybrid: by meaning only", "ask answered on/off"]
    print_table(
        headers,
        rows,
        title=f"   by kind (hits out of {args.limit}; 'by meaning only': hybrid hits not in the lexical list)",
    )
    slow = sorted(qs["per_query"], key=lambda r: -r["hybrid_median_ms"])[:5]
    print("\n   slowest hybrid queries (median ms: lexical, semantic, hybrid, ask on, ask off):")
    for r in slow:
        ms = ", ".join(f"{r[m + '_median_ms']:.1f}" for m in MODES)
        print(f"     {ms}  [{r['kind']}] {r['query'][:70]}")
    for q, by_mode in qs["examples"].items():
        print(f"\n   example: {q!r}")
        for m, titles in by_mode.items():
            print(f"     {m:9} " + (" | ".join((t or "(untitled)")[:45] for t in titles) or "(nothing)"))

    # 5. nearest neighbours
    rows = []
    notes = {
        "lib.nearest": "public path: embed the query, check for new items, scan",
        "VectorIndex.nearest": "float32 matrix, BLAS matvec, argpartition",
        "naive numpy float16": "float16 matrix as stored, matmul, full argsort",
        "sqlite-vec": "vec0 virtual table, brute-force cosine KNN",
    }
    for name, st in nn["methods"].items():
        rows.append([name, f"{st['p50']:.2f}", f"{st['p95']:.2f}", f"{st['recall_at_k']:.3f}", notes.get(name, "")])
    if "sqlite-vec" not in nn["methods"]:
        rows.append(["sqlite-vec", "NOT MEASURED", "", "", nn["sqlite_vec"]])
    print_table(
        ["nearest neighbours", "p50 ms", "p95 ms", f"recall@{nn['k']} vs exact", "what"],
        rows,
        title=f"5. nearest-neighbour step, k={nn['k']}, {nn['vectors']:,} vectors, {len(QUERIES)} queries x "
        f"{args.nn_repeats} runs",
    )
    if "sqlite-vec" not in nn["methods"]:
        print(
            f"  peer: sqlite_vec is not importable here ({nn['sqlite_vec']}), so the peer is a naive pure-numpy "
            f"float16 matmul ({nn['float16_matrix_mb']:.0f} MB of matrix) against the index's float32 "
            f"({nn['float32_matrix_mb']:.0f} MB)"
        )
    idx, naive = nn["methods"]["VectorIndex.nearest"], nn["methods"]["naive numpy float16"]
    print(f"  naive float16 / VectorIndex: p50 {fmt_ratio(ratio(naive['p50'], idx['p50']))}")

    # summary
    def both(a: str, b: str) -> str:
        return f"{fmt_ratio(ratio(ov[a]['p50'], ov[b]['p50']))}, {fmt_ratio(ratio(ov[a]['p95'], ov[b]['p95']))}"

    sample = emb["sample"]
    summary: list[tuple[str, str]] = []
    if full.get("embedded"):
        summary.append(
            (
                "embed_pending, whole store",
                f"{full['items_per_s']:,.0f} items/s ({full['seconds']:.0f}s for {full['embedded']:,})",
            )
        )
    summary.append(
        (
            f"model alone ({sample['texts']:,} texts, median of {len(sample['items_per_s'])})",
            f"{sample['median_items_per_s']:,.0f} items/s",
        )
    )
    summary.append(
        (
            f"first semantic query, fresh Library (median of {len(fl['first_query_s'])})",
            f"{med(fl['first_query_s']):.2f} s",
        )
    )
    if fp:
        summary.append(
            (
                f"first semantic query, fresh process, with model load (median of {len(fp)})",
                f"{med([r['model_plus_first_s'] for r in fp]):.2f} s",
            )
        )
        rss = med([r["rss_index_mb"] - r["rss_model_mb"] for r in fp])
        peak = med([r["hwm_index_mb"] - r["rss_model_mb"] for r in fp])
        summary.append(("index memory, fresh process (VmRSS / peak while loading)", f"+{rss:.0f} MB / +{peak:.0f} MB"))
    mp = load.get("fresh_process_memory_parts") or []
    if mp:
        cache, sync = med([r["sqlite_cache_mb"] for r in mp]), med([r["sync_mb"] for r in mp])
        value = f"+{cache:.0f} MB / +{sync:.0f} MB"
        if all(r["sync_after_trim_mb"] is not None for r in mp):
            value += f" (index +{med([r['sync_after_trim_mb'] for r in mp]):.0f} MB after malloc_trim)"
        summary.append(("  of which SQLite page cache / VectorIndex.sync", value))
    for m in MODES:
        summary.append((f"{MODE_LABELS[m]}, p50 / p95", f"{ov[m]['p50']:.1f} / {ov[m]['p95']:.1f} ms"))
    summary.append(("hybrid / lexical (p50, p95)", both("hybrid", "lexical")))
    summary.append(("ask with / without embeddings (p50, p95)", both("ask_embed", "ask_plain")))
    lib_p50 = nn["methods"]["lib.nearest"]["p50"]
    summary.append(
        (
            f"NN k={nn['k']} p50: VectorIndex / naive float16 / lib.nearest",
            f"{fmt_num(idx['p50'])} / {fmt_num(naive['p50'])} / {fmt_num(lib_p50)} ms",
        )
    )
    print("\n## summary\n")
    print("| metric | value |")
    print("|---|---|")
    for metric, value in summary:
        print(f"| {metric} | {value} |")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=DATA_DIR / "rank" / "store.sqlite", help="the store to measure")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="use --store itself instead of a copy (it is migrated to schema v5 and every item gets a vector)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query and mode, after one warm-up (5)")
    parser.add_argument(
        "--load-repeats", type=int, default=3, help="fresh Library objects, and fresh processes, for index load (3)"
    )
    parser.add_argument("--embed-sample", type=int, default=5000, help="item texts embedded by the model alone (5000)")
    parser.add_argument("--embed-batch", type=int, default=512, help="texts per embed() call for the sample (512)")
    parser.add_argument("--embed-repeats", type=int, default=5, help="passes over the sample (5)")
    parser.add_argument("--nn-repeats", type=int, default=5, help="timed runs per query of each NN method (5)")
    parser.add_argument("--k", type=int, default=50, help="neighbours per NN query (50: hybrid search's depth)")
    parser.add_argument("--limit", type=int, default=20, help="hits per search (20)")
    parser.add_argument("--show", type=int, default=2, help="paraphrase queries whose top 3 titles are printed (2)")
    parser.add_argument("--no-fresh-process", action="store_true", help="skip the index loads in fresh processes")
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON results (default bench/results/semantic_bench-<timestamp>.json)"
    )
    args = parser.parse_args()
    if not args.store.exists():
        print(
            f"{args.store} is missing: build it with `.venv/bin/python bench/make_rank_store.py` (~3 minutes)",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="hs-semantic-bench-"))
    try:
        if args.in_place:
            db = args.store
            print(f"using {db} in place: it is migrated to schema v5 and gets a vector per item")
        else:
            t0 = time.perf_counter()
            db = copy_store(args.store, tmp)
            size = args.store.stat().st_size / 1e9
            print(f"copied {args.store} ({size:.2f} GB) to {tmp} in {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        lib = highsignal.open(db)
        t_open = time.perf_counter() - t0
        plain = Library(SqliteStore(db), config={"embed": {"enabled": False}})
        try:
            n_items = lib.store.count_items()
            t0 = time.perf_counter()
            embedder = lib.embedder
            t_model = time.perf_counter() - t0
            print(
                f"store: {n_items:,} items, schema v{lib.store.schema_version} (open + migrate {t_open:.1f}s); "
                f"model {embedder.name} ({embedder.dim} dims) loaded in {t_model:.2f}s; "
                f"semantic off for the comparison library: {not plain.semantic_available()}\n",
                flush=True,
            )
            res: dict[str, Any] = {"open_s": t_open, "model_load_s": t_model}
            print("1. embedding", flush=True)
            res["embedding"] = measure_embedding(lib, args)
            print("\n2. index load and 4. memory", flush=True)
            res["load"] = measure_load(db, lib, args)
            print("\n3. query latency", flush=True)
            res["queries"] = measure_queries(lib, plain, args)
            print("\n5. nearest neighbours", flush=True)
            res["nearest"] = measure_nearest(lib, args)
        finally:
            plain.close()
            lib.close()
        report(res, args)
        total = time.perf_counter() - started
        print(f"\ntotal {total:.0f}s")
        payload = {
            "env": {"python": sys.version.split()[0], "platform": platform.platform(), "cpu_count": os.cpu_count()},
            "args": {k: str(v) for k, v in vars(args).items()},
            "store": str(args.store),
            "items": n_items,
            "model": {"name": embedder.name, "dim": embedder.dim},
            "queries": [{"kind": k, "query": q} for k, q in QUERIES],
            "total_s": total,
            **res,
        }
        print(f"results: {write_results('semantic_bench', payload, args.out)}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
