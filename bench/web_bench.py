#!/usr/bin/env python3
"""Web UI latency: the digest page (``/``) and ``/api/digest`` on a 100k-item store, 20 requests at a time.

Goal (the web UI issue): server response <= 150 ms p95 under 20 concurrent requests from a
load generator on 127.0.0.1.

What it does:
  1. copies the store (default bench/data/rank/store.sqlite, built by make_rank_store.py) to a
     temporary directory, unless --no-copy: the server may assess or relate items the current
     highsignal has not, and the cached store must stay as it was built;
  2. starts the server in its own process (``python -m highsignal.web.serve``) on a free port of
     127.0.0.1, with a config file that sets nothing (defaults, no token); uvicorn uses httptools
     and uvloop when they are installed, and so does the load generator (uvloop);
  3. warms up: the first request for each URL computes the digest (timed and reported apart,
     as "cold"), the next few open the connections;
  4. for each URL, --rounds rounds of --requests requests, at most --concurrency in flight, from
     --clients httpx.AsyncClients sharing the connections (httpx's pool and cookie jar otherwise cost
     the load generator more CPU per request than the server spends); reports median, p95 and max
     per round and over all rounds;
     alongside, the time the app itself spent on each (its Server-Timing header), which separates
     the server's work from queueing on two shared cores and the load generator's own cost;
  5. after a write (a rating through the API), times the first request again: the cached
     digest is dropped and recomputed, which is what a reader waits for after rating an item.

Usage:
    .venv/bin/python bench/web_bench.py [--store PATH] [--requests 400] [--concurrency 20] [--rounds 3]
        [--since 7d] [--no-copy] [--out FILE]

Run it alone: the machine has two cores, shared by the server and the load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA_DIR, REPO_DIR, percentile, print_table, write_results

GOAL_P95_MS = 150.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HIGHSIGNAL_CONFIG": str(config), "PYTHONPATH": str(REPO_DIR / "src")}
    cmd = [sys.executable, "-m", "highsignal.web.serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--db", str(db), "--log-level", "warning"]
    return subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on {base} within {timeout:.0f}s")


async def fire(clients: list[httpx.AsyncClient], url: str, n: int, concurrency: int) -> tuple[list[float], list[float]]:
    """``n`` GETs of ``url`` with at most ``concurrency`` in flight, spread over ``clients``.

    Returns each response's latency as the load generator saw it (ms) and the
    time the app spent on it before responding, from its ``Server-Timing`` header.
    """
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    in_app: list[float] = []

    async def one(client: httpx.AsyncClient) -> None:
        async with gate:
            t0 = time.perf_counter()
            r = await client.get(url)
            await r.aread()
            latencies.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                raise RuntimeError(f"GET {url}: HTTP {r.status_code}: {r.text[:200]}")
            timing = r.headers.get("server-timing", "")
            if "dur=" in timing:
                in_app.append(float(timing.split("dur=", 1)[1].split(",", 1)[0]))

    await asyncio.gather(*(one(clients[i % len(clients)]) for i in range(n)))
    return latencies, in_app


def stats(ms: list[float]) -> dict[str, float]:
    s = sorted(ms)
    return {"n": len(s), "median": percentile(s, 50), "p95": percentile(s, 95), "max": s[-1], "min": s[0]}


async def measure(base: str, paths: list[str], args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"cold_ms": {}, "rounds": {}, "overall": {}, "in_app": {}, "after_write_ms": {}}
    # One session for every request, sent as a plain header: httpx's cookie jar costs the load generator
    # more per request than the server spends answering, on the same two cores.
    async with httpx.AsyncClient(base_url=base, timeout=args.timeout) as setup:
        session = (await setup.get("/api/session")).cookies["hs_session"]
    # Several clients share the connections: httpcore's pool scans every connection for every request.
    per = max(1, args.concurrency // args.clients)
    limits = httpx.Limits(max_connections=per, max_keepalive_connections=per)
    headers = {"Cookie": f"hs_session={session}"}
    clients = [
        httpx.AsyncClient(base_url=base, limits=limits, timeout=args.timeout, headers=headers)
        for _ in range(args.clients)
    ]
    try:
        for path in paths:
            t0 = time.perf_counter()
            r = await clients[0].get(path)
            out["cold_ms"][path] = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                raise RuntimeError(f"warm-up GET {path}: HTTP {r.status_code}: {r.text[:300]}")
            print(f"  cold {path}: {out['cold_ms'][path]:.0f} ms", flush=True)
        for path in paths:
            await fire(clients, path, args.concurrency * 3, args.concurrency)  # open the connections, settle
        for path in paths:
            rounds, every, app_every = [], [], []
            for i in range(args.rounds):
                latencies, in_app = await fire(clients, path, args.requests, args.concurrency)
                every += latencies
                app_every += in_app
                rounds.append(stats(latencies))
                s = rounds[-1]
                print(f"  {path} round {i + 1}: median {s['median']:.1f} ms, p95 {s['p95']:.1f} ms", flush=True)
            out["rounds"][path] = rounds
            out["overall"][path] = {**stats(every), "p95_worst_round": max(r["p95"] for r in rounds)}
            out["in_app"][path] = stats(app_every) if app_every else None
        # A rating drops the cached digest: the next request waits for it to be computed again.
        client = clients[0]
        csrf = (await client.get("/api/session")).json()["csrf"]
        first = (await client.get("/api/digest", params={"since": args.since})).json()
        if first["items"]:
            item_id = first["items"][0]["id"]
            r = await client.post(f"/api/items/{item_id}/rate", json={"value": "up"}, headers={"X-CSRF-Token": csrf})
            r.raise_for_status()
            for path in paths:
                t0 = time.perf_counter()
                (await client.get(path)).raise_for_status()
                out["after_write_ms"][path] = (time.perf_counter() - t0) * 1000
    finally:
        for c in clients:
            await c.aclose()
    return out


def run_loop(coro: Any) -> Any:
    """uvloop when installed: the load generator's own overhead is part of every latency measured."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", type=Path, default=DATA_DIR / "rank" / "store.sqlite")
    p.add_argument("--requests", type=int, default=400, help="requests per round (default 400)")
    p.add_argument("--concurrency", type=int, default=20, help="requests in flight (default 20)")
    p.add_argument("--rounds", type=int, default=3, help="rounds per URL (default 3)")
    p.add_argument("--clients", type=int, default=4, help="httpx.AsyncClients sharing the connections (default 4)")
    p.add_argument("--since", default="7d", help="the digest window requested (default 7d, the page's default)")
    p.add_argument("--timeout", type=float, default=1800.0, help="per-request timeout; a cold digest can be slow")
    p.add_argument("--no-copy", action="store_true", help="serve the store in place instead of a copy")
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()
    if not args.store.exists():
        sys.exit(f"no store at {args.store}: build it with .venv/bin/python bench/make_rank_store.py (about 3 minutes)")

    tmp = Path(tempfile.mkdtemp(prefix="hs-web-bench-"))
    try:
        db = args.store
        if not args.no_copy:
            db = tmp / "store.sqlite"
            t0 = time.perf_counter()
            shutil.copy(args.store, db)
            print(f"copied {args.store} ({args.store.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - t0:.1f}s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp / "server.log"
        proc = start_server(db, port, tmp / "config.toml", log)
        try:
            wait_ready(base, proc)
            print(f"server on {base} (pid {proc.pid}); {args.rounds} rounds of {args.requests} requests, "
                  f"{args.concurrency} in flight")  # fmt: skip
            since = "" if args.since == "7d" else f"?since={args.since}"
            paths = [f"/{since}", f"/api/digest{since}"]
            result = run_loop(measure(base, paths, args))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            server_log = log.read_text(errors="replace") if log.exists() else ""
        rows = []
        for path in paths:
            o = result["overall"][path]
            a = result["in_app"][path] or {"median": float("nan"), "p95": float("nan")}
            rows.append(
                [path, f"{result['cold_ms'][path]:.0f}", f"{o['median']:.1f}", f"{o['p95']:.1f}",
                 f"{o['p95_worst_round']:.1f}", f"{o['max']:.1f}", f"{a['median']:.2f} / {a['p95']:.2f}",
                 f"{result['after_write_ms'].get(path, 0):.0f}"]
            )  # fmt: skip
        print_table(
            [
                "url",
                "cold ms",
                "median ms",
                "p95 ms",
                "worst round p95",
                "max ms",
                "in app median / p95 ms",
                "after a rating ms",
            ],
            rows,
            title=f"web digest latency, {args.concurrency} concurrent requests",
        )
        for path in paths:
            p95 = result["overall"][path]["p95"]
            verdict = "MET" if p95 <= GOAL_P95_MS else "NOT MET"
            print(f"  goal {path}: p95 {p95:.1f} ms (target <= {GOAL_P95_MS:.0f} ms) -> {verdict}")
        if server_log.strip():
            print("\nserver log:\n" + server_log[-2000:])
        payload = {
            "env": {"python": sys.version.split()[0], "platform": platform.platform(), "cpu_count": os.cpu_count()},
            "args": {k: str(v) for k, v in vars(args).items()},
            "store": str(args.store),
            "result": result,
        }
        print(f"\nwrote {write_results('web_bench', payload, args.out)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
