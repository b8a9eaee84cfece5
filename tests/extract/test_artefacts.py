"""artefacts.classify: which outbound links point at something a reader can check.

The URLs are real public pages named by the seeds, the bundled samples or the
model cards quoted in the other tests (provenance noted per group).
"""

from __future__ import annotations

import pytest

from highsignal.extract import classify, extract
from highsignal.records import Item


def kind_ident(url: str) -> tuple[str, str | None] | None:
    art = classify(url)
    return None if art is None else (art.kind, art.ident)


# --- Hugging Face -----------------------------------------------------------
# Llama 3.1 / OLMoE / FineWeb-Edu / Open LLM Leaderboard: links named in
# src/highsignal/samples (newsletter.xml, model_releases.json) and in the
# Open LLM Leaderboard sections of model cards.
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://huggingface.co/meta-llama/Llama-3.1-405B-Instruct",
            ("model", "meta-llama/Llama-3.1-405B-Instruct"),
        ),
        # A file inside the repository is still that model.
        (
            "https://huggingface.co/meta-llama/Llama-3.1-405B-Instruct/blob/main/README.md",
            ("model", "meta-llama/Llama-3.1-405B-Instruct"),
        ),
        ("https://hf.co/allenai/OLMoE-1B-7B-0924", ("model", "allenai/OLMoE-1B-7B-0924")),
        ("https://www.huggingface.co/allenai/OLMoE-1B-7B-0924", ("model", "allenai/OLMoE-1B-7B-0924")),
        ("https://huggingface.co/datasets/HuggingFaceFW/fineweb-edu", ("dataset", "HuggingFaceFW/fineweb-edu")),
        # Legacy canonical datasets have no owner.
        ("https://huggingface.co/datasets/squad", ("dataset", "squad")),
        (
            "https://huggingface.co/datasets/open-llm-leaderboard/details_TinyLlama__TinyLlama-1.1B-intermediate-step-1431k-3T",
            ("dataset", "open-llm-leaderboard/details_TinyLlama__TinyLlama-1.1B-intermediate-step-1431k-3T"),
        ),
        (
            "https://huggingface.co/spaces/HuggingFaceH4/open_llm_leaderboard",
            ("space", "HuggingFaceH4/open_llm_leaderboard"),
        ),
        ("https://huggingface.co/papers/2407.21783", ("paper", "2407.21783")),
    ],
)
def test_huggingface_repositories(url: str, expected: tuple[str, str]) -> None:
    assert kind_ident(url) == expected
    assert classify(url).host == "huggingface.co"


@pytest.mark.parametrize(
    "url",
    [
        "https://huggingface.co/blog/smollm",
        "https://huggingface.co/docs/transformers/index",
        "https://huggingface.co/learn/nlp-course/chapter1/1",
        "https://huggingface.co/posts/clem/123",
        "https://huggingface.co/spaces",  # the Spaces index, not a Space
        "https://huggingface.co/datasets",
        "https://huggingface.co/meta-llama",  # an organisation page
        "https://huggingface.co/",
        "https://huggingface.co/papers",
    ],
)
def test_huggingface_own_pages_are_not_artefacts(url: str) -> None:
    assert classify(url) is None


def test_hf_space_subdomain_is_a_space() -> None:
    art = classify("https://huggingface-projects-llama-2-7b-chat.hf.space/")
    assert art is not None and art.kind == "space"


# --- GitHub and other code hosts -------------------------------------------
# Repositories named in the samples (allenai/OLMo) and in seed 002's shared
# links (github.com/stanfordnlp/dspy, github.com/dwhitena).
@pytest.mark.parametrize(
    ("url", "ident"),
    [
        ("https://github.com/stanfordnlp/dspy", "stanfordnlp/dspy"),
        ("https://github.com/allenai/OLMo.git", "allenai/OLMo"),
        ("https://github.com/allenai/OLMo/tree/main/configs", "allenai/OLMo"),
        ("https://gitlab.com/gitlab-org/gitlab", "gitlab-org/gitlab"),
    ],
)
def test_code_repositories(url: str, ident: str) -> None:
    assert kind_ident(url) == ("code", ident)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/dwhitena",  # a user profile (seed 002's most shared GitHub link)
        "https://github.com/features/copilot",
        "https://github.com/topics/llm",
        "https://github.com/orgs/allenai/repositories",
        "https://github.com/sponsors/swyx",
        "https://github.com/",
    ],
)
def test_github_profiles_and_own_pages_are_not_code(url: str) -> None:
    assert classify(url) is None


# --- Papers ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "ident"),
    [
        ("https://arxiv.org/abs/2407.21783", "2407.21783"),  # Llama 3 herd paper
        ("https://arxiv.org/abs/2412.19437v2", "2412.19437"),  # DeepSeek-V3: version stripped
        ("https://arxiv.org/pdf/2411.15124v3", "2411.15124"),  # Tülu 3
        ("https://arxiv.org/pdf/2411.15124v3.pdf", "2411.15124"),
        ("https://arxiv.org/html/2501.00656v1", "2501.00656"),  # OLMo 2
        ("https://export.arxiv.org/abs/2409.17146", "2409.17146"),  # Molmo
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),  # four-digit sequence (pre-2015 style)
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),  # old-style id
        ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
    ],
)
def test_arxiv_ids(url: str, ident: str) -> None:
    art = classify(url)
    assert art is not None
    assert (art.kind, art.ident, art.host) == ("paper", ident, "arxiv.org")


