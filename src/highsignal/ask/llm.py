"""The optional LLM answer: the numbered passages and the question to any OpenAI-compatible endpoint.

Configured under ``[ask]`` in the config file; what ``[ask]`` leaves unset
comes from the judge's settings (``[judge]``, then ``HIGHSIGNAL_LLM_*``), so
one endpoint serves both. ``[ask] llm = false`` keeps ``ask`` offline even
when a judge is configured.

The model is told to answer only from the passages and to cite them after
every sentence; its answer is then checked, not trusted: a sentence with no
citation, or citing a passage that was never sent, is dropped. An endpoint
that is down, slow or answers nonsense raises ``LLMError`` and the caller
falls back to the extractive answer.
"""

from __future__ import annotations

import asyncio
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import aiohttp

from highsignal.ask.answer import DONT_KNOW, AnswerSentence, Citation, clock
from highsignal.ask.text import sentence_spans
from highsignal.chat import complete as chat_complete
from highsignal.config import ConfigError, judge_settings
from highsignal.errors import HighsignalError

#: A passage is sent up to this long (they are short already; this bounds a pathological one).
MAX_PASSAGE_CHARS = 1200

SYSTEM_PROMPT = (
    "You answer a reader's question about the AI news they follow, using only the numbered passages "
    "from their own feed that come with the question. Do not use anything you know from elsewhere. "
    "Write at most five short sentences. End every sentence with the numbers of the passages that "
    "support it, in square brackets, like [1] or [2][3]; cite only numbers that appear in the passages. "
    f"If the passages do not answer the question, reply exactly: {DONT_KNOW}"
)


class LLMError(HighsignalError):
    """The LLM endpoint gave no usable answer (unreachable, slow, an HTTP error, not OpenAI-shaped)."""


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """An OpenAI-compatible chat endpoint for answers."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0


def llm_settings(config: dict[str, Any] | None) -> LLMSettings | None:
    """Settings from ``[ask]``, completed from the judge's (``[judge]``, environment); ``None`` if unset.

    Raises ``ConfigError`` when the settings are there but unusable.
    """
    table = (config or {}).get("ask") or {}
    if not isinstance(table, dict):
        raise ConfigError("config [ask] must be a table")
    if table.get("llm") is False:
        return None
    base_url, model = table.get("base_url"), table.get("model")
    key = table.get("api_key")
    if not key and table.get("api_key_env"):
        key = os.environ.get(str(table["api_key_env"]))
    if not (base_url and model):
        judge = judge_settings(config)
        if judge is None and not base_url and not model:
            return None
        if judge is not None:
            base_url, model = base_url or judge.base_url, model or judge.model
            key = key or judge.api_key
    if not base_url or not model:
        missing = "base_url" if not base_url else "model"
        raise ConfigError(f"ask: the LLM's {missing} is not set (config [ask] or [judge], or HIGHSIGNAL_LLM_*)")
    key = key or os.environ.get("HIGHSIGNAL_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
    try:
        timeout = float(table.get("timeout", 30.0))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config [ask] timeout: {exc}") from exc
    return LLMSettings(str(base_url).rstrip("/"), str(model), key, timeout)


def user_prompt(question: str, citations: list[Citation]) -> str:
    """The passages, numbered as the citations are, then the question."""
    blocks = []
    for c in citations:
        where = [c.title or c.url or f"item {c.item_id}"]
        if c.source_title:
            where.append(c.source_title)
        if c.published:
            where.append(c.published.strftime("%Y-%m-%d"))
        if c.start is not None:
            where.append(f"at {clock(c.start)}" + (f", {c.speaker}" if c.speaker else ""))
        blocks.append(f"[{c.n}] ({'; '.join(where)})\n{c.snippet[:MAX_PASSAGE_CHARS]}")
    return "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"


def complete(settings: LLMSettings, question: str, citations: list[Citation]) -> str:
    """The model's answer text. Raises ``LLMError``.

    Called from async code (a web handler), the request runs on its own loop
    in a worker thread: ``asyncio.run`` cannot nest in a running loop.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_complete(settings, question, citations))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _complete(settings, question, citations)).result()


async def _complete(settings: LLMSettings, question: str, citations: list[Citation]) -> str:
    payload = {
        "model": settings.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_prompt(question, citations)},
        ],
    }
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    timeout = aiohttp.ClientTimeout(total=settings.timeout, sock_connect=min(10.0, settings.timeout))
    async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
        return await chat_complete(
            session, settings.base_url, payload, timeout=settings.timeout, who="the LLM", error=LLMError
        )


@dataclass(slots=True)
class Checked:
    """A model's answer after checking: the sentences that stand, and what was dropped."""

    sentences: list[AnswerSentence]
    dropped: int
    dont_know: bool


_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
# Citations written after the full stop ("... open. [1][2]") are moved before it, so they
# stay with their sentence when the text is split.
_TRAILING = re.compile(r"([.!?])((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_DONT_KNOW = re.compile(r"^\W*i\s+don[’']?t\s+know\s+from\s+your\s+feed\W*$", re.I)


def check_answer(content: str, n_passages: int) -> Checked:
    """Keep the sentences that cite only passages 1..``n_passages``; note a plain "I don't know"."""
    content = content.strip()
    if _DONT_KNOW.match(content):
        return Checked([], 0, True)
    text = _TRAILING.sub(lambda m: m.group(2) + m.group(1), content)
    kept: list[AnswerSentence] = []
    dropped = 0
    for line in text.splitlines():
        line = _BULLET.sub("", line)
        for span in sentence_spans(line):
            raw = line[span.start : span.end]
            numbers = [int(n) for g in _GROUP.findall(raw) for n in re.split(r"\s*[,;]\s*", g)]
            clean = _tidy(_GROUP.sub(" ", raw))
            if not clean or not any(c.isalnum() for c in clean):
                continue
            if _DONT_KNOW.match(clean):
                continue
            if not numbers or any(not 1 <= n <= n_passages for n in numbers):
                dropped += 1
                continue
            kept.append(AnswerSentence(clean, list(dict.fromkeys(numbers))))
    return Checked(kept, dropped, False)


def _tidy(text: str) -> str:
    """Whitespace collapsed and no space left before punctuation where a citation was taken out."""
    text = " ".join(text.split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)
