"""What ``ask`` returns, and its two renderings (JSON for scripts, plain text for a terminal).

Every sentence of an answer carries the numbers of the passages it rests on,
and every number resolves to a ``Citation`` that quotes the stored passage
and links to it (into the audio, for a transcript turn), so a reader can
check each claim in one click.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

DONT_KNOW = "I don't know from your feed."

Mode = Literal["extractive", "llm", "none"]


@dataclass(slots=True)
class Citation:
    """One numbered passage: where it comes from, what it says, and where to open it.

    ``link`` is the item's URL, or for a transcript turn the enclosure URL with
    ``#t=<seconds>`` (the W3C media-fragment form players understand).
    """

    n: int
    item_id: int
    title: str | None
    url: str | None
    source_title: str | None
    snippet: str
    start: float | None
    link: str
    speaker: str | None = None
    published: datetime | None = None


@dataclass(slots=True)
class AnswerSentence:
    text: str
    citations: list[int]


@dataclass(slots=True)
class Answer:
    question: str
    text: str
    mode: Mode
    sentences: list[AnswerSentence]
    citations: list[Citation]
    warnings: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    model: str | None = None  # the LLM that wrote the answer, in mode "llm"

    @property
    def cited(self) -> list[int]:
        """The citation numbers the answer's sentences use, in order of first use."""
        return list(dict.fromkeys(n for s in self.sentences for n in s.citations))


def marks(citations: list[int]) -> str:
    return "".join(f"[{n}]" for n in citations)


def compose(sentences: list[AnswerSentence]) -> str:
    """The answer as one text: each sentence followed by its citation marks."""
    return " ".join(f"{s.text} {marks(s.citations)}" for s in sentences)


def answer_json(a: Answer) -> dict[str, Any]:
    return {
        "question": a.question,
        "mode": a.mode,
        "model": a.model,
        "text": a.text,
        "sentences": [{"text": s.text, "citations": s.citations} for s in a.sentences],
        "citations": [
            {
                "n": c.n,
                "item_id": c.item_id,
                "title": c.title,
                "url": c.url,
                "source_title": c.source_title,
                "published": c.published.isoformat() if c.published else None,
                "snippet": c.snippet,
                "start": c.start,
                "speaker": c.speaker,
                "link": c.link,
                "cited": c.n in a.cited,
            }
            for c in a.citations
        ],
        "warnings": a.warnings,
        "elapsed_ms": round(a.elapsed_ms, 1),
    }


def render_terminal(a: Answer, width: int = 100) -> str:
    """Plain text (no markup: passages may hold brackets): the answer, its sources, then any warnings."""
    lines = [f"Q: {a.question}", ""]
    lines += textwrap.wrap(a.text, width) or [a.text]
    cited = set(a.cited)
    used = [c for c in a.citations if c.n in cited]
    others = [c for c in a.citations if c.n not in cited]
    if used:
        lines += ["", "Sources:"]
        for c in used:
            lines.append(f"  [{c.n}] {_heading(c)}")
            lines.append(f"      {c.link}" + (f"  (at {clock(c.start)})" if c.start is not None else ""))
            quote = textwrap.shorten(" ".join(c.snippet.split()), width=width - 8, placeholder=" …")
            lines.append(f'      "{quote}"')
    if others:
        lines += ["", "Also retrieved:"]
        lines += [f"  [{c.n}] {_heading(c)}" for c in others]
    lines.append("")
    how = {"extractive": "quoted from your feed", "llm": f"written by {a.model or 'an LLM'} from your feed", "none": ""}
    facts = [how[a.mode]] if how[a.mode] else []
    facts.append(f"{a.elapsed_ms:.0f} ms")
    lines.append(f"({', '.join(facts)})")
    lines += [f"warning: {w}" for w in a.warnings]
    return "\n".join(lines)


def _heading(c: Citation) -> str:
    parts = [c.title or c.url or f"item {c.item_id}"]
    if c.source_title:
        parts.append(c.source_title)
    if c.published:
        parts.append(c.published.strftime("%Y-%m-%d"))
    return " — ".join(parts) + f"  (item {c.item_id})"


def clock(seconds: float) -> str:
    """12:34 or 1:02:03."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
