"""Turn a fetched document into a ``ParsedFeed`` of normalised ``Item`` records.

``parse_feed`` is the one entry point: it recognises JSON Feed, RSS and Atom,
falls back to feedparser only when the fast lxml path reads nothing from a
document that plainly has entries, and gives every item a stable identity and
a content hash so the store can tell new, updated and unchanged items apart.
"""

from __future__ import annotations

import hashlib
import html as _html
import re
from urllib.parse import urljoin

import orjson

from highsignal.errors import NotAFeedError, ParseError, RefusedError
from highsignal.parse import html as H
from highsignal.parse.dates import parse_date, parse_duration
from highsignal.parse.urls import canonical_url, strip_query
from highsignal.parse.xmlfeed import _ENCODING_DECL, _Entry, parse_xml
from highsignal.podcast.chapters import finish as finish_chapters
from highsignal.records import Chapter, Enclosure, FeedMeta, Item, ParsedFeed

_HAS_ENTRIES = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s>/]", re.I)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


def content_hash(item: Item) -> str:
    """A digest of everything stored about an item except its hash itself."""
    item.content_hash = ""
    return hashlib.blake2b(orjson.dumps(item), digest_size=16).hexdigest()


def _first_http(*candidates: str | None) -> str | None:
    for c in candidates:
        if c and c.startswith(("http://", "https://")):
            return c
    return None


def _finish(item: Item) -> Item:
    """Give an item its identity and content hash."""
    if not item.key:
        if item.guid:
            item.key = item.guid
        elif item.url:
            item.key = canonical_url(item.url)
        elif item.enclosure:
            item.key = strip_query(item.enclosure.url)
    item.content_hash = content_hash(item)
    if not item.key:
        item.key = "hash:" + item.content_hash
    return item


def _entry_to_item(e: _Entry, meta: FeedMeta, base: str | None) -> Item:
    base = e.base or base
    link = e.link
    if not link:
        for rel, href in e.links:
            if rel == "alternate":
                link = href
                break
    if link and base and "://" not in link:
        link = urljoin(base, link)
    guid = e.guid
    url = link or (guid if guid and e.guid_permalink and guid.startswith("http") else None)
    source_html = e.content or e.description or e.itunes_summary or e.media_description
    html = H.sanitize(source_html) if source_html else None
    text = H.to_text(html) if html else ""
    summary_src = e.description or e.itunes_summary or e.media_description
    if summary_src is None or summary_src == source_html:
        summary = text[:1000] if text else None
    else:
        summary = H.to_text(summary_src) or None
    enclosure = e.enclosures[0] if e.enclosures else None
    if enclosure is None:
        for m in e.media:
            if m.type and m.type.split("/")[0] in ("audio", "video"):
                enclosure = m
                break
    if enclosure and base and "://" not in enclosure.url:
        enclosure.url = urljoin(base, enclosure.url)
    title = e.title or e.itunes_title
    if title and not e.title_is_text and ("<" in title or "&" in title):
        title = H.to_text(title)
    item = Item(
        key="",
        guid=guid,
        title=title,
        url=url,
        # RFC 4287 4.2.1: an entry without authors has the feed's.
        authors=e.authors or ([meta.author] if meta.author else []),
        published=parse_date(e.published_raw),
        published_raw=e.published_raw,
        updated=parse_date(e.updated_raw),
        updated_raw=e.updated_raw,
        summary=summary,
        html=html,
        text=text,
        enclosure=enclosure,
        media=e.media,
        duration=e.duration,
        image=e.image,
        episode=e.episode,
        season=e.season,
        episode_type=e.episode_type,
        explicit=e.explicit,
        categories=e.categories,
        chapters_url=e.chapters_url,
        chapters=_chapters(e.psc_chapters, e.duration),
        transcripts=e.transcripts,
        persons=e.persons or list(meta.persons),
        soundbites=e.soundbites,
        txt=e.txt,
        links=H.links(html, url or base) if html else [],
    )
    if item.published is None and item.updated is not None:
        item.published = item.updated
    return _finish(item)


def _chapters(raw: list[tuple[float, str, str | None]], duration: float | None) -> list[Chapter]:
    return finish_chapters((Chapter(start=start, title=title, url=href) for start, title, href in raw), duration)


