"""Episode listings scraped from podcast pages: one item per episode.

A podcast directory or app page (copied to a text file, or fetched as HTML)
lists a show's episodes as repeated blocks: a title, a line giving the date
and/or the duration, the show notes, and page chrome around and between them.
Copied text has no markup to lean on, so the page is read as a list of lines:

1. *anchors* are the lines that say nothing but a date and/or a duration
   (``mardi 3 septembre 2024 • Duration 01:05:18``, ``10:21``);
2. the layout is decided from where title-like lines sit: the anchor either
   follows the title (title, anchor, notes), closes the block (title, notes,
   anchor) or opens it (anchor, title, notes);
3. the page is cut into one block per anchor, each with its title line, and the
   notes lose the chrome: lines matching app/site patterns, and lines that every
   block starts or ends with (a newsletter footer pasted under each episode).

Timestamp and transcript lines stay in the notes untouched: later stages read
chapters and transcripts from them.
"""

from __future__ import annotations

import hashlib
import html as _html
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from highsignal.parse import html as H
from highsignal.parse.dates import DateSpan, find_date, parse_duration
from highsignal.parse.feeds import content_hash
from highsignal.records import FeedMeta, Item, ParsedFeed

MIN_EPISODES = 2
_TITLE_MAX = 150
_SUMMARY_MAX = 1000


@dataclass(slots=True)
class Line:
    """One non-blank line of the page.

    ``shape`` is what the line looks like apart from its words (the HTML element
    it sits in, or a text bullet and indent): episode titles on one page share it,
    which tells the first or last title apart from the chrome next to it.
    """

    text: str
    shape: str = ""
    href: str | None = None  # the link when the whole line is one anchor (an episode title)
    links: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Anchor:
    """A line that carries an episode's date and/or duration and nothing else."""

    index: int
    date: DateSpan | None
    duration: float | None
    episode: int | None


@dataclass(slots=True)
class Block:
    """The lines ``start:end`` of one episode, its title line and its anchor."""

    title: int
    start: int
    end: int
    anchor: Anchor


# --------------------------------------------------------------------------- entry points


def episodes_from_text(text: str, url: str) -> ParsedFeed | None:
    """The episodes of a copied podcast page, or ``None`` if it is not an episode listing."""
    return _episodes(_text_lines(text), url, [])


