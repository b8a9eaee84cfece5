"""The one-pass lexicon scan: word boundaries, case, prefixes, offsets, the size cap."""

from __future__ import annotations

import pytest

from highsignal.assess import assess
from highsignal.extract import MAX_SCAN_CHARS, extract
from highsignal.extract.scan import lower_same_length, scan
from highsignal.records import Item, Mention, TranscriptSegment


def mentions(text: str, kind: str | None = None) -> list[Mention]:
    low = lower_same_length(text)
    return [m for m in scan(text, low) if kind is None or m.kind == kind]


def keys(text: str, kind: str) -> list[str]:
    return [m.key for m in mentions(text, kind)]


# --- word boundaries ------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # Seed 002 (Latent Space show notes and transcripts).
        "Because nothing against submitting research papers to like ICLR or ICML",
        "person X submitted congressional testimony that was critical of organization Y",
        # Seed 003 (Interconnects): "Mitchell" starts with "Mit".
        "Melanie Mitchell’s series on ARC at AI: A Guide for Thinking Humans",
        "Please submit your paper by Friday.",
    ],
)
def test_mit_inside_a_word_is_no_licence(text: str) -> None:
    assert mentions(text, "licence") == []
    assert mentions(text, "licence_hint") == []


def test_mit_the_institute_is_only_a_hint() -> None:
    # Huberman Lab show notes (podscripts.co): MIT the university, not the licence.
    text = "Dr. Lex Fridman Ph.D., is a scientist at MIT (Massachusetts Institute of Technology)"
    assert keys(text, "licence_hint") == ["mit"]
    assert mentions(text, "licence") == []


def test_mit_license_is_a_licence() -> None:
    # A public repository's README: "Source code in this repository is released under the [MIT License](LICENSE)."
    text = "Source code in this repository is released under the [MIT License](LICENSE)."
    assert "mit" in keys(text, "licence")


def test_arc_benchmark_only_in_capitals() -> None:
    # Seed 003: the benchmark in capitals and the ordinary word in one post.
    text = "The big picture arc of technology. Melanie Mitchell’s series on ARC at AI: A Guide for Thinking Humans."
    found = mentions(text, "bench")
    assert [(m.key, m.text) for m in found] == [("ARC", "ARC")]
    assert text[found[0].start : found[0].end] == "ARC"


@pytest.mark.parametrize("text", ["It's a story arc.", "Arc 50.1", "arc lamps"])
def test_arc_in_other_cases_is_no_benchmark(text: str) -> None:
    assert mentions(text, "bench") == []


def test_lower_case_benchmark_aliases_match_in_any_case() -> None:
    # lm-evaluation-harness task names.
    assert keys("|arc_challenge |      1|none  |", "bench") == ["ARC"]
    assert keys("HellaSwag and HELLASWAG and hellaswag", "bench") == ["HellaSwag"] * 3


def test_phrase_inside_a_longer_word_does_not_match() -> None:
    # "mlx" must not fire inside "mlxyz"; "tpu" not inside "output"; "opt" not inside "option".
    assert mentions("mlxyz output option", "library") == []
    assert mentions("mlxyz output option", "compute") == []
    assert mentions("mlxyz output option", "open_model") == []


# --- prefix entries -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("StarCoderBase outperforms every open Code LLM", "outperforms"),  # StarCoder abstract
        ("it outperformed the baseline", "outperformed"),
        ("while also surpassing previous the state-of-the-art", "surpassing"),  # seed 002, YaRN abstract
        ("where at 100X smaller model can match or surpass performance in a few years", "surpass"),  # seed 003
    ],
)
def test_prefix_entries_run_to_the_end_of_the_word(text: str, word: str) -> None:
    (m,) = mentions(text, "compare")
    assert m.text == word
    assert text[m.start : m.end] == word


def test_prefix_entry_still_needs_a_boundary_before_it() -> None:
    assert mentions("nonoutperformance", "compare") == []


