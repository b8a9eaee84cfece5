"""Feed text made safe for a page.

Everything from a feed is hostile. Templates autoescape, and the only HTML
from a feed that reaches a page is an item's body, passed through nh3 here
with a strict allowlist at render time (the store keeps sanitised HTML
already; this is the second, stricter pass): no scripts, no styles, no
frames, no images or media (nothing on a page loads from a third party), no
event handlers, and links only to http(s) and mailto.

Highlights are never built by string concatenation with markup: search
snippets and evidence spans become lists of plain-text parts flagged as
matches, and the template wraps the matches in ``<mark>`` after escaping.
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

from highsignal.records import MATCH_END, MATCH_START

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "frame"}
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def clean_html(fragment: str | None) -> Markup:
    """Feed HTML through the strict allowlist, as markup a template may insert."""
    if not fragment:
        return Markup("")
    return Markup(_CLEANER.clean(fragment))


def snippet_parts(snippet: str | None) -> list[dict[str, object]]:
    """A search snippet's text split at its match markers: ``[{"text": ..., "match": bool}, ...]``."""
    parts: list[dict[str, object]] = []
    if not snippet:
        return parts
    rest = snippet
    while rest:
        start = rest.find(MATCH_START)
        if start < 0:
            parts.append({"text": rest, "match": False})
            break
        if start:
            parts.append({"text": rest[:start], "match": False})
        end = rest.find(MATCH_END, start + 1)
        if end < 0:
            parts.append({"text": rest[start + 1 :], "match": True})
            break
        parts.append({"text": rest[start + 1 : end], "match": True})
        rest = rest[end + 1 :]
    return [p for p in parts if p["text"]]


def plain(text: str | None) -> str:
    """Text with the match markers (and other control characters but newlines and tabs) removed."""
    if not text:
        return ""
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t")


def span_context(text: str, start: int | None, end: int | None, width: int = 90) -> dict[str, str] | None:
    """The words around ``text[start:end]``, for showing a piece of evidence where it was found."""
    if start is None or end is None or not (0 <= start < end <= len(text)):
        return None
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return {
        "before": ("…" if lo > 0 else "")
        + " ".join(text[lo:start].split())
        + (" " if text[start - 1 : start].isspace() else ""),
        "match": " ".join(text[start:end].split()),
        "after": (" " if text[end : end + 1].isspace() else "")
        + " ".join(text[end:hi].split())
        + ("…" if hi < len(text) else ""),
    }
