"""R7 Know the incentives.

Sponsorship, referral codes, clickbait and press-release prose do not make an
item wrong, but a reader should see them: each costs a few points and is shown.
Vendor and social sources are written to sell or to be shared.

Episodes get a closer reading than other items. A sponsor word in a blog post
is evidence enough, but a transcript says "sponsor" in conversation ("it's only
as good as its sponsors"), so for an episode the podcast sponsor detector
decides: it names the advertiser, the discount code and the event promoted,
and leaves funding acknowledgements alone.
"""

from __future__ import annotations

from ..podcast.sponsors import Sponsorship, sponsorships
from ..records import Signal
from .context import Context

# Kinds that are ad-read phrasing: text with one of them is read as an episode's show notes.
_AD_READ = ("sponsor", "discount_code")


def check(ctx: Context) -> list[Signal]:
    found = sponsorships(ctx.ext.text)
    out = _episode_signals(ctx, found) if _is_episode(ctx, found) else _lexicon_signals(ctx)
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


def _is_episode(ctx: Context, found: list[Sponsorship]) -> bool:
    """An episode: it has audio or a transcript, comes from a podcast, or its text reads ads like show notes do."""
    item = ctx.item
    if item.enclosure is not None or item.transcript or ctx.source.content_kind == "podcast":
        return True
    return any(f.kind in _AD_READ for f in found)


def _lexicon_signals(ctx: Context) -> list[Signal]:
    """Sponsor and referral phrases from the extractor's lexicon: the reading for posts, papers and pages."""
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
    return out


def _episode_signals(ctx: Context, found: list[Sponsorship]) -> list[Signal]:
    """One signal per kind of incentive, quoting its first occurrence and naming every advertiser.

    The weight is paid once per kind however many reads an episode carries: a
    third sponsor does not make an episode less verifiable than two.
    """
    out: list[Signal] = []
    groups = (
        ("R7.sponsorship", ("sponsor",), _read_message),
        ("R7.referral", ("discount_code", "affiliate"), _referral_message),
        ("R7.promotion", ("event_promo", "self_promo"), _promotion_message),
    )
    for signal_id, kinds, message in groups:
        hits = [f for f in found if f.kind in kinds]
        if hits:
            out.append(ctx.signal(signal_id, message(hits), span=(hits[0].start, hits[0].end)))
    return out


def _unique(parts: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for p in parts:
        if p.casefold() not in seen:
            seen.add(p.casefold())
            out.append(p)
    return out


def _read_message(hits: list[Sponsorship]) -> str:
    names = _unique([h.sponsor for h in hits if h.sponsor])
    return f"ad read: sponsored by {', '.join(names)}" if names else "ad read"


def _referral_message(hits: list[Sponsorship]) -> str:
    parts = []
    for h in hits:
        if h.kind == "affiliate":
            parts.append(f"affiliate link ({h.sponsor})" if h.sponsor else "affiliate links disclosed")
        elif h.code:
            parts.append(f"{_code_label(h.quote)} {h.code}")
        else:
            parts.append("discount offer" + (f" from {h.sponsor}" if h.sponsor else ""))
    return "; ".join(_unique(parts))


def _code_label(quote: str) -> str:
    # Say it as the read did ("promo code leks"), so the reader finds it in the quote.
    low = quote.lower()
    for label in ("promo code", "coupon code", "offer code"):
        if label in low:
            return label
    return "discount code"


def _promotion_message(hits: list[Sponsorship]) -> str:
    parts = []
    for h in hits:
        if h.kind == "self_promo":
            parts.append("self-promotion")
            continue
        event = f"event promotion: {h.sponsor}" if h.sponsor else "event promotion"
        parts.append(f"{event} (code {h.code})" if h.code else event)
    return "; ".join(_unique(parts))
