"""The Jinja environment of the pages: autoescaping always on, and the small filters they share.

Autoescaping is on for every template and nothing from a feed is marked
safe in a template; the one piece of feed HTML a page shows comes through
``clean_html`` (a strict nh3 pass) as a global function.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import jinja2

from highsignal import __version__

from .markup import clean_html

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GRADES = ("high", "medium", "low")


def _parse(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def day(value: Any) -> str:
    """``20 Nov 2026``; empty for nothing, the value itself if it is not a date."""
    dt = _parse(value)
    if dt is None:
        return str(value) if value else ""
    return f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}"


def ago(value: Any, now: datetime | None = None) -> str:
    """``3h ago``, ``in 20m``; ``never`` for nothing."""
    dt = _parse(value)
    if dt is None:
        return "never"
    secs = ((now or datetime.now(UTC)) - dt).total_seconds()
    future, secs = secs < 0, abs(secs)
    if secs < 90:
        text = f"{int(secs)}s"
    elif secs < 5400:
        text = f"{int(secs // 60)}m"
    elif secs < 172800:
        text = f"{int(secs // 3600)}h"
    else:
        text = f"{int(secs // 86400)}d"
    return f"in {text}" if future else f"{text} ago"


def clock(seconds: Any) -> str:
    """``1:02:03`` or ``4:05`` for a number of seconds."""
    if not isinstance(seconds, int | float) or seconds < 0:
        return ""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def bar_class(score: Any) -> str:
    """A width class for a 0-100 score in steps of 5: the CSP allows no inline ``style``."""
    try:
        n = int(score)
    except (TypeError, ValueError):
        n = 0
    return f"w-{min(100, max(0, round(n / 5) * 5))}"


def grade_class(grade: Any) -> str:
    return f"g-{grade}" if grade in GRADES else "g-unknown"


def is_web(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def pct(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "—"


def num(value: Any, fmt: str = "{:.2f}") -> str:
    return fmt.format(value) if isinstance(value, int | float) and not isinstance(value, bool) else "—"


def query(params: dict[str, Any]) -> str:
    """``?a=1&b=2`` for the non-empty parameters, or an empty string."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""


def _static_version() -> str:
    """A hash of the static files, so links to them change whenever they do (they are cached a day)."""
    h = hashlib.blake2b(__version__.encode(), digest_size=5)
    folder = resources.files("highsignal.web") / "static"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_file():
            h.update(entry.name.encode())
            h.update(entry.read_bytes())
    return h.hexdigest()


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("highsignal.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    version = _static_version()
    env.globals.update(
        static=lambda name: f"/static/{name}?v={version}",
        clean_html=clean_html,
        query=query,
        version=__version__,
        grades=GRADES,
    )
    env.filters.update(
        day=day, ago=ago, clock=clock, bar_class=bar_class, grade_class=grade_class, is_web=is_web, pct=pct, num=num
    )
    env.tests["web"] = is_web
    return env
