#!/usr/bin/env python3
"""Transcript parsing: a 4-hour episode in WebVTT, SRT, Podcasting 2.0 JSON and HTML.

Workload (deterministic, seed 42, built in memory): 4 hours of talk between
three speakers, one cue every ~4 s (3,600 cues, ~40,000 words), with the
speaker changing every few cues. VTT marks every cue with a ``<v>`` voice
span; SRT, JSON and HTML mark only speaker changes, as exporters do.

Each repeat times ``parse_transcript`` followed by ``turns`` on the same
bytes, then (a separate column) the same plus indexing the turns as
searchable passages in a real SQLite store (``save_passages``: rows plus the
FTS5 index). The goal is parse and index in at most 1 s.

Usage: .venv/bin/python bench/transcript_bench.py [--repeats 20]
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import (
    base_parser,
    env_info,
    fmt_num,
    fmt_secs,
    goal_line,
    import_highsignal,
    percentile,
    print_table,
    write_results,
)

HOURS = 4
CUE_SECONDS = 4.0
WORDS_PER_CUE = 11  # 3,600 cues x 11 words ~ 40,000 words
SPEAKERS = ("Maya Chen", "Daniel Okafor", "swyx")
GOAL_SECONDS = 1.0

# Sentence parts recombined at random: enough variety that no two cues repeat.
OPENERS = (
    "I think",
    "Honestly,",
    "The thing people miss is that",
    "What we saw in production was that",
    "If you look at the evals,",
    "From the hardware side,",
    "So the short answer is",
    "Right, and",
    "My take is that",
    "When we shipped it,",
)
SUBJECTS = (
    "speculative decoding",
    "the eval suite",
    "our retrieval pipeline",
    "quantisation to four bits",
    "the draft model",
    "synthetic data",
    "the context window",
    "tool calling",
    "the reward model",
    "distillation",
    "KV cache reuse",
    "the tokenizer",
)
PREDICATES = (
    "cut p50 latency roughly in half",
    "mattered more than the model size",
    "broke in ways nobody predicted",
    "was mostly a data problem",
    "only paid off once we had real traffic",
    "made the smaller model competitive",
    "hid a regression for two weeks",
    "is where most of the cost goes",
    "needs a human in the loop for now",
    "turned out to be the easy part",
)
TAILS = (
    "and that surprised us.",
    "which is kind of wild.",
    "at least on our benchmarks.",
    "if you measure it honestly.",
    "for most customers anyway.",
    "and we wrote about it later.",
)


def sentence(rng: random.Random) -> str:
    """One spoken-sounding sentence of about eleven words."""
    return f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} {rng.choice(TAILS)}"


def conversation(seed: int = 42) -> list[tuple[float, float, str, str]]:
    """(start, end, speaker, text) for every cue of the episode."""
    rng = random.Random(seed)
    cues: list[tuple[float, float, str, str]] = []
    speaker = SPEAKERS[0]
    t = 0.0
    while t < HOURS * 3600:
        if rng.random() < 0.25:
            speaker = rng.choice([s for s in SPEAKERS if s != speaker])
        words = sentence(rng).split()
        while len(words) < WORDS_PER_CUE:
            words += sentence(rng).split()
        duration = CUE_SECONDS + rng.uniform(-0.8, 0.8)
        cues.append((t, t + duration, speaker, " ".join(words[:WORDS_PER_CUE])))
        t += duration
    return cues


def clock(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def as_vtt(cues: list[tuple[float, float, str, str]]) -> bytes:
    blocks = ["WEBVTT\n"]
    for start, end, who, text in cues:
        blocks.append(f"{clock(start, '.')} --> {clock(end, '.')}\n<v {who}>{text}\n")
    return "\n".join(blocks).encode()


def as_srt(cues: list[tuple[float, float, str, str]]) -> bytes:
    blocks = []
    previous = None
    for n, (start, end, who, text) in enumerate(cues, 1):
        prefix = f"{who}: " if who != previous else ""
        previous = who
        blocks.append(f"{n}\n{clock(start, ',')} --> {clock(end, ',')}\n{prefix}{text}\n")
    return "\n".join(blocks).encode()


def as_json(cues: list[tuple[float, float, str, str]]) -> bytes:
    segments: list[dict[str, Any]] = []
    previous = None
    for start, end, who, text in cues:
        seg: dict[str, Any] = {"startTime": round(start, 3), "endTime": round(end, 3), "body": text}
        if who != previous:
            seg = {"speaker": who, **seg}
        previous = who
        segments.append(seg)
    return json.dumps({"version": "1.0.0", "segments": segments}).encode()


def as_html(cues: list[tuple[float, float, str, str]]) -> bytes:
    parts = ["<!DOCTYPE html><html><head><title>Episode 142</title></head><body>"]
    previous = None
    for start, _end, who, text in cues:
        if who != previous:
            parts.append(f"<cite>{who}:</cite><time>{clock(start, '.')[:8]}</time>")
        previous = who
        parts.append(f"<p>{text}</p>")
    parts.append("</body></html>")
    return "\n".join(parts).encode()


FORMATS: dict[str, tuple[str, Callable[[list[tuple[float, float, str, str]]], bytes]]] = {
    "vtt": ("text/vtt", as_vtt),
    "srt": ("application/x-subrip", as_srt),
    "json": ("application/json", as_json),
    "html": ("text/html", as_html),
}


def episode_store(tmp: str) -> tuple[Any, int]:
    """A real store holding one podcast episode to index transcripts into."""
    store_mod = import_highsignal("highsignal.store", ["SqliteStore", "FetchState"])
    records = import_highsignal("highsignal.records", ["Item"])
    from datetime import UTC, datetime

    store = store_mod.SqliteStore(os.path.join(tmp, "bench.sqlite"))
    source, _ = store.add_source("https://bench.example/feed.xml", "podcast")
    item = records.Item(key="ep", title="A four-hour episode", text="notes", content_hash="x")
    now = datetime.now(UTC)
    store.apply_update(store_mod.FetchState(source.id, now, 200), None, [item], now)
    return store, store.item_ids(source.id)["ep"]


def measure(data: bytes, content_type: str, repeats: int, hs: Any, store: Any, item_id: int) -> dict[str, Any]:
    """Seconds per parse + turns, and per parse + turns + index, over ``repeats`` runs after one warm-up."""
    result = hs.parse_transcript(data, content_type)
    if result.error:
        raise SystemExit(f"{content_type}: {result.error}")
    turns = hs.turns(result.segments)
    times, indexed = [], []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        passages = hs.turns(hs.parse_transcript(data, content_type).segments)
        t1 = time.perf_counter()
        store.save_passages(item_id, passages, "file")
        t2 = time.perf_counter()
        times.append(t1 - t0)
        indexed.append(t2 - t0)
    hits = store.search_passages("the", limit=5)
    if not hits:
        raise SystemExit("indexed passages are not searchable")
    return {
        "index_median": statistics.median(indexed),
        "index_p95": percentile(indexed, 95),
        "bytes": len(data),
        "segments": len(result.segments),
        "turns": len(turns),
        "warnings": result.warnings,
        "median": statistics.median(times),
        "p95": percentile(times, 95),
        "values": times,
    }


def main() -> None:
    parser = base_parser(__doc__.splitlines()[0])
    parser.set_defaults(repeats=20)
    args = parser.parse_args()
    hs = import_highsignal("highsignal.podcast.transcripts", ["parse_transcript", "turns"])
    cues = conversation()
    words = sum(len(text.split()) for *_, text in cues)
    print(f"workload: {HOURS} h, {len(cues):,} cues, {words:,} words, {len(SPEAKERS)} speakers; {args.repeats} repeats")
    import tempfile

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        store, item_id = episode_store(tmp)
        for name, (content_type, render) in FORMATS.items():
            results[name] = measure(render(cues), content_type, args.repeats, hs, store, item_id)
        store.close()
    rows = [
        [
            name,
            f"{r['bytes'] / 1024:.0f} KiB",
            fmt_num(r["segments"]),
            fmt_num(r["turns"]),
            fmt_secs(r["median"]),
            fmt_secs(r["p95"]),
            fmt_secs(r["index_median"]),
            fmt_secs(r["index_p95"]),
        ]
        for name, r in results.items()
    ]
    headers = ["format", "size", "segments", "turns", "parse p50", "parse p95", "+index p50", "+index p95"]
    print_table(headers, rows, "parse_transcript + turns (+ save_passages into SQLite FTS5), 4-hour episode")
    worst = max(r["index_p95"] for r in results.values())
    print(goal_line("slowest parse+index p95 (s)", worst, GOAL_SECONDS, higher_is_better=False, fmt=fmt_secs))
    out = write_results("transcript_bench", {"env": env_info(), "args": vars(args), "results": results}, args.out)
    print(f"results: {out}")


if __name__ == "__main__":
    main()