def episodes_from_html(page: bytes, url: str) -> ParsedFeed | None:
    """The episodes of an HTML podcast page, or ``None`` if it is not an episode listing."""
    try:
        doc = lxml.html.fromstring(_decode(page))
    except (etree.ParserError, ValueError):
        return None
    return _episodes(_html_lines(doc, url), url, _head_names(doc))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _decode(page: bytes) -> str:
    """The page as text, so names like "août" survive: lxml takes undeclared bytes for Latin-1.

    The page's own ``<meta charset>`` wins, then UTF-8, then Windows-1252,
    which every byte string decodes as.
    """
    declared = _CHARSET.search(page[:4096])
    for encoding in ((declared.group(1).decode("ascii"),) if declared else ()) + ("utf-8-sig",):
        try:
            return _XML_DECL.sub("", page.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    return _XML_DECL.sub("", page.decode("cp1252", "replace"))


def _episodes(lines: list[Line], url: str, stated: list[str]) -> ParsedFeed | None:
    anchors = _anchors(lines)
    primary = _primary(anchors)
    if len(primary) < MIN_EPISODES or _is_timeline(primary):
        return None
    is_anchor = {a.index for a in anchors}
    layout = _layout(lines, primary, is_anchor)
    blocks = _blocks(lines, primary, is_anchor, layout)
    if len(blocks) < MIN_EPISODES:
        return None
    secondary = {a.index: a for a in anchors if a.index not in {p.index for p in primary}}
    edges = _edge_boilerplate(lines, blocks, is_anchor)
    items, warnings = _items(lines, blocks, secondary, edges, is_anchor, url)
    if not _is_listing(items, lines):
        return None
    outside = lines[: blocks[0].start] + lines[blocks[-1].end :]
    return ParsedFeed(format="episodes", meta=_show_meta(outside, stated, url), items=items, warnings=warnings)


def _is_listing(items: list[Item], lines: list[Line]) -> bool:
    """Whether the blocks are episodes rather than, say, a dated changelog.

    Durations are what sets an episode apart; with dates alone (some pages do
    not show durations) the page must have a few of them and talk of episodes.
    """
    if len(items) < MIN_EPISODES:
        return False
    if sum(1 for i in items if i.duration) >= MIN_EPISODES:
        return True
    dated = sum(1 for i in items if i.published)
    return dated >= 3 and any(_PODCAST_WORDS.search(ln.text) for ln in lines)


def _is_timeline(primary: list[Anchor]) -> bool:
    """Undated times that only grow are a transcript's or a chapter list's timestamps, not episodes."""
    if len(primary) < 3 or any(a.date for a in primary):
        return False
    times = [a.duration or 0.0 for a in primary]
    return all(a < b for a, b in pairwise(times))


_PODCAST_WORDS = re.compile(r"\b(?:podcast|episodes?|épisodes?|episodios?|folgen?)\b", re.I)


# --------------------------------------------------------------------------- page to lines

_SEPARATOR = re.compile(r"^[\s\-–—_=*·•~.#|]+$")
_BULLET = re.compile(r"^([•*\-–·▶►▸‣◦]+)\s+")


def _text_lines(text: str) -> list[Line]:
    """Non-blank lines of copied text; separator rules (``--------``) carry nothing and go."""
    lines: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if not stripped or _SEPARATOR.match(stripped):
            continue
        indent = len(raw) - len(raw.lstrip())
        bullet = _BULLET.match(stripped)
        # Indent in coarse steps: copied pages are not consistent to the space.
        shape = f"{min(indent // 2, 4)}{bullet.group(1) if bullet else ''}"
        lines.append(Line(stripped, shape))
    return lines


# Elements whose text is never part of a listing or is UI: dropped with their content.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer", "form", "button", "iframe"})
_SKIP |= frozenset({"select", "aside", "head", "audio", "video", "dialog"})
_BLOCKS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 section article header main tr td th table blockquote pre "
    "figure figcaption br hr address details summary".split()
)


@dataclass(slots=True)
class _LineBuilder:
    """Collects the inline text of the element being walked until a block boundary ends the line."""

    lines: list[Line] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    anchor_text: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text and not _SEPARATOR.match(text):
            whole_link = len(self.links) == 1 and " ".join("".join(self.anchor_text).split()) == text
            shape = self.shapes[-1] if self.shapes else ""
            self.lines.append(Line(text, shape, self.links[0] if whole_link else None, list(dict.fromkeys(self.links))))
        self.parts, self.links, self.anchor_text = [], [], []


