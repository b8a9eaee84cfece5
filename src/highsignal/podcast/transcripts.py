"""Podcast transcripts: WebVTT, SRT, Podcasting 2.0 JSON and HTML files, and transcripts pasted into show notes.

Every source ends up as one list of ``TranscriptSegment`` (start and end in
seconds, speaker, plain text), so search, the person index and passage
extraction never care where a transcript came from.

The readers are hand-written rather than built on webvtt-py or a subtitle
library. Transcript files in the wild are exported by dozens of tools and
hosts, and break the specs in the same few ways: no blank line between cues,
a blank line between a timing line and its text, SRT numbering in VTT files,
``.`` and ``,`` mixed in times, stray text blocks. webvtt-py raises on much of
this (or, since 0.5, drops the offending blocks without saying so), and it
reads neither SRT speaker prefixes nor JSON nor HTML transcripts. One tolerant
cue reader for VTT and SRT that skips what it cannot read and says so in a
warning is less code than wrapping a strict one, and adds no dependency.
HTML goes through lxml, which is already used for feeds and copes with
anything a browser would.

Bad content never raises: ``parse_transcript`` returns a ``TranscriptResult``
whose ``error`` names the problem and the input, so a caller can move on to
the next ``podcast:transcript`` of the same episode.
"""

from __future__ import annotations

import codecs
import html
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import orjson
from lxml import etree

from highsignal.podcast.timestamps import CLOCK, clock_seconds
from highsignal.records import TranscriptSegment

__all__ = ["TranscriptResult", "parse_transcript", "speakers", "transcript_from_notes", "turns"]