@pytest.mark.parametrize(
    "url",
    ["https://arxiv.org/list/cs.CL/recent", "https://arxiv.org/abs/", "https://arxiv.org/a/lambert_n_1"],
)
def test_arxiv_listing_pages_are_not_papers(url: str) -> None:
    assert classify(url) is None


@pytest.mark.parametrize(
    ("url", "kind", "ident"),
    [
        # OpenReview forum and PDF links carry the paper id in the query, not the path.
        ("https://openreview.net/forum?id=uccHPGDlao", "paper", None),
        ("https://openreview.net/pdf?id=uccHPGDlao", "paper", None),
        ("https://aclanthology.org/2023.acl-long.754/", "paper", "2023.acl-long.754"),
        ("https://aclanthology.org/2023.acl-long.754.pdf", "paper", "2023.acl-long.754"),
        ("https://doi.org/10.48550/arXiv.2306.05685", "paper", None),  # MT-Bench paper's arXiv DOI
        (
            "https://proceedings.neurips.cc/paper_files/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html",
            "paper",
            None,
        ),
        # A PDF anywhere else: the dropout paper on its author's page.
        ("https://www.cs.toronto.edu/~hinton/absps/JMLRdropout.pdf", "pdf", None),
        ("https://example.org/Report.PDF", "pdf", None),
    ],
)
def test_other_papers_and_pdfs(url: str, kind: str, ident: str | None) -> None:
    assert kind_ident(url) == (kind, ident)


def test_openreview_group_page_is_not_a_paper() -> None:
    assert classify("https://openreview.net/group?id=ICLR.cc/2024/Conference") is None


# --- Packages, notebooks, weight hosts, demos, APIs --------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://pypi.org/project/vllm/", ("package", "vllm")),
        ("https://pypi.org/project/MergeKit/", ("package", "mergekit")),  # PyPI names are case-insensitive
        ("https://colab.research.google.com/drive/1Zmaceu65d7w4Tcd-cfnZRb6k_Tcv2b8g", ("notebook", None)),
        ("https://ollama.com/library/llama3.1", ("model", "llama3.1")),
        ("https://www.kaggle.com/models/google/gemma", ("model", "google/gemma")),
        ("https://modelscope.cn/models/qwen/Qwen2-7B", ("model", "qwen/Qwen2-7B")),
        ("https://playground.allenai.org/", ("demo", None)),  # named in the samples (Tülu 3)
        ("https://api.openai.com/v1/chat/completions", ("api", None)),
        ("https://docs.mistral.ai/api/", ("api", None)),
        ("https://zenodo.org/records/10997954", ("dataset", None)),
    ],
)
def test_packages_notebooks_weight_hosts_demos_apis(url: str, expected: tuple[str, str | None]) -> None:
    assert kind_ident(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://ollama.com/library",  # the index, no model named
        "https://ollama.com/",
        "https://pypi.org/search/?q=vllm",
    ],
)
def test_index_pages_of_artefact_hosts_are_not_artefacts(url: str) -> None:
    assert classify(url) is None


# Ordinary links: seed 002's most shared links and the podcasts' own pages.
@pytest.mark.parametrize(
    "url",
    [
        "https://www.descript.com/",
        "https://notebooklm.google.com/",
        "https://www.perplexity.ai/",
        "https://twitter.com/swyx",
        "https://www.latent.space/p/carlini",
        "https://www.interconnects.ai/p/to-meta-ray-ban-local-ai",
        "https://api.x.com/2/tweets",  # an API host, but social media's
        "https://www.example.com/tryptophan",
        "not a url",
        "",
        "https://[::1/broken",
    ],
)
def test_ordinary_links_are_none(url: str) -> None:
    assert classify(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://sam2.metademolab.com/demo",  # SAM 2's public demo (named in the samples' SAM 2 release)
        "https://sam2.metademolab.com/demo/",
        "https://www.example.com/x/demo",
    ],
)
def test_demo_paths(url: str) -> None:
    # The first path segment counts too (it once did not: the cheap pre-filter wanted "/demo").
    art = classify(url)
    assert art is not None and art.kind == "demo"


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Democracy",
        "https://en.wikipedia.org/wiki/Demography",
        "https://en.wikipedia.org/wiki/Tryptophan",
    ],
)
def test_words_starting_with_demo_or_try_are_not_demos(url: str) -> None:
    assert classify(url) is None


def test_extract_dedupes_artefacts_by_identity() -> None:
    # The same paper as abs, pdf and versioned links counts once; so does one repo linked twice.
    item = Item(
        key="k",
        text="",
        links=[
            "https://arxiv.org/abs/2412.19437",
            "https://arxiv.org/pdf/2412.19437v1",
            "https://github.com/deepseek-ai/DeepSeek-V3",
            "https://github.com/deepseek-ai/DeepSeek-V3/blob/main/README_WEIGHTS.md",
            "https://huggingface.co/deepseek-ai/DeepSeek-V3",
        ],
    )
    ext = extract(item)
    assert [(a.kind, a.ident) for a in ext.artefacts] == [
        ("paper", "2412.19437"),
        ("code", "deepseek-ai/DeepSeek-V3"),
        ("model", "deepseek-ai/DeepSeek-V3"),
    ]