def _html_lines(doc: etree._Element, base: str) -> list[Line]:
    """The page's visible text, one line per block element, with each line's links."""
    out = _LineBuilder()
    in_anchor = 0
    walker = etree.iterwalk(doc, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag or tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                out.flush()
                out.shapes.append(f"{tag}.{(el.get('class') or '').split(' ')[0]}")
            if tag == "a" and el.get("href"):
                out.links.append(urljoin(base, el.get("href").strip()))
                in_anchor += 1
            out.add(el.text)
            if in_anchor:
                out.anchor_text.append(el.text or "")
            continue
        if tag in _BLOCKS:
            out.flush()
            out.shapes.pop()
        elif tag == "a" and el.get("href"):
            in_anchor -= 1
        out.add(el.tail)
        if in_anchor:
            out.anchor_text.append(el.tail or "")
    out.flush()
    return out.lines


def _head_names(doc: etree._Element) -> list[str]:
    """What the page's head says it is: title, Open Graph names, author."""
    names = [doc.findtext(".//title") or ""]
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:title", "og:site_name", "twitter:title"):
            names.append(meta.get("content") or "")
        elif key in ("author", "itunes:author"):
            names.append(f"By {meta.get('content') or ''}")
    return [" ".join(n.split()) for n in names if n and n.strip()]


# --------------------------------------------------------------------------- anchors

_CLOCK = re.compile(r"(?<![\d:\[])(?:\d{1,2}:)?\d{1,3}:\d{2}(?![\d:])(?!\s*[ap]\.?m\b)", re.I)
_HOURS = r"h|hrs?|hours?|heures?|std|stunden?|horas?"
_MINUTES = r"m|mins?|minutes?|minuten|minutos?"
_SECONDS = r"s|secs?|seconds?|secondes?|sek|segundos?"
_SPOKEN = re.compile(
    rf"(?<!\w)(?:(?P<h>\d{{1,2}})\s*(?:{_HOURS})\.?(?:\s*(?P<hm>\d{{1,2}})\s*(?:{_MINUTES})?\.?)?"
    rf"|(?P<m>\d{{1,3}})\s*(?:{_MINUTES})\.?(?:\s*(?P<ms>\d{{1,2}})\s*(?:{_SECONDS})\.?)?)(?!\w)",
    re.I,
)
_EPISODE = re.compile(r"(?<!\w)(?:(?:episode|épisode|episodio|folge|ep)\.?\s*|(?:s\d{1,2}\s*)?e)(\d{1,4})(?!\w)", re.I)
# Words an anchor line may carry besides its values.
_LABELS = frozenset(
    "duration durée duree dauer duración duracion length runtime laufzeit published publié publie posted "
    "released date on le am el de the".split()
)
_LEFTOVER_WORD = re.compile(r"[^\W_]+")


def _anchors(lines: list[Line]) -> list[Anchor]:
    found = []
    for i, line in enumerate(lines):
        anchor = _anchor(i, line.text)
        if anchor is not None:
            found.append(anchor)
    return found


def _anchor(index: int, text: str) -> Anchor | None:
    """Read ``text`` as an anchor line, or ``None`` if it says anything else.

    A line such as ``[00:03:17] Nyla's path`` or ``Generated: 1/17/2025`` holds a
    time or a date but also words, so it is content, not an anchor.
    """
    if len(text) > 120:
        return None
    date = find_date(text)
    rest = text[: date.start] + " " + text[date.end :] if date else text
    duration = None
    clock = _CLOCK.search(rest)
    if clock:
        duration = parse_duration(clock.group(0))
        rest = rest[: clock.start()] + " " + rest[clock.end() :]
    else:
        spoken = _SPOKEN.search(rest)
        if spoken and any(spoken.groups()):
            duration = _spoken_seconds(spoken)
            rest = rest[: spoken.start()] + " " + rest[spoken.end() :]
    if date is None and not duration:
        return None
    episode = _EPISODE.search(rest)
    if episode:
        rest = rest[: episode.start()] + " " + rest[episode.end() :]
    leftover = _LEFTOVER_WORD.findall(rest)
    if any(w.isdigit() or w.lower() not in _LABELS for w in leftover):
        return None
    return Anchor(index, date, duration, int(episode.group(1)) if episode else None)


def _spoken_seconds(m: re.Match[str]) -> float | None:
    h, hm, mi, ms = (int(g) if g else 0 for g in m.group("h", "hm", "m", "ms"))
    seconds = h * 3600 + (hm + mi) * 60 + ms
    return float(seconds) or None


def _primary(anchors: list[Anchor]) -> list[Anchor]:
    """The anchors that mark one episode each.

    Durations first: some pages show the date on its own line above the title
    and the duration below the notes, and both lines are anchors. The other
    kind is then read inside each block.
    """
    with_duration = [a for a in anchors if a.duration]
    if len(with_duration) >= MIN_EPISODES:
        return with_duration
    return [a for a in anchors if a.date]


# --------------------------------------------------------------------------- layout and blocks

_TIMESTAMP = re.compile(r"^[*\-•]?\s*[\[(]?\d{1,2}:\d{2}")
TITLE_LED, ANCHOR_TRAILS, ANCHOR_LEADS = "title-led", "anchor-trails", "anchor-leads"


def _clean_title(text: str) -> str:
    return _BULLET.sub("", text).strip(" •·|")


def _title_like(text: str) -> bool:
    """A short line that reads like a heading rather than a sentence of notes."""
    t = _clean_title(text)
    if not 3 <= len(t) <= _TITLE_MAX or not any(c.isalpha() for c in t):
        return False
    if t.endswith((".", ":", ";", ",")) and not t.endswith("..."):
        return False
    return "://" not in t and not _TIMESTAMP.match(t) and not _is_chrome(t)


def _content_after(lines: list[Line], start: int, stop: int, is_anchor: set[int]) -> int | None:
    """Index of the first line in ``start:stop`` that is neither an anchor nor chrome."""
    for i in range(start, stop):
        if i not in is_anchor and not _is_chrome(lines[i].text):
            return i
    return None


def _content_before(lines: list[Line], stop: int, floor: int, is_anchor: set[int]) -> int | None:
    """Index of the last line in ``floor:stop`` that is neither an anchor nor chrome."""
    for i in range(stop - 1, floor - 1, -1):
        if i not in is_anchor and not _is_chrome(lines[i].text):
            return i
    return None


def _layout(lines: list[Line], primary: list[Anchor], is_anchor: set[int]) -> str:
    """Where titles sit relative to anchors, judged on the blocks between two anchors.

    Between anchors ``a`` and ``b`` the last line is the next title if titles
    lead their anchor, and the first line is one if anchors come after or before
    the title. Which end reads like titles more often wins; a line that recurs
    in several blocks (a footer under each episode) is no title.
    """
    led: list[str] = []
    trailing: list[str] = []
    for prev, cur in pairwise(primary):
        before = _content_before(lines, cur.index, prev.index + 1, is_anchor)
        after = _content_after(lines, prev.index + 1, cur.index, is_anchor)
        led += [lines[before].text] if before is not None else []
        trailing += [lines[after].text] if after is not None else []
    if _distinct_titles(led) >= _distinct_titles(trailing):
        return TITLE_LED
    return _trails_or_leads(lines, primary, is_anchor)


def _distinct_titles(candidates: list[str]) -> int:
    counts = Counter(_norm(c) for c in candidates)
    return sum(1 for c in candidates if counts[_norm(c)] == 1 and _title_like(c))


def _trails_or_leads(lines: list[Line], primary: list[Anchor], is_anchor: set[int]) -> str:
    """Titles follow anchors: does each anchor close the block before it or open the one after?

    The inner blocks read the same both ways; only the ends differ. If the
    anchors close blocks, a title shaped like the others stands before the first
    anchor; if they open them, one follows the last anchor.
    """
    shape = _title_shape(lines, primary, is_anchor)
    first = _first_title_before(lines, primary, is_anchor, shape)
    after_last = _content_after(lines, primary[-1].index + 1, len(lines), is_anchor)
    last_ok = after_last is not None and _title_like(lines[after_last].text) and lines[after_last].shape == shape
    if (first is not None) != last_ok:
        return ANCHOR_TRAILS if first is not None else ANCHOR_LEADS
    # No way to tell from the page: durations usually close a player row,
    # a bare date usually heads a card.
    return ANCHOR_TRAILS if primary[0].duration else ANCHOR_LEADS


def _title_shape(lines: list[Line], primary: list[Anchor], is_anchor: set[int]) -> str:
    shapes: Counter[str] = Counter()
    for prev, cur in pairwise(primary):
        after = _content_after(lines, prev.index + 1, cur.index, is_anchor)
        if after is not None:
            shapes[lines[after].shape] += 1
    return shapes.most_common(1)[0][0] if shapes else ""


def _first_title_before(lines: list[Line], primary: list[Anchor], is_anchor: set[int], shape: str) -> int | None:
    """The title of the block that the first anchor closes: as far above it as titles sit in the other blocks."""
    offsets = []
    for prev, cur in pairwise(primary):
        title = _content_after(lines, prev.index + 1, cur.index, is_anchor)
        if title is not None:
            offsets.append(cur.index - title)
    typical = int(statistics.median(offsets)) if offsets else 1
    first = primary[0].index
    floor = max(0, first - 2 * max(offsets, default=1))
    candidates = [
        i for i in range(floor, first) if i not in is_anchor and lines[i].shape == shape and _title_like(lines[i].text)
    ]
    return min(candidates, key=lambda i: abs((first - i) - typical), default=None)


def _blocks(lines: list[Line], primary: list[Anchor], is_anchor: set[int], layout: str) -> list[Block]:
    """One block per primary anchor, in page order; anchors without a title line are skipped."""
    titles: list[int | None] = []
    for n, anchor in enumerate(primary):
        prev = primary[n - 1].index + 1 if n else 0
        nxt = primary[n + 1].index if n + 1 < len(primary) else len(lines)
        if layout == TITLE_LED:
            titles.append(_content_before(lines, anchor.index, prev, is_anchor))
        elif layout == ANCHOR_LEADS:
            titles.append(_content_after(lines, anchor.index + 1, nxt, is_anchor))
        elif n:
            titles.append(_content_after(lines, prev, anchor.index, is_anchor))
        else:
            shape = _title_shape(lines, primary, is_anchor)
            titles.append(_first_title_before(lines, primary, is_anchor, shape))
    starts = [_start(primary, n, t, is_anchor, layout) for n, t in enumerate(titles)]
    blocks = []
    for n, (anchor, title, start) in enumerate(zip(primary, titles, starts, strict=True)):
        if title is None or not _title_like(lines[title].text):
            continue
        if layout == ANCHOR_TRAILS:
            end = anchor.index + 1
        elif n + 1 < len(primary):
            end = starts[n + 1]
        else:
            end = _section_end(lines, max(title, anchor.index) + 1)
        blocks.append(Block(title, start, end, anchor))
    return blocks


def _start(primary: list[Anchor], n: int, title: int | None, is_anchor: set[int], layout: str) -> int:
    """First line of block ``n``: its title or anchor, and a date line just above it."""
    anchor = primary[n].index
    if title is None:
        return anchor
    start = min(title, anchor)
    floor = primary[n - 1].index + 1 if n else 0
    if layout == ANCHOR_TRAILS and n:
        return floor  # everything after the previous block's closing anchor
    while start - 1 >= floor and start - 1 in is_anchor:
        start -= 1
    return start


def _section_end(lines: list[Line], start: int) -> int:
    """Where the last block stops: at the first line that opens another part of the page."""
    for i in range(start, len(lines)):
        if _SECTION_END.match(lines[i].text):
            return i
    return len(lines)


# --------------------------------------------------------------------------- chrome

# Whole lines that are app or site furniture, never show notes.
_CHROME = re.compile(
    r"^(?:listen to .{1,80} (?:in|on) the app|listen (?:in|on) the app|open in (?:the )?app"
    r"|get the (?:free )?.{0,40}\bapp|download (?:on|from) the app store|get it on google play"
    r"|powered by .{1,40}|.{0,80}(?:©|\(c\) \d{4}|copyright \d{4}|all rights reserved).{0,80}"
    r"|.{0,200}\b(?:we|this (?:site|website)) uses? cookies\b.*|(?:accept|reject|manage) (?:all )?cookies"
    r"|cookie (?:settings|policy|preferences)|privacy policy|terms of (?:use|service)|imprint|impressum"
    r"|sign in|log in|sign up|share|play|play episode|pause|download|more episodes|load more|show more"
    r"|see (?:all|more)|read more|save favorites|alarm|sleep timer|social|podcast website"
    r"|(?:all|latest|recent|available|more|past|previous|older|new) episodes|episodes"
    r"|\d+ of \d+|(?:more|similar|related|other) .{0,40}podcasts|you (?:may|might) also like|generated: .{0,60})$",
    re.I,
)
# Lines that open another part of the page: the episode list is over.
_SECTION_END = re.compile(
    r"^(?:(?:more|similar|related|other) .{0,40}podcasts|you (?:may|might) also like|recent rankings"
    r"|shared links between .{0,60}|get the (?:free )?.{0,40}\bapp|.{0,80}(?:©|all rights reserved).{0,80})$",
    re.I,
)


def _is_chrome(text: str) -> bool:
    return bool(_CHROME.match(_clean_title(text)))


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _edge_boilerplate(lines: list[Line], blocks: list[Block], is_anchor: set[int]) -> set[str]:
    """Lines that open or close the notes of more than one episode (a newsletter footer, a sign-up line).

    Only the edges count: a heading such as ``Timestamps`` recurs in the middle
    of most episodes and is part of the notes.
    """
    seen: Counter[str] = Counter()
    for block in blocks:
        body = [
            lines[i].text
            for i in range(block.start, block.end)
            if i != block.title and i not in is_anchor and not _is_chrome(lines[i].text)
        ]
        edge = {_norm(t) for t in body[:2] + body[-2:] if not _TIMESTAMP.match(t)}
        seen.update(edge)
    return {text for text, count in seen.items() if count >= 2}


# --------------------------------------------------------------------------- items


def _items(
    lines: list[Line],
    blocks: list[Block],
    secondary: dict[int, Anchor],
    edges: set[str],
    is_anchor: set[int],
    url: str,
) -> tuple[list[Item], list[str]]:
    items: list[Item] = []
    keys: set[str] = set()
    warnings: list[str] = []
    for block in blocks:
        item = _item(lines, block, secondary, edges, is_anchor, url)
        if item.key in keys:
            warnings.append(f"episode listed twice: {item.title}")
            continue
        keys.add(item.key)
        items.append(item)
    return items, warnings


def _item(
    lines: list[Line], block: Block, secondary: dict[int, Anchor], edges: set[str], is_anchor: set[int], url: str
) -> Item:
    extra = [secondary[i] for i in range(block.start, block.end) if i in secondary]
    date = block.anchor.date or next((a.date for a in extra if a.date), None)
    duration = block.anchor.duration or next((a.duration for a in extra if a.duration), None)
    episode = block.anchor.episode or next((a.episode for a in extra if a.episode), None)
    body = [lines[i] for i in range(block.start, block.end) if i != block.title and i not in is_anchor]
    notes = _notes(body, edges)
    title_line = lines[block.title]
    title = _clean_title(title_line.text)
    html = H.sanitize("".join(f"<p>{_autolink(t)}</p>" for t in notes)) if notes else None
    links = list(dict.fromkeys([u for ln in body for u in ln.links if u != title_line.href] + _links(html)))
    item = Item(
        key=_key(title, date.value if date else None),
        title=title,
        url=title_line.href if title_line.href and title_line.href != url else None,
        published=date.value if date else None,
        published_raw=date.raw if date else None,
        summary=_summary(notes),
        html=html,
        text="\n".join(notes),
        duration=duration,
        episode=episode,
        links=links,
    )
    item.content_hash = content_hash(item)
    return item


def _notes(body: list[Line], edges: set[str]) -> list[str]:
    """The show notes of a block: chrome lines dropped, boilerplate trimmed off both ends."""
    texts = []
    for line in body:
        if _SECTION_END.match(line.text):
            break
        if not _is_chrome(line.text):
            texts.append(line.text)
    while texts and _norm(texts[-1]) in edges:
        texts.pop()
    while texts and _norm(texts[0]) in edges:
        texts.pop(0)
    return texts


def _key(title: str, published: datetime | None) -> str:
    """Identity from what the page says about the episode, so a re-fetch that reorders it keeps the key."""
    day = published.date().isoformat() if published else ""
    digest = hashlib.blake2b(f"{_norm(title)}|{day}".encode(), digest_size=12).hexdigest()
    return "episode:" + digest


def _summary(notes: list[str]) -> str | None:
    text = " ".join(notes)
    if len(text) <= _SUMMARY_MAX:
        return text or None
    cut = text.rfind(" ", 0, _SUMMARY_MAX)
    return text[: cut if cut > 0 else _SUMMARY_MAX] + "…"


def _links(html: str | None) -> list[str]:
    return H.links(html) if html else []


# --------------------------------------------------------------------------- autolinking

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\[\](){}]+", re.I)
_TRAILING = ".,;:!?…’”"
# Copied text loses line breaks, gluing a slug URL to the next sentence:
# ".../p/to-meta-ray-ban-local-aiWith the Rabbit r1". A lower-case hyphenated
# slug running into a capitalised word is cut there.
_GLUED = re.compile(r"/([a-z0-9]+(?:-[a-z0-9]+)+)(?=[A-Z][^/]*$)")


