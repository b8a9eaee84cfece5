#!/usr/bin/env python3
"""End-to-end ingest of the real-feed corpus: highsignal vs reader, same run.

Every file of $HIGHSIGNAL_CORPUS/feeds/real (372 feeds: news, blogs, podcasts, JSON Feed,
up to 2.5 MB) is served at its own URL from an aiohttp server on 127.0.0.1 in a separate
process. Both libraries get the same HTTP URLs (reader can read local paths only with
feed_root set, and highsignal reads files without HTTP, so HTTP keeps it fair).

Per repeat and client, in a fresh subprocess: open a fresh store, add every URL, one
refresh. Reported: entries stored / end-to-end seconds (open + add + refresh) and
refresh-only seconds.

Usage: bench/.venv/bin/python bench/ingest_bench.py [--repeats 5] [--clients highsignal,highsignal-ph32,reader]
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
    fmt_num,
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
GOAL = 20.0


def main() -> None:
    ap = base_parser(__doc__.split("\n\n")[0])
    ap.add_argument(
        "--clients",
        default="highsignal,reader",
        help="comma list from highsignal,highsignal-ph32,highsignal-noassess,reader,reader-w8,aiohttp,httpx "
        "(default highsignal,reader)",
    )
    ap.add_argument("--concurrency", type=int, default=32, help="connections for the bare loops")
    args = ap.parse_args()
    warn_if_not_bench_venv()
    clients = [c for c in args.clients.split(",") if c]
    files = real_feed_files(FEEDS_DIR)
    routes = routes_for(files, len(files))
    print(f"{len(files)} real feed files ({sum(p.stat().st_size for p in files) / 1e6:.1f} MB)")

    t0 = time.perf_counter()
    runs: dict[str, list[dict[str, Any]]] = {}
    unavailable: dict[str, str] = {}
    tmp_root = DATA_DIR / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=tmp_root, prefix="ingest-") as tmp,
        FeedServer(routes, workdir=Path(tmp)) as server,
    ):
        print(f"feed server {server.base_url}", flush=True)
        for r in range(args.repeats):
            active = [c for c in clients if c not in unavailable]
            order = active[r % len(active) :] + active[: r % len(active)] if active else []
            for client in order:
                dbdir = os.path.join(tmp, f"{client}-{r}")
                spec = {
                    "client": client,
                    "base_url": server.base_url,
                    "routes": [rt for rt, _ in routes],
                    "dbdir": dbdir,
                    "concurrency": args.concurrency,
                    "phases": [f"ingest-{client}-r{r}"],
                }
                res = run_json_subprocess(WORKER_CODE, [spec["phases"][0]], timeout=1800, stdin=json.dumps(spec))
                shutil.rmtree(dbdir, ignore_errors=True)
                if "error" in res:
                    unavailable[client] = res["error"]
                    print(f"!! {client} failed, skipped from now on: {res['error']}", file=sys.stderr)
                    continue
                ph = res["phases"][0]
                entries = ph["client"].get("new_items")
                total = res["add_s"] + ph["seconds"]
                res["total_s"] = total
                res["entries"] = entries
                runs.setdefault(client, []).append(res)
                print(
                    f"  repeat {r + 1}/{args.repeats} {client:10s} open+add {fmt_secs(res['add_s']):>8s}"
                    f"  refresh {fmt_secs(ph['seconds']):>8s}  entries {entries}"
                    f"  errors {ph['client'].get('errors')}  peak {res['peak_rss_mb']:.0f} MB",
                    flush=True,
                )

    summary: dict[str, Any] = {}
    for client, lst in runs.items():
        ents = lst[0]["entries"]
        summary[client] = {
            "entries": ents,
            "entries_per_repeat": [x["entries"] for x in lst],
            "errors": lst[0]["phases"][0]["client"].get("errors"),
            "total_s": summarize(x["total_s"] for x in lst),
            "refresh_s": summarize(x["phases"][0]["seconds"] for x in lst),
            "entries_per_s": summarize((x["entries"] or 0) / x["total_s"] for x in lst),
            "refresh_entries_per_s": summarize((x["entries"] or 0) / x["phases"][0]["seconds"] for x in lst),
            "feeds_per_s": summarize(len(files) / x["total_s"] for x in lst),
            "peak_rss_mb": summarize(x["peak_rss_mb"] for x in lst),
            "server": lst[0]["phases"][0]["server"],
        }
    hs = summary.get(HS)
    rows = []
    for client in clients:
        s = summary.get(client)
        if not s:
            rows.append([client, "n/a"] + [""] * 8)
            continue
        r_e = ratio(hs["entries_per_s"]["median"], s["entries_per_s"]["median"]) if hs else None
        r_t = ratio(s["total_s"]["median"], hs["total_s"]["median"]) if hs else None
        s["hs_ratio_entries_per_s"], s["hs_ratio_time"] = r_e, r_t
        rows.append(
            [
                client,
                s["entries"] if s["entries"] is not None else "n/a",
                fmt_secs(s["total_s"]["median"]),
                f"{fmt_secs(s['total_s']['min'])}..{fmt_secs(s['total_s']['max'])}",
                fmt_secs(s["refresh_s"]["median"]),
                fmt_num(s["entries_per_s"]["median"]),
                f"{fmt_num(s['entries_per_s']['min'])}..{fmt_num(s['entries_per_s']['max'])}",
                "-" if client == HS else fmt_ratio(r_e),
                "-" if client == HS else fmt_ratio(r_t),
                f"{s['peak_rss_mb']['max']:.0f} MB",
            ]
        )
    print_table(
        [
            "client",
            "entries",
            "e2e(med)",
            "e2e min..max",
            "refresh(med)",
            "entries/s",
            "min..max",
            "hs/peer e/s",
            "peer/hs time",
            "peak RSS",
        ],
        rows,
        title=f"Ingest {len(files)} real feeds over HTTP into a fresh store, median of {args.repeats} repeats",
    )
    print("\nGoals:")
    g = summary.get("reader", {}).get("hs_ratio_entries_per_s")
    print(goal_line("ingest entries/s, highsignal / reader", g, GOAL))
    if hs and "reader" in summary and hs["entries"] is not None and summary["reader"]["entries"]:
        print(
            f"  note: highsignal stored {hs['entries']} entries, reader {summary['reader']['entries']} "
            f"(time ratio reader/highsignal: {fmt_ratio(summary['reader'].get('hs_ratio_time'))})"
        )
    print_unavailable(unavailable)

    out = write_results(
        "ingest_bench",
        {
            "benchmark": "ingest",
            "env": env_info(),
            "args": vars(args),
            "files": len(files),
            "unavailable": unavailable,
            "bench_seconds": time.perf_counter() - t0,
            "summary": summary,
            "goals": {"ingest_vs_reader": g},
            "runs": runs,
        },
        args.out,
    )
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
