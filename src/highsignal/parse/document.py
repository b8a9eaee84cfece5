"""Decide what a fetched document is and parse it accordingly."""

from __future__ import annotations

from dataclasses import dataclass, field

from highsignal.errors import NotAFeedError, ParseError, RefusedError
from highsignal.parse.episodes import episodes_from_html, episodes_from_text
from highsignal.parse.feeds import parse_feed
from highsignal.parse.pages import discover_feeds, parse_page, parse_text_document
from highsignal.records import ParsedFeed

_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


@dataclass(slots=True)
class Parsed:
    """The outcome of reading one document.

    Exactly one of ``feed`` (items to store), ``feed_links`` (a page that
    points at feeds) and ``error`` is set.
    """

    feed: ParsedFeed | None = None
    feed_links: list[str] = field(default_factory=list)
    error: str | None = None


def parse_document(data: bytes, url: str, content_type: str | None = None, discover: bool = True) -> Parsed:
    """Parse a feed, or for a page find its feeds (``discover``) or take it as an article.

    Runs in worker processes during big refreshes, so it takes and returns
    plain picklable values and never raises for bad input.
    """
    ctype = (content_type or "").split(";")[0].strip().lower()
    lower_url = url.lower().split("?")[0]
    try:
        if ctype in ("text/plain", "text/markdown") or lower_url.endswith(_TEXT_SUFFIXES):
            head = data.lstrip()[:1]
            if head not in (b"<", b"{"):
                # A copied podcast page lists episodes: each is an item, not the whole file.
                episodes = episodes_from_text(data.decode("utf-8", "replace"), url)
                return Parsed(feed=episodes or parse_text_document(data, url))
        try:
            return Parsed(feed=parse_feed(data, url))
        except RefusedError:
            raise
        except ParseError as exc:
            if not isinstance(exc, NotAFeedError) and ctype not in ("text/html", "application/xhtml+xml"):
                raise
            # Served as HTML and not a feed: treat it as the page it claims to be.
            if discover:
                links = [u for u in discover_feeds(data, url) if u != url]
                if links:
                    return Parsed(feed_links=links)
            # A podcast page without a feed link still lists its episodes.
            episodes = episodes_from_html(data, url)
            return Parsed(feed=episodes or parse_page(data, url))
    except ParseError as exc:
        return Parsed(error=str(exc))
    except RecursionError:
        return Parsed(error="document nested too deeply to parse")
