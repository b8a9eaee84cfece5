"""Date and duration parsing for feed fields.

Feeds write dates in RFC 822 (RSS), ISO 8601 (Atom, JSON Feed) and many broken
variants of both. The fast paths cover what almost every feed sends; dateutil
is the slow fallback for the rest. Everything comes back as aware UTC.
"""

from __future__ import annotations

import re
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
    try:
        return _utc(_dateutil.parse(s, tzinfos=_TZINFOS))
    except (ValueError, OverflowError, TypeError, _dateutil.ParserError):
        return None


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