@dataclass(slots=True)
class TranscriptResult:
    """What ``parse_transcript`` made of one file: segments and warnings, or an error and why.

    ``format`` is ``vtt``, ``srt``, ``json``, ``html`` or ``text`` (timed lines
    of plain text), and stays set when a recognised file held no transcript.
    """

    format: str | None = None
    segments: list[TranscriptSegment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


class _Unreadable(Exception):
    """Content that is not the transcript its format promised; becomes ``TranscriptResult.error``."""


# --------------------------------------------------------------------------- public API


def parse_transcript(data: bytes, content_type: str | None = None, url: str | None = None) -> TranscriptResult:
    """Segments of a transcript file, whatever its format, encoding or state.

    The format comes from the content when it is recognisable and from the
    declared type or URL suffix otherwise: hosts serve VTT as ``text/plain``
    and SRT as ``application/octet-stream`` often enough that a declaration
    alone cannot be trusted.
    """
    mime, charset = _media_type(content_type)
    source = _describe(url, mime, len(data))
    warnings: list[str] = []
    text = _decode(data, charset, warnings)
    if text is None:
        return TranscriptResult(warnings=warnings, error=f"undecodable transcript (broken UTF-16): {source}")
    text = _CONTROL_CHARS.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return TranscriptResult(warnings=warnings, error=f"empty transcript: {source}")
    fmt = _detect(text, _declared_format(mime, url), warnings)
    # Nothing shows a format and none is declared: timed lines of plain text are the last thing it can be.
    result = _parse_as(fmt or "text", text, warnings, source)
    if fmt is None and result.error:
        start = " ".join(text.split())[:40]
        return TranscriptResult(warnings=warnings, error=f"unknown transcript format: {source} starts {start!r}")
    return result


def turns(segments: Iterable[TranscriptSegment]) -> list[TranscriptSegment]:
    """Consecutive segments of one speaker merged into a turn (start of the first, end of the last).

    Cues are cut for subtitles, not for meaning: a speaker's answer spans
    dozens of them. Segments without a speaker merge only while no pause of
    more than two seconds separates them and the passage stays under 1,500
    characters, so a transcript with no speakers still yields passages short
    enough to point a search hit at.
    """
    merged: list[TranscriptSegment] = []
    parts: list[str] = []
    size = 0
    for seg in segments:
        if merged and _continues(merged[-1], size, seg):
            parts.append(seg.text)
            size += 1 + len(seg.text)
            merged[-1].end = seg.end
            continue
        if parts:
            merged[-1].text = " ".join(parts)
        merged.append(TranscriptSegment(seg.start, seg.text, seg.end, seg.speaker))
        parts, size = [seg.text], len(seg.text)
    if parts:
        merged[-1].text = " ".join(parts)
    return merged


def speakers(segments: Iterable[TranscriptSegment]) -> list[tuple[str, int]]:
    """Named speakers with how many turns each took, most first (ties in order of first appearance)."""
    return Counter(t.speaker for t in turns(segments) if t.speaker).most_common()


def transcript_from_notes(text: str, known_speakers: set[str] | None = None) -> list[TranscriptSegment]:
    """Speaker turns of a transcript pasted into show notes or a page, as plain text.

    Understands ``[00:03:17] swyx: text``, ``swyx [00:03:17]: text``,
    ``Name (00:03:17): text`` and ``Name 00:03:17`` on a line of its own
    followed by paragraphs. A timed line is a speaker turn only when its name
    is in ``known_speakers`` (any case) or turns up at two or more different
    times; otherwise ``[00:03:17] Intro and welcome`` would make "Intro and
    welcome" a guest. Short timed lines without a speaker are chapter titles
    and are dropped; long ones are kept as turns without a speaker. Untimed
    paragraphs belong to the turn before them, and each turn ends where the
    next starts.
    """
    return _notes_segments(text.split("\n"), known_speakers)


# --------------------------------------------------------------------------- decoding and detection

# Control characters are never text, and lxml refuses them outright; tab and newlines stay.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
# Servers that declare ISO-8859-1 or ASCII nearly always mean Windows-1252 (as browsers assume).
_WINDOWS_1252_ALIASES = frozenset({"iso8859-1", "ascii"})

_TYPE_FORMATS = {
    "text/vtt": "vtt",
    "text/webvtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "application/x-srt": "srt",
    "text/srt": "srt",
    "text/x-srt": "srt",
    "application/json": "json",
    "text/json": "json",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}
_SUFFIX_FORMATS = {".vtt": "vtt", ".webvtt": "vtt", ".srt": "srt", ".json": "json", ".html": "html", ".htm": "html"}
_CUE_FORMATS = ("vtt", "srt")


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """The MIME type (lower case) and charset of a Content-Type header."""
    if not content_type:
        return None, None
    mime, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower() or None, charset


def _describe(url: str | None, mime: str | None, size: int) -> str:
    """How error messages name the input, so a log line points at the file."""
    return f"{url or 'transcript'} ({mime or 'no content type'}, {size} bytes)"


def _declared_format(mime: str | None, url: str | None) -> str | None:
    """The format the server or the URL claims; ``text/plain`` yields to a telling suffix."""
    fmt = _TYPE_FORMATS.get(mime or "") or ("json" if mime and mime.endswith("+json") else None)
    if fmt in (None, "text") and url:
        path = urlsplit(url).path.lower()
        fmt = next((f for suffix, f in _SUFFIX_FORMATS.items() if path.endswith(suffix)), fmt)
    return fmt


def _decode(data: bytes, charset: str | None, warnings: list[str]) -> str | None:
    """Text of the file: BOM first, then UTF-8, the declared charset, and Windows-1252 as a last resort.

    UTF-8 is tried before a declared charset because a UTF-8 file that
    decodes cleanly is almost never anything else, while servers declare
    ISO-8859-1 by default. None only for a UTF-16 file that does not decode.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, "utf-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif (guess := _bomless_utf16(data)) is not None:
        warnings.append(f"no byte-order mark but NUL bytes between characters: read as {guess}")
        return _decode_utf16(data, guess)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _codec(charset)
    if declared not in (None, "utf-8", *_WINDOWS_1252_ALIASES):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            warnings.append(f"not valid {charset} as declared")
    try:
        text, used = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five bytes are undefined in cp1252; latin-1 maps every byte, so it always succeeds.
        text, used = data.decode("latin-1"), "latin-1"
    warnings.append(f"not valid UTF-8: decoded as {used}, some characters may be wrong")
    return text


def _decode_utf16(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _codec(charset: str | None) -> str | None:
    """Python's canonical name for a declared charset, or None when Python does not know it."""
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes sit at every other position, as in ASCII text saved as UTF-16."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


# A JSON array opens with a value; "[00:03:17] swyx: ..." opens a transcript line.
_JSON_ARRAY = re.compile(r"\[\s*[{\[\]\"]")


def _sniff(text: str) -> str | None:
    """The format the content itself shows; ``cues`` when it is VTT or SRT without telling which."""
    head = text.lstrip()[:2048]
    if head.startswith("WEBVTT") and head[6:7] in ("", " ", "\t", "\n"):
        return "vtt"
    if head.startswith("{") or _JSON_ARRAY.match(head):
        return "json"
    if head.startswith("<"):
        return "html"
    if any("-->" in line for line in head.split("\n", 2)[:2]):
        return "cues"
    return None


def _parse_as(fmt: str, text: str, warnings: list[str], source: str) -> TranscriptResult:
    """The result of reading ``text`` as ``fmt``; an error when that yields nothing."""
    try:
        segments = _PARSERS[fmt](text, warnings)
    except _Unreadable as exc:
        return TranscriptResult(format=fmt, warnings=warnings, error=f"{exc}: {source}")
    if not segments:
        return TranscriptResult(format=fmt, warnings=warnings, error=f"no transcript segments in {fmt}: {source}")
    return TranscriptResult(format=fmt, segments=segments, warnings=warnings)


def _detect(text: str, declared: str | None, warnings: list[str]) -> str | None:
    """The format to parse as: the content's when it shows one, else the declared one."""
    sniffed = _sniff(text)
    if sniffed == "cues":
        # A headerless cue file: a declaration settles VTT vs SRT, else the decimal separator does.
        first_timing = next(line for line in text.split("\n") if "-->" in line)
        sniffed = declared if declared in _CUE_FORMATS else ("srt" if "," in first_timing else "vtt")
    if sniffed and declared not in (None, "text", sniffed):
        warnings.append(f"declared as {declared} but the content is {sniffed}")
    return sniffed or declared


# --------------------------------------------------------------------------- speaker names

# Up to four words starting with a letter: "swyx", "Nyla Worker", "SPEAKER_01", "Dr. Jane O'Neil".
_NAME = r"[^\W\d_][\w.'’&-]*(?:[ \t]+[\w.'’&-]+){0,3}"
_SPEAKER_PREFIX = re.compile(rf"(?P<name>{_NAME})[ \t]*:(?:\s+|$)")
_GENERIC_SPEAKER = re.compile(r"speaker[ _-]?\d{1,3}", re.I)
_NAME_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von"})
# Labels that precede a colon as often as names do.
_NOT_NAMES = frozenset(
    (
        "chapter chapters disclaimer edit example http https link links note notes ps re source sources sponsor "
        "timestamps transcript update warning"
    ).split()
)


def _plausible_name(name: str) -> bool:
    """Shaped like a name: not a label, and every word of a several-word name capitalised.

    A single lower-case word passes ("swyx"); "Hitting the Data Wall" does not.
    """
    words = name.split()
    if len(name) > 40 or name.casefold() in _NOT_NAMES:
        return False
    return len(words) == 1 or all(w[0].isupper() or w[0].isdigit() or w in _NAME_PARTICLES for w in words)


def _proper_name(name: str) -> bool:
    """A capitalised name of at most three words: enough, at the start of a cue, to trust once."""
    return name[0].isupper() and len(name.split()) <= 3 and _plausible_name(name)


# --------------------------------------------------------------------------- WebVTT and SRT


@dataclass(slots=True)
class _Cue:
    start: float
    end: float | None
    lines: list[str]


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_VTT_BLOCKS = frozenset({"WEBVTT", "NOTE", "STYLE", "REGION"})
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
# Markup inside cues: HTML-like tags, VTT timestamps (<00:00:01.000>), and SSA overrides ({\an8}) SRT exports keep.
_CUE_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")


def _parse_cues(text: str, warnings: list[str]) -> list[TranscriptSegment]:
    """WebVTT and SRT alike: both are blocks of a timing line and text, and exporters mix their details."""
    cues, skipped = _read_cues(text)
    if skipped:
        warnings.append(f"skipped {len(skipped)} cue(s) without a readable timing line (first: {skipped[0][:80]!r})")
    return _cue_segments(cues)


def _read_cues(text: str) -> tuple[list[_Cue], list[str]]:
    """The cues of a VTT or SRT file, and the text of each block or timing line it could not use."""
    cues: list[_Cue] = []
    skipped: list[str] = []
    for block in _BLANK_LINE.split(text):
        lines = [s for line in block.split("\n") if (s := line.strip())]
        if not lines:
            continue
        if any("-->" in line for line in lines):
            _block_cues(lines, cues, skipped)
        elif lines[0].split(maxsplit=1)[0] in _VTT_BLOCKS:
            continue  # the header, a NOTE, a STYLE or a REGION
        elif cues and not cues[-1].lines:
            # Some exporters put a blank line between a cue's timing and its text.
            cues[-1].lines = lines
        else:
            skipped.append(" ".join(lines))
    return cues, skipped


def _block_cues(lines: list[str], cues: list[_Cue], skipped: list[str]) -> None:
    """Cues of one block; a block holds several when the blank lines between cues are missing."""
    cue: _Cue | None = None
    for line in lines:
        if "-->" not in line:
            # Lines before the first timing are identifiers (SRT numbers, VTT cue ids).
            if cue is not None:
                cue.lines.append(line)
            continue
        timing = _timing(line)
        if timing is None:
            skipped.append(line)
            cue = None
            continue
        if cue is not None and cue.lines and cue.lines[-1].isdigit():
            # Without a blank line, the next cue's number reads as the last line of this one.
            cue.lines.pop()
        cue = _Cue(timing[0], timing[1], [])
        cues.append(cue)


def _timing(line: str) -> tuple[float, float | None] | None:
    """Start and end of ``00:00:01.000 --> 00:00:04.000 align:start``; cue settings are ignored."""
    left, _, right = line.partition("-->")
    start = clock_seconds(left)
    rest = right.split(maxsplit=1)
    end = clock_seconds(rest[0]) if rest else None
    if start is None or end is None:
        return None
    return start, end if end >= start else None


def _cue_segments(cues: list[_Cue]) -> list[TranscriptSegment]:
    """One segment per cue (more when the speaker changes inside one), speakers carried forward.

    Formats mark only where a speaker starts, so an unmarked cue belongs to
    whoever spoke last. A ``Name:`` prefix counts as a speaker when the name
    recurs, is ``SPEAKER 1``-like, or opens a cue and looks like a proper name.
    """
    marked = [[_voice_and_text(line) for line in cue.lines] for cue in cues]
    prefixes = Counter(
        m["name"] for lines in marked for voice, text in lines if voice is None and (m := _SPEAKER_PREFIX.match(text))
    )
    recurring = {name for name, n in prefixes.items() if n >= 2 and _plausible_name(name)}
    segments: list[TranscriptSegment] = []
    speaker: str | None = None
    for cue, lines in zip(cues, marked, strict=True):
        pieces: list[tuple[str | None, list[str]]] = []
        for i, (voice, text) in enumerate(lines):
            name, text = (voice, text) if voice is not None else _cue_prefix(text, recurring, first=i == 0)
            if not pieces or (name is not None and name != speaker):
                speaker = name or speaker
                pieces.append((speaker, []))
            pieces[-1][1].append(text)
        for who, texts in pieces:
            body = " ".join(t for t in texts if t)
            if body:
                segments.append(TranscriptSegment(cue.start, body, cue.end, who))
    return segments


def _voice_and_text(line: str) -> tuple[str | None, str]:
    """The ``<v Name>`` voice of a cue line, if any, and its plain text."""
    m = _VOICE.search(line)
    voice = _clean(m.group(1)) if m else None
    return voice or None, _clean(_CUE_TAG.sub("", line))


def _cue_prefix(text: str, recurring: set[str], *, first: bool) -> tuple[str | None, str]:
    """``("Sarah", "In today's episode")`` for ``Sarah: In today's episode`` when that is a speaker."""
    m = _SPEAKER_PREFIX.match(text)
    if m is None:
        return None, text
    name = m["name"]
    if name in recurring or _GENERIC_SPEAKER.fullmatch(name) or (first and _proper_name(name)):
        return name, text[m.end() :]
    return None, text


def _clean(text: str) -> str:
    """Entities decoded and whitespace collapsed."""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


# --------------------------------------------------------------------------- Podcasting 2.0 JSON


def _parse_json(text: str, warnings: list[str]) -> list[TranscriptSegment]:
    """``{"version": ..., "segments": [{"speaker", "startTime", "endTime", "body"}]}``.

    ``speaker`` may appear only where it changes, and segments may be single
    words (the spec's own example); ``turns`` joins them up.
    """
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise _Unreadable(f"invalid JSON ({exc})") from exc
    raw_segments = doc.get("segments") if isinstance(doc, dict) else None
    if not isinstance(raw_segments, list):
        raise _Unreadable('JSON is not a Podcasting 2.0 transcript (no "segments" list)')
    segments: list[TranscriptSegment] = []
    speaker: str | None = None
    skipped = 0
    for raw in raw_segments:
        if not isinstance(raw, dict) or (start := _seconds(raw.get("startTime"))) is None:
            skipped += 1
            continue
        if isinstance(name := raw.get("speaker"), str) and (name := _clean(name)):
            speaker = name
        body = raw.get("body")
        if isinstance(body, str) and (body := " ".join(body.split())):
            end = _seconds(raw.get("endTime"))
            segments.append(TranscriptSegment(start, body, end if end is None or end >= start else None, speaker))
    if skipped:
        warnings.append(f"skipped {skipped} JSON segment(s) without a readable startTime")
    return segments


def _seconds(value: object) -> float | None:
    """A JSON time: a number of seconds, or a string holding one or a clock time."""
    if isinstance(value, str):
        value = value.strip()
        clock = clock_seconds(value)
        if clock is not None:
            return clock
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


@dataclass(slots=True)
class _Turn:
    """A turn being assembled: its first line, then the paragraphs that continue it."""

    start: float
    speaker: str | None
    inline: str
    more: list[str] = field(default_factory=list)
    followed_by_turn: bool = False


# --------------------------------------------------------------------------- HTML

# Elements whose text is never transcript: code, styling, embedded documents, forms, page chrome.
_HTML_SKIP = tuple(
    "script style template noscript head iframe object embed svg math form select textarea button nav footer".split()
)
_HTML_BLOCKS = frozenset(
    (
        "address article aside blockquote body br dd div dt figcaption h1 h2 h3 h4 h5 h6 header hr html li "
        "main ol p pre section table td th tr ul"
    ).split()
)


def _parse_html(text: str, warnings: list[str]) -> list[TranscriptSegment]:
    """The Podcasting 2.0 ``<cite>``/``<time>``/``<p>`` layout, or turns written out in paragraphs.

    Both readings run and the one that finds more segments wins: a page may
    use ``<cite>`` for a quoted book and still write its transcript as
    ``<p><b>Name</b> (00:01:02): text</p>``.
    """
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise _Unreadable(f"unparseable HTML ({exc})") from exc
    if root is None:
        return []
    etree.strip_elements(root, *_HTML_SKIP, with_tail=False)
    tokens = _html_tokens(root)
    cited_warnings: list[str] = []
    cited = _cited_segments(tokens, cited_warnings)
    written = _notes_segments([value for kind, value in tokens if kind == "text"], None)
    if len(cited) >= len(written):
        warnings.extend(cited_warnings)
        return cited
    return written


def _html_tokens(root: etree._Element) -> list[tuple[str, str | float]]:
    """The document as ``("speaker", name)``, ``("time", seconds)`` and ``("text", block text)`` in order.

    Text is taken from element content only, so attributes (event handlers,
    ``javascript:`` URLs) can never leak into it; script-like elements are
    gone before this runs.
    """
    tokens: list[tuple[str, str | float]] = []
    buffer: list[str] = []

    def flush() -> None:
        if joined := " ".join("".join(buffer).split()):
            tokens.append(("text", joined))
        buffer.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "end":
            if tag in _HTML_BLOCKS:
                flush()
            buffer.append(el.tail or "")
        elif tag in ("cite", "time"):
            walker.skip_subtree()
            content = "".join(el.itertext())
            marker = _html_marker(tag, content)
            if marker is None:
                buffer.append(content)
            else:
                flush()
                tokens.append(marker)
        else:
            if tag in _HTML_BLOCKS:
                flush()
            buffer.append(el.text or "")
    flush()
    return tokens


def _html_marker(tag: str, content: str) -> tuple[str, str | float] | None:
    """A ``<cite>`` speaker or a ``<time>`` clock; None for a cited title or a date, which stay text."""
    if tag == "cite":
        name = " ".join(content.split()).rstrip(":").strip()
        return ("speaker", name) if name and _plausible_name(name) else None
    seconds = clock_seconds(content)
    return ("time", seconds) if seconds is not None else None


def _cited_segments(tokens: list[tuple[str, str | float]], warnings: list[str]) -> list[TranscriptSegment]:
    """Turns of the ``<cite>``/``<time>`` layout: each marker starts a turn, paragraphs after it fill it.

    The format allows times to be missing; a turn without one starts where
    the previous turn did, which keeps search hits near the right place.
    """
    built: list[_Turn] = []
    speaker: str | None = None
    start: float | None = None
    open_turn = False
    untimed = 0
    for kind, value in tokens:
        if kind == "speaker":
            speaker, open_turn = str(value), False
        elif kind == "time":
            start, open_turn = float(value), False
        elif open_turn:
            built[-1].more.append(str(value))
        elif speaker is not None or start is not None:
            untimed += start is None
            built.append(_Turn(start or 0.0, speaker, str(value)))
            open_turn = True
    if untimed:
        warnings.append(f"{untimed} HTML turn(s) without a <time>: they start at the previous turn's time")
    segments = [TranscriptSegment(t.start, " ".join([t.inline, *t.more]), None, t.speaker) for t in built]
    _fill_ends(segments)
    return segments


# --------------------------------------------------------------------------- show notes and plain text

_CLOCK_GROUP = rf"(?P<clock>{CLOCK.pattern})"
_BULLET = r"(?P<bullet>[*•·>-]+[ \t]*)?"
_TIME_FIRST = re.compile(rf"[ \t]*{_BULLET}[\[(]?{_CLOCK_GROUP}[\])]?(?:[ \t]*[-–—:|])?[ \t]*(?P<rest>.*)")
_NAME_FIRST = re.compile(
    rf"[ \t]*{_BULLET}(?P<name>{_NAME})[ \t]*(?:[-–—·|,][ \t]*)?"
    rf"(?P<open>[\[(])?{_CLOCK_GROUP}[\])]?[ \t]*:?[ \t]*(?P<rest>.*)"
)
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]?\s+\S")
_CHAPTER_WORDS = 12


