"""R8 The long tail of care: licence, documentation, chapters and transcripts.

Small things a few readers care about (a licence named, limitations written
down, chapters and a transcript for a two-hour episode) show a publisher
invested in the people using their work.
"""

from __future__ import annotations

from ..records import Signal
from .context import Context

_RESTRICTIVE = frozenset(
    {"non-commercial", "research-only", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "mistral-research"}
)
_GENERIC = frozenset({"stated", "commercial use"})


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    named = [m for m in ctx.mentions("licence") if m.key not in _GENERIC]
    hints = [m for m in ctx.mentions("licence_hint") if "licen" in ctx.sentence(m).lower()]
    generic = [m for m in ctx.mentions("licence") if m.key == "stated"]
    found = named or hints or generic
    if found:
        m = found[0]
        keys = sorted({x.key for x in named + hints})
        restrictive = [k for k in keys if k in _RESTRICTIVE]
        what = ", ".join(keys) if keys else "named"
        note = f" (restrictive: {', '.join(restrictive)})" if restrictive else ""
        out.append(ctx.signal("R8.license_stated", f"licence stated: {what}{note}", mention=m, flag="license_stated"))

    docs = ctx.mentions("docs")
    kinds = sorted({m.key for m in docs})
    if len(kinds) >= 2:
        out.append(ctx.signal("R8.documentation", "documents " + ", ".join(kinds[:4]), mention=docs[0]))

    item = ctx.item
    parts = []
    if item.chapters or item.chapters_url:
        parts.append("chapters")
    if item.transcript or item.transcripts:
        parts.append("a transcript")
    if parts:
        out.append(
            ctx.signal("R8.chapters_or_transcript", "provides " + " and ".join(parts), evidence=", ".join(parts))
        )
    return out
