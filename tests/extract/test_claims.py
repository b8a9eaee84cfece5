"""Claims: benchmark scores, model sizes, comparisons and ranks, in prose and in tables."""

from __future__ import annotations

import pytest

from highsignal.extract import extract
from highsignal.parse.html import to_text
from highsignal.records import Claim, Item


def claims(text: str, kind: str, html: str | None = None) -> list[Claim]:
    return [c for c in extract(Item(key="k", text=text, html=html)).claims if c.kind == kind]


def scores(text: str) -> list[tuple[str | None, float | None]]:
    return [(c.benchmark, c.value) for c in claims(text, "score")]


def sizes(text: str) -> list[float | None]:
    return [c.value for c in claims(text, "size")]


# --- scores in prose ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "N on BENCH" and "BENCH: N%".
        ("Mixtral 8x7B scores 70.6 on MMLU.", [("MMLU", 70.6)]),  # Mixtral paper's MMLU number
        ("MMLU: 72.5%", [("MMLU", 72.5)]),
        # The shot count is never the score, before or after the benchmark name.
        ("MMLU (5-shot): 72.5", [("MMLU", 72.5)]),
        ("ARC-Challenge 25-shot: 61.0", [("ARC", 61.0)]),
        ("GSM8K (8-shot, CoT): 84.5", [("GSM8K", 84.5)]),
        # A fraction on an accuracy benchmark is read as percent.
        ("a HellaSwag score of 0.31", [("HellaSwag", 31.0)]),
        # phi-1 abstract (arXiv:2306.11644): two benchmarks in one sentence.
        (
            "Despite this small scale, phi-1 attains pass@1 accuracy 50.6% on HumanEval and 55.5% on MBPP.",
            [("HumanEval", 50.6), ("MBPP", 55.5)],
        ),
    ],
)
def test_scores_in_prose(text: str, expected: list[tuple[str, float]]) -> None:
    assert scores(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "HellaSwag 10-shot",  # a shot count alone
        "MMLU (2020)",  # a year
        "We evaluate on MMLU in 2024.",
        "MMLU v2",
        "MMLU 3",  # a small integer next to an accuracy benchmark is not a score
        "MMLU with 4-bit weights",
        "the story arc of 42 chapters",  # "arc" is not ARC
    ],
)
def test_numbers_that_are_not_scores(text: str) -> None:
    assert scores(text) == []


def test_score_claim_quotes_its_span() -> None:
    # phi-1 abstract (arXiv:2306.11644).
    text = "Despite this small scale, phi-1 attains pass@1 accuracy 50.6% on HumanEval and 55.5% on MBPP."
    ext = extract(Item(key="k", text=text))
    found = [c for c in ext.claims if c.kind == "score"]
    assert [c.text for c in found] == ["50.6% on HumanEval", "55.5% on MBPP"]
    for c in found:
        assert ext.text[c.start : c.end] == c.text


def test_mmlu_pro_is_not_mmlu() -> None:
    # WSM abstract (quoted in a public repository's paper notes): "+5.5% on MMLU-Pro".
    found = scores("achieving significant improvements of +5.5% on MMLU-Pro.")
    assert found == [("MMLU-Pro", 5.5)]


def test_pass_at_1_is_not_the_score() -> None:
    # StarCoder abstract (arXiv:2305.06161).
    text = (
        "Furthermore, StarCoder outperforms every model that is fine-tuned on Python, can be prompted to "
        "achieve 40% pass@1 on HumanEval, and still retains its performance on other programming languages."
    )
    assert scores(text) == [("HumanEval", 40.0)]


