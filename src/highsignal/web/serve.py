"""Running the app: ``run`` for ``highsignal serve``, ``BackgroundServer`` for tests and benchmarks.

``run`` reads ``[server]`` from the config file and refuses, before opening
anything, to listen beyond loopback without a token. Behind a reverse proxy
on the same machine that terminates TLS and sends ``X-Forwarded-Proto:
https``, requests count as HTTPS (and cookies get ``Secure``); the header is
ignored from any other peer.
"""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from highsignal.config import config_path, load_config

from .app import create_app
from .settings import ServerSettings, check_bind, server_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: Peers whose X-Forwarded-Proto/-For headers uvicorn believes: a TLS-terminating reverse proxy on this machine.
#: Set here rather than left to uvicorn's ``FORWARDED_ALLOW_IPS`` so an environment variable cannot widen it.
#: Only the scheme matters to the app (cookies get ``Secure`` over HTTPS); it never uses the client address.
TRUSTED_PROXIES = "127.0.0.1,::1"


def run(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    db_path: Path | None = None,
    *,
    log_level: str = "info",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the web UI until interrupted. Raises ``ServerConfigError`` (a ``HighsignalError``) when it must not start.

    ``on_ready(url)`` is called once the socket is bound (the CLI prints the URL).
    """
    path = config_path()
    settings = server_settings(load_config(path), path)
    check_bind(host, settings, path)
    app = create_app(db_path, settings=settings, bind_host=host)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=True,
        forwarded_allow_ips=TRUSTED_PROXIES,
        server_header=False,
        access_log=False,
    )
    server = uvicorn.Server(config)
    # Modules, templates, taxonomy and rubric loaded so far live as long as the process: moving them
    # out of the collector's sight keeps its full passes (~100 ms on a small VM) from stalling the
    # requests in flight when one runs.
    gc.freeze()
    if on_ready is not None:
        shown = f"[{host}]" if ":" in host else host
        _call_when_started(server, lambda: on_ready(f"http://{shown}:{port}/"))
    server.run()


def _call_when_started(server: uvicorn.Server, callback: Callable[[], None]) -> None:
    def wait() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            callback()

    threading.Thread(target=wait, daemon=True).start()


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class BackgroundServer:
    """The app served by uvicorn in a daemon thread on a free loopback port (tests, benchmarks)."""

    def __init__(
        self,
        db_path: Path,
        *,
        settings: ServerSettings | None = None,
        host: str = DEFAULT_HOST,
        port: int | None = None,
        app: Any = None,
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.app = app if app is not None else create_app(db_path, settings=settings, bind_host=host)
        config = uvicorn.Config(
            self.app,
            host=host,
            port=self.port,
            log_level="warning",
            access_log=False,
            proxy_headers=True,
            forwarded_allow_ips=TRUSTED_PROXIES,
        )
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, name="highsignal-web", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m highsignal.web.serve [--host H] [--port P] [--db PATH]``, until ``highsignal serve`` exists."""
    import argparse
    import sys

    from highsignal.errors import HighsignalError

    parser = argparse.ArgumentParser(prog="python -m highsignal.web.serve", description="Serve the highsignal web UI.")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--db", type=Path, default=None, help="database file (default: the CLI's)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    try:
        run(
            args.host,
            args.port,
            args.db,
            log_level=args.log_level,
            on_ready=lambda url: print(f"serving {url}", flush=True),
        )
    except HighsignalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
