"""Ask with the embedding model: a paraphrased question is answered, an unanswerable one still is not."""

from __future__ import annotations

import pytest

from highsignal.api import Library
from highsignal.ask import ask
from highsignal.store import SqliteStore
from tests.embed.test_semantic_search import POSTS, rss

pytest.importorskip("wordllama", reason="the embed extra is not installed")

# The words alone fall short ("good" and "enough" are not in the post); meaning carries it.
QUESTION = "Is 4-bit good enough?"


@pytest.fixture
def library(tmp_path, settings, server):
    def open_(config: dict) -> Library:
        lib = Library(SqliteStore(tmp_path / "ask.sqlite"), fetch_settings=settings, config=config)
        lib.add_source(server.add("/notes.xml", rss(POSTS)))
        return lib

    return open_


def test_a_question_sharing_no_key_word_is_answered_by_meaning(library) -> None:
    with library({}) as lib:
        a = ask(lib, QUESTION, offline=True)
        assert a.mode == "extractive", a.text
        first = a.citations[a.sentences[0].citations[0] - 1]
        assert first.title == "GPTQ ships 4-bit Llama builds"
        assert "4-bit" in a.sentences[0].text
        stored = lib.item(first.item_id).item
        assert a.sentences[0].text in (stored.text or "") + (stored.summary or "")


def test_without_the_model_the_same_question_gets_i_dont_know(library) -> None:
    with library({"embed": {"enabled": False}}) as lib:
        assert ask(lib, QUESTION, offline=True).mode == "none"


@pytest.mark.parametrize(
    "question",
    [
        "Who won the football world cup in 1998?",
        "What did Zorblax announce about quantum gravity?",
        # Close in meaning to the GPU post, but it names things the feed never mentions.
        "Which GPU did NVIDIA launch at Computex 1999?",
    ],
)
def test_unanswerable_questions_still_get_i_dont_know(library, question: str) -> None:
    with library({}) as lib:
        assert ask(lib, question, offline=True).mode == "none"