def test_list_of_n_on_bench() -> None:
    # WSM abstract (as above), with the last benchmark changed from MMLU-Pro to GSM8K to keep
    # the MMLU-Pro bug out of this test.
    text = "achieving significant improvements of +3.5% on MATH, +2.9% on HumanEval, and +5.5% on GSM8K."
    assert scores(text) == [("MATH", 3.5), ("HumanEval", 2.9), ("GSM8K", 5.5)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "N on X" still binds N to X when another number follows X closely.
        (
            "scores 65.2 on MMLU, 80.1 on HellaSwag and 70.2 on ARC-Challenge.",
            [("MMLU", 65.2), ("HellaSwag", 80.1), ("ARC", 70.2)],
        ),
        ("It reaches 72.5% (5-shot) on MMLU, 2 points above Llama.", [("MMLU", 72.5)]),
        # "X: N, Y: M": the number after the comma is Y's, not X's.
        ("HumanEval: 50.6%, MBPP: 55.5%", [("HumanEval", 50.6), ("MBPP", 55.5)]),
        ("GSM8K (8-shot, CoT): 84.5, MATH (4-shot): 30.1", [("GSM8K", 84.5), ("MATH", 30.1)]),
        # The score after the name, past a comma, when nothing else claims it.
        ("On MMLU, Mistral scores 60.1%, and on GSM8K 52.2%.", [("MMLU", 60.1), ("GSM8K", 52.2)]),
        # pass@k is a metric name, never the score, wherever it stands.
        ("achieves a pass@1 of 40.1 on HumanEval", [("HumanEval", 40.1)]),
        ("On HumanEval, its pass@1 is 40.1.", [("HumanEval", 40.1)]),
        ("HumanEval pass@1", []),
    ],
)
def test_scores_in_lists_and_metric_names(text: str, expected: list[tuple[str, float]]) -> None:
    assert scores(text) == expected


# --- sizes -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hugging Face model card TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T.
        ("The TinyLlama project aims to pretrain a 1.1B Llama model on 3 trillion tokens.", [1.1]),
        # phi-1.5 report (arXiv:2309.05463).
        ("create a new 1.3 billion parameter model named phi-1.5", [1.3]),
        # phi-1 abstract (arXiv:2306.11644): "6B tokens" and "1B tokens" are data, not parameters.
        (
            "phi-1 is a Transformer-based model with 1.3B parameters, trained for 4 days on 8 A100s, using a "
            "selection of textbook quality data from the web (6B tokens) and synthetically generated textbooks "
            "and exercises with GPT-3.5 (1B tokens).",
            [1.3],
        ),
        ("Llama 3.1 405B", [405.0]),
        ("Llama-2-7B", [7.0]),
        ("a 350M-parameter model", [0.35]),
        ("a 350M model", [0.35]),
    ],
)
def test_sizes(text: str, expected: list[float]) -> None:
    assert sizes(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Mistral AI raised $1B funding",  # money
        "a $1B valuation",
        "pretrained on 1T tokens",  # data
        "trained on 15T tokens",
        "10B+ tokens of code",
        "350M downloads",  # a count; "M" needs a model word
        "1B users",
        "This collection contains all checkpoints after the 1T fix.",  # TinyLlama card: not a size
        "24GB of VRAM",
        "the 8x7B Mixtral",  # inside a name, not a size of its own
        "Apache 2.0",
    ],
)
def test_numbers_that_are_not_sizes(text: str) -> None:
    assert sizes(text) == []


# --- comparisons ---------------------------------------------------------------------
def test_comparison_ratio_from_sizes_on_both_sides() -> None:
    # The textbook small-beats-big sentence (phi-1 era release notes read like this).
    found = claims("Our 1.3B model outperforms 13B models on code.", "comparison")
    assert len(found) == 1
    assert found[0].ratio == 10.0
    assert found[0].target == "13B models on code"


def test_comparison_ratio_takes_largest_size_named_after_the_verb() -> None:
    # Mistral 7B abstract (arXiv:2310.06825).
    text = (
        "Mistral 7B outperforms Llama 2 13B across all evaluated benchmarks, and Llama 1 34B in reasoning, "
        "mathematics, and code generation."
    )
    (found,) = claims(text, "comparison")
    assert found.ratio == pytest.approx(34 / 7, abs=0.01)


def test_comparison_clause_stops_at_semicolon() -> None:
    # Two bullets of the Mistral 7B announcement joined with a semicolon.
    text = "Mistral 7B outperforms Llama 2 13B on all benchmarks; it approaches CodeLlama 7B on code."
    (found,) = claims(text, "comparison")
    assert found.ratio == pytest.approx(13 / 7, abs=0.01)
    assert found.target == "Llama 2 13B on all benchmarks"


def test_comparison_without_sizes_has_no_ratio() -> None:
    (found,) = claims("We outperformed the baseline.", "comparison")
    assert found.ratio is None
    assert found.target == "the baseline"


def test_comparison_uses_the_items_own_size_when_the_sentence_names_none() -> None:
    # Mistral 7B announcement's bullet list: the subject is named above the bullet. The
    # item's own size is the first one it states ("Mistral 7B", not "7.3B").
    text = "Mistral 7B is a 7.3B parameter model that:\nOutperforms Llama 1 34B on many benchmarks"
    (found,) = claims(text, "comparison")
    assert found.ratio == pytest.approx(34 / 7, abs=0.01)


