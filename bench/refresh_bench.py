#!/usr/bin/env python3
"""Refresh N feeds over HTTP: highsignal vs reader vs bare aiohttp / httpx loops, same run.

Workload: the real feeds of $HIGHSIGNAL_CORPUS/feeds/real sized 2 KB..1 MB, cycled to N
distinct URL paths (N = 300 and 1,000 by default), served from an aiohttp server on
127.0.0.1 running in its own process (ETag + Last-Modified, 304 on a match).

Per repeat and client, in a fresh subprocess with a fresh store:
  add     add the N URLs (timed, reported, not part of the goals)
  first   one refresh: every response is a 200
  second  a second refresh on the same store: every response should be a 304
The server counts 200s and 304s per phase; a 200 in "second" is a feed downloaded again.

Usage: bench/.venv/bin/python bench/refresh_bench.py [--repeats 5] [--sizes 300,1000] [--reader-repeats 3]
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _clients import WORKER_CODE
from _common import (
    DATA_DIR,
    FEEDS_DIR,
    base_parser,
    env_info,
    fmt_ratio,
    fmt_secs,
    goal_line,
    print_table,
    print_unavailable,
    ratio,
    run_json_subprocess,
    summarize,
    warn_if_not_bench_venv,
    write_results,
)
from _feedserver import FeedServer, real_feed_files, routes_for

HS = "highsignal"
DEFAULT_CLIENTS = "highsignal,reader,aiohttp,httpx"


def run_matrix(
    *,
    clients: list[str],
    sizes: list[int],
    repeats: int,
    files: list,
    concurrency: int,
    label: str,
    reader_repeats: int | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Run every (size, repeat, client) measurement. Returns raw runs and unavailable clients."""
    max_n = max(sizes)
    all_routes = routes_for(files, max_n)
    runs: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    tmp_root = DATA_DIR / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=tmp_root, prefix=f"{label}-") as tmp,
        FeedServer(all_routes, workdir=Path(tmp)) as server,
    ):
        print(f"feed server {server.base_url} ({max_n} routes, {len(files)} distinct files)", flush=True)
        for n in sizes:
            routes = [r for r, _ in all_routes[:n]]
            for r in range(repeats):
                active = [c for c in clients if c not in unavailable]
                if reader_repeats is not None and r >= reader_repeats:
                    active = [c for c in active if not c.startswith("reader")]
                order = active[r % len(active) :] + active[: r % len(active)] if active else []
                for client in order:
                    dbdir = os.path.join(tmp, f"{client}-{n}-{r}")
                    spec = {
                        "client": client,
                        "base_url": server.base_url,
                        "routes": routes,
                        "dbdir": dbdir,
                        "concurrency": concurrency,
                        "phases": [f"{client}-{n}-r{r}-first", f"{client}-{n}-r{r}-second"],
                    }
                    res = run_json_subprocess(WORKER_CODE, [spec["phases"][0]], timeout=1800, stdin=json.dumps(spec))
                    shutil.rmtree(dbdir, ignore_errors=True)
                    if "error" in res:
                        unavailable[client] = res["error"]
                        print(f"!! {client} failed, skipped from now on: {res['error']}", file=sys.stderr)
                        continue
                    runs.setdefault(str(n), {}).setdefault(client, []).append(res)
                    first, second = res["phases"]
                    print(
                        f"  N={n} repeat {r + 1}/{repeats} {client:10s} add {fmt_secs(res['add_s']):>8s}"
                        f"  first {fmt_secs(first['seconds']):>8s} ({first['server']['200']}x200)"
                        f"  second {fmt_secs(second['seconds']):>8s} ({second['server']['304']}x304,"
                        f" {second['server']['200']}x200)  peak {res['peak_rss_mb']:.0f} MB",
                        flush=True,
                    )
    return runs, unavailable


