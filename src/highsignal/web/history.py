"""A source's publication history (items per month) and cadence, for its page.

The chart is inline SVG with its geometry computed here, so the page needs
no script and no inline style (the CSP forbids both): bar positions and
heights are SVG attributes, colours come from the stylesheet.
"""

from __future__ import annotations

import itertools
import statistics
from datetime import UTC, datetime
from typing import Any

#: At most this many months are drawn (the most recent ones).
MAX_MONTHS = 36
CHART_WIDTH = 720
CHART_HEIGHT = 160
AXIS = 18  # room under the bars for year labels
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _next(month: str) -> str:
    year, m = int(month[:4]), int(month[5:7])
    return f"{year + m // 12}-{m % 12 + 1:02d}"


def month_series(counts: list[tuple[str, int]], until: str | None = None) -> list[tuple[str, int]]:
    """Counts for every month from the first to ``until`` (default: the last with items), gaps as 0."""
    valid = [(m, n) for m, n in counts if len(m) == 7 and m[4] == "-" and m[:4].isdigit() and m[5:].isdigit()]
    if not valid:
        return []
    by_month = dict(valid)
    first = min(by_month)
    last = max(max(by_month), until or "")
    out = []
    month = first
    while month <= last and len(out) < 1200:
        out.append((month, by_month.get(month, 0)))
        month = _next(month)
    return out[-MAX_MONTHS:]


def chart(counts: list[tuple[str, int]], now: datetime | None = None) -> dict[str, Any]:
    """Geometry of a bar chart of items per month, up to this month."""
    now = now or datetime.now(UTC)
    series = month_series(counts, until=f"{now.year}-{now.month:02d}")
    top = max((n for _, n in series), default=0)
    plot = CHART_HEIGHT - AXIS
    slot = CHART_WIDTH / max(1, len(series))
    bars = []
    for i, (month, n) in enumerate(series):
        height = 0.0 if not top else max(1.5 if n else 0.0, plot * n / top)
        label = f"{MONTHS[int(month[5:]) - 1]} {month[:4]}: {n} item{'' if n == 1 else 's'}"
        bars.append(
            {
                "month": month,
                "count": n,
                "x": round(i * slot + slot * 0.1, 2),
                "y": round(plot - height, 2),
                "width": round(max(1.0, slot * 0.8), 2),
                "height": round(height, 2),
                "label": label,
                "year_label": month[:4] if month.endswith("-01") or i == 0 else None,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plot_height": plot,
        "max": top,
        "months": len(series),
        "total": sum(n for _, n in series),
        "bars": bars,
    }


def cadence(dates: list[datetime], per_week: float | None, now: datetime | None = None) -> dict[str, Any]:
    """How often a source publishes: items a week, the median gap between items, and the last one."""
    now = now or datetime.now(UTC)
    ordered = sorted((d if d.tzinfo else d.replace(tzinfo=UTC) for d in dates), reverse=True)
    gaps = [(a - b).total_seconds() / 86400 for a, b in itertools.pairwise(ordered)]
    last = ordered[0] if ordered else None
    return {
        "per_week": per_week,
        "median_gap_days": round(statistics.median(gaps), 1) if gaps else None,
        "last": last.isoformat() if last else None,
        "days_since_last": round((now - last).total_seconds() / 86400, 1) if last else None,
        "sampled": len(ordered),
    }