@dataclass(slots=True)
class _NoteLine:
    """A line of notes: ``text`` (untimed), ``timed`` (a time and text) or ``named`` (``Name 00:03:17`` alone).

    ``text`` is what follows a speaker name; ``whole`` is what to keep when
    the name turns out not to be a speaker.
    """

    kind: str
    text: str
    whole: str
    start: float = 0.0
    name: str | None = None
    bulleted: bool = False


def _parse_text(text: str, warnings: list[str]) -> list[TranscriptSegment]:
    """A plain-text transcript (``text/plain``) is written like one pasted into show notes."""
    return _notes_segments(text.split("\n"), None)


def _notes_segments(lines: list[str], known: set[str] | None) -> list[TranscriptSegment]:
    """Turns of timed lines in free text; see ``transcript_from_notes``."""
    classified = [_classify(line) for line in lines if line.strip()]
    accept = _speaker_filter(classified, known)
    built: list[_Turn] = []
    current: _Turn | None = None
    for line in classified:
        name = accept(line.name) if line.name else None
        if line.kind == "text" or (line.kind == "named" and name is None):
            # An unrecognised "Name 12:30" is prose that happens to end in a time.
            if current is not None:
                current.more.append(line.whole)
            continue
        body = line.text if name is not None else line.whole
        if name is None and (line.bulleted or _title_like(body)):
            current = None  # a chapter title: untimed text after it is not speech
            continue
        if current is not None:
            current.followed_by_turn = True
        current = _Turn(line.start, name, body)
        built.append(current)
    return _finish_turns(built)


