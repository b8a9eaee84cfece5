"""What ``highsignal ask`` runs: one call from the command line to printable text.

Kept here, not in ``highsignal.cli``, so the command stays a thin wrapper:
it opens the library, parses its options and prints what ``run`` returns.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import orjson

from highsignal.ask.answer import answer_json, render_terminal
from highsignal.ask.llm import llm_settings
from highsignal.ask.pipeline import ask
from highsignal.errors import HighsignalError

if TYPE_CHECKING:
    from highsignal.api import Library

LLM_CHOICES = ("auto", "on", "off")


def run(
    lib: Library,
    question: str,
    *,
    limit: int = 8,
    since: datetime | None = None,
    llm: str = "auto",
    json_output: bool = False,
) -> str:
    """The answer as terminal text or a JSON document.

    ``llm``: ``auto`` uses an LLM when ``[ask]``/``[judge]`` configures one,
    ``off`` never does, ``on`` requires one (``HighsignalError`` if none is
    configured, or the config is broken).
    """
    if llm not in LLM_CHOICES:
        raise HighsignalError(f"--llm must be one of {', '.join(LLM_CHOICES)}, not {llm!r}")
    if not question.strip():
        raise HighsignalError("ask needs a question")
    settings = None
    if llm == "on":
        settings = llm_settings(lib.config)
        if settings is None:
            raise HighsignalError(
                "no LLM is configured: set base_url and model under [ask] or [judge] in the config file, "
                "or HIGHSIGNAL_LLM_BASE_URL and HIGHSIGNAL_LLM_MODEL"
            )
    answer = ask(lib, question, limit=limit, since=since, llm=settings, offline=llm == "off")
    if json_output:
        return orjson.dumps(answer_json(answer), option=orjson.OPT_INDENT_2).decode()
    return render_terminal(answer)
