"""The refresh clients compared by refresh_bench.py and ingest_bench.py.

Each client does: setup(urls) -> untimed-ish bookkeeping (timed separately as "add"),
refresh() -> one pass over every URL, returning a dict of counts. A measurement runs
in its own subprocess (see :func:`run_worker`) so clients never share a process, an
event loop or a heap, and each gets its own peak RSS.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, ClassVar

from _common import HighsignalMissing, highsignal_import_note, import_highsignal, peak_rss_mb


class Client:
    name = "?"

    def __init__(self, dbdir: Path, concurrency: int) -> None:
        self.dbdir = dbdir
        self.concurrency = concurrency

    def setup(self, urls: list[str]) -> None:
        self.urls = urls

    def refresh(self) -> dict[str, Any]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class HighsignalClient(Client):
    name = "highsignal"
    fetch_settings: ClassVar[dict[str, Any] | None] = None  # None: highsignal's defaults

    def setup(self, urls: list[str]) -> None:
        hs = import_highsignal("highsignal", ("open",))
        db = str(self.dbdir / "highsignal.sqlite")
        if self.fetch_settings:
            fetch = import_highsignal("highsignal.fetch", ("FetchSettings",))
            self.lib = hs.open(db, fetch_settings=fetch.FetchSettings(**self.fetch_settings))
        else:
            self.lib = hs.open(db)
        missing = [a for a in ("add_source", "refresh") if not hasattr(self.lib, a)]
        if missing:
            raise HighsignalMissing(f"highsignal.open() returned {type(self.lib).__name__} without {missing}")
        # add_source() fetches and ingests the source right away unless told fetch=False;
        # with the default, "add N" would be N one-source refreshes and refresh() a re-check.
        kwargs = add_source_kwargs(self.lib)
        for u in urls:
            self.lib.add_source(u, **kwargs)

    assess: ClassVar[bool] = True

    def refresh(self) -> dict[str, Any]:
        report = self.lib.refresh() if self.assess else self.lib.refresh(assess=False)
        out: dict[str, Any] = {}
        for attr in ("new_items", "updated_items", "errors"):
            out[attr] = getattr(report, attr, None)
        results = getattr(report, "results", None)
        out["results"] = len(results) if results is not None else None
        if results:
            errs = []
            for res in results:
                err = getattr(res, "error", None)
                if err:
                    errs.append(f"{getattr(res, 'url', '?')}: {err}"[:200])
            out["error_samples"] = errs[:10]
        return out

    def close(self) -> None:
        close = getattr(self.lib, "close", None)
        if callable(close):
            close()


class HighsignalPerHostClient(HighsignalClient):
    """highsignal with per_host=32: every bench feed is on 127.0.0.1, so the default limit of
    4 connections per host (polite for real feeds spread over many hosts) caps the whole
    refresh at 4 connections, while the bare loops use 32."""

    name = "highsignal-ph32"
    fetch_settings: ClassVar[dict[str, Any] | None] = {"per_host": 32}


class HighsignalIngestOnlyClient(HighsignalClient):
    """highsignal's refresh without the assessment pass that follows it (``assess=False``):
    fetch, parse, normalise and store, which is all reader's update does. highsignal's own
    refresh also extracts, scores and relates every new item; this client shows what that costs."""

    name = "highsignal-noassess"
    assess: ClassVar[bool] = False


def add_source_kwargs(lib: Any) -> dict[str, Any]:
    try:
        params = inspect.signature(lib.add_source).parameters
    except (TypeError, ValueError):
        return {}
    return {"fetch": False} if "fetch" in params else {}


class ReaderClient(Client):
    name = "reader"
    workers = 1

    def setup(self, urls: list[str]) -> None:
        from reader import make_reader

        self.reader = make_reader(str(self.dbdir / "reader.sqlite"))
        for u in urls:
            self.reader.add_feed(u)

    def refresh(self) -> dict[str, Any]:
        before = self.reader.get_entry_counts().total
        # scheduled=False: reader otherwise skips feeds updated less than an update
        # interval (1 h) ago, which would make its second refresh a no-op.
        self.reader.update_feeds(scheduled=False, workers=self.workers)
        total = self.reader.get_entry_counts().total
        broken = sum(1 for _ in self.reader.get_feeds(broken=True))
        return {"new_items": total - before, "total_items": total, "errors": broken}

    def close(self) -> None:
        self.reader.close()


class ReaderThreadsClient(ReaderClient):
    name = "reader-w8"
    workers = 8


class AiohttpClient(Client):
    """Bare fetch loop: gather + semaphore, read bodies, conditional GETs when it can."""

    name = "aiohttp"

    def setup(self, urls: list[str]) -> None:
        self.urls = urls
        self.validators: dict[str, tuple[str | None, str | None]] = {}

    async def _run(self) -> list[tuple[int, int]]:
        import aiohttp

        sem = asyncio.Semaphore(self.concurrency)
        conn = aiohttp.TCPConnector(limit=self.concurrency)
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:

            async def one(url: str) -> tuple[int, int]:
                headers = {}
                etag, lm = self.validators.get(url, (None, None))
                if etag:
                    headers["If-None-Match"] = etag
                if lm:
                    headers["If-Modified-Since"] = lm
                async with sem:
                    try:
                        async with session.get(url, headers=headers) as resp:
                            body = await resp.read()
                            if resp.status == 200:
                                self.validators[url] = (resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
                            return resp.status, len(body)
                    except (TimeoutError, aiohttp.ClientError):
                        return -1, 0

            return await asyncio.gather(*(one(u) for u in self.urls))

    def refresh(self) -> dict[str, Any]:
        res = asyncio.run(self._run())
        return _fetch_counts(res)


class HttpxClient(AiohttpClient):
    name = "httpx"

    async def _run(self) -> list[tuple[int, int]]:
        import httpx

        sem = asyncio.Semaphore(self.concurrency)
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=60.0) as client:

            async def one(url: str) -> tuple[int, int]:
                headers = {}
                etag, lm = self.validators.get(url, (None, None))
                if etag:
                    headers["If-None-Match"] = etag
                if lm:
                    headers["If-Modified-Since"] = lm
                async with sem:
                    try:
                        resp = await client.get(url, headers=headers)
                    except httpx.HTTPError:
                        return -1, 0
                    if resp.status_code == 200:
                        self.validators[url] = (resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
                    return resp.status_code, len(resp.content)

            return await asyncio.gather(*(one(u) for u in self.urls))


def _fetch_counts(res: list[tuple[int, int]]) -> dict[str, Any]:
    return {
        "status_200": sum(1 for s, _ in res if s == 200),
        "status_304": sum(1 for s, _ in res if s == 304),
        "errors": sum(1 for s, _ in res if s not in (200, 304)),
        "bytes": sum(n for _, n in res),
    }


CLIENTS: dict[str, type[Client]] = {
    c.name: c
    for c in (
        HighsignalClient,
        HighsignalPerHostClient,
        HighsignalIngestOnlyClient,
        ReaderClient,
        ReaderThreadsClient,
        AiohttpClient,
        HttpxClient,
    )
}


# --------------------------------------------------------------------------- worker


def _server_get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as resp:
        return json.loads(resp.read())


def run_worker(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement: fresh store, add URLs, refresh ``len(spec['phases'])`` times.

    ``spec``: client, base_url, routes (URL paths), dbdir, concurrency, phases (names).
    Returns timings, client counts and the server's counters for each phase.
    """
    cls = CLIENTS[spec["client"]]
    dbdir = Path(spec["dbdir"])
    dbdir.mkdir(parents=True, exist_ok=True)
    base = spec["base_url"]
    urls = [base + r for r in spec["routes"]]
    client = cls(dbdir, spec.get("concurrency", 32))
    out: dict[str, Any] = {"client": cls.name, "n": len(urls), "phases": []}
    t0 = time.perf_counter()
    client.setup(urls)
    out["add_s"] = time.perf_counter() - t0
    for phase in spec["phases"]:
        _server_get(base, f"/_phase/{phase}")
        t0 = time.perf_counter()
        counts = client.refresh()
        dt = time.perf_counter() - t0
        st = _server_get(base, f"/_stats?phase={phase}")
        paths = st.pop("paths_200", [])
        st["paths_200_sample"] = paths[:20]
        out["phases"].append({"phase": phase, "seconds": dt, "client": counts, "server": st})
    client.close()
    out["peak_rss_mb"] = peak_rss_mb()
    out["highsignal_import"] = highsignal_import_note()
    return out


WORKER_CODE = r"""
import json, sys
import _clients
spec = json.loads(sys.stdin.read())
try:
    res = _clients.run_worker(spec)
except _clients.HighsignalMissing as exc:
    res = {"error": "highsignal missing: " + str(exc)}
print(json.dumps(res))
"""


def db_size_mb(dbdir: Path) -> float:
    total = 0
    for p in dbdir.rglob("*"):
        if p.is_file():
            total += p.stat().st_size
    return total / 1e6


if __name__ == "__main__":
    print(json.dumps(run_worker(json.loads(sys.stdin.read()))))
    sys.exit(os.EX_OK)
