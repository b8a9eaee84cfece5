"""The shared loopback ``FeedServer``, started so that stopping it is instant.

``FeedServer.start`` runs ``serve_forever`` with its default half-second
poll, so every ``stop`` waits up to 0.5 s; over a few dozen tests that is
most of the run time. These helpers start the same server with a short poll.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from tests.feedserver import FeedServer


@contextmanager
def fast_server(host: str = "127.0.0.1") -> Iterator[FeedServer]:
    """A running ``FeedServer`` (optionally bound to another loopback address)."""
    srv = FeedServer()
    if host != "127.0.0.1":
        handler = srv.httpd.RequestHandlerClass
        srv.httpd.server_close()
        srv.httpd = ThreadingHTTPServer((host, 0), handler)
        srv.httpd.daemon_threads = True
        srv.port = srv.httpd.server_address[1]
    srv._thread = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
