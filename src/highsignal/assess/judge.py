"""The optional LLM judge: a second opinion from any OpenAI-compatible endpoint.

Never required and never called unless configured (``[judge]`` in the config
or ``HIGHSIGNAL_LLM_*`` in the environment). The model is asked to fill the
same flags and per-rule verdicts as the heuristics, as JSON; the answer is
validated against a schema, cached by content hash, rubric version and model,
and combined with the heuristic assessment (which always stands on its own:
an endpoint that is down, slow or answers nonsense costs a warning, nothing more).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import jsonschema

from ..chat import complete as chat_complete
from ..config import JudgeSettings
from ..errors import HighsignalError
from ..records import Assessment, Item
from .rubric import Rubric
from .score import FLAGS

GRADE_SCORES = {"high": 80, "medium": 50, "low": 20}
_RULES = ("R1", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["grade", "flags"],
    "properties": {
        "grade": {"enum": ["high", "medium", "low"]},
        "flags": {
            "type": "object",
            "required": list(FLAGS),
            "properties": {f: {"type": "boolean"} for f in FLAGS},
        },
        "rules": {
            "type": "object",
            "patternProperties": {
                "^R[0-9]+$": {
                    "type": "object",
                    "required": ["verdict"],
                    "properties": {"verdict": {"enum": ["+", "-", "0"]}, "reason": {"type": "string"}},
                }
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

_FLAG_HELP = {
    "open_weights": "links downloadable model weights or says they are released",
    "demo_or_api": "a demo or public API anyone can use (a waitlist does not count)",
    "code_released": "links or is a code repository with the work's code",
    "usage_examples": "code snippets, pip install, inference code",
    "library_support": "works in a common library (transformers, vLLM, llama.cpp, Ollama, MLX, ...)",
    "compute_stated": "states the hardware or memory needed",
    "leaderboard_only": "its only claims are leaderboard ranks or scores: no method, paper, code or access",
    "small_beats_big_claim": "claims a small model beats much larger ones",
    "near_chance_score": "reports a score within ~5 points of the benchmark's chance level",
    "closed_model_only": "results only on closed hosted models (GPT-4, Claude, ...)",
    "license_stated": "names a licence",
    "data_released": "releases data, configs or evaluation code",
    "paper_or_report": "is or links a paper or technical report",
}
SYSTEM_PROMPT = (
    "You assess AI news items for how much they let a reader verify their claims. "
    "You are not judging truth, only disclosure and checkability. "
    "Judge commentary (podcasts, essays, newsletters) as commentary: it is not expected to ship weights. "
    "Answer with one JSON object and nothing else, of the form "
    '{"grade": "high|medium|low", "flags": {<every flag>: true|false}, '
    '"rules": {"R1": {"verdict": "+|-|0", "reason": "..."}, ...}}. '
    "Rules: R1 access (weights, demo, API); R3 usable (examples, libraries, compute, code); "
    "R4 leaderboard scores as the only claim; R5 sanity (small beats big, near-chance scores); "
    "R6 reproducible (closed models only; released data); R7 incentives (sponsorship, referral, hype); "
    "R8 care (licence, documentation); R9 disclosure (paper > report > blog > social); R10 sources. "
    "Flags: " + "; ".join(f"{k}: {v}" for k, v in _FLAG_HELP.items()) + "."
)


class JudgeError(HighsignalError):
    """The judge could not give a usable answer for an item."""


@dataclass(slots=True)
class Judgement:
    grade: str
    flags: dict[str, bool]
    rules: dict[str, dict[str, str]]
    model: str
    cached: bool = False


def _prompt(item: Item, max_chars: int) -> str:
    text = item.text or ""
    cut = len(text) > max_chars
    parts = [f"Title: {item.title or '(none)'}", f"URL: {item.url or '(none)'}"]
    if item.links:
        parts.append("Links:\n" + "\n".join(item.links[:60]))
    parts.append("Text" + (f" (first {max_chars} characters)" if cut else "") + ":\n" + text[:max_chars])
    return "\n\n".join(parts)


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.S)


def parse_answer(content: str, model: str) -> Judgement:
    """Validate a model's answer; raise ``JudgeError`` saying what is wrong with it."""
    body = _FENCE.sub("", content.strip())
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise JudgeError(f"the LLM judge ({model}) did not answer with JSON: {exc.msg} in {content[:80]!r}") from None
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "answer"
        raise JudgeError(f"the LLM judge ({model}) answered outside the schema at {where}: {errors[0].message}")
    rules = {k: {"verdict": v["verdict"], "reason": v.get("reason", "")} for k, v in (data.get("rules") or {}).items()}
    return Judgement(data["grade"], {f: bool(data["flags"][f]) for f in FLAGS}, rules, model)


async def _ask(session: aiohttp.ClientSession, settings: JudgeSettings, item: Item) -> Judgement:
    payload = {
        "model": settings.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _prompt(item, settings.max_chars)},
        ],
        "response_format": {"type": "json_object"},
    }
    content = await chat_complete(
        session, settings.base_url, payload, timeout=settings.timeout, who="the LLM judge", error=JudgeError
    )
    return parse_answer(content, settings.model)


Cache = tuple[Callable[[str, str, str], dict | None], Callable[[str, str, str, dict], None]]


def judge_items(
    items: Sequence[Item],
    settings: JudgeSettings,
    rubric: Rubric,
    *,
    cache: Cache | None = None,
    concurrency: int = 4,
) -> list[Judgement | JudgeError]:
    """Ask the judge about each item (cached answers first); one result or error per item."""
    results: list[Judgement | JudgeError | None] = [None] * len(items)
    todo = []
    for i, item in enumerate(items):
        hit = cache[0](item.content_hash, rubric.version, settings.model) if cache and item.content_hash else None
        if hit is not None:
            results[i] = Judgement(hit["grade"], hit["flags"], hit.get("rules", {}), settings.model, cached=True)
        else:
            todo.append(i)
    if todo:
        asked = asyncio.run(_ask_all([items[i] for i in todo], settings, concurrency))
        for i, answer in zip(todo, asked, strict=True):
            results[i] = answer
            if cache and isinstance(answer, Judgement) and items[i].content_hash:
                data = {"grade": answer.grade, "flags": answer.flags, "rules": answer.rules}
                cache[1](items[i].content_hash, rubric.version, settings.model, data)
    return results  # type: ignore[return-value]


async def _ask_all(items: Sequence[Item], settings: JudgeSettings, concurrency: int) -> list[Judgement | JudgeError]:
    timeout = aiohttp.ClientTimeout(total=settings.timeout, sock_connect=min(10.0, settings.timeout))
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:

        async def one(item: Item) -> Judgement | JudgeError:
            async with gate:
                try:
                    return await _ask(session, settings, item)
                except JudgeError as exc:
                    return exc

        return await asyncio.gather(*(one(i) for i in items))


def combine(a: Assessment, j: Judgement, rubric: Rubric) -> Assessment:
    """The heuristic and the judge averaged; the heuristic's signals stay the evidence.

    ``judge`` on the result records both opinions and where the flags disagree.
    """
    judged = GRADE_SCORES[j.grade]
    score = round((a.score + judged) / 2)
    disagree = sorted(f for f in FLAGS if a.flags.get(f) != j.flags.get(f))
    info = {
        "model": j.model,
        "grade": j.grade,
        "score": judged,
        "flags": j.flags,
        "rules": j.rules,
        "disagreements": disagree,
        "cached": j.cached,
        "heuristic_score": a.score,
        "heuristic_grade": a.grade,
    }
    return dataclasses.replace(a, score=score, grade=rubric.grade(score), judge=info)
