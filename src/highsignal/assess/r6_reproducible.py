"""R6 Reproducible or it is not science.

Studies that only prompt a hosted model (whose weights change under it,
often with no version pinned) cannot be re-run by anyone else. Released data,
configs, seeds and evaluation code are what make a result checkable.
"""

from __future__ import annotations

import re

from ..records import Signal
from .context import Context

# "gpt-4-0613", "gpt-4o-2024-08-06", "claude-3-opus-20240229": a dated snapshot.
_PINNED = re.compile(r"\b(?:gpt-[\w.]+|claude-[\w.-]+|gemini-[\w.-]+)-(?:\d{4}|\d{8}|\d{4}-\d{2}-\d{2})\b", re.I)
_DATA_NOUNS = (
    "dataset",
    "data",
    "evaluation code",
    "eval code",
    "config",
    "seeds",
    "training logs",
    "checkpoints",
    "harness",
)
# First-person or passive release statements: "we release the dataset", "the data is publicly released".
_RELEASING = re.compile(
    r"\b(?:we|our team|the authors)\b[^.]{0,40}\b(?:release|open[- ]?source|publish|share|make\b[^.]{0,40}\bavailable)"
    r"|\b(?:is|are|has been|have been)\s+(?:now\s+|also\s+)?(?:publicly\s+|openly\s+|fully\s+)?"
    r"(?:released|open[- ]sourced|available for download|downloadable)"
)
_NOT = ("not ", "n't", "will be", "soon", "upon", "no ", "request")
_STUDIES = ("paper", "release", "announcement", "social")


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    closed = ctx.mentions("closed")
    if closed and not ctx.mentions("open_model") and not ctx.artefacts("model"):
        studying = ctx.kind in _STUDIES and (ctx.kind == "paper" or len(ctx.mentions("study")) >= 1)
        if studying:
            pinned = _PINNED.search(ctx.ext.text)
            names = sorted({m.key for m in closed})
            note = "version pinned" if pinned else "no model version pinned"
            out.append(
                ctx.signal(
                    "R6.closed_model_only",
                    f"results only on closed models ({', '.join(names)}), {note}",
                    mention=closed[0],
                    flag="closed_model_only",
                )
            )

    # A Hub dataset of someone else's is what the work was trained on, not data it releases.
    datasets = [a for a in ctx.artefacts("dataset") if ctx.owned(a) is not False]
    if datasets:
        a = datasets[0]
        out.append(
            ctx.signal(
                "R6.data_released", f"links data: {a.ident or a.url}", url=a.url, evidence=a.url, flag="data_released"
            )
        )
    else:
        for m in ctx.mentions("data"):
            s = ctx.prose(m)
            if any(n in s for n in _DATA_NOUNS) and _RELEASING.search(s) and not any(n in s for n in _NOT):
                out.append(
                    ctx.signal(
                        "R6.data_released",
                        "says data, configs or evaluation code are released",
                        mention=m,
                        flag="data_released",
                    )
                )
                break
    return out
