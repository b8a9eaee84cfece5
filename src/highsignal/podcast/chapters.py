"""Chapters of an episode, read from a Podcasting 2.0 chapters file or from timestamp lines in show notes.

Both readers end in ``finish``, so every chapter list leaves here sorted, free
of duplicate starts, inside the episode and closed (each ``end`` set) however
it was written. Bad input is reported in the result and never raised: chapters
are a convenience, and a broken chapters file must not sink its episode.

Show notes carry no schema, so ``chapters_from_notes`` works by rules:

* A timestamp line has its time at the start (``[00:03:17] Title``,
  ``* 00:03:17 - Title``, ``(3:17) Title``) or at the end after a separator or
  bracket (``Title (1:10:00)``, ``Title - 1:10:00``). A time in mid-sentence
  ("doors open at 9:30", "John 3:16") is prose, not a chapter.
* Times glued to a price, URL or query (``$10:30``, ``?t=12:30``) never match
  (see ``timestamps.CLOCK``); a time followed by am/pm, o'clock or a time zone
  is a time of day; ``3:16-18`` is a verse range. URLs are cut out before
  looking, and the first one left on the line becomes ``Chapter.url``.
* A list scraped without its line breaks (``00:00 - Intro03:45 - Next``) is
  cut back into entries before the ``time - `` that opens it recurs.
* Lines that open with a speaker (``[00:03:17] swyx: ...``) are transcript
  turns: the speaker is one the caller names, or the lines carrying a
  repeated ``Name:`` are most of the timestamped lines; the other ``Name:``
  lines next to such turns are turns too. ``Name (00:03:17): text`` never
  reads as a chapter, since a trailing time must end its line.
* Times must increase; going back starts a new run (a second list, or a
  transcript after the chapter list). The run under a heading such as
  "Timestamps" or "In this episode:" wins, else the longest; a run needs two
  times, since one time is a mention, not a list.

Two-part times are the hard part: ``1:10`` is 70 seconds as m:ss and 70
minutes as h:mm, and only the episode's duration can tell. Each run is read one
consistent way, m:ss unless the duration rules it out:

1. m:ss by default: it is how players and nearly all show notes write times
   under an hour, and ``75:30`` is a valid m:ss.
2. Rolling over at the hour: when the notes count m:ss up to the hour and go on
   in h:mm (``45:10``, ``1:10``, ``1:35`` for a 2-hour episode), the first
   two-part time that would go back as m:ss but reads as a later time of at
   least an hour, still inside the duration, as h:mm switches the rest of the
   run to h:mm.
3. h:mm throughout: when a run of four or more times, read as m:ss, would
   leave over 90% of the episode to its last chapter, while read as h:mm it
   stays increasing, inside the duration and reaches past its half (``0:00``,
   ``0:20``, ``0:45``, ``1:10`` for a 2-hour episode), the run is h:mm. Fewer
   times say too little: ``0:00`` intro, ``1:10`` topic, ``1:45`` more fits
   both readings, and m:ss is the common one. A run of four front-matter
   times (intro, sponsor, guest, interview within two minutes) in a long
   episode is the case this rule gets wrong.

A two-part time past the duration as m:ss is past it as h:mm too (that reading
is sixty times larger), so it is dropped like any late chapter, not reread.
Without a duration nothing can be ruled out, and every two-part time is m:ss.
Each choice other than plain m:ss is reported in the result's warnings.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby, pairwise

import orjson

from highsignal.podcast.timestamps import CLOCK, clock_seconds, format_clock
from highsignal.records import Chapter

HOUR = 3600.0

# Bullets and list numbers that may open a timestamp line, and the bracket or emphasis around its time.
_LEAD = re.compile(r"\s*(?:[-*•·▪►▶+>–—]+\s*|[0-9]{1,3}[.)]\s+)?[*_]*[\[(]?[*_]*\s*")
# After a trailing time only closing brackets, emphasis and a full stop may follow.
_TRAIL_END = re.compile(r"[\s*_.\])]*")
_TIME_OF_DAY = re.compile(r"\s*(?:(?i:[ap]\.?m)\b\.?|(?i:o'?clock)\b|(?:[ECMP][SD]?T|UTC|GMT|BST)\b)")
# A range's end (``00:00 - 05:00 Intro``) is written with its own digits: CLOCK refuses a time after ``-``.
_RANGE_END = re.compile(r"\s*[-–—]\s*[0-9]{1,3}(?::[0-9]{2}){1,2}(?![0-9:])")
_VERSE = re.compile(r"[-–][0-9]")
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\((https?://[^\s()]+)\)")
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+", re.I)
_EMPTY_BRACKETS = re.compile(r"[(\[<]\s*[)\]>]")
_SPEAKER = re.compile(r"(\w[\w.'’&-]*(?: \w[\w.'’&-]*){0,3}):(?:\s|$)")
_WRAPPERS = {"(": ")", "[": "]", '"': '"', "“": "”"}
_HEADING = re.compile(
    r"""
    (?:(?:episode|show|podcast)\s+notes?\s*[-–—:|]?\s*)?
    (?:episode\s+)?
    (?:time\s*stamps?|time\s*codes?|chapters?(?:\s+markers?)?|outline|contents|table\s+of\s+contents
      |topics(?:\s+(?:covered|discussed))?|key\s+moments
      |in\s+this\s+(?:episode|conversation|interview|video)(?:,?\s+we\s+(?:discuss|cover))?
      |(?:what\s+)?we\s+(?:discuss|cover)(?:ed)?)
    (?:\s+(?:and|&|for|of|in)\b.*)?  # "Timestamps and Overview of Papers", "Chapters for this episode"
    """,
    re.I | re.X,
)
_HEADING_MAX = 60  # longer lines are prose that happens to contain a heading word
# Markdown marks, emoji and the colon around a heading's words.
_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
# A time and its separator, with no guard before it: in a list scraped without its line breaks the
# next time is glued to the previous title ("...(Swyx)03:45 - Reflecting on...essay07:30 - Skills").
_FLAT_ENTRY = re.compile(r"(?:[0-9]{1,3}:)?[0-9]{1,2}:[0-9]{2}(\s+[-–—]\s+)")


@dataclass(slots=True, kw_only=True)
class ChapterResult:
    """What one chapter source yielded, and what was wrong with it.

    ``error`` is set only when the source as a whole is unusable (a chapters
    file that is not JSON); ``warnings`` explain entries that were dropped and
    readings that were chosen, so a reader can check each decision.
    ``source`` is ``"notes"`` or ``"json"``.
    """

    chapters: list[Chapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    source: str


def finish(chapters: Iterable[Chapter], duration: float | None, warnings: list[str] | None = None) -> list[Chapter]:
    """Sorted chapters with distinct starts inside the episode, each closed by an ``end``.

    Every source (notes, JSON, Podlove) needs the same clean-up, and players
    misbehave on what it removes: a chapter after the end cannot be reached,
    two at one instant cannot both be shown. Of chapters sharing a start the
    first given is kept. A chapter keeps an ``end`` it already has when that
    lies after its start and no later than the next start (Podcasting 2.0
    allows gaps); otherwise it ends where the next begins, and the last where
    the episode does (``None`` when the duration is unknown). The inputs are
    not modified; what is dropped is explained in ``warnings`` when given.
    """
    notes = [] if warnings is None else warnings
    limit = _known(duration)
    kept: list[Chapter] = []
    for chapter in sorted(_with_valid_start(chapters, notes), key=lambda c: c.start):
        if limit is not None and chapter.start >= limit:
            notes.append(
                f"chapter {chapter.title!r} starts at {format_clock(chapter.start)}, "
                f"after the episode ends at {format_clock(limit)}; dropped"
            )
        elif kept and chapter.start == kept[-1].start:
            notes.append(
                f"chapters {kept[-1].title!r} and {chapter.title!r} both start at "
                f"{format_clock(chapter.start)}; kept the first"
            )
        else:
            kept.append(replace(chapter))
    for chapter, following in pairwise(kept):
        if not _sane_end(chapter, following.start):
            chapter.end = following.start
    if kept and not _sane_end(kept[-1], limit):
        kept[-1].end = limit
    return kept


def _with_valid_start(chapters: Iterable[Chapter], notes: list[str]) -> list[Chapter]:
    """The chapters whose start is a real position; a NaN would also break sorting."""
    out: list[Chapter] = []
    for chapter in chapters:
        if math.isfinite(chapter.start) and chapter.start >= 0:
            out.append(chapter)
        else:
            notes.append(f"chapter {chapter.title!r} has an invalid start ({chapter.start}); dropped")
    return out


def _sane_end(chapter: Chapter, bound: float | None) -> bool:
    """Whether a given end can stand: after the start, not past the next chapter or the episode."""
    end = chapter.end
    return end is not None and math.isfinite(end) and end > chapter.start and (bound is None or end <= bound)


def _known(duration: float | None) -> float | None:
    """The duration when it is usable; zero or negative durations come from broken feeds."""
    if duration is None or not math.isfinite(duration) or duration <= 0:
        return None
    return float(duration)


# --- Podcasting 2.0 JSON -------------------------------------------------------------------------------------


def chapters_from_json(data: bytes, duration: float | None) -> ChapterResult:
    """Chapters from a Podcasting 2.0 ``podcast:chapters`` file.

    Entries with ``"toc": false`` are left out: the spec marks them as silent
    chapters (artwork or link changes) that are no jump point. An entry needs a
    numeric ``startTime`` and a non-empty ``title``; ``endTime`` is kept when
    ``finish`` finds it sane.
    """
    try:
        # A UTF-8 byte-order mark is common from Windows tools, and orjson refuses it.
        doc = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        return ChapterResult(source="json", error=f"not JSON: {exc}")
    if not isinstance(doc, dict):
        return ChapterResult(source="json", error=f"chapters file is {_json_kind(doc)}, not an object")
    entries = doc.get("chapters")
    if not isinstance(entries, list):
        found = "missing" if entries is None else _json_kind(entries)
        return ChapterResult(source="json", error=f"chapters file has no 'chapters' list ({found})")
    warnings: list[str] = []
    raw = [c for n, entry in enumerate(entries, 1) if (c := _json_chapter(n, entry, warnings)) is not None]
    return ChapterResult(chapters=finish(raw, duration, warnings), warnings=warnings, source="json")


def _json_chapter(number: int, entry: object, warnings: list[str]) -> Chapter | None:
    """One entry as a ``Chapter``, or None (with a warning unless it is a silent chapter)."""
    if not isinstance(entry, dict):
        warnings.append(f"chapter {number} is {_json_kind(entry)}, not an object; skipped")
        return None
    if entry.get("toc") is False:
        return None
    start, title = entry.get("startTime"), entry.get("title")
    if not _is_number(start):
        warnings.append(f"chapter {number} has no numeric startTime; skipped")
        return None
    if not isinstance(title, str) or not title.strip():
        warnings.append(f"chapter {number} has no title; skipped")
        return None
    end, url = entry.get("endTime"), entry.get("url")
    return Chapter(
        start=float(start),
        title=" ".join(title.split()),
        end=float(end) if _is_number(end) else None,
        url=url.strip() if isinstance(url, str) and url.strip() else None,
    )


def _is_number(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json_kind(value: object) -> str:
    """How JSON would name a value's type, for messages a feed's author will recognise."""
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(value), "a number")


# --- show notes ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Stamp:
    """One timestamped line of show notes, its time still open to interpretation.

    ``seconds`` reads a two-part time as m:ss; ``hours`` reads it as h:mm and
    is None for a three-part time, which means one thing only.
    """

    line: int
    clock: str
    seconds: float
    hours: float | None
    title: str
    url: str | None
    speaker: str | None


@dataclass(slots=True)
class _Run:
    """Consecutive stamps whose times do not go back: one candidate chapter list."""

    after_heading: bool
    stamps: list[_Stamp] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    rolled_over: _Stamp | None = None  # from this stamp on, two-part times are h:mm

    def extend(self, stamp: _Stamp, duration: float | None) -> bool:
        """Add ``stamp`` if it continues the run; False means time went back and a new run begins."""
        start = stamp.seconds
        if self.starts and stamp.hours is not None:
            prev = self.starts[-1]
            if self.rolled_over is not None:
                start = stamp.hours
            elif start < prev < stamp.hours and duration is not None and HOUR <= stamp.hours <= duration:
                # m:ss would go back, h:mm goes on past the hour: the notes switched format there.
                self.rolled_over, start = stamp, stamp.hours
        if self.starts and start < self.starts[-1]:
            return False
        self.stamps.append(stamp)
        self.starts.append(start)
        return True


def chapters_from_notes(text: str, duration: float | None, speakers: Iterable[str] | None = None) -> ChapterResult:
    """Chapters from timestamp lines in plain-text show notes (rules in the module docstring).

    ``speakers`` names the people heard in the episode, so their transcript
    turns are not taken for chapters even where they are few.
    """
    result = ChapterResult(source="notes")
    limit = _known(duration)
    headings, stamps = _scan(text.splitlines())
    if not stamps:
        return result
    kept = _without_turns(stamps, speakers)
    if not kept:
        result.warnings.append(f"all {len(stamps)} timestamped lines are transcript turns, not chapters")
        return result
    run = _choose(_runs(kept, headings, limit))
    if run is None:
        result.warnings.append(
            "a single timestamp is not a chapter list"
            if len(kept) == 1
            else "no two consecutive timestamps increase, so they do not form a chapter list"
        )
        return result
    starts = _reading(run, limit, result.warnings)
    chapters = [Chapter(start=s, title=st.title, url=st.url) for st, s in zip(run.stamps, starts, strict=True)]
    result.chapters = finish(chapters, limit, result.warnings)
    if len(result.chapters) < 2:
        result.warnings.append("fewer than two chapters start within the episode, so there is no chapter list")
        result.chapters = []
    return result


def _scan(lines: list[str]) -> tuple[list[int], list[_Stamp]]:
    """The indexes of heading lines, and the timestamp lines, in text order."""
    headings: list[int] = []
    stamps: list[_Stamp] = []
    for number, raw in enumerate(lines):
        found = [s for piece in _unflatten(raw) if (s := _stamp(number, *_cut_urls(piece))) is not None]
        stamps.extend(found)
        if not found and _is_heading(raw):
            headings.append(number)
    return headings, stamps


def _is_heading(line: str) -> bool:
    """Whether the line announces a chapter list ("Timestamps", "**In this episode:**")."""
    return len(line) <= _HEADING_MAX and _HEADING.fullmatch(_DECORATION.sub("", line)) is not None


def _unflatten(line: str) -> list[str]:
    """The entries of a chapter list that lost its line breaks, or just the line.

    Only a line that opens with ``time - title`` is cut, and only before later
    times followed by the very same separator, so a time mentioned inside a
    title stays in it.
    """
    first = _FLAT_ENTRY.match(line, len(line) - len(line.lstrip()))
    if first is None:
        return [line]
    cuts = [m.start() for m in _FLAT_ENTRY.finditer(line, first.end()) if m[1] == first[1]]
    return [line[a:b] for a, b in pairwise([0, *cuts, len(line)])]


def _cut_urls(line: str) -> tuple[str, list[str]]:
    """The line without its URLs, and the URLs a chapter could point at, in order.

    URLs go first because their paths and queries hold colons and digits that
    would pass for times. A markdown link keeps its text; a link whose text is
    the timestamp only jumps to this episode, so its URL is not the chapter's.
    """
    urls: list[str] = []

    def markdown(m: re.Match[str]) -> str:
        if CLOCK.fullmatch(m[1].strip()) is None:
            urls.append(m[2])
        return m[1]

    def bare(m: re.Match[str]) -> str:
        urls.append(m[0].rstrip(".,;:!?"))
        return " "

    return _URL.sub(bare, _MARKDOWN_LINK.sub(markdown, line)), urls


def _stamp(number: int, line: str, urls: list[str]) -> _Stamp | None:
    """The line as a timestamp line, or None when its times are prose, prices or times of day."""
    clocks = list(CLOCK.finditer(line))
    if not clocks:
        return None
    found = _leading(line, clocks[0])
    if found is None and len(clocks) == 1:
        # A second time before a trailing one is a range or a time of day, never a title.
        found = _trailing(line, clocks[0])
    if found is None:
        return None
    match, title = found[0], _clean(found[1])
    clock, two_part = match[0], match[1] is None
    seconds = clock_seconds(clock)
    if seconds is None or not title:
        return None
    hours = clock_seconds(clock, two_part_as_hours=True) if two_part else None
    speaker = _SPEAKER.match(title)
    return _Stamp(
        line=number,
        clock=clock,
        seconds=seconds,
        hours=hours,
        title=title,
        url=urls[0] if urls else None,
        speaker=speaker[1] if speaker else None,
    )


def _leading(line: str, clock: re.Match[str]) -> tuple[re.Match[str], str] | None:
    """The time and the rest of the line, when the line opens with a chapter time."""
    if _LEAD.fullmatch(line, 0, clock.start()) is None:
        return None
    rest = line[clock.end() :]
    if _TIME_OF_DAY.match(rest):
        return None
    if (span := _RANGE_END.match(rest)) is not None:
        rest = rest[span.end() :]
    elif _VERSE.match(rest):
        return None
    return clock, rest


def _trailing(line: str, clock: re.Match[str]) -> tuple[re.Match[str], str] | None:
    """The time and the title before it, when the line ends in a bracketed or separated time."""
    if _TRAIL_END.fullmatch(line, clock.end()) is None:
        return None
    head = line[: clock.start()].rstrip(" \t*_")
    if head.endswith(("(", "[")):
        return clock, head[:-1]
    title = head.rstrip("-–—|·•")
    # No separator means a time in running text: "doors open at 9:30", "John 3:16".
    return (clock, title) if title != head else None


def _clean(title: str) -> str:
    """The title without the bullets, separators, brackets and spacing around it."""
    title = " ".join(_EMPTY_BRACKETS.sub(" ", title).split())
    title = title.lstrip("])}>-–—|:·•*_~. ").rstrip("([{<-–—|:·•*_~ ")
    close = _WRAPPERS.get(title[:1])
    if close and len(title) > 1 and title.endswith(close) and title[0] not in title[1:-1]:
        title = title[1:-1].strip()
    return title


def _without_turns(stamps: list[_Stamp], speakers: Iterable[str] | None) -> list[_Stamp]:
    """The stamps that are not speaker turns of a transcript pasted into the notes.

    A ``Name:`` seen once is a chapter title with a colon ("Hitting the Data
    Wall: ..."); the same ``Name:`` again and again, on most lines, is people
    talking. A guest who speaks only once is still a speaker, so every line of
    a stretch of ``Name:`` lines that holds a known speaker is a turn.
    """
    named = Counter(s.speaker.casefold() for s in stamps if s.speaker)
    talkers = {name.casefold() for name in speakers or ()}
    repeated = {name for name, count in named.items() if count > 1}
    if 2 * sum(named[name] for name in repeated) > len(stamps):
        talkers |= repeated
    kept: list[_Stamp] = []
    for _, group in groupby(stamps, key=lambda s: s.speaker is None):
        stretch = list(group)
        if not any((s.speaker or "").casefold() in talkers for s in stretch):
            kept.extend(stretch)
    return kept


def _runs(stamps: list[_Stamp], headings: list[int], duration: float | None) -> list[_Run]:
    """The stamps cut into runs wherever time goes back or a heading line intervenes."""
    runs: list[_Run] = []
    previous_line = -1
    for stamp in stamps:
        after_heading = bisect_left(headings, stamp.line) > bisect_right(headings, previous_line)
        if after_heading or not runs or not runs[-1].extend(stamp, duration):
            runs.append(_Run(after_heading=after_heading))
            runs[-1].extend(stamp, duration)
        previous_line = stamp.line
    return runs


def _choose(runs: list[_Run]) -> _Run | None:
    """The run under a heading, else the longest; the first of equals, as notes put the chapters first."""
    lists = [r for r in runs if len(r.stamps) >= 2]
    pool = [r for r in lists if r.after_heading] or lists
    return max(pool, key=lambda r: len(r.stamps)) if pool else None


def _reading(run: _Run, duration: float | None, warnings: list[str]) -> list[float]:
    """The run's starts in seconds, with the reasons for any h:mm reading added to ``warnings``."""
    if run.rolled_over is not None:
        warnings.append(
            f"two-part times from {run.rolled_over.clock!r} on are read as h:mm: "
            "the notes switch from m:ss to h:mm past the hour"
        )
        return run.starts
    if duration is None or len(run.stamps) < 4:
        return run.starts
    as_hours = [s.seconds if s.hours is None else s.hours for s in run.stamps]
    increasing = all(a <= b for a, b in pairwise(as_hours))
    if increasing and run.starts[-1] < 0.1 * duration and 0.5 * duration <= as_hours[-1] <= duration:
        warnings.append(
            f"two-part times are read as h:mm: as m:ss every chapter would start in the first "
            f"{format_clock(run.starts[-1])} of a {format_clock(duration)} episode"
        )
        return as_hours
    return run.starts
