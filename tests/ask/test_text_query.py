"""Questions into units, text into sentences and passages: the pieces retrieval is built from."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from highsignal.ask.extractive import is_prose
from highsignal.ask.passages import MAX_SENTENCE_CHARS, WINDOW_CHARS, split_item
from highsignal.ask.query import MAX_FTS_UNITS, parse_question
from highsignal.ask.text import fingerprint, sentences, similar, stem
from highsignal.records import Enclosure, Item, StoredItem, TranscriptSegment

HOSTILE = [
    '"',
    '""',
    '"unbalanced phrase',
    "NEAR(",
    "NEAR(a b, 3)",
    "*",
    "-",
    "- * ^ : ( ) { } [ ]",
    "title:foo",
    "foo AND OR NOT bar",
    "MMLU* -HellaSwag NOT (GSM8K OR)",
    "'; DROP TABLE items; --",
    "\x00\x02\x03",
    "",
    "   ",
]


def words_of(question: str) -> list[tuple[str, ...]]:
    return [u.words for u in parse_question(question).units]


def test_stop_and_question_words_are_dropped() -> None:
    assert words_of("What did they say about the reasoning models?") == [("reasoning",), ("models",)]
    assert words_of("What is it?") == []


def test_model_names_and_quoted_phrases_stay_whole() -> None:
    assert words_of("What licence is Llama 3.1 405B released under?") == [
        ("licence",),
        ("llama", "3", "1"),
        ("405b",),
        ("released",),
    ]
    assert ("deepseek", "v3") in words_of("How much did DeepSeek-V3 cost to train?")
    assert ("gemma", "2") in words_of("What is Gemma 2's licence?")
    assert ("nathan", "lambert") in words_of('What did "Nathan Lambert" say?')
    units = parse_question("Is OLMoE better than OLMo?").units
    assert {u.words for u in units if u.exact} == {("olmoe",), ("olmo",)}


def test_names_are_told_from_ordinary_words() -> None:
    units = {u.words: u for u in parse_question("Which open-weight models beat GPT-4o and Mistral on MMLU?").units}
    assert not units[("open", "weight")].name and not units[("open", "weight")].exact
    assert units[("gpt", "4o")].name and units[("mmlu",)].name and units[("mistral",)].name
    assert not units[("models",)].name and not units[("beat",)].name


def test_fts_query_ors_quoted_units_and_caps_them() -> None:
    q = parse_question("Llama 3.1 licence weights serving quantization throughput latency memory context tokens")
    parts = q.fts.split(" OR ")
    assert '"llama 3 1"' in parts and '"licence"' in parts and '"license"' in parts
    assert sum(u.fts in q.fts for u in q.units) == MAX_FTS_UNITS < len(q.units)
    assert all(p.startswith('"') and p.endswith('"') for p in parts)


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_text_gives_a_query_fts5_accepts(question: str, samples_db: Path) -> None:
    q = parse_question(question)
    if q.units:
        with closing(sqlite3.connect(samples_db)) as db:
            db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (q.fts,)).fetchone()


def test_sentences_respect_decimals_and_abbreviations() -> None:
    text = "Llama 3.1 is out. It uses e.g. GQA vs. MHA! Really? It handles invoices and forms. Next line\nNew one."
    assert sentences(text) == [
        "Llama 3.1 is out.",
        "It uses e.g. GQA vs. MHA!",
        "Really?",
        "It handles invoices and forms.",
        "Next line",
        "New one.",
    ]


def test_stems_agree_across_word_forms_and_spellings() -> None:
    assert stem("released") == stem("release") == stem("releases")
    assert stem("training") == stem("trained") == stem("trains")
    assert stem("licence") == stem("license") == stem("licensed") == stem("licences")
    assert stem("quantization") == stem("quantisation")


def test_near_duplicates_need_the_same_numbers() -> None:
    a = fingerprint("The full run took roughly 3.6M H100 GPU hours.")
    b = fingerprint("The full run took roughly 6.1M H100 GPU hours.")
    c = fingerprint("The full run took roughly 3.6M H100 GPU hours in total.")
    assert not similar(a, b, 0.5)
    assert similar(a, c, 0.6)


def test_passages_are_exact_slices_and_transcript_turns_keep_their_start() -> None:
    long_sentence = "word " * 200
    text = (
        "First sentence here. Second sentence follows it closely.\n"
        + "A paragraph of its own. " * 30
        + "\n"
        + long_sentence.strip()
        + "."
    )
    item = Item(
        key="k",
        title="T",
        text=text,
        enclosure=Enclosure("https://a.example/x.mp3"),
        transcript=[TranscriptSegment(12.5, "Hello there. This is a turn.", 15.0, "Host")],
    )
    stored = StoredItem(7, 1, "S", datetime(2025, 1, 1, tzinfo=UTC), item)
    passages = split_item(stored, rank=0)
    body = [p for p in passages if p.kind == "text"]
    assert body and all(p.text in text for p in body)
    assert all(len(p.text) <= max(WINDOW_CHARS, MAX_SENTENCE_CHARS) for p in body)
    assert body[0].text == "First sentence here. Second sentence follows it closely."
    assert not any("\n" in p.text for p in body)
    turns = [p for p in passages if p.kind == "transcript"]
    assert [(p.text, p.start, p.speaker) for p in turns] == [("Hello there. This is a turn.", 12.5, "Host")]


def test_code_and_link_lines_are_not_prose() -> None:
    assert is_prose("Ai2 shipped OLMoE-1B-7B, a mixture-of-experts model that uses about 1B of its 7B parameters.")
    assert is_prose("Teams import a lot of data before they train anything at all.")
    assert not is_prose('pip install -U transformers from transformers import AutoTokenizer tok = AutoTokenizer.x("a")')
    assert not is_prose("from transformers import AutoModelForCausalLM, AutoTokenizer and then some words")
    assert not is_prose("[00:37:37] Building personal AI benchmarks")