def summarize_runs(runs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n, per_client in runs.items():
        for client, lst in per_client.items():
            first = [x["phases"][0] for x in lst]
            second = [x["phases"][1] for x in lst]
            out.setdefault(n, {})[client] = {
                "add_s": summarize(x["add_s"] for x in lst),
                "first_s": summarize(p["seconds"] for p in first),
                "second_s": summarize(p["seconds"] for p in second),
                "first_feeds_per_s": summarize(int(n) / p["seconds"] for p in first),
                "second_feeds_per_s": summarize(int(n) / p["seconds"] for p in second),
                "first_server": first[0]["server"],
                "second_server_200": [p["server"]["200"] for p in second],
                "second_server_304": [p["server"]["304"] for p in second],
                "first_client": first[0]["client"],
                "second_client": second[0]["client"],
                "peak_rss_mb": summarize(x["peak_rss_mb"] for x in lst),
                "second_paths_200_sample": second[0]["server"].get("paths_200_sample", []),
            }
    return out


def main() -> None:
    ap = base_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="300,1000", help="comma list of feed counts (default 300,1000)")
    ap.add_argument(
        "--clients",
        default=DEFAULT_CLIENTS,
        help="comma list from highsignal,highsignal-ph32,highsignal-noassess,reader,reader-w8,aiohttp,httpx "
        f"(default {DEFAULT_CLIENTS})",
    )
    ap.add_argument("--concurrency", type=int, default=32, help="connections for the bare loops (default 32)")
    ap.add_argument(
        "--reader-repeats",
        type=int,
        default=3,
        help="repeats for reader, the slowest client (~60 s a run at N=1000); default 3 keeps the "
        "default run near 10 minutes; pass the same number as --repeats for a full run",
    )
    ap.add_argument("--min-bytes", type=int, default=2048)
    ap.add_argument("--max-bytes", type=int, default=1 << 20)
    args = ap.parse_args()
    warn_if_not_bench_venv()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    clients = [c for c in args.clients.split(",") if c]
    files = real_feed_files(FEEDS_DIR, args.min_bytes, args.max_bytes)
    print(
        f"{len(files)} real feed files between {args.min_bytes} and {args.max_bytes} bytes "
        f"({sum(p.stat().st_size for p in files) / 1e6:.1f} MB)"
    )

    t0 = time.perf_counter()
    runs, unavailable = run_matrix(
        clients=clients,
        sizes=sizes,
        repeats=args.repeats,
        files=files,
        concurrency=args.concurrency,
        label="refresh",
        reader_repeats=min(args.reader_repeats, args.repeats),
    )
    summary = summarize_runs(runs)

    goals: dict[str, Any] = {}
    for n, per_client in summary.items():
        hs = per_client.get(HS)
        rows = []
        for client in clients:
            s = per_client.get(client)
            if not s:
                rows.append([client, "n/a"] + [""] * 10)
                continue
            r1 = ratio(s["first_s"]["median"], hs["first_s"]["median"]) if hs else None
            r2 = ratio(s["second_s"]["median"], hs["second_s"]["median"]) if hs else None
            s["first_ratio_peer_over_hs"] = r1
            s["second_ratio_peer_over_hs"] = r2
            items = s["first_client"].get("new_items")
            rows.append(
                [
                    client,
                    fmt_secs(s["first_s"]["median"]),
                    f"{fmt_secs(s['first_s']['min'])}..{fmt_secs(s['first_s']['max'])}",
                    "-" if client == HS else fmt_ratio(r1),
                    fmt_secs(s["second_s"]["median"]),
                    f"{fmt_secs(s['second_s']['min'])}..{fmt_secs(s['second_s']['max'])}",
                    "-" if client == HS else fmt_ratio(r2),
                    f"{s['first_server']['200']}/{max(s['second_server_200'])}",
                    min(s["second_server_304"]),
                    "" if items is None else items,
                    fmt_secs(s["add_s"]["median"]),
                    f"{s['peak_rss_mb']['max']:.0f} MB",
                ]
            )
        print_table(
            [
                "client",
                "first(med)",
                "first min..max",
                "peer/hs",
                "second(med)",
                "second min..max",
                "peer/hs",
                "200s 1st/2nd",
                "304s 2nd",
                "items",
                "add N",
                "peak RSS",
            ],
            rows,
            title=f"N={n} feeds, median of {args.repeats} repeats ({min(args.reader_repeats, args.repeats)} for reader)"
            " (peer/hs = peer time / highsignal time)",
        )
        if hs:
            rd, ad = per_client.get("reader"), per_client.get("aiohttp")
            g1 = ratio(rd["first_s"]["median"], hs["first_s"]["median"]) if rd else None
            g2 = ratio(rd["second_s"]["median"], hs["second_s"]["median"]) if rd else None
            g3 = ratio(hs["second_s"]["median"], ad["second_s"]["median"]) if ad else None
            redl = max(hs["second_server_200"])
            goals[n] = {
                "first_vs_reader": g1,
                "second_vs_reader": g2,
                "second_hs_over_aiohttp": g3,
                "second_refresh_200s": redl,
            }
            print(f"Goals at N={n}:")
            print(goal_line("first refresh, reader time / highsignal time", g1, 20.0))
            print(goal_line("second refresh, reader time / highsignal time", g2, 5.0))
            print(goal_line("second refresh, highsignal time / bare aiohttp time", g3, 3.0, higher_is_better=False))
            print(
                goal_line(
                    "feeds downloaded again (200s) in highsignal's second refresh",
                    float(redl),
                    0.0,
                    higher_is_better=False,
                    fmt=lambda v: "n/a" if v is None else f"{v:.0f}",
                )
            )
            if redl:
                print("    e.g. " + ", ".join(hs["second_paths_200_sample"][:5]))
            errs = hs["first_client"].get("errors")
            if errs:
                print(f"  note: highsignal reported {errs} errors on the first refresh")
                for e in hs["first_client"].get("error_samples", [])[:5]:
                    print(f"    {e}")
    print_unavailable(unavailable)

    out = write_results(
        "refresh_bench",
        {
            "benchmark": "refresh",
            "env": env_info(),
            "args": vars(args),
            "files": len(files),
            "unavailable": unavailable,
            "bench_seconds": time.perf_counter() - t0,
            "summary": summary,
            "goals": goals,
            "runs": runs,
        },
        args.out,
    )
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
