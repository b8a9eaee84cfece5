"""Outbound links: anchors, bare URLs in text, scheme-less hosts and arXiv ids."""

from __future__ import annotations

import pytest

from highsignal.extract import extract
from highsignal.parse.html import links as html_links
from highsignal.parse.html import sanitize, to_text
from highsignal.records import Item


def text_links(text: str) -> list[str]:
    return extract(Item(key="k", text=text)).links


# --- bare URLs and what ends them ------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Huberman Lab show notes (podscripts.co, "Machines, Creativity & Love | Dr. Lex Fridman"):
        # URLs separated only by spaces and sponsor names.
        (
            "Thank you to our sponsors AG1: https://athleticgreens.com/huberman LMNT: https://drinklmnt.com/hubermanlab",
            ["https://athleticgreens.com/huberman", "https://drinklmnt.com/hubermanlab"],
        ),
        # Trailing sentence punctuation is not part of the URL.
        ("See the report at https://arxiv.org/abs/2412.19437.", ["https://arxiv.org/abs/2412.19437"]),
        (
            "Weights: https://huggingface.co/deepseek-ai/DeepSeek-V3, code: https://github.com/deepseek-ai/DeepSeek-V3;",
            ["https://huggingface.co/deepseek-ai/DeepSeek-V3", "https://github.com/deepseek-ai/DeepSeek-V3"],
        ),
        ("Is it on https://pypi.org/project/vllm/?", ["https://pypi.org/project/vllm/"]),
        # An enclosing parenthesis, Markdown emphasis, angle brackets and quotes are not either.
        ("the DeepSeek-V3 report (https://arxiv.org/abs/2412.19437)", ["https://arxiv.org/abs/2412.19437"]),
        ("**https://github.com/allenai/OLMo**", ["https://github.com/allenai/OLMo"]),
        ("<https://github.com/allenai/OLMo>", ["https://github.com/allenai/OLMo"]),
        ('"https://github.com/allenai/OLMo"', ["https://github.com/allenai/OLMo"]),
        # Markdown link syntax: the URL between the parentheses.
        ("[mergekit](https://github.com/cg123/mergekit).", ["https://github.com/cg123/mergekit"]),
        # An unbalanced closing parenthesis is dropped even after a balanced pair.
        ("(docs at https://example.com/path_(v2)_notes)", ["https://example.com/path_(v2)_notes"]),
    ],
)
def test_bare_urls_and_trailing_punctuation(text: str, expected: list[str]) -> None:
    assert text_links(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)",
        "(see https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture))",
    ],
)
def test_balanced_parentheses_stay_in_the_url(text: str) -> None:
    assert text_links(text) == ["https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)"]


def test_url_glued_to_following_text_is_kept_as_written() -> None:
    # Seed 003 (Interconnects on a podcast app): the scraper lost the line break after the URL.
    # There is no way to tell where it ends; the link is kept, not dropped or split.
    links = text_links(
        "Full post for images, etc: https://www.interconnects.ai/p/to-meta-ray-ban-local-aiWith the Rabbit r1"
    )
    assert links == ["https://www.interconnects.ai/p/to-meta-ray-ban-local-aiWith"]


# --- scheme-less hosts -------------------------------------------------------
def test_scheme_less_hub_and_github_links() -> None:
    # Phrasing of release notes: "the weights are at huggingface.co/org/model".
    ext = extract(
        Item(
            key="k",
            text="The weights are at huggingface.co/allenai/OLMoE-1B-7B-0924 and the code at github.com/allenai/OLMoE.",
        )
    )
    assert ext.links == ["https://huggingface.co/allenai/OLMoE-1B-7B-0924", "https://github.com/allenai/OLMoE"]
    assert [(a.kind, a.ident) for a in ext.artefacts] == [
        ("model", "allenai/OLMoE-1B-7B-0924"),
        ("code", "allenai/OLMoE"),
    ]


def test_host_inside_a_full_url_or_word_is_not_a_second_link() -> None:
    # "git+https://github.com/..." (pip install from source) gives one link, not two.
    assert text_links("pip install git+https://github.com/huggingface/transformers.git") == [
        "https://github.com/huggingface/transformers.git"
    ]
    assert text_links("see xhuggingface.co/abc/def") == []
    assert text_links("mail foo@github.com/bar") == []


