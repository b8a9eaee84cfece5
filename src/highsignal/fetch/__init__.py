"""Fetch stage: the only code that talks to the network."""

from highsignal.fetch.http import (
    USER_AGENT,
    Fetcher,
    FetchRequest,
    FetchResult,
    FetchSettings,
    is_public_address,
)

__all__ = ["USER_AGENT", "FetchRequest", "FetchResult", "FetchSettings", "Fetcher", "is_public_address"]
