"""R5 No free lunch: claims that fail a basic sanity check.

A small model that beats much larger ones across the board is more likely
overfit than a miracle, and a score a few points from guessing is no
achievement. The benchmark table in ``extract.benchmarks`` gives each
benchmark's chance level.
"""

from __future__ import annotations

from ..extract.benchmarks import BY_NAME, near_chance
from ..records import Signal
from .context import Context

_BEATING = (
    "outperform",
    "beat",
    "surpass",
    "exceed",
    "rival",
    "on par",
    "on-par",
    "comparable",
    "competitive",
    "match",
    "better",
    "outscore",
    "outclass",
    "edges",
    "crush",
    "destroy",
    "best",
)
MIN_RATIO = 3.0


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    for c in ctx.ext.claims:
        if c.kind == "comparison" and c.ratio is not None and c.ratio >= MIN_RATIO:
            out.append(
                ctx.signal(
                    "R5.small_beats_big",
                    f"claims to match or beat a model {c.ratio:g}x its size",
                    span=(c.start, c.end),
                    flag="small_beats_big_claim",
                )
            )
            break
    else:
        for m in ctx.mentions("small_big") + ctx.mentions("small_big_hint"):
            if m.kind == "small_big" or any(w in ctx.sentence(m).lower() for w in _BEATING):
                out.append(
                    ctx.signal(
                        "R5.small_beats_big",
                        "claims a small model beats much larger ones",
                        mention=m,
                        flag="small_beats_big_claim",
                    )
                )
                break

    for c in ctx.ext.claims:
        if c.kind != "score" or c.benchmark is None or c.value is None:
            continue
        bench = BY_NAME.get(c.benchmark)
        if bench is not None and near_chance(bench, c.value):
            span = (c.start, c.end) if c.start is not None else None
            out.append(
                ctx.signal(
                    "R5.near_chance",
                    f"{c.value:g} on {bench.name} is near chance ({bench.chance:.0f}%, {bench.format})",
                    span=span,
                    evidence=c.text,
                    flag="near_chance_score",
                )
            )
            break
    return out
