"""R10 Know your sources.

An item that names who wrote or who speaks can be weighed by who they are; a
source that declares itself a lab or a researcher, or whose past items scored
well, has earned some trust. (Corroboration across sources belongs to the
relate stage, which sees more than one item.)
"""

from __future__ import annotations

from ..records import Signal
from .context import Context

_TRUSTED_KINDS = ("researcher", "lab")
MIN_TRACK_RECORD = 5


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    item = ctx.item
    people = [p.name for p in item.persons] or list(item.authors)
    if people:
        shown = ", ".join(people[:3]) + (f" and {len(people) - 3} more" if len(people) > 3 else "")
        out.append(ctx.signal("R10.people_named", f"names its people: {shown}", evidence=shown))
    declared = ctx.source.declared_kind
    if declared in _TRUSTED_KINDS:
        out.append(ctx.signal("R10.source_kind", f"the source is a {declared}", evidence=f"declared kind: {declared}"))
    mean = ctx.source.mean_score
    if mean is not None and ctx.source.scored_items >= MIN_TRACK_RECORD:
        if mean >= 60:
            out.append(
                ctx.signal(
                    "R10.track_record_good",
                    f"this source's items average {mean:.0f}",
                    evidence=f"mean score {mean:.0f}",
                )
            )
        elif mean < 35:
            out.append(
                ctx.signal(
                    "R10.track_record_poor",
                    f"this source's items average {mean:.0f}",
                    evidence=f"mean score {mean:.0f}",
                )
            )
    return out