# --- non-ASCII text ---------------------------------------------------------------------
def test_lower_same_length_keeps_offsets() -> None:
    # "İ" lower-cases to two code points; the twin must not shift what follows.
    text = "Ozan İrsoy, Pengxiang Cheng"
    low = lower_same_length(text)
    assert len(low) == len(text)
    assert low.index("pengxiang") == text.index("Pengxiang")


def test_offsets_after_dotted_i_and_emoji() -> None:
    # Author line of arXiv:2504.11626 ("Ozan İrsoy") and the TinyLlama card's "16 A100-40G GPUs 🚀🚀",
    # then a benchmark score.
    text = "Ozan İrsoy, Pengxiang Cheng. İİİ 16 A100-40G GPUs 🚀🚀. Join the first 🇬🇧 meetup. MMLU: 61.2"
    ext = extract(Item(key="k", text=text))
    found = [(m.kind, m.text) for m in ext.mentions]
    assert ("compute", "A100") in found
    assert ("bench", "MMLU") in found
    for m in ext.mentions:
        assert ext.text[m.start : m.end].lower() in (m.key, m.text.lower())
    (score,) = [c for c in ext.claims if c.kind == "score"]
    assert (score.benchmark, score.value) == ("MMLU", 61.2)
    assert ext.text[score.start : score.end] == score.text == "MMLU: 61.2"
    assert "a100" in [m.key for m in ext.of("compute")]


def test_non_ascii_phrases() -> None:
    # The lexicon has non-ASCII phrases ("🤗 transformers", "world’s first", "× larger").
    text = "Load it with 🤗 Transformers. The world’s first open model 10× larger than ours."
    assert keys(text, "library") == ["transformers"]
    assert keys(text, "press") == ["world’s first"]
    assert keys(text, "small_big") == ["× larger"]


def test_number_x_larger() -> None:
    # Phi-2 announcement: "Phi-2 matches or outperforms models up to 25x larger".
    assert keys("Phi-2 matches or outperforms models up to 25x larger", "small_big") == ["x larger"]


# --- the size cap ------------------------------------------------------------------------
def test_huge_text_is_capped_and_noted() -> None:
    # Seed 002's episode title, repeated to 250k characters (a transcript can run to megabytes).
    unit = (
        "Efficiency is Coming: 3000x Faster, Cheaper, Better AI Inference from Hardware Improvements, "
        "Quantization, and Synthetic Data Distillation. "
    )
    body = unit * (250_000 // len(unit) + 1)
    item = Item(key="k", title="Efficiency is Coming", text=body)
    ext = extract(item)
    assert len(ext.text) == MAX_SCAN_CHARS
    assert ext.truncated_from == len("Efficiency is Coming") + 2 + len(body)
    assert all(m.end <= MAX_SCAN_CHARS for m in ext.mentions)
    result = assess(item, ext)
    assert any("first 100,000 of" in n and f"{ext.truncated_from:,}" in n for n in result.notes)


def test_short_text_is_not_capped() -> None:
    ext = extract(Item(key="k", text="MMLU: 61.2"))
    assert ext.truncated_from is None
    assert not any("scanned" in n for n in assess(Item(key="k", text="MMLU: 61.2"), ext).notes)


def test_cap_applies_to_title_body_and_transcript_together() -> None:
    # Seed 004 (auto-generated talk transcript, no punctuation).
    seg = "okay next up this is gonna be awesome we have a manual from anthropic with a very spicy title "
    item = Item(
        key="k",
        title="Everything we've been taught about ML is wrong",
        text="A talk.",
        transcript=[TranscriptSegment(start=float(i), text=seg) for i in range(200)],
    )
    ext = extract(item, max_chars=5_000)
    assert len(ext.text) == 5_000
    assert ext.text.startswith("Everything we've been taught about ML is wrong\n\nA talk.\n\nokay next up")
    assert ext.truncated_from > 5_000
