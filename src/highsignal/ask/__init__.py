"""Ask your feed: questions answered from the items stored in the library, with citations.

``ask(lib, question)`` retrieves passages through the full-text index, then
answers either by quoting them (offline, the default) or through an optional
OpenAI-compatible LLM that must cite them. ``answer_json`` and
``render_terminal`` present the result; ``highsignal.ask.cli.run`` is what
the ``highsignal ask`` command calls.
"""

from highsignal.ask.answer import DONT_KNOW, Answer, AnswerSentence, Citation, answer_json, render_terminal
from highsignal.ask.llm import LLMError, LLMSettings, llm_settings
from highsignal.ask.pipeline import ask

__all__ = [
    "DONT_KNOW",
    "Answer",
    "AnswerSentence",
    "Citation",
    "LLMError",
    "LLMSettings",
    "answer_json",
    "ask",
    "llm_settings",
    "render_terminal",
]
