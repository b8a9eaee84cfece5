"""Exceptions raised by highsignal's public API.

Every error carries a message that names the problem and the input, so the
CLI can print it as one line and carry on with the next source.
"""

from __future__ import annotations


class HighsignalError(Exception):
    """Base class of every error highsignal raises on purpose."""


class ParseError(HighsignalError):
    """A document could not be read as a feed."""


class NotAFeedError(ParseError):
    """The document is an HTML page (or other text), not a feed."""


class RefusedError(ParseError):
    """The document was refused for safety (entity declarations, size)."""


class FetchError(HighsignalError):
    """A source could not be retrieved (network, HTTP status, size cap)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SourceError(HighsignalError):
    """A source argument is invalid (bad URL, missing file)."""


class SourceNotFoundError(HighsignalError):
    """No subscribed source matches the given id, URL or title."""


class ItemNotFoundError(HighsignalError):
    """No stored item matches the given id."""


class StorageError(HighsignalError):
    """The database could not be opened or is from a newer version."""
