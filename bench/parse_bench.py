#!/usr/bin/env python3
"""Parse throughput: highsignal vs feedparser, fastfeedparser and plain lxml, same run.

Workloads (deterministic, bounded):
  corpus  every file under $HIGHSIGNAL_CORPUS/feeds (3,090 files; 'real' and 'snippet'
          subsets reported separately, all from the same timed pass)
  big     big_podcast.xml (5,000 episodes, ~50 MB) from gen_synthetic.py, cached in bench/data/
  many    many_items.xml (100,000 small items, ~43 MB), same generator

Each parser parses the whole workload once per repeat (parser order rotates between
repeats); entries/s = entries that parser found / seconds it spent. Also reports the
robustness count (files where feedparser finds entries and the parser finds none) and
the peak RSS of each parser on big_podcast.xml, each in a fresh subprocess.

Usage: bench/.venv/bin/python bench/parse_bench.py [--repeats 5] [--workloads corpus,big,many]
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import (
    CORPUS_DIR,
    DATA_DIR,
    FEEDS_DIR,
    HighsignalMissing,
    base_parser,
    env_info,
    fmt_num,
    fmt_ratio,
    fmt_secs,
    goal_line,
    import_highsignal,
    print_table,
    print_unavailable,
    ratio,
    run_json_subprocess,
    summarize,
    warn_if_not_bench_venv,
    write_results,
)

SYNTH_DIR = DATA_DIR / "synth"
HS = "highsignal"
PEERS = ("feedparser", "fastfeedparser", "lxml")
RSS_GOAL_MB = 200.0
SPEED_GOAL = 40.0  # x feedparser


# --------------------------------------------------------------------------- parsers
# Each returns the number of entries found, or raises. Exceptions that are the parser's
# documented "this is not a feed" error count as 0 entries, anything else as a crash.


def make_feedparser() -> tuple[Callable[[bytes, str], int], tuple[type[BaseException], ...]]:
    import feedparser

    def parse(data: bytes, url: str) -> int:
        return len(feedparser.parse(data).entries)

    return parse, ()


def make_fastfeedparser() -> tuple[Callable[[bytes, str], int], tuple[type[BaseException], ...]]:
    import fastfeedparser

    def parse(data: bytes, url: str) -> int:
        return len(fastfeedparser.parse(data).entries)

    # fastfeedparser raises ValueError (and friends) on anything it can't read: expected.
    return parse, (Exception,)


def make_lxml() -> tuple[Callable[[bytes, str], int], tuple[type[BaseException], ...]]:
    from lxml import etree

    xml_parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

    def child_text(el: Any, names: tuple[str, ...]) -> str | None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag.rpartition("}")[2]
            if local in names:
                if local == "link" and child.get("href"):
                    return child.get("href")
                return child.text
        return None

    def parse(data: bytes, url: str) -> int:
        root = etree.fromstring(data, xml_parser)
        entries = [
            (
                child_text(el, ("title",)),
                child_text(el, ("link",)),
                child_text(el, ("guid", "id")),
                child_text(el, ("description", "summary", "content")),
            )
            for el in root.iter("{*}item", "{*}entry")
        ]
        return len(entries)

    return parse, (etree.XMLSyntaxError, ValueError)


def make_highsignal() -> tuple[Callable[[bytes, str], int], tuple[type[BaseException], ...]]:
    try:
        mod = import_highsignal("highsignal.parse", ("parse_feed",))
        parse_feed = mod.parse_feed
    except HighsignalMissing as exc:
        # Development fallback: the function may exist before the package re-exports it.
        try:
            parse_feed = import_highsignal("highsignal.parse.feeds", ("parse_feed",)).parse_feed
            print(f"warning: {exc}; using highsignal.parse.feeds.parse_feed", file=sys.stderr)
        except HighsignalMissing:
            raise exc from None
    errors = import_highsignal("highsignal.errors", ("ParseError",))
    parse_error = errors.ParseError

    def parse(data: bytes, url: str) -> int:
        return len(parse_feed(data, url).items)

    return parse, (parse_error,)


FACTORIES = {
    HS: make_highsignal,
    "feedparser": make_feedparser,
    "fastfeedparser": make_fastfeedparser,
    "lxml": make_lxml,
}


# --------------------------------------------------------------------------- workloads


def load_corpus() -> list[tuple[str, str, bytes]]:
    """(group, relpath, bytes) for every file under feeds/, sorted by path."""
    if not FEEDS_DIR.is_dir():
        sys.exit(f"corpus not found: {FEEDS_DIR} (set HIGHSIGNAL_CORPUS)")
    files: list[tuple[str, str, bytes]] = []
    for dirpath, _dirs, names in os.walk(FEEDS_DIR):
        for name in names:
            p = Path(dirpath) / name
            rel = p.relative_to(FEEDS_DIR).as_posix()
            files.append((rel.split("/", 1)[0], rel, p.read_bytes()))
    files.sort(key=lambda t: t[1])
    return files


def ensure_synthetic() -> dict[str, Path]:
    big, many = SYNTH_DIR / "big_podcast.xml", SYNTH_DIR / "many_items.xml"
    if not (big.is_file() and many.is_file()):
        gen = CORPUS_DIR / "gen_synthetic.py"
        print(f"generating synthetic feeds into {SYNTH_DIR} ...", flush=True)
        SYNTH_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(gen), str(SYNTH_DIR)], check=True)
    return {"big": big, "many": many}


def run_files(
    parse: Callable[[bytes, str], int],
    expected: tuple[type[BaseException], ...],
    files: list[tuple[str, str, bytes]],
) -> tuple[dict[str, float], dict[str, int], dict[str, int], dict[str, str]]:
    """Parse each file once. Returns per-group seconds, per-group entries,
    per-file entry counts and per-file crash messages (unexpected exceptions)."""
    secs: dict[str, float] = {}
    entries: dict[str, int] = {}
    per_file: dict[str, int] = {}
    crashes: dict[str, str] = {}
    clock = time.perf_counter
    gc.collect()
    for group, rel, data in files:
        url = f"https://bench.invalid/{rel}"
        t0 = clock()
        try:
            n = parse(data, url)
        except expected:
            n = 0
        except Exception as exc:
            n = 0
            crashes[rel] = f"{type(exc).__name__}: {exc}"[:200]
        dt = clock() - t0
        secs[group] = secs.get(group, 0.0) + dt
        entries[group] = entries.get(group, 0) + n
        per_file[rel] = n
    return secs, entries, per_file, crashes


PEAK_RSS_CODE = r"""
import json, sys, time
from pathlib import Path
from _common import peak_rss_mb
import parse_bench as pb
name, path = sys.argv[1], sys.argv[2]
parse, expected = pb.FACTORIES[name]()
data = Path(path).read_bytes()
base = peak_rss_mb()
t0 = time.perf_counter()
n = parse(data, "https://bench.invalid/" + Path(path).name)
dt = time.perf_counter() - t0
print(json.dumps({"entries": n, "seconds": dt, "baseline_mb": base, "peak_mb": peak_rss_mb()}))
"""


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = base_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--workloads", default="corpus,big,many", help="comma list of corpus,big,many (default all)")
    ap.add_argument(
        "--parsers",
        default=",".join((HS, *PEERS)),
        help="comma list of highsignal,feedparser,fastfeedparser,lxml",
    )
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-RSS subprocess runs")
    args = ap.parse_args()
    warn_if_not_bench_venv()
    workloads = [w for w in args.workloads.split(",") if w]
    wanted = [p for p in args.parsers.split(",") if p]

    parsers: dict[str, tuple[Callable[[bytes, str], int], tuple[type[BaseException], ...]]] = {}
    unavailable: dict[str, str] = {}
    for name in wanted:
        try:
            parsers[name] = FACTORIES[name]()
        except (HighsignalMissing, ImportError) as exc:
            unavailable[name] = str(exc)
            print(f"!! {name} unavailable, its rows are skipped: {exc}", file=sys.stderr)
    names = list(parsers)

    # Workloads: name -> list of (group, rel, data). The corpus pass is one workload with
    # groups 'real' and 'snippet'; the synthetic files are one-file workloads.
    work: dict[str, list[tuple[str, str, bytes]]] = {}
    if "corpus" in workloads:
        work["corpus"] = load_corpus()
        n_real = sum(1 for g, _, _ in work["corpus"] if g == "real")
        mb = sum(len(d) for _, _, d in work["corpus"]) / 1e6
        print(f"corpus: {len(work['corpus'])} files ({n_real} real), {mb:.1f} MB")
    synth = ensure_synthetic() if ({"big", "many"} & set(workloads)) else {}
    for key in ("big", "many"):
        if key in workloads:
            p = synth[key]
            work[key] = [(key, p.name, p.read_bytes())]
            print(f"{key}: {p} ({p.stat().st_size / 1e6:.1f} MB)")

    # rows: (workload-group, parser) -> list of (seconds, entries) per repeat
    samples: dict[tuple[str, str], list[tuple[float, int]]] = {}
    first_per_file: dict[str, dict[str, int]] = {}
    crashes: dict[str, dict[str, str]] = {}
    t_start = time.perf_counter()
    for r in range(args.repeats):
        order = names[r % len(names) :] + names[: r % len(names)] if names else []
        for wname, files in work.items():
            for name in order:
                parse, expected = parsers[name]
                secs, ents, per_file, crash = run_files(parse, expected, files)
                groups = sorted(secs)
                if wname == "corpus":
                    samples.setdefault(("corpus/all", name), []).append((sum(secs.values()), sum(ents.values())))
                    for g in groups:
                        samples.setdefault((f"corpus/{g}", name), []).append((secs[g], ents[g]))
                    if r == 0:
                        first_per_file[name] = per_file
                        crashes[name] = crash
                else:
                    samples.setdefault((wname, name), []).append((secs[wname], ents[wname]))
                s_tot = sum(secs.values())
                e_tot = sum(ents.values())
                print(
                    f"  repeat {r + 1}/{args.repeats} {wname:7s} {name:15s} {fmt_secs(s_tot):>8s} "
                    f"{e_tot:>7d} entries {fmt_num(e_tot / s_tot if s_tot else None)}/s",
                    flush=True,
                )
    bench_secs = time.perf_counter() - t_start

    # ----- summarize
    results: dict[str, Any] = {}
    for (wl, name), vals in samples.items():
        rates = [e / s if s else 0.0 for s, e in vals]
        results.setdefault(wl, {})[name] = {
            "entries": vals[0][1],
            "entries_per_repeat": [e for _, e in vals],
            "seconds": summarize(s for s, _ in vals),
            "entries_per_s": summarize(rates),
        }

    rows = []
    for wl in results:
        hs = results[wl].get(HS)
        hs_rate = hs["entries_per_s"]["median"] if hs else None
        hs_secs = hs["seconds"]["median"] if hs else None
        for name in names:
            res = results[wl].get(name)
            if not res:
                continue
            rate = res["entries_per_s"]
            r_rate = ratio(hs_rate, rate["median"])
            r_time = ratio(res["seconds"]["median"], hs_secs)
            res["hs_ratio_entries_per_s"] = r_rate
            res["hs_ratio_time"] = r_time
            rows.append(
                [
                    wl,
                    name,
                    res["entries"],
                    fmt_secs(res["seconds"]["median"]),
                    fmt_num(rate["median"]),
                    f"{fmt_num(rate['min'])}..{fmt_num(rate['max'])}",
                    "-" if name == HS else fmt_ratio(r_rate),
                    "-" if name == HS else fmt_ratio(r_time),
                ]
            )
    print_table(
        ["workload", "parser", "entries", "time(med)", "entries/s(med)", "min..max", "hs/peer e/s", "peer/hs time"],
        rows,
        title=f"Parse throughput, median of {args.repeats} repeats",
    )

    # ----- robustness (first repeat, corpus)
    robustness: dict[str, Any] = {}
    if "feedparser" in first_per_file:
        fp = first_per_file["feedparser"]
        rrows = []
        for name in names:
            if name == "feedparser" or name not in first_per_file:
                continue
            pf = first_per_file[name]
            lost = sorted(rel for rel, n in fp.items() if n > 0 and pf.get(rel, 0) == 0)
            lost_real = [rel for rel in lost if rel.startswith("real/")]
            extra = sorted(rel for rel, n in pf.items() if n > 0 and fp.get(rel, 0) == 0)
            robustness[name] = {
                "fp_finds_entries_parser_finds_none": len(lost),
                "of_which_real": len(lost_real),
                "files": lost,
                "parser_finds_entries_fp_finds_none": len(extra),
                "extra_files": extra,
                "crashes": len(crashes.get(name, {})),
                "crash_files": crashes.get(name, {}),
            }
            rrows.append([name, len(lost), len(lost_real), len(extra), len(crashes.get(name, {}))])
        print_table(
            ["parser", "fp>0 but 0 (all)", "(real)", "0 for fp but >0", "crashes"],
            rrows,
            title="Robustness on the corpus (first repeat): files where feedparser finds entries and the parser none",
        )
        if HS in robustness:
            lost = sorted(robustness[HS]["files"], key=lambda rel: (not rel.startswith("real/"), rel))
            print(f"  highsignal finds no entries in {len(lost)} files where feedparser does (real first):")
            for rel in lost[:60]:
                print(f"    {rel}  (feedparser: {fp[rel]})")
            if len(lost) > 60:
                print(f"    ... {len(lost) - 60} more in the JSON results")
            hs_crashes = robustness[HS]["crash_files"]
            if hs_crashes:
                print(f"  highsignal raised something other than ParseError on {len(hs_crashes)} files:")
                for rel, msg in list(hs_crashes.items())[:20]:
                    print(f"    {rel}: {msg}")

    # ----- memory
    memory: dict[str, Any] = {}
    if not args.no_memory and "big" in synth:
        mrows = []
        for name in names:
            m = run_json_subprocess(PEAK_RSS_CODE, [name, str(synth["big"])])
            memory[name] = m
            if "error" in m:
                mrows.append([name, "error", m["error"][:80], "", ""])
            else:
                mrows.append(
                    [
                        name,
                        f"{m['peak_mb']:.0f} MB",
                        f"{m['peak_mb'] - m['baseline_mb']:.0f} MB",
                        f"{m['baseline_mb']:.0f} MB",
                        fmt_secs(m["seconds"]),
                    ]
                )
        print_table(
            ["parser", "peak RSS", "peak - before parse", "before parse (data loaded)", "time"],
            mrows,
            title="Peak RSS parsing big_podcast.xml in a fresh subprocess (VmHWM = ru_maxrss of a fresh process)",
        )

    # ----- goals
    print("\nGoals:")
    goals: dict[str, Any] = {}
    for wl, label in (("corpus/all", "corpus"), ("big", "big_podcast")):
        v = results.get(wl, {}).get("feedparser", {}).get("hs_ratio_entries_per_s")
        goals[f"{label}_vs_feedparser"] = v
        print(goal_line(f"{label} entries/s vs feedparser", v, SPEED_GOAL))
    hs_mem = memory.get(HS, {})
    peak = hs_mem.get("peak_mb") if "error" not in hs_mem else None
    goals["big_podcast_peak_rss_mb"] = peak
    print(
        goal_line(
            "highsignal peak RSS on big_podcast.xml (MB)",
            peak,
            RSS_GOAL_MB,
            higher_is_better=False,
            fmt=lambda v: "n/a" if v is None else f"{v:.0f}",
        )
    )
    print_unavailable(unavailable)

    out = write_results(
        "parse_bench",
        {
            "benchmark": "parse",
            "env": env_info(),
            "args": vars(args),
            "unavailable": unavailable,
            "bench_seconds": bench_secs,
            "results": results,
            "robustness": robustness,
            "memory_big_podcast": memory,
            "goals": goals,
        },
        args.out,
    )
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