def _classify(line: str) -> _NoteLine:
    """What a line of notes looks like, before deciding whether its name is a speaker."""
    whole = line.strip()
    if (m := _TIME_FIRST.fullmatch(line)) and (start := clock_seconds(m["clock"])) is not None:
        rest = m["rest"].strip()
        bulleted = bool(m["bullet"])
        if prefix := _SPEAKER_PREFIX.match(rest):
            return _NoteLine("timed", rest[prefix.end() :].strip(), rest, start, prefix["name"], bulleted)
        return _NoteLine("timed", rest, rest, start, None, bulleted)
    if (m := _NAME_FIRST.fullmatch(line)) and (start := clock_seconds(m["clock"])) is not None:
        rest = m["rest"].strip()
        if not rest:
            return _NoteLine("named", rest, whole, start, m["name"], bool(m["bullet"]))
        # A bare time between a name and text needs brackets: "Name (00:03:17): text".
        if m["open"]:
            return _NoteLine("timed", rest, f"{m['name']}: {rest}", start, m["name"], bool(m["bullet"]))
    return _NoteLine("text", whole, whole)


def _speaker_filter(lines: list[_NoteLine], known: set[str] | None) -> Callable[[str], str | None]:
    """A function giving the speaker a candidate name stands for, or None when it is not one.

    A name counts when known, when it is ``SPEAKER 1``-like, or when it opens
    lines at two or more different times: a chapter title repeated in a
    list and in the transcript shares one time, a speaker never does.
    """
    canonical = {k.casefold(): k for k in known or ()}
    times: dict[str, set[float]] = {}
    for line in lines:
        if line.name:
            times.setdefault(line.name, set()).add(line.start)

    def accept(name: str) -> str | None:
        if name.casefold() in canonical:
            return canonical[name.casefold()]
        if _GENERIC_SPEAKER.fullmatch(name) or (len(times.get(name, ())) >= 2 and _plausible_name(name)):
            return " ".join(name.split())
        return None

    return accept


