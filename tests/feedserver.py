"""A real HTTP server on 127.0.0.1 for tests: serves scripted routes and records requests.

Each route says what to send (body, status, headers) and how (gzip, brotli,
ETag/Last-Modified validation, slow or stalled bodies, redirects). Tests
change routes while the server runs and read back every request it saw.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    encoding: str | None = None  # gzip, deflate, br
    redirect: str | None = None  # Location for 3xx
    delay: float = 0.0  # before the headers
    trickle: float = 0.0  # between body chunks
    chunked: bool = False  # no Content-Length


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int


class FeedServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                route = server.routes.get(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if route is None:
                    # Recorded before answering: a client may look at hits() the moment it has the reply.
                    server._record(self.path, headers, 404)
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                if route.delay:
                    time.sleep(route.delay)
                status = route.status
                out_headers = {"Content-Type": route.content_type, **route.headers}
                if route.redirect:
                    out_headers["Location"] = route.redirect
                if route.etag:
                    out_headers["ETag"] = route.etag
                if route.last_modified:
                    out_headers["Last-Modified"] = route.last_modified
                if status == 200 and (
                    (route.etag and headers.get("if-none-match") == route.etag)
                    or (route.last_modified and headers.get("if-modified-since") == route.last_modified)
                ):
                    status = 304
                body = route.body if status not in (304,) else b""
                if body and route.encoding:
                    body = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[route.encoding](
                        body
                    )
                    out_headers["Content-Encoding"] = route.encoding
                server._record(self.path, headers, status)
                try:
                    self._send(status, body, out_headers, trickle=route.trickle, chunked=route.chunked)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(
                self,
                status: int,
                body: bytes,
                headers: dict[str, str],
                trickle: float = 0,
                chunked: bool = False,
            ) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status == 304:
                    return
                step = 1024 if trickle else 1 << 20
                for i in range(0, len(body), step):
                    part = body[i : i + step]
                    if chunked:
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    else:
                        self.wfile.write(part)
                    self.wfile.flush()
                    if trickle:
                        time.sleep(trickle)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")

        self.host = host
        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        # A short poll makes stop() instant; the default half second adds up over a suite.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def _record(self, path: str, headers: dict[str, str], status: int) -> None:
        with self._lock:
            self.seen.append(Seen(path, headers, status))

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, body: bytes = b"", **kw: object) -> str:
        self.routes[path] = Route(body=body, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
