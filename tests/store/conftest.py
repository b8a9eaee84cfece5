"""Fixtures shared by the store tests: a database path and an open store on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from highsignal.store import SqliteStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(db_path)
    try:
        yield s
    finally:
        s.close()