def _title_like(text: str) -> bool:
    """Short and a single phrase: how chapter titles read, and speech rarely does."""
    return len(text.split()) <= _CHAPTER_WORDS and not _SENTENCE_BREAK.search(text)


def _finish_turns(built: list[_Turn]) -> list[TranscriptSegment]:
    """Segments of the turns, with ends filled in and trailing page text cut off.

    When no turn continues onto untimed paragraphs before the next turn, the
    transcript writes each turn on one line; untimed text after its last turn
    (or before a chapter list) is then the page's footer or the next
    episode's notes, not speech.
    """
    one_line_turns = not any(t.more and t.followed_by_turn for t in built)
    segments = []
    for t in built:
        more = [] if one_line_turns and t.inline else t.more
        text = " ".join(" ".join([t.inline, *more]).split())
        if text:
            segments.append(TranscriptSegment(t.start, text, None, t.speaker))
    _fill_ends(segments)
    return segments


def _fill_ends(segments: list[TranscriptSegment]) -> None:
    """Each segment ends where the next begins, unless the next is earlier (a reset or a mistake)."""
    for seg, nxt in itertools.pairwise(segments):
        seg.end = nxt.start if nxt.start >= seg.start else None


# --------------------------------------------------------------------------- turns

# Longest passage built from speakerless segments, and the silence that ends one.
_PASSAGE_CHARS = 1500
_PASSAGE_GAP = 2.0


def _continues(turn: TranscriptSegment, size: int, seg: TranscriptSegment) -> bool:
    """Whether ``seg`` extends ``turn`` (whose merged text is ``size`` characters so far)."""
    if seg.speaker != turn.speaker:
        return False
    if seg.speaker is not None:
        return True
    close = turn.end is None or seg.start - turn.end <= _PASSAGE_GAP
    return close and size + 1 + len(seg.text) <= _PASSAGE_CHARS


_PARSERS: dict[str, Callable[[str, list[str]], list[TranscriptSegment]]] = {
    "vtt": _parse_cues,
    "srt": _parse_cues,
    "json": _parse_json,
    "html": _parse_html,
    "text": _parse_text,
}
