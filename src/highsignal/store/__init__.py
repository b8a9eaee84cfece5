"""Store stage: the only code that talks to the database."""

from highsignal.store.base import FetchState, Storage, UpdateCounts
from highsignal.store.sqlite import SqliteStore

__all__ = ["FetchState", "SqliteStore", "Storage", "UpdateCounts"]