def _split_url(raw: str) -> str:
    """The URL part of a match: trailing punctuation and a glued-on word removed."""
    url = raw.rstrip(_TRAILING)
    glued = _GLUED.search(url)
    if glued:
        url = url[: glued.end(1)]
    return url


def _autolink(text: str) -> str:
    """Escaped text with its URLs as anchors."""
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        url = _split_url(m.group(0))
        if len(url) < 8:
            continue
        out.append(_html.escape(text[pos : m.start()], quote=False))
        href = url if "://" in url else "https://" + url
        out.append(f'<a href="{_html.escape(href)}">{_html.escape(url, quote=False)}</a>')
        pos = m.start() + len(url)
    out.append(_html.escape(text[pos:], quote=False))
    return "".join(out)


# --------------------------------------------------------------------------- show

_NAME_PATTERNS = (
    re.compile(r"^listen to (.{2,80}?) (?:in|on) the app$", re.I),
    re.compile(r"^podcast (.{2,80})$", re.I),
    re.compile(r"^about (.{2,80})$", re.I),
    re.compile(r"^(.{2,80}?)\s+[–—|-]\s+.*\b(?:podcasts?|episodes?|épisodes?|radio|spotify|apple)\b.*$", re.I),
)
_AUTHOR_PATTERN = re.compile(r"^(?:by|hosted by|hosts?|author|von|par|presented by)\s*:?\s+(.{2,80})$", re.I)


