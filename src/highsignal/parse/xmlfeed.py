"""RSS 0.9x/1.0/2.0 and Atom 1.0 parsing on lxml, podcast tags included.

The parser walks each item's children once and dispatches on a
(namespace alias, local name) pair, so a namespace is recognised by its URI
whatever prefix a feed chose, and both spellings of the Podcasting 2.0
namespace land in the same place. Items are streamed with ``iterparse`` and
cleared as they are read: a 50 MB podcast feed never sits in memory as a tree.
"""

from __future__ import annotations

import html as _html
import html.entities
import io
import re
from collections.abc import Callable
from typing import TypeVar

from lxml import etree

from highsignal.errors import NotAFeedError, ParseError, RefusedError
from highsignal.parse import html as H
from highsignal.parse.dates import parse_clock, parse_duration
from highsignal.records import (
    Enclosure,
    FeedMeta,
    Funding,
    Person,
    Soundbite,
    TranscriptRef,
)

# Namespace URI -> alias. Feeds in the wild use several spellings for the same
# namespace (http/https, trailing slashes, upper case), so map them all.
_NS: dict[str | None, str] = {None: "", "": ""}
for _alias, _uris in {
    "atom": ["http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"],
    "rss1": ["http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"],
    "rdf": ["http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
    "content": ["http://purl.org/rss/1.0/modules/content/"],
    "dc": ["http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"],
    "itunes": ["http://www.itunes.com/dtds/podcast-1.0.dtd"],
    "media": ["http://search.yahoo.com/mrss/"],
    "podcast": [
        "https://podcastindex.org/namespace/1.0",
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    ],
    "psc": ["http://podlove.org/simple-chapters"],
    "googleplay": ["http://www.google.com/schemas/play-podcasts/1.0"],
}.items():
    for _uri in _uris:
        _NS[_uri] = _alias


def _ns_alias(uri: str) -> str:
    alias = _NS.get(uri)
    if alias is None:
        norm = uri.strip().lower().rstrip("/#").replace("https://", "http://")
        for known, a in list(_NS.items()):
            if known and known.lower().rstrip("/#").replace("https://", "http://") == norm:
                alias = a
                break
        else:
            alias = "?" + uri
        _NS[uri] = alias
    return alias


_KEYS: dict[str, tuple[str, str]] = {}


def _key(tag: object) -> tuple[str, str] | None:
    """(alias, local name) of an element tag; None for comments and PIs."""
    if not isinstance(tag, str):
        return None
    k = _KEYS.get(tag)
    if k is None:
        if tag[0] == "{":
            uri, local = tag[1:].split("}", 1)
            k = (_ns_alias(uri), local)
        else:
            k = ("", tag)
        _KEYS[tag] = k
    return k


_ITEM_KEYS = {("", "item"), ("rss1", "item"), ("atom", "entry"), ("", "entry")}
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_HTML_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z][A-Za-z0-9]{1,31};")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENCODING_DECL = re.compile(rb"^(<\?xml[^>]*?encoding\s*=\s*)([\"'])([A-Za-z0-9._:-]+)\2")


def _text(el: etree._Element) -> str | None:
    t = el.text
    if t is None and len(el):
        t = "".join(el.itertext())
    if t is None:
        return None
    t = t.strip()
    return t or None


_XHTML_NOISE = re.compile(r'\sxmlns(?::\w+)?="[^"]*"|(?<=<)\w+:|(?<=</)\w+:')


def _markup(el: etree._Element) -> str | None:
    """The HTML carried by an element: escaped text, CDATA, or inline XHTML children."""
    if len(el):
        parts = [_html.escape(el.text or "", quote=False)]
        for child in el:
            if isinstance(child.tag, str):
                parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
            parts.append(_html.escape(child.tail or "", quote=False))
        # Inline XHTML children serialise with namespace declarations and prefixes.
        s = _XHTML_NOISE.sub("", "".join(parts))
        return s.strip() or None
    t = el.text
    if t is None:
        return None
    t = t.strip()
    return t or None


def _int(s: str | None) -> int | None:
    if not s:
        return None
    s = s.strip()
    try:
        return int(s)
    except ValueError:
        try:
            return int(float(s))
        except ValueError:
            return None


def _bool(s: str | None) -> bool | None:
    if not s:
        return None
    v = s.strip().lower()
    if v in ("true", "yes", "explicit", "1"):
        return True
    if v in ("false", "no", "clean", "0"):
        return False
    return None


class _Entry:
    """Fields gathered from one item element before it becomes an ``Item``."""

    __slots__ = (
        "authors",
        "base",
        "categories",
        "chapters_url",
        "content",
        "description",
        "duration",
        "empty",
        "enclosures",
        "episode",
        "episode_type",
        "explicit",
        "guid",
        "guid_permalink",
        "image",
        "itunes_summary",
        "itunes_title",
        "link",
        "links",
        "media",
        "media_description",
        "persons",
        "psc_chapters",
        "published_raw",
        "season",
        "soundbites",
        "title",
        "title_is_text",
        "transcripts",
        "txt",
        "updated_raw",
    )

    def __init__(self) -> None:
        self.title = self.link = self.guid = self.description = self.content = None
        self.itunes_summary = self.media_description = None
        self.published_raw = self.updated_raw = None
        self.guid_permalink = True
        self.links: list[tuple[str, str]] = []
        self.authors: list[str] = []
        self.enclosures: list[Enclosure] = []
        self.media: list[Enclosure] = []
        self.duration = self.image = self.episode = self.season = None
        self.episode_type = self.explicit = self.chapters_url = None
        self.categories: list[str] = []
        self.transcripts: list[TranscriptRef] = []
        self.persons: list[Person] = []
        self.soundbites: list[Soundbite] = []
        self.txt: list[str] = []
        self.psc_chapters: list[tuple[float, str, str | None]] = []
        self.itunes_title = None
        self.title_is_text = False
        self.base = None
        self.empty = True


def _person(el: etree._Element) -> Person | None:
    name = _text(el)
    if not name:
        return None
    return Person(
        name=name,
        role=(el.get("role") or "host").strip().lower(),
        group=(el.get("group") or "cast").strip().lower(),
        href=el.get("href"),
        img=el.get("img"),
    )


def _media_content(el: etree._Element, out: list[Enclosure]) -> None:
    url = el.get("url")
    if url:
        out.append(Enclosure(url=url.strip(), type=el.get("type"), length=_int(el.get("fileSize"))))


def _read_entry(el: etree._Element) -> _Entry:
    e = _Entry()
    e.base = el.get("{http://www.w3.org/XML/1998/namespace}base")
    e.empty = len(el) == 0 and not (el.text or "").strip() and not el.attrib
    e.guid = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    for child in el:
        k = _key(child.tag)
        if k is None:
            continue
        ns, name = k
        if ns == "" or ns == "rss1":
            if name == "title":
                e.title = _text(child)
            elif name == "link":
                href = child.get("href")
                if href:  # Atom-style link without namespace
                    e.links.append(((child.get("rel") or "alternate"), href.strip()))
                elif child.text:
                    e.link = child.text.strip() or e.link
            elif name == "guid" or name == "id":
                e.guid = _text(child)
                if (child.get("isPermaLink") or "true").strip().lower() == "false":
                    e.guid_permalink = False
            elif name == "description":
                e.description = _markup(child)
            elif name == "pubDate" or name == "published" or name == "issued":
                e.published_raw = _text(child)
            elif name == "updated" or name == "modified" or name == "lastBuildDate":
                e.updated_raw = _text(child)
            elif name == "author":
                a = _text(child)
                if a:
                    e.authors.append(a)
            elif name == "category":
                c = _text(child) or child.get("term")
                if c:
                    e.categories.append(c)
            elif name == "enclosure":
                url = child.get("url")
                if url:
                    e.enclosures.append(
                        Enclosure(url=url.strip(), type=child.get("type"), length=_int(child.get("length")))
                    )
            elif name == "summary":
                e.description = _markup(child)
            elif name == "content":
                e.content = _markup(child)
        elif ns == "atom":
            if name == "title":
                e.title = _atom_text(child)
                e.title_is_text = True
            elif name == "link":
                href = child.get("href")
                if href:
                    rel = child.get("rel") or "alternate"
                    e.links.append((rel, href.strip()))
                    if rel == "enclosure":
                        e.enclosures.append(
                            Enclosure(url=href.strip(), type=child.get("type"), length=_int(child.get("length")))
                        )
            elif name == "id":
                e.guid = _text(child)
            elif name == "summary":
                e.description = _atom_html(child)
            elif name == "content":
                if child.get("src"):
                    e.links.append(("content", child.get("src").strip()))
                else:
                    e.content = _atom_html(child)
            elif name == "published" or name == "issued":
                e.published_raw = _text(child)
            elif name == "updated" or name == "modified":
                e.updated_raw = _text(child)
            elif name == "author":
                for sub in child:
                    if _key(sub.tag) in (("atom", "name"), ("", "name")):
                        a = _text(sub)
                        if a:
                            e.authors.append(a)
            elif name == "category":
                c = child.get("term") or _text(child)
                if c:
                    e.categories.append(c)
        elif ns == "content":
            if name == "encoded":
                e.content = _markup(child)
        elif ns == "dc":
            if name == "creator" or name == "contributor":
                a = _text(child)
                if a and a not in e.authors:
                    e.authors.append(a)
            elif name == "date":
                if e.published_raw is None:
                    e.published_raw = _text(child)
            elif name == "subject":
                c = _text(child)
                if c:
                    e.categories.append(c)
            elif name == "description":
                if e.description is None:
                    e.description = _markup(child)
            elif name == "identifier":
                if e.guid is None:
                    e.guid = _text(child)
        elif ns == "itunes":
            if name == "duration":
                e.duration = parse_duration(child.text)
            elif name == "episode":
                e.episode = _int(child.text)
            elif name == "season":
                e.season = _int(child.text)
            elif name == "episodeType":
                t = _text(child)
                e.episode_type = t.lower() if t else None
            elif name == "explicit":
                e.explicit = _bool(child.text)
            elif name == "image":
                e.image = (child.get("href") or _text(child) or "").strip() or e.image
            elif name == "author":
                a = _text(child)
                if a and a not in e.authors:
                    e.authors.append(a)
            elif name == "summary":
                e.itunes_summary = _markup(child)
            elif name == "title":
                e.itunes_title = _text(child)
            elif name == "keywords":
                kw = _text(child)
                if kw:
                    e.categories.extend(k.strip() for k in kw.split(",") if k.strip())
        elif ns == "podcast":
            if name == "transcript":
                url = child.get("url")
                if url:
                    e.transcripts.append(
                        TranscriptRef(
                            url=url.strip(),
                            type=child.get("type"),
                            language=child.get("language"),
                            rel=child.get("rel"),
                        )
                    )
            elif name == "chapters":
                e.chapters_url = (child.get("url") or "").strip() or None
            elif name == "person":
                p = _person(child)
                if p:
                    e.persons.append(p)
            elif name == "soundbite":
                start = parse_clock(child.get("startTime"))
                dur = parse_clock(child.get("duration"))
                if start is not None and dur is not None:
                    e.soundbites.append(Soundbite(start=start, duration=dur, title=_text(child)))
            elif name == "txt":
                t = _text(child)
                if t:
                    e.txt.append(t)
            elif name == "season":
                e.season = e.season if e.season is not None else _int(child.text)
            elif name == "episode":
                e.episode = e.episode if e.episode is not None else _int(child.text)
        elif ns == "media":
            if name == "content":
                _media_content(child, e.media)
            elif name == "group":
                for sub in child:
                    k2 = _key(sub.tag)
                    if k2 == ("media", "content"):
                        _media_content(sub, e.media)
                    elif k2 == ("media", "description") and e.media_description is None:
                        e.media_description = _markup(sub)
                    elif k2 == ("media", "thumbnail") and e.image is None and sub.get("url"):
                        e.image = sub.get("url").strip()
            elif name == "thumbnail":
                if e.image is None and child.get("url"):
                    e.image = child.get("url").strip()
            elif name == "description":
                e.media_description = _markup(child)
        elif ns == "psc":
            if name == "chapters":
                for sub in child:
                    if _key(sub.tag) == ("psc", "chapter"):
                        start = parse_clock(sub.get("start"))
                        title = (sub.get("title") or "").strip()
                        if start is not None and title:
                            e.psc_chapters.append((start, title, sub.get("href")))
    return e


def _atom_html(el: etree._Element) -> str | None:
    t = (el.get("type") or "text").lower()
    if t in ("html", "text/html", "xhtml", "application/xhtml+xml"):
        return _markup(el)
    text = _text(el)
    # Plain-text Atom constructs must not be read as markup.
    return _html.escape(text, quote=False) if text else None


def _atom_text(el: etree._Element) -> str | None:
    t = (el.get("type") or "text").lower()
    if t in ("html", "xhtml", "text/html"):
        m = _markup(el)
        return H.to_text(m) if m else None
    return _text(el)


def _read_channel(children: list[etree._Element], meta: FeedMeta) -> None:
    for child in children:
        k = _key(child.tag)
        if k is None or k in _ITEM_KEYS:
            continue
        if k == ("rss1", "channel"):  # RSS 1.0: the channel is a sibling of the items
            _read_channel(list(child), meta)
            continue
        ns, name = k
        if ns in ("", "rss1"):
            if name == "title" and meta.title is None:
                meta.title = _text(child)
            elif name == "link" and meta.link is None:
                meta.link = (child.get("href") or _text(child) or "").strip() or None
            elif name in ("description", "subtitle") and meta.description is None:
                m = _markup(child)
                meta.description = H.to_text(m) if m else None
            elif name == "language":
                meta.language = _text(child)
            elif name == "ttl":
                meta.ttl_minutes = _int(child.text)
            elif name == "generator":
                meta.generator = _text(child)
            elif name == "copyright":
                meta.copyright = _text(child)
            elif name == "image":
                for sub in child:
                    if _key(sub.tag) in (("", "url"), ("rss1", "url")) and meta.image is None:
                        meta.image = _text(sub)
                if meta.image is None and child.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"):
                    meta.image = child.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource")
            elif name == "category":
                c = _text(child) or child.get("term")
                if c:
                    meta.categories.append(c)
        elif ns == "atom":
            if name == "title" and meta.title is None:
                meta.title = _atom_text(child)
            elif name == "link":
                rel = child.get("rel") or "alternate"
                href = (child.get("href") or "").strip()
                if not href:
                    continue
                if rel == "self":
                    meta.self_url = href
                elif rel == "alternate" and meta.link is None:
                    meta.link = href
            elif name == "subtitle" and meta.description is None:
                meta.description = _atom_text(child)
            elif name == "rights":
                meta.copyright = _atom_text(child)
            elif name == "icon" or name == "logo":
                meta.image = meta.image or _text(child)
            elif name == "author" and meta.author is None:
                for sub in child:
                    if _key(sub.tag) == ("atom", "name"):
                        meta.author = _text(sub)
            elif name == "generator":
                meta.generator = _text(child)
            elif name == "category":
                c = child.get("term")
                if c:
                    meta.categories.append(c)
        elif ns == "itunes":
            meta.is_podcast = True
            if name == "author":
                meta.author = _text(child)
            elif name == "image":
                meta.image = (child.get("href") or _text(child) or "").strip() or meta.image
            elif name == "explicit":
                meta.explicit = _bool(child.text)
            elif name == "type":
                t = _text(child)
                meta.itunes_type = t.lower() if t else None
            elif name == "new-feed-url":
                meta.new_feed_url = _text(child)
            elif name == "complete":
                meta.complete = (_text(child) or "").lower() == "yes"
            elif name == "owner":
                for sub in child:
                    sk = _key(sub.tag)
                    if sk == ("itunes", "name"):
                        meta.owner_name = _text(sub)
                    elif sk == ("itunes", "email"):
                        meta.owner_email = _text(sub)
            elif name == "category":
                _itunes_categories(child, meta.categories)
            elif name == "summary" and meta.description is None:
                m = _markup(child)
                meta.description = H.to_text(m) if m else None
        elif ns == "podcast":
            meta.is_podcast = True
            if name == "guid":
                meta.podcast_guid = _text(child)
            elif name == "locked":
                meta.locked = _bool(child.text)
            elif name == "person":
                p = _person(child)
                if p:
                    meta.persons.append(p)
            elif name == "funding":
                url = (child.get("url") or "").strip()
                if url:
                    meta.funding.append(Funding(url=url, text=_text(child)))
            elif name == "txt":
                t = _text(child)
                if t:
                    meta.txt.append(t)
        elif ns == "dc":
            if name == "language" and meta.language is None:
                meta.language = _text(child)
            elif name == "creator" and meta.author is None:
                meta.author = _text(child)


def _itunes_categories(el: etree._Element, out: list[str]) -> None:
    text = el.get("text")
    if text and text not in out:
        out.append(text.strip())
    for sub in el:
        if _key(sub.tag) == ("itunes", "category"):
            _itunes_categories(sub, out)


T = TypeVar("T")


def _prepare(data: bytes) -> bytes:
    """Strip what real feeds put before the XML declaration and refuse entity tricks."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"undecodable UTF-16 document: {exc}") from exc
        data = _ENCODING_DECL.sub(rb"\1\2utf-8\2", data, count=1)
    data = data.lstrip()
    m = _DOCTYPE.search(data, 0, 65536)
    if m:
        # The internal subset runs to the first "]>"; entity declarations can
        # only appear there, however much padding precedes them.
        end = data.find(b"]>", m.end())
        if _ENTITY_DECL.search(data, m.end(), len(data) if end < 0 else end):
            raise RefusedError("refused: the document declares XML entities (a possible entity-expansion attack)")
    return data


def _decode(data: bytes) -> str:
    """Text of a document, trying its declared encoding, then UTF-8, then cp1252."""
    m = _ENCODING_DECL.match(data)
    declared = m.group(3).decode("ascii", "replace") if m else "utf-8"
    for enc in (declared, "utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _as_utf8(text: str) -> bytes:
    return _ENCODING_DECL.sub(rb"\1\2utf-8\2", text.encode("utf-8"), count=1)


def _transcode(data: bytes) -> bytes:
    """Re-encode a document whose declared encoding is wrong or unknown as UTF-8."""
    return _as_utf8(_decode(data))


def _fix_entities(data: bytes) -> bytes:
    """Turn HTML named entities (``&nbsp;``) that XML does not know into numeric ones."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _XML_ENTITIES:
            return m.group(0)
        cp = _html.entities.name2codepoint.get(name)
        return f"&#{cp};" if cp else m.group(0)

    return _as_utf8(_NAMED_ENTITY.sub(repl, _decode(data)))


_ITEM_TAGS = [
    "item",
    "entry",
    "{http://purl.org/rss/1.0/}item",
    "{http://my.netscape.com/rdf/simple/0.9/}item",
    "{http://www.w3.org/2005/Atom}entry",
    "{http://purl.org/atom/ns#}entry",
]
_CHANNEL_KEYS = (("", "channel"), ("rss1", "channel"))


def _iterparse(
    data: bytes, on_entry: Callable[[_Entry, FeedMeta], None], recover: bool
) -> tuple[tuple[str, str], FeedMeta]:
    """Stream items to ``on_entry``; channel fields are read before the first item."""
    meta = FeedMeta()
    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=_ITEM_TAGS,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
        load_dtd=False,
    )
    container = None
    before = 0
    for _event, el in context:
        parent = el.getparent()
        if parent is None:
            continue
        grand = parent.getparent()
        if grand is not None and grand.getparent() is not None:
            continue  # an item nested inside some other element
        if container is None:
            container = parent
            before = parent.index(el)
            _read_channel(parent[:before], meta)
        on_entry(_read_entry(el), meta)
        el.clear(keep_tail=False)
        parent.remove(el)  # keeps the tree small while streaming
    root = context.root
    if root is None:
        raise ParseError("empty document")
    if container is None:
        for child in root:
            if _key(child.tag) in _CHANNEL_KEYS:
                container = child
                break
        _read_channel(list(container) if container is not None else [], meta)
        if container is not root:
            _read_channel(list(root), meta)
    else:
        _read_channel(container[before:], meta)  # fields written after the items
    return _key(root.tag) or ("", ""), meta


