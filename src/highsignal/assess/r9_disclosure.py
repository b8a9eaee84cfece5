"""R9 Disclosure: paper > technical report > blog post > social post.

The more an item discloses the more it is worth. A paper or technical report
is the strongest form; commentary earns its points by linking the primary
sources it discusses; a bare announcement with nothing behind it is worth least.
"""

from __future__ import annotations

from ..records import Signal
from .context import Context

_STRONG = frozenset(
    {
        "technical report",
        "tech report",
        "our paper",
        "preprint",
        "system card",
        "whitepaper",
        "white paper",
        "read the paper",
        "full paper",
    }
)
MIN_PRIMARY_SOURCES = 2


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    papers = ctx.artefacts("paper", "pdf")
    if papers:
        a = papers[0]
        label = f"arXiv:{a.ident}" if a.host == "arxiv.org" and a.ident else a.url
        more = f" (and {len(papers) - 1} more)" if len(papers) > 1 else ""
        out.append(
            ctx.signal(
                "R9.paper_or_report",
                f"links a paper or report: {label}{more}",
                url=a.url,
                evidence=a.url,
                flag="paper_or_report",
            )
        )
    else:
        strong = [m for m in ctx.mentions("paper") if m.key in _STRONG]
        if strong:
            out.append(
                ctx.signal(
                    "R9.paper_or_report", f"refers to a {strong[0].key}", mention=strong[0], flag="paper_or_report"
                )
            )
        elif ctx.kind == "paper":
            out.append(
                ctx.signal(
                    "R9.paper_or_report",
                    "is a research paper",
                    evidence=ctx.item.url or ctx.item.title or "",
                    url=ctx.item.url,
                    flag="paper_or_report",
                )
            )

    if ctx.kind in ("commentary", "social"):
        arts = ctx.ext.artefacts
        if len(arts) >= MIN_PRIMARY_SOURCES:
            kinds = sorted({a.kind for a in arts})
            out.append(
                ctx.signal(
                    "R9.primary_sources",
                    f"links {len(arts)} primary sources ({', '.join(kinds)})",
                    url=arts[0].url,
                    evidence=arts[0].url,
                )
            )

    if ctx.kind in ("release", "announcement", "social") and not ctx.ext.artefacts and len(ctx.item.text or "") < 600:
        out.append(
            ctx.signal(
                "R9.bare_announcement",
                "a bare announcement: nothing linked to check",
                evidence=ctx.item.title or ctx.ext.text[:120],
            )
        )
    return out