# --- ranks ---------------------------------------------------------------------------
def test_rank_on_a_named_leaderboard() -> None:
    # A public repository's notes on dnhkng's RYS-XLarge.
    text = "RYS-XLarge reached #1 on the Open LLM Leaderboard by duplicating middle layers of Qwen2-72B."
    found = claims(text, "rank")
    assert found and {c.target for c in found} == {"open llm leaderboard"}


def test_rank_without_a_leaderboard_keeps_its_own_key() -> None:
    # Code Llama abstract (arXiv:2308.12950).
    found = claims("Code Llama reaches state-of-the-art performance among open models.", "rank")
    assert [c.target for c in found] == ["sota"]


def test_ranked_1st() -> None:
    # javafa/javafa README.md (GitHub profile of a leaderboard merge).
    found = claims("### May 4th 2024 - ranked 1st on the huggingface Open Llm Leaderboard", "rank")
    assert [c.target for c in found] == ["open llm leaderboard"]


def test_rank_phrases_with_ordinals() -> None:
    assert [c.target for c in claims("We took 1st place in the Kaggle LLM challenge.", "rank")] == ["#1"]
    assert claims("The model card was published on May 1st on the blog.", "rank") == []  # a date, not a rank


# --- Markdown tables -----------------------------------------------------------------
# Hugging Face model card TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T, "Eval" table (two rows,
# cell padding removed).
TINYLLAMA_EVAL = """\
| Model | Pretrain Tokens | HellaSwag | Obqa | WinoGrande | ARC_c | ARC_e | boolq | piqa | avg |
|---|---|---|---|---|---|---|---|---|---|
| Pythia-1.0B | 300B | 47.16 | 31.40 | 53.43 | 27.05 | 48.99 | 60.83 | 69.21 | 48.30 |
| TinyLlama-1.1B-intermediate-step-1431k-3T | 3T | 59.20 | 36.00 | 59.12 | 30.12 | 55.25 | 57.83 | 73.29 | 52.99 |
"""


def test_markdown_table_benchmarks_as_headers() -> None:
    ext = extract(Item(key="k", text=TINYLLAMA_EVAL))
    found = {(c.target, c.benchmark): c.value for c in ext.claims if c.kind == "score"}
    assert found[("Pythia-1.0B", "HellaSwag")] == 47.16
    assert found[("Pythia-1.0B", "OpenBookQA")] == 31.40
    assert found[("TinyLlama-1.1B-intermediate-step-1431k-3T", "BoolQ")] == 57.83
    assert found[("TinyLlama-1.1B-intermediate-step-1431k-3T", "PIQA")] == 73.29
    # "Pretrain Tokens" and "avg" are not benchmarks; "300B" in a cell is not a score.
    assert all(v != 300 for v in found.values())
    assert {b for _, b in found} == {"HellaSwag", "OpenBookQA", "WinoGrande", "BoolQ", "PIQA"}
    # Located claims quote their cell.
    for c in ext.claims:
        if c.kind == "score":
            assert ext.text[c.start : c.end] == str(c.text.rsplit(" ", 1)[-1])


# Hugging Face model card Jiayi-Pan/Tiny-Vicuna-1B, "Open LLM Leaderboard Evaluation Results".
TINY_VICUNA_LEADERBOARD = """\
|             Metric              |Value|
|---------------------------------|----:|
|Avg.                             |34.76|
|AI2 Reasoning Challenge (25-Shot)|33.45|
|HellaSwag (10-Shot)              |55.92|
|MMLU (5-Shot)                    |25.45|
|TruthfulQA (0-shot)              |33.82|
|Winogrande (5-shot)              |58.41|
|GSM8k (5-shot)                   | 1.52|
"""


def test_markdown_table_benchmarks_in_first_column() -> None:
    found = {c.benchmark: c.value for c in claims(TINY_VICUNA_LEADERBOARD, "score")}
    assert found["HellaSwag"] == 55.92
    assert found["MMLU"] == 25.45
    assert found["TruthfulQA"] == 33.82
    assert found["WinoGrande"] == 58.41
    assert found["GSM8K"] == 1.52
    assert 34.76 not in found.values()  # the average is no benchmark


def test_open_llm_leaderboard_arc_label() -> None:
    found = {c.benchmark: c.value for c in claims(TINY_VICUNA_LEADERBOARD, "score")}
    assert found.get("ARC") == 33.45


