"""``ask``: a question answered from what the reader's library holds, with citations.

Retrieval always runs offline. When it finds nothing relevant the answer is
"I don't know from your feed." rather than a guess. Otherwise the answer is
extractive (the best stored sentences, quoted) unless an LLM is configured or
given, in which case the LLM writes it from the same numbered passages and
its answer is checked; any failure there falls back to the extractive answer
with a warning, so ``ask`` works the same with the endpoint down.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from highsignal.ask.answer import DONT_KNOW, Answer, AnswerSentence, Citation, Mode, compose
from highsignal.ask.extractive import extractive_sentences
from highsignal.ask.llm import LLMError, LLMSettings, check_answer, complete, llm_settings
from highsignal.ask.query import parse_question
from highsignal.ask.retrieve import Retrieval, Scored, retrieve
from highsignal.config import ConfigError
from highsignal.records import StoredItem

if TYPE_CHECKING:
    from highsignal.api import Library


def ask(
    lib: Library,
    question: str,
    *,
    limit: int = 8,
    llm: LLMSettings | None = None,
    since: datetime | None = None,
    offline: bool = False,
) -> Answer:
    """Answer ``question`` from ``lib``, citing the passages used.

    ``limit`` caps the passages retrieved (and cited); ``since`` looks only at
    items published since then. ``llm`` names an endpoint to write the
    answer; without it the ``[ask]`` config (falling back to ``[judge]``) is
    used unless ``offline``.
    """
    started = time.perf_counter()
    warnings: list[str] = []
    found = retrieve(lib, parse_question(question), limit=max(1, limit), since=since)
    if not found.relevant:
        return _answer(question, started, "none", [], [], warnings)
    citations = [citation(n, s, found.items[s.passage.item_id]) for n, s in enumerate(found.passages, start=1)]
    settings = llm
    if settings is None and not offline:
        settings = _configured(lib, warnings)
    if settings is not None:
        try:
            content = complete(settings, question, citations)
        except LLMError as exc:
            warnings.append(f"{exc}; showing an extractive answer instead")
        else:
            checked = check_answer(content, len(citations))
            if checked.dropped:
                warnings.append(
                    f"dropped {checked.dropped} sentence(s) of the LLM's answer that cited no passage "
                    "or a passage that does not exist"
                )
            if checked.sentences:
                a = _answer(question, started, "llm", checked.sentences, citations, warnings)
                a.model = settings.model
                return a
            if checked.dont_know:
                warnings.append(f"{settings.model} found no answer in the {len(citations)} passage(s) retrieved")
                return _answer(question, started, "none", [], [], warnings)
            warnings.append("the LLM's answer had no sentence citing a retrieved passage; showing an extractive answer")
    return _extractive(question, started, found, citations, warnings)


def _extractive(
    question: str, started: float, found: Retrieval, citations: list[Citation], warnings: list[str]
) -> Answer:
    sentences = extractive_sentences(found)
    return _answer(question, started, "extractive", sentences, citations, warnings)


def _answer(
    question: str,
    started: float,
    mode: Mode,
    sentences: list[AnswerSentence],
    citations: list[Citation],
    warnings: list[str],
) -> Answer:
    text = compose(sentences) if sentences else DONT_KNOW
    elapsed = (time.perf_counter() - started) * 1000
    return Answer(question, text, mode, sentences, citations, warnings, elapsed)


def _configured(lib: Library, warnings: list[str]) -> LLMSettings | None:
    """The configured endpoint, if any; a broken config costs a warning and the offline answer."""
    try:
        return llm_settings(lib.config)
    except ConfigError as exc:
        warnings.append(f"{exc}; answering offline")
        return None


def citation(n: int, scored: Scored, stored: StoredItem) -> Citation:
    """Citation ``n`` for a passage: a transcript turn links into the audio at its start second."""
    p, item = scored.passage, stored.item
    link = item.url or (item.enclosure.url if item.enclosure else "") or ""
    if p.start is not None and item.enclosure is not None:
        link = f"{item.enclosure.url}#t={int(p.start)}"
    return Citation(
        n=n,
        item_id=stored.id,
        title=item.title,
        url=item.url,
        source_title=stored.source_title,
        snippet=p.text,
        start=p.start,
        link=link,
        speaker=p.speaker,
        published=item.published,
    )