def _dedupe(items: list[Item], warnings: list[str]) -> list[Item]:
    """Keep one copy of exact duplicates; keep both of two different items sharing an id."""
    seen: dict[str, str] = {}
    out: list[Item] = []
    dup_same = dup_diff = 0
    for item in items:
        prev = seen.get(item.key)
        if prev is None:
            seen[item.key] = item.content_hash
            out.append(item)
        elif prev == item.content_hash:
            dup_same += 1
        else:
            dup_diff += 1
            item.key = f"{item.key}#{item.content_hash[:12]}"
            if item.key not in seen:
                seen[item.key] = item.content_hash
                out.append(item)
    if dup_same:
        warnings.append(f"{dup_same} exact duplicate item(s) stored once")
    if dup_diff:
        warnings.append(f"{dup_diff} item(s) reuse another item's id; kept apart by content")
    return out


def _parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc}") from exc
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise ParseError("JSON document is not a JSON Feed (no jsonfeed.org version)")
    meta = FeedMeta(
        title=_s(doc.get("title")),
        link=_s(doc.get("home_page_url")),
        self_url=_s(doc.get("feed_url")),
        description=_s(doc.get("description")),
        language=_s(doc.get("language")),
        image=_s(doc.get("icon")) or _s(doc.get("favicon")),
        author=_json_authors(doc)[0] if _json_authors(doc) else None,
    )
    warnings: list[str] = []
    items: list[Item] = []
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise ParseError("JSON Feed has no items list")
    base = meta.link or url
    feed_authors = _json_authors(doc)
    for n, ji in enumerate(raw_items):
        if not isinstance(ji, dict):
            warnings.append(f"item {n} is not an object; skipped")
            continue
        content_html = _s(ji.get("content_html"))
        content_text = _s(ji.get("content_text"))
        if content_html:
            html = H.sanitize(content_html)
        elif content_text:
            html = H.text_to_html(content_text)
        else:
            html = None
        text = H.to_text(html) if html else ""
        link = _s(ji.get("url")) or _s(ji.get("external_url"))
        if link and base and "://" not in link:
            link = urljoin(base, link)
        enclosure = None
        duration = None
        for att in ji.get("attachments") or []:
            if isinstance(att, dict) and _s(att.get("url")):
                enclosure = Enclosure(
                    url=_s(att.get("url")) or "",
                    type=_s(att.get("mime_type")),
                    length=_int(att.get("size_in_bytes")),
                )
                duration = parse_duration(str(att.get("duration_in_seconds") or "")) or None
                break
        summary = _s(ji.get("summary"))
        item = Item(
            key="",
            guid=_s(ji.get("id")),
            title=_html.unescape(_s(ji.get("title")) or "") or None,
            url=link,
            # JSON Feed 1.1: an item without authors has the feed's.
            authors=_json_authors(ji) if ("authors" in ji or "author" in ji) else feed_authors,
            published_raw=_s(ji.get("date_published")),
            published=parse_date(_s(ji.get("date_published"))),
            updated_raw=_s(ji.get("date_modified")),
            updated=parse_date(_s(ji.get("date_modified"))),
            summary=summary or (text[:1000] if text else None),
            html=html,
            text=text,
            enclosure=enclosure,
            duration=duration,
            image=_s(ji.get("image")) or _s(ji.get("banner_image")),
            categories=[str(t) for t in ji.get("tags") or [] if isinstance(t, str | int)],
            links=H.links(html, link or base) if html else [],
        )
        if item.published is None and item.updated is not None:
            item.published = item.updated
        items.append(_finish(item))
    return ParsedFeed(format="json", meta=meta, items=_dedupe(items, warnings), warnings=warnings)


def _json_authors(obj: dict) -> list[str]:
    out: list[str] = []
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj["author"]] if isinstance(obj.get("author"), dict) else []
    for a in authors:
        if isinstance(a, dict) and _s(a.get("name")):
            out.append(_s(a.get("name")) or "")
    return out


def _s(v: object) -> str | None:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return None


