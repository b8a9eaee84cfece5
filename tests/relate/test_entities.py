"""Named models as story keys: the names readers and writers use, and the numbers that are not names."""

import pytest

from highsignal.relate.entities import names, subjects


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DeepSeek V3 is out", ["deepseek 3"]),
        ("deepseek-ai released DeepSeek-V3 today", ["deepseek 3"]),
        ("The Reflection 70B saga", ["reflection 70b"]),
        ("Meta ships Llama 3.1 405B", ["llama 3.1"]),
        ("Llama-3-8B-Instruct", ["llama 3"]),
        ("Mixtral 8x7B", ["mixtral 8x7b"]),
        ("Claude 3.5 Sonnet", ["claude 3.5 sonnet"]),
        ("GPT-4o", ["gpt 4o"]),
    ],
)
def test_model_names_normalise_across_spellings(text, expected):
    assert names(text) == expected


def test_versions_stay_apart():
    # A wrong merge hides news: Llama 3 and Llama 3.1 were different releases months apart.
    assert names("Llama 3")[0] != names("Llama 3.1")[0]
    assert names("GPT-4")[0] != names("GPT-4o")[0]


@pytest.mark.parametrize(
    "text",
    [
        "Table 2 shows the results",
        "See Figure 3 and Section 4",
        "Python 3.12 and Windows 11",
        "an RTX 4090 or an H100",
        "scores 85.3 on HumanEval",
        "MMLU 5-shot",
        "Episode 42 with our guest",
        "In 2024 we trained",
    ],
)
def test_numbers_that_are_not_models(text):
    assert names(text) == []


def test_subjects_are_named_in_title_or_repeatedly_not_in_passing():
    body = "Qwen 2.5 is out. Unlike GPT-4, the new model runs locally. " + "Qwen 2.5 is fast. " * 3
    assert subjects("A new open model", body) == ([], ["qwen 2.5"])
    assert subjects("Reflection 70B: what went wrong", body) == (["reflection 70b"], [])


def test_a_comparison_of_many_models_is_about_none_of_them():
    body = "GPT-4 and Llama 3 and Mistral 7B. " * 3
    assert subjects("Which model should you pick?", body) == ([], [])
