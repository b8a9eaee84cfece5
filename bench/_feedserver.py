#!/usr/bin/env python3
"""A static feed server on 127.0.0.1 for the fetch benchmarks, run in its own process.

Each route serves one file from memory (minus ``<itunes:new-feed-url>``, see
:func:`loopback_safe`) with a strong ``ETag`` and a fixed
``Last-Modified``; ``If-None-Match`` / ``If-Modified-Since`` get ``304 Not Modified``.
The server counts responses per *phase* (a label the benchmark sets before each
measured step) so a benchmark can check what a client downloaded again:

  GET /_phase/<name>   start counting under <name> (its counters reset)
  GET /_stats          counters of every phase; ?phase=<name> for one
  GET /_health         "ok"

Run as a script (the benchmarks do it through :class:`FeedServer`):
  python _feedserver.py MANIFEST.json   # {"routes": [["/f/00001/name.xml", "/path/file"], ...]}
It prints ``LISTENING http://127.0.0.1:<port>`` and serves until its stdin closes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

LAST_MODIFIED = "Sat, 01 Nov 2025 00:00:00 GMT"

# A feed's <itunes:new-feed-url> tells a reader the feed moved; highsignal then refetches the
# source from that (public) address on the next refresh. The benchmarks must only talk to
# 127.0.0.1, so the server drops that element from what it serves (5 corpus files have it).
_NEW_FEED_URL = re.compile(rb"<(?:[\w-]+:)?new-feed-url\b[^>]*?(?:/>|>.*?</(?:[\w-]+:)?new-feed-url\s*>)", re.S | re.I)


def loopback_safe(data: bytes) -> bytes:
    """``data`` without elements that would send a client to another host."""
    return _NEW_FEED_URL.sub(b"", data)


_LM_TS = parsedate_to_datetime(LAST_MODIFIED).timestamp()


def content_type(data: bytes) -> str:
    head = data[:2048].lstrip()
    if head.startswith((b"{", b"\xef\xbb\xbf{")):
        return "application/feed+json"
    if b"<feed" in head:
        return "application/atom+xml"
    if b"<rdf:RDF" in head:
        return "application/rdf+xml"
    return "application/rss+xml"


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


def _not_modified_since(header: str) -> bool:
    try:
        return parsedate_to_datetime(header).timestamp() >= _LM_TS
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


# --------------------------------------------------------------------------- server side


def serve(manifest_path: str) -> None:
    from aiohttp import web

    manifest = json.loads(Path(manifest_path).read_text())
    files: dict[str, tuple[bytes, str, str]] = {}
    cache: dict[str, bytes] = {}
    for route, path in manifest["routes"]:
        data = cache.get(path)
        if data is None:
            data = cache[path] = loopback_safe(Path(path).read_bytes())
        etag = '"' + hashlib.sha1(route.encode() + b"\0" + data).hexdigest()[:20] + '"'
        files[route] = (data, etag, content_type(data))

    state: dict[str, Any] = {"phase": "default", "phases": {}}

    def counters() -> dict[str, Any]:
        return state["phases"].setdefault(state["phase"], {"200": 0, "304": 0, "404": 0, "bytes": 0, "paths_200": []})

    async def feed(request: web.Request) -> web.StreamResponse:
        c = counters()
        hit = files.get(request.path)
        if hit is None:
            c["404"] += 1
            return web.Response(status=404, text="not found")
        data, etag, ctype = hit
        inm = request.headers.get("If-None-Match")
        ims = request.headers.get("If-Modified-Since")
        if (inm is not None and _etag_matches(inm, etag)) or (inm is None and ims and _not_modified_since(ims)):
            c["304"] += 1
            return web.Response(status=304, headers={"ETag": etag, "Last-Modified": LAST_MODIFIED})
        c["200"] += 1
        c["bytes"] += len(data)
        c["paths_200"].append(request.path)
        return web.Response(
            body=data,
            headers={"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": ctype},
        )

    async def set_phase(request: web.Request) -> web.Response:
        state["phase"] = request.match_info["name"]
        state["phases"].pop(state["phase"], None)
        counters()
        return web.json_response({"phase": state["phase"]})

    async def stats(request: web.Request) -> web.Response:
        phase = request.query.get("phase")
        if phase is not None:
            return web.json_response(state["phases"].get(phase, {}))
        return web.json_response({"phase": state["phase"], "phases": state["phases"]})

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/_phase/{name}", set_phase)
    app.router.add_get("/_stats", stats)
    app.router.add_get("/_health", health)
    app.router.add_route("*", "/{tail:.*}", feed)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]

    async def run() -> None:
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.SockSite(runner, sock, backlog=1024)
        await site.start()
        print(f"LISTENING http://127.0.0.1:{port}", flush=True)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        # Serve until the parent closes our stdin (or dies).
        threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)), daemon=True).start()
        await stop.wait()
        await runner.cleanup()

    asyncio.run(run())


# --------------------------------------------------------------------------- client side


class FeedServer:
    """Start :func:`serve` in a child process; use as a context manager."""

    def __init__(self, routes: Iterable[tuple[str, str | os.PathLike[str]]], workdir: Path) -> None:
        self.routes = [(r, str(p)) for r, p in routes]
        self.workdir = workdir
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> FeedServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        manifest = self.workdir / "server-manifest.json"
        manifest.write_text(json.dumps({"routes": self.routes}))
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), str(manifest)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("LISTENING "):
            self.__exit__()
            raise RuntimeError(f"feed server did not start: {line!r}")
        self.base_url = line.split(" ", 1)[1]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, OSError):
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def url(self, route: str) -> str:
        return self.base_url + route

    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base_url + path, timeout=30) as resp:
            return json.loads(resp.read())

    def phase(self, name: str) -> None:
        self._get(f"/_phase/{name}")

    def stats(self, name: str) -> dict[str, Any]:
        return self._get(f"/_stats?phase={urllib.parse.quote(name)}")


def real_feed_files(feeds_dir: Path, min_bytes: int = 0, max_bytes: int | None = None) -> list[Path]:
    """Files of ``feeds_dir``/real within the size bounds, sorted by path (deterministic)."""
    out = []
    for dirpath, _dirs, names in os.walk(feeds_dir / "real"):
        for name in names:
            p = Path(dirpath) / name
            size = p.stat().st_size
            if size >= min_bytes and (max_bytes is None or size <= max_bytes):
                out.append(p)
    return sorted(out)


def routes_for(files: list[Path], n: int) -> list[tuple[str, Path]]:
    """``n`` distinct URL paths cycling through ``files``."""
    return [(f"/f/{i:05d}/{files[i % len(files)].name}", files[i % len(files)]) for i in range(n)]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    serve(sys.argv[1])