def _int(v: object) -> int | None:
    try:
        return int(v) if v is not None and not isinstance(v, bool) else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _fallback(data: bytes, url: str, reason: str) -> ParsedFeed | None:
    """Read a badly broken feed with feedparser; None if it finds nothing either."""
    import feedparser  # slow to import; only broken input gets here

    result = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    if not result.entries:
        return None
    f = result.feed
    meta = FeedMeta(
        title=f.get("title"),
        link=f.get("link"),
        description=H.to_text(f.get("subtitle") or "") or None,
        language=f.get("language"),
        author=f.get("author"),
    )
    items: list[Item] = []
    for fe in result.entries:
        content = None
        if fe.get("content"):
            content = fe.content[0].get("value")
        source_html = content or fe.get("summary")
        html = H.sanitize(source_html) if source_html else None
        text = H.to_text(html) if html else ""
        link = fe.get("link")
        encl = None
        for lk in fe.get("links") or []:
            if lk.get("rel") == "enclosure" and lk.get("href"):
                encl = Enclosure(url=lk["href"], type=lk.get("type"), length=_int(lk.get("length")))
                break
        published_raw = fe.get("published") or fe.get("updated")
        item = Item(
            key="",
            guid=fe.get("id"),
            title=H.to_text(fe.get("title") or "") or None,
            url=link,
            authors=[fe["author"]] if fe.get("author") else [],
            published_raw=published_raw,
            published=parse_date(published_raw),
            updated_raw=fe.get("updated"),
            updated=parse_date(fe.get("updated")),
            summary=H.to_text(fe.get("summary") or "") or None,
            html=html,
            text=text,
            enclosure=encl,
            duration=parse_duration(fe.get("itunes_duration")),
            links=H.links(html, link or url) if html else [],
        )
        items.append(_finish(item))
    warnings = [f"{reason}; read with the tolerant fallback parser"]
    return ParsedFeed(format="fallback", meta=meta, items=_dedupe(items, warnings), warnings=warnings)


def parse_feed(data: bytes, url: str = "") -> ParsedFeed:
    """Parse a feed document (RSS, Atom, JSON Feed) into normalised items.

    Raises ``NotAFeedError`` for an HTML page (the caller may look for feed
    links or ingest it as an article) and ``ParseError`` when nothing usable
    can be read. Recoverable problems are listed in ``ParsedFeed.warnings``.
    """
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise ParseError("empty document")
    if stripped[:1] in (b"{", b"["):
        return _parse_json_feed(stripped, url)
    if stripped[:2] in (b"\x00<", b"<\x00"):  # UTF-16 without a byte-order mark
        enc = "utf-16-be" if stripped[:1] == b"\x00" else "utf-16-le"
        data = _ENCODING_DECL.sub(rb"\1\2utf-8\2", stripped.decode(enc, "replace").encode("utf-8"), count=1)
        stripped = data
    if _HTML_START.match(stripped[:2048]) and not _HAS_ENTRIES.search(data):
        raise NotAFeedError("the document is an HTML page, not a feed")
    if stripped[:1] != b"<" and not stripped.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("not a feed: the document is neither XML nor JSON")
    dropped = 0

    def make_item(e: _Entry, meta: FeedMeta) -> Item | None:
        nonlocal dropped
        if e.empty:
            dropped += 1
            return None
        if meta.link and "://" not in meta.link and url:
            meta.link = urljoin(url, meta.link)
        base = meta.link if meta.link and "://" in meta.link else url or None
        return _entry_to_item(e, meta, base)

    try:
        fmt, meta, parsed, warnings = parse_xml(data, make_item)
    except RefusedError:
        raise
    except ParseError as exc:
        # A feed wrapped in an HTML page, or broken beyond lxml's recovery.
        if _HAS_ENTRIES.search(data):
            fb = _fallback(data, url, str(exc))
            if fb is not None:
                return fb
        raise
    items = [i for i in parsed if i is not None]
    anonymous = sum(1 for i in items if not (i.title or i.url or i.guid))
    if anonymous:
        warnings.append(f"{anonymous} item(s) with no title, link or id; identified by their content")
    if dropped:
        warnings.append(f"{dropped} empty item element(s) skipped")
    if not items and not parsed and _HAS_ENTRIES.search(data):
        fb = _fallback(data, url, "no entries found by the XML parser")
        if fb is not None:
            return fb
    return ParsedFeed(format=fmt, meta=meta, items=_dedupe(items, warnings), warnings=warnings)