def _show_meta(outside: list[Line], stated: list[str], url: str) -> FeedMeta:
    """The show's name, author and description, where the page outside the episodes states them."""
    texts = stated + [ln.text for ln in outside]
    title = _show_title(texts, stated)
    return FeedMeta(
        title=title,
        link=url if url.startswith(("http://", "https://")) else None,
        author=_show_author(texts, title),
        description=_show_description(texts, title),
        is_podcast=True,
    )


def _name_in(text: str) -> str | None:
    for pattern in _NAME_PATTERNS:
        m = pattern.match(text)
        if m:
            return m.group(1).strip()
    return None


def _show_title(texts: list[str], stated: list[str]) -> str | None:
    """The name the page repeats: in "Listen to X in the app", "About X", "X – episodes", or alone.

    One mention is not enough (a heading like "Podcast details" would qualify),
    so a name must be named by a pattern (or the page head) and seen at least twice.
    """
    named = Counter(n for n in (_name_in(t) for t in texts) if n)
    named.update(t for t in stated if not _name_in(t) and not _AUTHOR_PATTERN.match(t))
    exact = Counter(t for t in texts if len(t) <= 80)
    scores = {name: count + exact[name] for name, count in named.items()}
    best = max(scores.items(), key=lambda kv: kv[1], default=None)
    return best[0] if best and best[1] >= 2 else None


def _show_author(texts: list[str], title: str | None) -> str | None:
    """A "By X" line, else the name-like line right under the show's name (where directories put the host)."""
    for text in texts:
        m = _AUTHOR_PATTERN.match(text)
        if m and _name_like(m.group(1).strip(), title or ""):
            return m.group(1).strip()
    if not title:
        return None
    exact = [i for i, t in enumerate(texts) if t == title]
    named = [i for i, t in enumerate(texts) if t != title and _name_in(t) == title]
    for i in exact + named:
        if i + 1 < len(texts) and _name_like(texts[i + 1], title):
            return texts[i + 1]
    return None


def _name_like(text: str, title: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 6
        and len(text) <= 60
        and (not title or title.lower() not in text.lower())
        and not any(c.isdigit() for c in text)
        and not text.endswith((".", ":", "!", "?"))
        and not _is_chrome(text)
        and not _PODCAST_WORDS.search(text)
    )


def _show_description(texts: list[str], title: str | None) -> str | None:
    """The paragraph under "About <show>", which directories copy from the feed."""
    if not title:
        return None
    for i, text in enumerate(texts[:-1]):
        if text.lower() == f"about {title}".lower() and len(texts[i + 1]) >= 40:
            return texts[i + 1]
    return None
