"""``create_app``: the FastAPI app over a library file, with its security wired in.

The interactive API docs FastAPI would serve load their scripts from a CDN,
which the Content-Security-Policy (rightly) forbids, so they are off: the
schema is at ``/api/openapi.json`` and ``/api`` lists the endpoints.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from highsignal import __version__
from highsignal.config import config_path, load_config
from highsignal.fetch import FetchSettings

from . import errors, json_api, pages
from .access import LibraryAccess
from .rendering import environment
from .security import SecurityMiddleware, Signer, require_csrf
from .settings import ServerSettings, server_settings
from .views import WebState

STATIC = Path(__file__).parent / "static"


def create_app(
    db_path: Path | None = None,
    *,
    settings: ServerSettings | None = None,
    bind_host: str = "127.0.0.1",
    fetch_settings: FetchSettings | None = None,
) -> FastAPI:
    """The web app over the library at ``db_path`` (default: the CLI's), configured by ``[server]``.

    ``settings`` defaults to the config file's ``[server]`` table. The
    Libraries fetch with ``allow_private`` only when ``allow_private_sources``
    is set. ``bind_host`` is the address the server listens on (the Host
    header may name it).
    """
    if settings is None:
        settings = server_settings(load_config(), config_path())
    fetch = fetch_settings or FetchSettings()
    fetch.allow_private = settings.allow_private_sources
    access = LibraryAccess(db_path, fetch)
    web = WebState(access, settings, Signer.for_settings(settings), environment())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        access.close()

    app = FastAPI(
        title="highsignal",
        version=__version__,
        summary="A short, ranked, explainable feed of what is worth your time in AI.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(require_csrf)],
        lifespan=lifespan,
    )
    app.state.web = web
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(json_api.router)
    app.include_router(json_api.feed_router)
    app.include_router(pages.router)
    errors.install(app)
    app.add_middleware(SecurityMiddleware, settings=settings, signer=web.signer, bind_host=bind_host)
    return app


def app_state(app: Any) -> WebState:
    """The shared state of an app made by ``create_app`` (for tests and the bench)."""
    return app.state.web
