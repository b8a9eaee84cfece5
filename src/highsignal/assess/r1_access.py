"""R1 Access: can the reader try it?

Open weights and a demo or API anyone can call are the strongest signals an
item can carry; a waitlist or "we are not releasing" is the opposite.
Commentary is not expected to ship anything, so only releases and
announcements are marked down for holding back.
"""

from __future__ import annotations

from ..records import Signal
from .context import Context

_RELEASE_WORDS = ("available", "release", "download", "hugging face", "huggingface", "open", "public", "hub", "publish")
_NEGATIONS = ("not ", "n't", "no ", "never", "without", "soon", "will be", "upon")
_MAKERS = ("release", "announcement", "paper", "code", "social")


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    models = ctx.artefacts("model")
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
            s = ctx.sentence(m).lower()
            if any(w in s for w in _RELEASE_WORDS) and not any(n in s for n in _NEGATIONS):
                out.append(
                    ctx.signal("R1.open_weights", "says the weights are released", mention=m, flag="open_weights")
                )
                break

    demos = ctx.artefacts("space", "demo", "api")
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
