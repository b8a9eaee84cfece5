"""Parse stage: documents in, ``ParsedFeed`` records out. No network, no database."""

from highsignal.parse.feeds import parse_feed

__all__ = ["parse_feed"]
