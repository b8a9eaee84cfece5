"""highsignal: a short, ranked, explainable feed of what is worth your time in AI.

The Python API is the first-class interface; the CLI and web UI drive it::

    import highsignal

    with highsignal.open("feeds.sqlite") as lib:
        lib.add_source("https://example.org/feed.xml")
        report = lib.refresh()
        for hit in lib.search("open weights"):
            print(hit.title, hit.snippet)
"""

from __future__ import annotations

__version__ = "0.1.0"
__url__ = "https://github.com/highsignal/highsignal"

from highsignal.api import Library, RefreshReport, SourceResult, default_db_path, open
from highsignal.errors import (
    FetchError,
    HighsignalError,
    ItemNotFoundError,
    NotAFeedError,
    ParseError,
    SourceError,
    SourceNotFoundError,
    StorageError,
)
from highsignal.records import FeedMeta, Item, ParsedFeed, SearchHit, Source, StoredItem

__all__ = [
    "FeedMeta",
    "FetchError",
    "HighsignalError",
    "Item",
    "ItemNotFoundError",
    "Library",
    "NotAFeedError",
    "ParseError",
    "ParsedFeed",
    "RefreshReport",
    "SearchHit",
    "Source",
    "SourceError",
    "SourceNotFoundError",
    "SourceResult",
    "StorageError",
    "StoredItem",
    "default_db_path",
    "open",
]
