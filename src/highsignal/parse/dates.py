"""Date and duration parsing for feed fields.

Feeds write dates in RFC 822 (RSS), ISO 8601 (Atom, JSON Feed) and many broken
variants of both. The fast paths cover what almost every feed sends; dateutil
is the slow fallback for the rest. Scraped pages add dates written in French,
Spanish or German (``mardi 3 septembre 2024``), which are translated to English
month names before dateutil sees them. Everything comes back as aware UTC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

from dateutil import parser as _dateutil

# Zone names dateutil does not know but feeds use.
_TZINFOS = {
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
    "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
    "CET": 3600, "CEST": 7200, "BST": 3600, "IST": 19800, "JST": 9 * 3600,
    "AEST": 10 * 3600, "AEDT": 11 * 3600, "UT": 0, "Z": 0, "GMT": 0, "UTC": 0,
}  # fmt: skip

_YEAR = re.compile(r"(?<!\d)(19[7-9]\d|2[01]\d\d)(?!\d)")
_MIN_YEAR = 1970
_MAX_YEAR = 2200


def _utc(dt: datetime) -> datetime | None:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    else:
        dt = dt.astimezone(UTC)
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        return None
    return dt


@lru_cache(maxsize=4096)
def parse_date(raw: str | None) -> datetime | None:
    """Parse a feed date to aware UTC, or ``None`` if it cannot be read."""
    if not raw:
        return None
    s = raw.strip()
    if not s:
        return None
    if s[0].isdigit() and len(s) >= 10 and s[4] == "-":
        try:
            return _utc(datetime.fromisoformat(s))
        except ValueError:
            pass
    else:
        try:
            dt = parsedate_to_datetime(s)
            # A naive result means the zone name was unknown to the email parser
            # (CET, JST...): dateutil's table below knows them.
            if dt.tzinfo is not None or not s[-1].isalpha():
                return _utc(dt)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    if not _YEAR.search(s):
        return None  # "Episode 12" or "3 days ago" is not a date; never invent one
    dt = _dateutil_parse(s)
    if dt is None:
        # Only after English failed: translating first could misread an English
        # word that happens to be a foreign month name.
        english = _to_english(s)
        if english is not None:
            dt = _dateutil_parse(english)
    return dt


def _dateutil_parse(s: str) -> datetime | None:
    try:
        return _utc(_dateutil.parse(s, tzinfos=_TZINFOS))
    except (ValueError, OverflowError, TypeError, _dateutil.ParserError):
        return None


def _fold(word: str) -> str:
    """Lower-case, accent-free, without a trailing abbreviation dot: the key of the name tables."""
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")
    return plain.lower().rstrip(".")


def _table(english: str, *names: str) -> dict[str, str]:
    return {_fold(n): english for n in names}


# Month names and abbreviations, English first (so ``find_date`` knows them too),
# then French, Spanish and German. Values are what dateutil reads.
_MONTHS: dict[str, str] = {
    **_table("Jan", "jan", "january", "janvier", "janv", "enero", "ene", "januar", "jänner", "jän"),
    **_table("Feb", "feb", "february", "février", "févr", "fév", "febrero", "februar"),
    **_table("Mar", "mar", "march", "mars", "marzo", "märz", "maerz", "mär", "mrz"),
    **_table("Apr", "apr", "april", "avril", "avr", "abril", "abr"),
    **_table("May", "may", "mai", "mayo"),
    **_table("Jun", "jun", "june", "juin", "junio", "juni"),
    **_table("Jul", "jul", "july", "juillet", "juil", "julio", "juli"),
    **_table("Aug", "aug", "august", "août", "aout", "agosto", "ago"),
    **_table("Sep", "sep", "sept", "september", "septembre", "septiembre", "setiembre"),
    **_table("Oct", "oct", "october", "octobre", "octubre", "oktober", "okt"),
    **_table("Nov", "nov", "november", "novembre", "noviembre"),
    **_table("Dec", "dec", "december", "décembre", "déc", "diciembre", "dic", "dezember", "dez"),
}
# Weekday names only repeat what the day number says: they are dropped.
_WEEKDAYS = frozenset(
    _fold(n)
    for n in (
        "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday "
        "lundi mardi mercredi jeudi vendredi samedi dimanche lun mer jeu ven sam dim "
        "lunes martes miércoles jueves viernes sábado domingo mié jue vie sáb dom "
        "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di mi do fr sa so"
    ).split()
)
# "3 de septiembre de 2024", "le 3 mai", "am 3. Mai": joining words dateutil does not know.
_FILLERS = frozenset({"de", "del", "le", "la", "el", "der", "den", "am", "à"})
# French "mar." is mardi (Tuesday) as well as March in Spanish and English.
_MONTH_OR_WEEKDAY = frozenset({"mar"})
_WORD = re.compile(r"[^\W\d_]+\.?")
_ORDINAL = re.compile(r"(?<=\d)(?:er|re|e|º|ª)(?![^\W\d_])")


def _to_english(s: str) -> str | None:
    """``s`` with foreign month names in English and weekdays dropped, or ``None`` if nothing changed."""
    folded = [_fold(w) for w in _WORD.findall(s)]
    months = [w for w in folded if w in _MONTHS]
    # With another month present, an ambiguous "mar" is the weekday.
    drop_ambiguous = len(months) > 1 and any(w not in _MONTH_OR_WEEKDAY for w in months)

    def swap(m: re.Match[str]) -> str:
        word = _fold(m.group(0))
        if word in _MONTH_OR_WEEKDAY and drop_ambiguous:
            return ""
        if word in _MONTHS:
            return _MONTHS[word]
        if word in _WEEKDAYS or word in _FILLERS:
            return ""
        return m.group(0)

    out = _WORD.sub(swap, _ORDINAL.sub("", s))
    out = " ".join(out.replace(" ,", ",").split()).strip(" ,")
    return out if out != s else None


@dataclass(slots=True)
class DateSpan:
    """A date found inside a longer line: where it is, what it says and its value."""

    start: int
    end: int
    raw: str
    value: datetime


_NAME = r"[^\W\d_]{2,12}"
_DATE_SHAPES = (
    # 2024-09-03, 2024-09-03T17:00:00Z
    re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])"),
    # 03/09/2024, 3.9.2024 (day or month first: dateutil decides as it would in a feed)
    re.compile(r"(?<![\d./])\d{1,2}[./]\d{1,2}[./]\d{4}(?![\d./])"),
    # mardi 3 septembre 2024, 3 sept. 2024, Di., 3. Sept. 2024, 3 de septiembre de 2024
    re.compile(
        rf"(?:(?P<wd>{_NAME})\.?,?\s+)?(?<![\w.])(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|º)?\.?\s+(?:de\s+)?"
        rf"(?P<m>{_NAME})\.?,?\s+(?:de\s+)?\d{{4}}(?!\d)"
    ),
    # Tuesday, September 3, 2024; Sep 3 2024
    re.compile(
        rf"(?:(?P<wd>{_NAME})\.?,?\s+)?(?<!\w)(?P<m>{_NAME})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)"
    ),
)


def find_date(text: str) -> DateSpan | None:
    """The first date written out in ``text`` (a line of a scraped page), or ``None``.

    Unlike ``parse_date`` this looks inside a longer string, so it only accepts
    shapes that are unmistakably dates (a day, a known month name and a year,
    or all-numeric day/month/year) and never reads one out of stray numbers.
    """
    found: list[DateSpan] = []
    for shape in _DATE_SHAPES:
        for m in shape.finditer(text):
            span = _date_span(m)
            if span is not None:
                found.append(span)
                break
    return min(found, key=lambda d: d.start) if found else None


def _date_span(m: re.Match[str]) -> DateSpan | None:
    groups = m.groupdict()
    start = m.start()
    if "m" in groups:
        if _fold(groups["m"]) not in _MONTHS:
            return None
        if groups["wd"] is not None and _fold(groups["wd"]) not in _WEEKDAYS:
            # Not a weekday: the date starts at the day (or month) itself.
            start = min(m.start("d"), m.start("m"))
    raw = m.string[start : m.end()]
    value = parse_date(raw)
    return DateSpan(start, m.end(), raw, value) if value is not None else None


_CLOCK = re.compile(r"^(\d+(?:\.\d+)?)(?::(\d{1,2}(?:\.\d+)?))?(?::(\d{1,2}(?:\.\d+)?))?$")
_UNITS = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?$", re.I)


def parse_duration(raw: str | None) -> float | None:
    """Seconds from ``3600``, ``mm:ss``, ``hh:mm:ss``, ``61:08`` or ``1h 2m``.

    Two fields are always minutes and seconds, so ``61:08`` is 61 minutes,
    which is how podcast hosts write long episodes.
    """
    if not raw:
        return None
    s = raw.strip()
    m = _CLOCK.match(s)
    if m:
        a, b, c = m.groups()
        try:
            if c is not None:
                value = float(a) * 3600 + float(b) * 60 + float(c)
            elif b is not None:
                value = float(a) * 60 + float(b)
            else:
                value = float(a)
        except ValueError:
            return None
        return value if value > 0 else None
    m = _UNITS.match(s)
    if m and any(m.groups()):
        h, mi, se = (int(g) if g else 0 for g in m.groups())
        value = float(h * 3600 + mi * 60 + se)
        return value or None
    return None


def parse_clock(raw: str | None) -> float | None:
    """Seconds from a chapter/soundbite time: ``90``, ``01:30``, ``00:01:30.500``."""
    if raw is None:
        return None
    s = raw.strip()
    m = _CLOCK.match(s)
    if not m:
        return None
    a, b, c = m.groups()
    if c is not None:
        return float(a) * 3600 + float(b) * 60 + float(c)
    if b is not None:
        return float(a) * 60 + float(b)
    return float(a)
