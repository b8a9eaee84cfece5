"""R4 A leaderboard as the only claim is anti-signal.

Scores next to a method, a paper, code or access are fine. Scores and ranks
with nothing else behind them are what a reader should skip, and a model
merge topping a leaderboard is a reason to wait rather than react.
"""

from __future__ import annotations

from ..records import Signal
from .context import Context

_CLAIMING = ("release", "announcement", "social", "code")


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    scores = [c for c in ctx.ext.claims if c.kind == "score"]
    ranks = [c for c in ctx.ext.claims if c.kind == "rank" and c.target != "sota"]
    boards = ctx.mentions("leaderboard")
    if not (scores or ranks):
        return out
    if ctx.kind in _CLAIMING:
        # Weights alone do not back a claim: "a random model shows up and all they
        # say is high scores on the leaderboard". A paper, code or a described
        # method does.
        backing = (
            ctx.artefacts("paper", "pdf")
            or [a for a in ctx.artefacts("code") if ctx.owned(a) is not False]
            or len({m.key for m in ctx.mentions("method")}) >= 4
            or any(m.key in ("technical report", "tech report", "our paper", "preprint") for m in ctx.mentions("paper"))
        )
        on_board = bool(boards or ranks)
        access = ctx.artefacts("model", "space", "demo")
        if not backing and (on_board or not access):
            first = (ranks or scores)[0]
            what = "leaderboard ranks" if ranks else f"{len(scores)} benchmark score{'s' * (len(scores) > 1)}"
            span = (first.start, first.end) if first.start is not None else None
            out.append(
                ctx.signal(
                    "R4.leaderboard_only",
                    f"claims {what} and nothing to check them against",
                    span=span,
                    evidence=first.text,
                    flag="leaderboard_only",
                )
            )
    merges = ctx.mentions("merge")
    if merges and (boards or ranks):
        out.append(
            ctx.signal(
                "R4.unproven_method", "a merged model on a leaderboard: wait for others to confirm", mention=merges[0]
            )
        )
    return out