# lm-evaluation-harness output for a 340M model (a public repository's evaluation notes).
LM_EVAL = """\
|    Tasks     |Version|Filter|n-shot|    Metric     |   | Value |   |Stderr|
|--------------|------:|------|-----:|---------------|---|------:|---|------|
|arc_challenge |      1|none  |     0|acc            |↑  | 0.2423|±  |0.0125|
|              |       |none  |     0|acc_norm       |↑  | 0.2833|±  |0.0132|
|arc_easy      |      1|none  |     0|acc            |↑  | 0.5606|±  |0.0102|
|              |       |none  |     0|acc_norm       |↑  | 0.4836|±  |0.0103|
|hellaswag     |      1|none  |     0|acc            |↑  | 0.3287|±  |0.0047|
|              |       |none  |     0|acc_norm       |↑  | 0.3847|±  |0.0049|
"""


def test_lm_eval_harness_layout() -> None:
    found = [(c.benchmark, c.value) for c in claims(LM_EVAL, "score")]
    # One value per task row (not version, n-shot or stderr), fractions turned into percent;
    # continuation rows (acc_norm, no task name) are not separate claims.
    assert found == [("ARC", 24.23), ("ARC", 56.06), ("HellaSwag", 32.87)]


def test_lm_eval_layout_without_arrow_column() -> None:
    # lm-evaluation-harness output from a public repository's run logs (Llama 3 70B, limit 100).
    text = """\
|  Tasks  |Version|Filter|n-shot| Metric |Value|   |Stderr|
|---------|------:|------|-----:|--------|----:|---|-----:|
|hellaswag|      1|none  |     0|acc     | 0.56|±  |0.0499|
|         |       |none  |     0|acc_norm| 0.75|±  |0.0435|
"""
    assert [(c.benchmark, c.value) for c in claims(text, "score")] == [("HellaSwag", 56.0)]


# Hugging Face model card google/gemma-2-9b, pretrained-model benchmark table (first rows).
GEMMA2 = """\
| Benchmark                      | Metric        | Gemma PT 9B | Gemma PT 27B |
| ------------------------------ | ------------- | ----------- | ------------ |
| [MMLU][mmlu]                   | 5-shot, top-1 | 71.3        | 75.2         |
| [HellaSwag][hellaswag]         | 10-shot       | 81.9        | 86.4         |
"""


def test_benchmark_cells_written_as_links() -> None:
    found = {(c.target, c.benchmark): c.value for c in claims(GEMMA2, "score")}
    assert found[("Gemma PT 9B", "MMLU")] == 71.3
    assert found[("Gemma PT 27B", "HellaSwag")] == 86.4


def test_links_in_header_and_label_cells() -> None:
    text = (
        "| Model | [MMLU](https://arxiv.org/abs/2009.03300) | [HellaSwag][hs] |\n|---|---|---|\n"
        "| [Foo-7B](https://huggingface.co/foo/Foo-7B) | 60.1 | 70.2 |\n"
    )
    # The label is the link text, not its markup.
    assert [(c.target, c.benchmark, c.value) for c in claims(text, "score")] == [
        ("Foo-7B", "MMLU", 60.1),
        ("Foo-7B", "HellaSwag", 70.2),
    ]


def test_pass_at_1_in_table_headers() -> None:
    text = "| Model | HumanEval (pass@1) | MBPP pass@1 |\n|---|---|---|\n| StarCoder | 33.6 | 52.7 |\n"
    assert [(c.target, c.benchmark, c.value) for c in claims(text, "score")] == [
        ("StarCoder", "HumanEval", 33.6),
        ("StarCoder", "MBPP", 52.7),
    ]


def test_metric_column_does_not_hide_other_model_columns() -> None:
    # GEMMA2 with the link markup removed from the benchmark cells.
    text = GEMMA2.replace("[MMLU][mmlu]", "MMLU").replace("[HellaSwag][hellaswag]", "HellaSwag")
    found = {(c.target, c.benchmark): c.value for c in claims(text, "score")}
    assert found == {
        ("Gemma PT 9B", "MMLU"): 71.3,
        ("Gemma PT 27B", "MMLU"): 75.2,
        ("Gemma PT 9B", "HellaSwag"): 81.9,
        ("Gemma PT 27B", "HellaSwag"): 86.4,
    }


def test_shots_column_is_skipped_and_every_model_column_read() -> None:
    text = "| Benchmark | Shots | Base | Instruct |\n|---|---|---|---|\n| MMLU | 5 | 60.1 | 62.3 |\n"
    assert [(c.target, c.value) for c in claims(text, "score")] == [("Base", 60.1), ("Instruct", 62.3)]


