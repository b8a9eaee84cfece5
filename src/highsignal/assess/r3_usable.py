"""R3 Usable: code, usage examples, library support and the compute it needs.

A release that shows how to run it, says which libraries load it and what
hardware it takes is one people can build on. Code promised "soon" is not code.
"""

from __future__ import annotations

from ..records import Signal
from .context import Context

# Repositories of the libraries themselves: linking them says where a thing
# runs, not that the item released code.
_LIBRARY_REPOS = frozenset(
    {
        "huggingface/transformers",
        "vllm-project/vllm",
        "ggerganov/llama.cpp",
        "ggml-org/llama.cpp",
        "ollama/ollama",
        "ml-explore/mlx",
        "ml-explore/mlx-examples",
        "huggingface/text-generation-inference",
        "sgl-project/sglang",
        "huggingface/peft",
        "huggingface/trl",
        "huggingface/diffusers",
        "pytorch/pytorch",
        "abetlen/llama-cpp-python",
        "eleutherai/lm-evaluation-harness",
        "nvidia/tensorrt-llm",
    }
)
_WEAK_USAGE = frozenset({"how to use", "quickstart", "example usage"})


def check(ctx: Context) -> list[Signal]:
    out: list[Signal] = []
    repos = [a for a in ctx.artefacts("code") if (a.ident or "").lower() not in _LIBRARY_REPOS]
    if repos:
        a = repos[0]
        more = f" (and {len(repos) - 1} more)" if len(repos) > 1 else ""
        out.append(
            ctx.signal(
                "R3.code_released", f"links code: {a.ident}{more}", url=a.url, evidence=a.url, flag="code_released"
            )
        )
    elif ctx.kind == "code" and ctx.item.url:
        out.append(
            ctx.signal(
                "R3.code_released",
                "is a code repository",
                url=ctx.item.url,
                evidence=ctx.item.url,
                flag="code_released",
            )
        )
    else:
        promised = ctx.mentions("code_soon")
        if promised:
            out.append(ctx.signal("R3.code_promised", "code promised, not released", mention=promised[0]))

    usage = [m for m in ctx.mentions("usage") if m.key not in _WEAK_USAGE]
    if usage:
        m = usage[0]
        out.append(ctx.signal("R3.usage_examples", f"shows how to use it ({m.key})", mention=m, flag="usage_examples"))
    elif ctx.ext.code_blocks:
        n = ctx.ext.code_blocks
        out.append(
            ctx.signal(
                "R3.usage_examples",
                f"includes {n} code block{'s' * (n > 1)}",
                evidence="code block",
                flag="usage_examples",
            )
        )

    libs = ctx.mentions("library")
    if libs:
        names = sorted({m.key for m in libs})
        out.append(
            ctx.signal(
                "R3.library_support",
                "names library support: " + ", ".join(names),
                mention=libs[0],
                flag="library_support",
            )
        )

    for m in ctx.mentions("compute") + ctx.mentions("compute_hint"):
        # A hint counts with a number beside it, not one of its own ("INT8", "bf16").
        if m.kind == "compute" or any(c.isdigit() for c in ctx.sentence(m).replace(m.text, "")):
            out.append(
                ctx.signal(
                    "R3.compute_stated", f"states the compute it needs ({m.key})", mention=m, flag="compute_stated"
                )
            )
            break
    return out
