"""OPML subscription lists in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

from lxml import etree

from highsignal.errors import ParseError
from highsignal.records import Source


@dataclass(slots=True)
class OpmlEntry:
    url: str
    title: str | None = None


def read(data: bytes) -> list[OpmlEntry]:
    """Every outline with an ``xmlUrl`` (at any depth), in document order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, load_dtd=False)
    try:
        root = etree.fromstring(data.lstrip(), parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not an OPML file: {exc}") from exc
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ParseError("not an OPML file: the root element is not <opml>")
    out: list[OpmlEntry] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in seen:
            seen.add(url)
            out.append(OpmlEntry(url=url, title=outline.get("title") or outline.get("text")))
    return out


def write(sources: list[Source]) -> str:
    """An OPML 2.0 document of the given sources."""
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>highsignal subscriptions</title>",
        f"    <dateCreated>{now}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for s in sources:
        title = s.title or s.url
        attrs = f'type="rss" text={quoteattr(title)} title={quoteattr(title)} xmlUrl={quoteattr(s.url)}'
        if s.site_url:
            attrs += f" htmlUrl={quoteattr(s.site_url)}"
        if s.declared_kind:
            attrs += f" category={quoteattr(s.declared_kind)}"
        lines.append(f"    <outline {attrs}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
