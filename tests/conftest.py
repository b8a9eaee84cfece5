"""Shared fixtures: a loopback feed server, a fresh library, fixture files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import highsignal
from highsignal.fetch import FetchSettings
from tests.feedserver import FeedServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own config file or LLM endpoint."""
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))
    for var in ("HIGHSIGNAL_LLM_BASE_URL", "HIGHSIGNAL_LLM_MODEL", "HIGHSIGNAL_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@contextmanager
def running_server(host: str = "127.0.0.1") -> Iterator[FeedServer]:
    """A started ``FeedServer`` (optionally on another loopback address), stopped after."""
    srv = FeedServer(host).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def settings() -> FetchSettings:
    """Short timeouts so slow-server tests finish quickly."""
    return FetchSettings(connect_timeout=2, read_timeout=1.0, total_timeout=3.0, max_bytes=2_000_000)


@pytest.fixture
def lib(tmp_path: Path, settings: FetchSettings) -> Iterator[highsignal.Library]:
    library = highsignal.open(tmp_path / "lib.sqlite", fetch_settings=settings)
    try:
        yield library
    finally:
        library.close()
