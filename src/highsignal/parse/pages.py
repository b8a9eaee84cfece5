"""Web pages and plain documents: feed discovery and single-article ingestion.

A URL a reader pastes is often a blog's home page rather than its feed. We
look for ``<link rel="alternate">`` feeds first; a page without one becomes a
single article whose main text trafilatura extracts, so nothing the reader
asked for is refused.
"""

from __future__ import annotations

import hashlib
import html as _html
import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from highsignal.errors import ParseError
from highsignal.parse import html as H
from highsignal.parse.dates import parse_date
from highsignal.parse.feeds import content_hash
from highsignal.parse.urls import canonical_url
from highsignal.records import FeedMeta, Item, ParsedFeed

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


def discover_feeds(page: bytes, base_url: str) -> list[str]:
    """Feed URLs a page advertises with ``<link rel="alternate">``, best first."""
    try:
        doc = lxml.html.fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    found: list[tuple[int, str]] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        typ = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and typ in FEED_TYPES and href:
            url = urljoin(base_url, href)
            # Comment feeds are rarely what a reader means.
            rank = 1 if "comment" in url.lower() else 0
            found.append((rank, url))
    seen: dict[str, None] = {}
    for _, url in sorted(found, key=lambda t: t[0]):
        seen.setdefault(url, None)
    return list(seen)


def parse_page(page: bytes, url: str) -> ParsedFeed:
    """One article from an HTML page: its main text, title, date and links."""
    import trafilatura  # heavy import; only pages need it

    text_html = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
    meta_doc = trafilatura.extract_metadata(text_html, default_url=url)
    main = trafilatura.extract(
        text_html,
        url=url,
        output_format="html",
        include_links=True,
        include_comments=False,
        favor_precision=True,
    )
    html = H.sanitize(main) if main else None
    text = H.to_text(html) if html else ""
    title = meta_doc.title if meta_doc and meta_doc.title else None
    if not title:
        try:
            title = lxml.html.fromstring(page).findtext(".//title")
        except (etree.ParserError, ValueError):
            title = None
    published_raw = meta_doc.date if meta_doc and meta_doc.date else None
    item = Item(
        key=canonical_url(url),
        title=(title or url).strip(),
        url=url,
        authors=[meta_doc.author] if meta_doc and meta_doc.author else [],
        published=parse_date(published_raw),
        published_raw=published_raw,
        summary=(meta_doc.description if meta_doc and meta_doc.description else text[:1000]) or None,
        html=html,
        text=text,
        links=H.links(html, url) if html else [],
    )
    item.content_hash = content_hash(item)
    meta = FeedMeta(title=item.title, link=url, description=item.summary)
    warnings = [] if text else ["no main text could be extracted from the page"]
    return ParsedFeed(format="page", meta=meta, items=[item], warnings=warnings)


def parse_text_document(data: bytes, path: str) -> ParsedFeed:
    """A plain-text or Markdown file as one item: first line as title, the rest as text."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").strip()
    if not text:
        raise ParseError("empty document")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = lines[0].lstrip("# ").strip()[:300] if lines else path
    html = "".join(f"<p>{_html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    links = H.links(H.sanitize(_autolink(text)), None)
    item = Item(
        key="doc:" + hashlib.blake2b(path.encode(), digest_size=12).hexdigest(),
        title=title,
        url=None,
        published=None,
        summary=text[:1000],
        html=html,
        text=text,
        links=links,
    )
    item.content_hash = content_hash(item)
    return ParsedFeed(format="text", meta=FeedMeta(title=title), items=[item], warnings=[])


def _autolink(text: str) -> str:
    return re.sub(r"(https?://[^\s<>\"')\]]+)", r'<a href="\1">\1</a>', text.replace("<", " "))