def test_table_claim_offsets_point_at_their_own_row() -> None:
    # TinyLlama card, "Eval" table: two checkpoints share boolq = 63.21.
    text = """\
| Model | Pretrain Tokens | HellaSwag | boolq |
|---|---|---|---|
| TinyLlama-1.1B-intermediate-step-955k-2T |     2T     | 54.63     | 63.21 |
| TinyLlama-1.1B-intermediate-step-1195k-2.5T |     2.5T     | 58.96     | 63.21 |
"""
    ext = extract(Item(key="k", text=text))
    found = [c for c in ext.claims if c.kind == "score"]
    assert len(found) == 4
    for c in found:
        line = ext.text[ext.text.rfind("\n", 0, c.start) + 1 : ext.text.find("\n", c.start)]
        assert line.startswith(f"| {c.target} ")
        assert ext.text[c.start : c.end] == f"{c.value:.2f}"


@pytest.mark.parametrize(
    "text",
    [
        # Rows with missing or extra cells, an empty row, a lone pipe.
        "| Model | MMLU | HellaSwag\n|---|---|---|\n| Pythia-1.0B | 26.0\n"
        "| TinyLlama | 26.04 | 60.31 | 99 | extra |\n| | |\n|\n",
        "| Benchmark | A | B |\n|---|---|---|\n| MMLU | 71.3 |\n| HellaSwag |\n| ARC | 1 | 2 | 3 | 4 |",
        "|||\n|||\n",
        "| MMLU |\n|---|\n",
        "| a | b |\n| MMLU |\n",
    ],
)
def test_broken_markdown_rows_do_not_crash(text: str) -> None:
    ext = extract(Item(key="k", text=text))
    for c in ext.claims:
        assert c.kind in ("score", "size", "comparison", "rank")


def test_broken_rows_are_read_as_far_as_they_go() -> None:
    text = (
        "| Model | MMLU | HellaSwag\n|---|---|---|\n| Pythia-1.0B | 26.0\n| TinyLlama | 26.04 | 60.31 | 99 | extra |\n"
    )
    assert [(c.target, c.benchmark, c.value) for c in claims(text, "score")] == [
        ("Pythia-1.0B", "MMLU", 26.0),
        ("TinyLlama", "MMLU", 26.04),
        ("TinyLlama", "HellaSwag", 60.31),
    ]


# --- HTML tables ---------------------------------------------------------------------
# google/gemma-2-9b card numbers, as an HTML table with benchmarks as headers.
GEMMA2_HTML = (
    "<table><thead><tr><th>Model</th><th>MMLU</th><th>HellaSwag</th><th>ARC-c</th><th>GSM8K</th></tr></thead>"
    "<tbody><tr><td>Gemma PT 9B</td><td>71.3</td><td>81.9</td><td>68.4</td><td>68.6</td></tr>"
    "<tr><td>Gemma PT 27B</td><td>75.2</td><td>86.4</td><td>71.4</td><td>74.0</td></tr></tbody></table>"
)


def test_html_table() -> None:
    ext = extract(Item(key="k", html=GEMMA2_HTML, text=to_text(GEMMA2_HTML)))
    found = {(c.target, c.benchmark): c for c in ext.claims if c.kind == "score"}
    assert found[("Gemma PT 9B", "MMLU")].value == 71.3
    assert found[("Gemma PT 27B", "ARC")].value == 71.4
    assert found[("Gemma PT 27B", "GSM8K")].value == 74.0
    assert len(found) == 8
    # Claims read from HTML carry no offsets, and the flattened text adds no prose duplicates.
    assert all(c.start is None and c.end is None for c in found.values())
    assert len([c for c in ext.claims if c.kind == "score"]) == 8


def test_html_table_with_unclosed_cells_and_rows() -> None:
    html = (
        "<table><tr><th>Model<th>MMLU<th>HellaSwag"
        "<tr><td>Gemma PT 9B<td>71.3<td>81.9"
        "<tr><td>Gemma PT 27B<td>75.2</table>"
    )
    ext = extract(Item(key="k", html=html, text=to_text(html)))
    assert sorted((c.target, c.benchmark, c.value) for c in ext.claims if c.kind == "score") == [
        ("Gemma PT 27B", "MMLU", 75.2),
        ("Gemma PT 9B", "HellaSwag", 81.9),
        ("Gemma PT 9B", "MMLU", 71.3),
    ]
