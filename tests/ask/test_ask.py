"""Offline question answering over real libraries: grounded citations, honest "I don't know"."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest

import highsignal
from highsignal.ask import DONT_KNOW, Answer, answer_json, ask, render_terminal
from highsignal.ask.answer import compose
from highsignal.ask.passages import Passage
from highsignal.ask.query import parse_question
from highsignal.ask.retrieve import MAX_PER_ITEM, MIN_COVERAGE, Scored
from tests.ask.conftest import AUDIO_URL, SEGMENTS

NONSENSE = [
    "Who founded the Zorblax quantum bakery?",
    "What is the flurbo score of Quaxle-9?",
    "When did the Krakatoa Federation ban marzipan?",
]
HOSTILE = [
    '"',
    '" NEAR( * - OR AND',
    'title:Llama "unbalanced',
    "MMLU* -HellaSwag NOT (GSM8K OR)",
    "NEAR(llama licence, 2)",
    "llama -licence",
    "^^^ :: {} [] ;;",
    "'; DROP TABLE items; --",
    "\x02Llama\x03 3.1",
]


def assert_grounded(lib: highsignal.Library, a: Answer) -> None:
    """Every citation quotes its stored item; every sentence cites citations that exist."""
    assert [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    per_item = Counter(c.item_id for c in a.citations)
    assert all(n <= MAX_PER_ITEM for n in per_item.values())
    for c in a.citations:
        item = lib.item(c.item_id).item
        assert c.title == item.title and c.url == item.url
        if c.start is None:
            assert c.snippet in item.text or c.snippet in (item.summary or "")
            assert c.link == (item.url or item.enclosure.url)
        else:
            turns = [s for s in item.transcript if s.start == c.start]
            assert turns and any(c.snippet in s.text for s in turns)
            assert c.link == f"{item.enclosure.url}#t={int(c.start)}"
    assert a.sentences
    for s in a.sentences:
        assert s.citations and all(1 <= n <= len(a.citations) for n in s.citations)
    assert a.text == compose(a.sentences)


def cited_titles(a: Answer) -> list[str]:
    return [a.citations[n - 1].title or "" for n in a.cited]


@pytest.mark.parametrize(
    ("question", "title_has", "answer_has"),
    [
        ("How many GPU hours did DeepSeek-V3 take to train?", "DeepSeek", "2.788M H800 GPU hours"),
        ("What licence is Llama 3.1 405B released under?", "Llama 3.1", "licence"),
        ("How fast is Cerebras Inference?", "", "450 tokens per second"),
        ("What is Gemma 2's licence?", "Gemma 2", "custom licence"),
        ("What did Carlini say about personal benchmarks?", "Carlini", "Carlini"),
    ],
)
def test_sample_questions_get_grounded_extractive_answers(samples, question, title_has, answer_has) -> None:
    a = ask(samples, question)
    assert a.mode == "extractive", a.text
    assert_grounded(samples, a)
    assert answer_has in a.text
    assert any(title_has in t for t in cited_titles(a))
    assert a.warnings == [] and a.elapsed_ms > 0


def test_extractive_sentences_are_quoted_from_their_first_citation(samples) -> None:
    a = ask(samples, "How many GPU hours did DeepSeek-V3 take to train?")
    for s in a.sentences:
        assert s.text in a.citations[s.citations[0] - 1].snippet
    assert 1 <= len(a.sentences) <= 5


@pytest.mark.parametrize("question", NONSENSE)
def test_nonsense_questions_get_i_dont_know(samples, question) -> None:
    a = ask(samples, question)
    assert (a.mode, a.text, a.citations, a.sentences) == ("none", DONT_KNOW, [], [])


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_questions_do_not_crash(samples, question) -> None:
    a = ask(samples, question)
    assert a.mode in ("none", "extractive")
    if a.mode == "extractive":
        assert_grounded(samples, a)


def test_limit_caps_citations_and_one_item_cannot_fill_them(samples) -> None:
    a = ask(samples, "What licence is Llama 3.1 405B released under?", limit=3)
    assert len(a.citations) <= 3
    wide = ask(samples, "Llama 3.1 405B open weights licence", limit=20)
    assert max(Counter(c.item_id for c in wide.citations).values()) <= MAX_PER_ITEM
    assert_grounded(samples, wide)


def test_transcript_passages_link_into_the_audio(hand) -> None:
    a = ask(hand, "How long was the learning rate warmup for Corvid-2?")
    assert a.mode == "extractive"
    assert_grounded(hand, a)
    first = a.citations[a.sentences[0].citations[0] - 1]
    assert first.start == SEGMENTS[2].start == 754.5
    assert first.link == f"{AUDIO_URL}#t=754"
    assert first.speaker == "Guest" and first.snippet in SEGMENTS[2].text
    assert "8000 steps" in a.text
    rendered = render_terminal(a)
    assert "#t=754" in rendered and "(at 12:34)" in rendered


def test_text_answer_cites_the_item_that_says_it(hand) -> None:
    a = ask(hand, "What licence is Corvid-2 under?")
    assert a.mode == "extractive"
    assert_grounded(hand, a)
    assert a.sentences[0].text == "The weights for Corvid-2 are published under the Apache 2.0 licence."
    assert a.citations[a.sentences[0].citations[0] - 1].url == "https://notes.example/hand-corvid-2"


def test_partial_matches_still_retrieve(hand) -> None:
    # "startups" is nowhere in the library; the rest of the question is.
    a = ask(hand, "Which licence do Corvid-2 weights use for startups?")
    assert a.mode == "extractive"
    assert "Apache 2.0" in a.text


def test_too_few_shared_terms_means_i_dont_know(hand) -> None:
    """Words of the question match ("licence", "model") but not its subject: below the bar."""
    assert hand.search('"licence"') and hand.search('"models"')
    a = ask(hand, "Which licence does the Zephyrine model use?")
    assert a.mode == "none" and a.text == DONT_KNOW


def test_relevance_bar() -> None:
    p = Passage(1, 0, "text", "text")
    assert Scored(p, 1.0, MIN_COVERAGE, 2, 2).relevant(3)
    assert not Scored(p, 1.0, MIN_COVERAGE - 0.01, 2, 2).relevant(3)
    assert not Scored(p, 1.0, 0.9, 1, 1).relevant(3)  # one unit of three
    assert Scored(p, 1.0, 0.9, 1, 1).relevant(1)  # the only unit
    assert not Scored(p, 1.0, 0.9, 2, 0).relevant(2)  # only its title matched


def test_since_leaves_older_items_out(hand) -> None:
    question = "Which licence was Corvid-1 released under?"
    before = ask(hand, question)
    assert before.mode == "extractive" and "research-only licence" in before.text
    after = ask(hand, question, since=datetime(2025, 1, 1, tzinfo=UTC))
    assert all(c.title != "An older note on Corvid-1" for c in after.citations)
    assert "research-only" not in after.text


def test_answer_json_is_serialisable_and_complete(hand) -> None:
    a = ask(hand, "How long was the learning rate warmup for Corvid-2?")
    data = json.loads(json.dumps(answer_json(a)))
    assert data["mode"] == "extractive" and data["text"] == a.text and data["question"] == a.question
    assert data["sentences"][0]["citations"] == a.sentences[0].citations
    first = data["citations"][0]
    assert set(first) >= {"n", "item_id", "title", "url", "source_title", "snippet", "start", "link"}
    assert [c["cited"] for c in data["citations"]] == [c.n in a.cited for c in a.citations]
    none = answer_json(ask(hand, NONSENSE[0]))
    assert none["mode"] == "none" and none["citations"] == [] and none["text"] == DONT_KNOW


def test_render_terminal_lists_cited_sources(samples) -> None:
    a = ask(samples, "How fast is Cerebras Inference?")
    out = render_terminal(a)
    assert out.startswith("Q: How fast is Cerebras Inference?")
    assert "Sources:" in out and "[1]" in out
    assert a.citations[0].link in out
    assert "I don't know from your feed." in render_terminal(ask(samples, NONSENSE[0]))


def test_empty_and_stop_word_questions(samples) -> None:
    for question in ("", "   ", "What is it?", "what about them?"):
        assert not parse_question(question).units
        assert ask(samples, question).mode == "none"
