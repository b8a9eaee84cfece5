"""HTML helpers for feed content: sanitising, plain text and outbound links.

Feed HTML is hostile. Everything that leaves the parse stage as HTML has been
through nh3 (the Ammonia sanitiser); the plain-text version is derived with a
few regular expressions rather than a second HTML parse, because it runs once
per item on the ingest hot path and only feeds search and extraction.
"""

from __future__ import annotations

import html as _html
import re
from urllib.parse import urljoin

import nh3

_CLEANER = nh3.Cleaner(link_rel="noopener noreferrer nofollow")

_DROP_BLOCKS = re.compile(r"<(script|style|template|noscript)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_BREAKS = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote|/pre|/ul|/ol|/table|hr)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")
_LINE_BREAKS = re.compile(r"(?: ?\x00 ?)+")
# Sanitised HTML is re-serialised by the sanitiser: lower-case, double-quoted attributes.
_HREF = re.compile(r'<a [^>]*?href="([^"]*)"')


def looks_like_html(text: str) -> bool:
    """Cheap test used to skip the sanitiser for plain-text fields."""
    return "<" in text or "&" in text


def sanitize(fragment: str) -> str:
    """Return ``fragment`` with scripts, handlers and unsafe URLs removed."""
    if not looks_like_html(fragment):
        return _html.escape(fragment, quote=False)
    return _CLEANER.clean(fragment)


def to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks on new lines."""
    if not looks_like_html(fragment):
        return fragment.strip()
    if "<script" in fragment or "<style" in fragment or "<SCRIPT" in fragment:
        fragment = _DROP_BLOCKS.sub(" ", fragment)
    s = fragment
    s = _BREAKS.sub("\n", s)
    s = _TAGS.sub(" ", s)
    s = _html.unescape(s).replace("\x00", "")
    # str.split() is far faster than a whitespace regex and knows Unicode spaces;
    # NUL stands in for line breaks while it collapses everything else.
    s = " ".join(s.replace("\n", " \x00 ").split())
    return _LINE_BREAKS.sub("\n", s).strip("\n ")


def links(sanitized: str, base: str | None = None) -> list[str]:
    """Absolute http(s) URLs of the anchors in sanitised HTML, in order, without repeats."""
    if "href" not in sanitized:
        return []
    seen: dict[str, None] = {}
    for raw in _HREF.findall(sanitized):
        raw = _html.unescape(raw.strip())
        if not raw or raw.startswith(("#", "mailto:", "javascript:", "data:", "tel:")):
            continue
        url = urljoin(base, raw) if base and "://" not in raw else raw
        if url.startswith(("http://", "https://")):
            seen.setdefault(url, None)
    return list(seen)