def parse_xml(data: bytes, make_item: Callable[[_Entry, FeedMeta], T]) -> tuple[str, FeedMeta, list[T], list[str]]:
    """Stream a feed document, turning each item into a record as it is read.

    Returns the feed format, its channel metadata, the records and
    warnings. Raises
    ``ParseError`` when nothing could be read even in recover mode.
    """
    data = _prepare(data)
    if not data:
        raise ParseError("empty document")
    entries: list[T] = []
    warnings: list[str] = []
    attempt = data
    done: set[str] = set()
    recover = False
    while True:
        entries.clear()
        try:
            root_key, meta = _iterparse(attempt, lambda e, m: entries.append(make_item(e, m)), recover=recover)
            break
        except etree.XMLSyntaxError as exc:
            msg = str(exc)
            low = msg.lower()
            if recover:
                raise ParseError(f"XML is not well-formed: {msg}") from exc
            if "transcode" not in done and ("encoding" in low or "utf-8" in low or "char" in low):
                done.add("transcode")
                attempt = _transcode(attempt)
            elif "entities" not in done and _HTML_ENTITY.search(attempt):
                done.add("entities")
                attempt = _fix_entities(attempt)
            else:
                warnings.append(f"XML is not well-formed ({msg}); recovered what could be read")
                recover = True
        except (ValueError, LookupError) as exc:
            raise ParseError(f"unreadable XML: {exc}") from exc
    rk = root_key
    if rk in (("", "rss"), ("", "channel")):
        fmt = "rss"
    elif rk == ("rdf", "RDF"):
        fmt = "rss1"
    elif rk in (("atom", "feed"), ("", "feed")):
        fmt = "atom"
    elif rk[1].lower() in ("html", "xhtml") or rk[0] == "?http://www.w3.org/1999/xhtml":
        raise NotAFeedError("the document is an HTML page, not a feed")
    else:
        fmt = "xml:" + rk[1]
        if not entries:
            raise ParseError(f"not a feed: the root element is <{rk[1]}>")
    return fmt, meta, entries, warnings
