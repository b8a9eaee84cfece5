"""The web UI: ``highsignal serve`` runs an ASGI app over the same Library as the CLI.

Pages (digest, item, sources, search, ask, settings) and a JSON API that
returns what the pages show, built on the same JSON shapes as
``highsignal digest --format json``. ``create_app`` builds the app;
``serve.run`` checks the bind address and runs it with uvicorn.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
