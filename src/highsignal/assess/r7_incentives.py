"""R7 Know the incentives.

Sponsorship, referral codes, clickbait and press-release prose do not make an
item wrong, but a reader should see them: each costs a few points and is shown.
Vendor and social sources are written to sell or to be shared.
"""

from __future__ import annotations

from ..records import Signal
from .context import Context


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    sponsor = ctx.mentions("sponsor")
    if sponsor:
        out.append(ctx.signal("R7.sponsorship", "sponsored or promotional content", mention=sponsor[0]))
    referral = ctx.mentions("referral")
    if referral:
        out.append(
            ctx.signal(
                "R7.referral", f"referral, discount or paid-upgrade push ({referral[0].key})", mention=referral[0]
            )
        )
    bait = ctx.mentions("clickbait")
    if bait:
        out.append(ctx.signal("R7.clickbait", f"hype phrasing ({bait[0].text})", mention=bait[0]))
    press = ctx.mentions("press")
    if ctx.kind == "announcement" or len({m.key for m in press}) >= 3:
        first = press[0] if press else None
        out.append(
            ctx.signal(
                "R7.press_release",
                "written as a press release",
                mention=first,
                evidence=None if first else ctx.item.title or "",
            )
        )
    declared = ctx.source.declared_kind
    if declared in ("vendor", "social"):
        what = "a vendor, writing to sell" if declared == "vendor" else "a social post, written for attention"
        out.append(ctx.signal("R7.vendor_source", f"the source is {what}", evidence=f"declared kind: {declared}"))
    return out
