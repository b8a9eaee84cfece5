"""R1 Access: can the reader try it?

Open weights and a demo or API anyone can call are the strongest signals an
item can carry; a waitlist or "we are not releasing" is the opposite.
Commentary is not expected to ship anything, so only releases and
announcements are marked down for holding back.
"""

from __future__ import annotations

import re

from ..records import Signal
from .context import Context

# "releas" covers release, released and releasing.
_RELEASE_WORDS = ("available", "releas", "download", "hugging face", "huggingface", "open", "public", "hub", "publish")
_NEGATION = re.compile(r"\b(?:not|no|never|soon|upon)\b|n't|\bwill be\b")
_MAKERS = ("release", "announcement", "paper", "code", "social")


# A model linked in one of these contexts is where the item came from, not what it releases.
_PARENT = ("base model", "based on", "fine-tuned from", "finetuned from", "fine-tune of", "fine tuned model of",
           "fine-tuned model of", "merge of", "merged", "parent", "derived from", "built on", "quantized version",
           "quantization of", "original model")  # fmt: skip
_BOARDS = ("leaderboard", "arena")


def _own_models(ctx: Context) -> list:
    models = []
    for a in ctx.artefacts("model"):
        if ctx.item.url and a.url.rstrip("/") == ctx.item.url.rstrip("/"):
            continue  # the page the item is: what counts is what its text gives
        if ctx.kind == "code" and ctx.owned(a) is False:
            continue  # a library README's example models are other people's weights
        sentence = ctx.link_sentence(a)
        if sentence and any(p in sentence for p in _PARENT):
            continue
        models.append(a)
    return models


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    models = _own_models(ctx)
    if models:
        a = models[0]
        more = f" (and {len(models) - 1} more)" if len(models) > 1 else ""
        out.append(
            ctx.signal(
                "R1.open_weights",
                f"links model weights: {a.ident}{more}",
                url=a.url,
                evidence=a.url,
                flag="open_weights",
            )
        )
    elif ctx.kind in _MAKERS:
        for m in ctx.mentions("weights"):
            s = ctx.prose(m)
            if any(w in s for w in _RELEASE_WORDS) and not _NEGATION.search(s):
                out.append(
                    ctx.signal("R1.open_weights", "says the weights are released", mention=m, flag="open_weights")
                )
                break

    demos = [
        a for a in ctx.artefacts("space", "demo", "api") if not any(b in (a.ident or a.url).lower() for b in _BOARDS)
    ]
    if demos:
        a = demos[0]
        what = {"space": "a demo Space", "demo": "a demo", "api": "an API"}[a.kind]
        out.append(
            ctx.signal("R1.demo_or_api", f"links {what}: {a.url}", url=a.url, evidence=a.url, flag="demo_or_api")
        )
    elif ctx.kind in _MAKERS:
        for m in ctx.mentions("demo"):
            s = ctx.sentence(m).lower()
            if not any(n in s for n in ("not ", "n't", "waitlist", "soon")):
                out.append(ctx.signal("R1.demo_or_api", "offers a demo or API", mention=m, flag="demo_or_api"))
                break

    if ctx.kind in _MAKERS or ctx.kind == "announcement":
        wait = ctx.mentions("waitlist")
        if wait:
            out.append(ctx.signal("R1.waitlist", "access only by waitlist or invitation", mention=wait[0]))
        held = ctx.mentions("not_released")
        if held and not models:
            out.append(ctx.signal("R1.not_released", "says it is not being released", mention=held[0]))
    return out
