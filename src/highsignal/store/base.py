"""The storage interface every back-end implements, and the records it takes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from highsignal.records import FeedMeta, Item, SearchHit, Source, StoredItem


@dataclass(slots=True)
class FetchState:
    """A source's fetch outcome, written with (or without) its items."""

    source_id: int
    last_fetch: datetime
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    error_streak: int = 0
    next_fetch: datetime | None = None
    gone: bool = False
    content_hash: str | None = None
    new_url: str | None = None
    feed_format: str | None = None
    content_type: str | None = None


@dataclass(slots=True)
class UpdateCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


class Storage(Protocol):
    """What the rest of highsignal needs from a database."""

    def add_source(self, url: str, kind: str, title: str | None = None) -> tuple[Source, bool]: ...
    def find_source(self, url: str) -> Source | None: ...
    def source(self, source_id: int) -> Source: ...
    def sources(self) -> list[Source]: ...
    def remove_source(self, source_id: int) -> None: ...
    def set_source_fields(self, source_id: int, **fields: object) -> None: ...
    def save_fetch_states(self, states: Iterable[FetchState]) -> None: ...
    def apply_update(
        self,
        state: FetchState,
        meta: FeedMeta | None,
        items: Sequence[Item],
        now: datetime,
        kind: str | None = None,
    ) -> UpdateCounts: ...
    def items(
        self, source_id: int | None = None, since: datetime | None = None, limit: int | None = None
    ) -> list[StoredItem]: ...
    def item(self, item_id: int) -> StoredItem: ...
    def find_item(self, ref: str) -> StoredItem: ...
    def count_items(self) -> int: ...
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]: ...
    def integrity_check(self) -> str: ...
    def close(self) -> None: ...