def test_scheme_less_www_host() -> None:
    assert text_links("Weights: www.huggingface.co/allenai/OLMo-7B") == ["https://www.huggingface.co/allenai/OLMo-7B"]
    assert text_links("(www.github.com/allenai/OLMo)") == ["https://www.github.com/allenai/OLMo"]
    assert text_links("see docs.www.github.com/x") == []  # not a link of its own


# --- arXiv references ---------------------------------------------------------
def test_arxiv_references_become_abs_links() -> None:
    # From the samples README (interconnects.xml): "Tülu 3 (arXiv:2411.15124), OLMo 2 (arXiv:2501.00656)".
    ext = extract(
        Item(key="k", text="Tülu 3 (arXiv:2411.15124), OLMo 2 (arXiv:2501.00656), and Molmo (arXiv:2409.17146)")
    )
    assert ext.links == [
        "https://arxiv.org/abs/2411.15124",
        "https://arxiv.org/abs/2501.00656",
        "https://arxiv.org/abs/2409.17146",
    ]
    assert [a.ident for a in ext.artefacts] == ["2411.15124", "2501.00656", "2409.17146"]


def test_arxiv_reference_variants() -> None:
    # A space after the colon, a version, lower case, an old-style id. The versioned
    # link stays as written but names the same paper, so it is one artefact.
    ext = extract(Item(key="k", text="See arXiv: 2409.02060v2 (also arXiv:2409.02060) and arxiv:hep-th/9901001."))
    assert ext.links == [
        "https://arxiv.org/abs/2409.02060v2",
        "https://arxiv.org/abs/2409.02060",
        "https://arxiv.org/abs/hep-th/9901001",
    ]
    assert [a.ident for a in ext.artefacts] == ["2409.02060", "hep-th/9901001"]


def test_arxiv_word_without_an_id_is_no_link() -> None:
    # Seed 002 show notes: "Preliminary resources: Understanding VAEs, CodeEmporium, Arxiv Insights".
    assert text_links("Preliminary resources: Understanding VAEs, CodeEmporium, Arxiv Insights") == []
    assert text_links("arXiv: coming soon") == []


# --- canonical form and dedupe ------------------------------------------------
def test_tracking_parameters_dropped_and_duplicates_merged() -> None:
    text = (
        "Listen at https://www.latent.space/p/carlini?utm_source=substack&utm_medium=email "
        "or https://www.latent.space/p/carlini (same page), https://HuggingFace.co/allenai/OLMo-7B#usage "
        "and https://example.com/a?ref=hn&id=3"
    )
    assert text_links(text) == [
        "https://www.latent.space/p/carlini",
        "https://huggingface.co/allenai/OLMo-7B",
        "https://example.com/a?id=3",
    ]


def test_item_url_first_then_anchors_then_text() -> None:
    item = Item(
        key="k",
        url="https://www.latent.space/p/carlini",
        text="Benchmark code: https://github.com/carlini/yet-another-applied-llm-benchmark",
        links=["https://nicholas.carlini.com/writing/2024/how-i-use-ai.html", "https://www.latent.space/p/carlini"],
    )
    assert extract(item).links == [
        "https://www.latent.space/p/carlini",
        "https://nicholas.carlini.com/writing/2024/how-i-use-ai.html",
        "https://github.com/carlini/yet-another-applied-llm-benchmark",
    ]


def test_html_anchors_and_text_urls_together() -> None:
    # Shape of the Open LLM Leaderboard section of a model card rendered to HTML
    # (Hugging Face model card TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T).
    html = (
        '<h1><a href="https://huggingface.co/spaces/HuggingFaceH4/open_llm_leaderboard">Open LLM Leaderboard '
        "Evaluation Results</a></h1><p>Detailed results can be found "
        '<a href="https://huggingface.co/datasets/open-llm-leaderboard/details_TinyLlama__TinyLlama-1.1B-intermediate-step-1431k-3T">here</a></p>'
        "<p>https://github.com/jzhang38/TinyLlama</p>"
    )
    item = Item(key="k", html=html, text=to_text(html), links=html_links(sanitize(html)))
    ext = extract(item)
    assert [a.kind for a in ext.artefacts] == ["space", "dataset", "code"]
    assert ext.links[-1] == "https://github.com/jzhang38/TinyLlama"


def test_absurdly_long_url_is_ignored() -> None:
    long_url = "https://example.com/" + "a" * 3000
    assert text_links(f"see {long_url} and https://github.com/allenai/OLMo") == ["https://github.com/allenai/OLMo"]
