"""Clock times as podcasts write them: ``1:02:03``, ``03:17``, ``00:03:17.250``, ``00:03:17,250``.

One parser for chapters, cue files and show notes, because the same string
means different things in each only through its context (a duration decides
whether ``12:30`` is minutes or hours), never through its spelling.
"""

from __future__ import annotations

import re

# Hours take up to three digits (no episode runs 1000 hours); minutes and seconds are two digits
# once a larger unit precedes them. Digits are ASCII only: ``\d`` would also accept Arabic-Indic or
# Devanagari digits, which no player writes. The guards on either side refuse a clock glued to a
# price (``$10:30``), a URL or query (``/12:30``, ``?t=12:30``, ``#t=``), a word, a number or a
# longer run of colons, so a match is a free-standing time and nothing else.
CLOCK = re.compile(
    r"(?<![\w:.,$€£/?=&#-])(?:([0-9]{1,3}):)?([0-9]{1,2}):([0-9]{2})(?:[.,]([0-9]{1,3}))?(?![\w:]|[.,][0-9])"
)


def clock_seconds(text: str, *, two_part_as_hours: bool = False) -> float | None:
    """Seconds for a clock string, or None when it is not one.

    ``two_part_as_hours`` reads ``h:mm`` instead of ``mm:ss``; callers decide
    that from an episode's duration, since the text cannot.
    """
    m = CLOCK.fullmatch(text.strip())
    if m is None:
        return None
    hours, first, second, frac = m.groups()
    a, b = int(first), int(second)
    if b >= 60:
        return None
    if hours is not None:
        if a >= 60:
            return None
        value = int(hours) * 3600 + a * 60 + b
    elif two_part_as_hours:
        value = a * 3600 + b * 60
    else:
        value = a * 60 + b
    if frac:
        value += int(frac) / (10 ** len(frac))
    return float(value)


def format_clock(seconds: float) -> str:
    """``h:mm:ss`` for an hour or more, else ``m:ss``: how players show a position."""
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
