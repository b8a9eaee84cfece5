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
_BREAKS = re.compile(
    r"<(?:br|/?p|/?div|/?li|/?h[1-6]|/?tr|/?blockquote|/?pre|/?ul|/?ol|/?table|hr|/?section|/?article)\b[^>]*>",
    re.I,
)
# Cells and images separate words; inline tags (b, a, span...) must not.
_SPACERS = re.compile(r"<(?:/?td|/?th|img|/?dt|/?dd|/?figcaption)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")
_PARAGRAPHS = re.compile(r"\n\s*\n")
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
        # Plain text: single newlines are soft wraps, blank lines end paragraphs.
        paras = (" ".join(p.split()) for p in _PARAGRAPHS.split(fragment))
        return "\n".join(p for p in paras if p)
    if "<script" in fragment or "<style" in fragment or "<SCRIPT" in fragment:
        fragment = _DROP_BLOCKS.sub(" ", fragment)
    # Newlines in HTML source are just spaces; only block tags break lines.
    s = _BREAKS.sub("\n", fragment.replace("\n", " "))
    s = _SPACERS.sub(" ", s)
    s = _TAGS.sub("", s)
    return _collapse(_html.unescape(s))


def _collapse(s: str) -> str:
    """Collapse runs of spaces and blank lines; keep single line breaks."""
    # str.split() is far faster than a whitespace regex and knows Unicode spaces;
    # NUL stands in for line breaks while it collapses everything else. Splitting
    # on NUL afterwards (not a regex over the whole text) keeps this linear and cheap.
    s = " ".join(s.replace("\x00", "").replace("\n", " \x00 ").split())
    return "\n".join(line for piece in s.split("\x00") if (line := piece.strip(" ")))


def text_to_html(text: str) -> str:
    """Plain text as escaped HTML paragraphs (JSON Feed ``content_text``)."""
    paras = (p.strip() for p in text.replace("\r\n", "\n").split("\n\n"))
    return "".join(f"<p>{_html.escape(p).replace(chr(10), '<br>')}</p>" for p in paras if p)


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
        if url[:8].lower().startswith(("http://", "https://")):
            seen.setdefault(url, None)
    return list(seen)
