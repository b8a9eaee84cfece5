"""The rubric's rules (R1, R3-R10) on short real snippets: what fires, what must not.

Every snippet is quoted from a public source named in the comment above it.
Items are built the way the parser builds them; rules are checked through
``assess`` unless a test needs a given item kind, in which case the rule is
called on a ``Context`` of that kind.
"""

from __future__ import annotations

import pytest

from highsignal.assess import (
    SourceFacts,
    assess,
    default_rubric,
    r1_access,
    r3_usable,
)
from highsignal.assess.context import Context
from highsignal.extract import extract
from highsignal.records import Assessment, Chapter, Extraction, Item, Person, Signal, TranscriptRef

PODCAST = SourceFacts(content_kind="podcast", declared_kind="podcast")


def run(text: str = "", *, source: SourceFacts | None = None, **fields) -> tuple[Assessment, Extraction]:
    item = Item(key="k", text=text, **fields)
    ext = extract(item)
    return assess(item, ext, source=source), ext


def ids(result: Assessment) -> set[str]:
    return {s.id for s in result.signals}


def signal(result: Assessment, signal_id: str) -> Signal:
    (s,) = [s for s in result.signals if s.id == signal_id]
    return s


def rule_with_kind(check, kind: str, text: str, **fields) -> list[Signal]:
    """Run one rule as if the item were of ``kind`` (the kind classifier is tested separately)."""
    item = Item(key="k", text=text, **fields)
    ctx = Context(item, extract(item), default_rubric(), SourceFacts())
    ctx.kind = kind
    return check(ctx)


# ---------------------------------------------------------------------------
# Real snippets shared by several rules.

# Huberman Lab, "Machines, Creativity & Love | Dr. Lex Fridman" show notes (podscripts.co).
HUBERMAN = (
    "Dr. Lex Fridman Ph.D., is a scientist at MIT (Massachusetts Institute of Technology), working on robotics, "
    "artificial intelligence, autonomous vehicles and human-robot interactions. He is also the host of the Lex "
    "Fridman Podcast where he holds conversations with academics, entrepreneurs, athletes and creatives. Read the "
    "full show notes for this episode at hubermanlab.com. Thank you to our sponsors AG1: "
    "https://athleticgreens.com/huberman LMNT: https://drinklmnt.com/hubermanlab Waking Up: "
    "https://wakingup.com/huberman Momentous: https://livemomentous.com/huberman Timestamps 00:00:00 Introduction: "
    "Lex Fridman 00:02:29 Sponsors: AG1, LMNT & Waking Up 00:07:35 What is Artificial Intelligence?"
)

# OpenAI, "Better language models and their implications" (2019), the GPT-2 announcement.
GPT2 = (
    "Our model, called GPT-2 (a successor to GPT), was trained simply to predict the next word in 40GB of Internet "
    "text. Due to our concerns about malicious applications of the technology, we are not releasing the trained model."
)

# LLaMA abstract (arXiv:2302.13971).
LLAMA = (
    "We introduce LLaMA, a collection of foundation language models ranging from 7B to 65B parameters. We train our "
    "models on trillions of tokens, and show that it is possible to train state-of-the-art models using publicly "
    "available datasets exclusively, without resorting to proprietary and inaccessible datasets. In particular, "
    "LLaMA-13B outperforms GPT-3 (175B) on most benchmarks, and LLaMA-65B is competitive with the best models, "
    "Chinchilla-70B and PaLM-540B. We release all our models to the research community."
)

# Hugging Face model card Jiayi-Pan/Tiny-Vicuna-1B (prose and Open LLM Leaderboard table).
TINY_VICUNA = """\
# Tiny Vicuna 1B
This model is a fine-tuned version of TinyLlama on WizardVicuna Dataset.
It should be fully compatible with Vicuna-v1.5 series.
This model is easy to iterate on for early experiments!
# Open LLM Leaderboard Evaluation Results
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

# Hugging Face model card beberik/Nyxene-v3-11B: a merge whose card is its leaderboard table.
NYXENE = """\
## Description
This repo contains bf16 files of Nyxene-v1-11B. Just new version with some new things.
I use mergekit for all the manipulation told here.
# Open LLM Leaderboard Evaluation Results
|             Metric              |Value|
|---------------------------------|----:|
|Avg.                             |70.72|
|AI2 Reasoning Challenge (25-Shot)|69.62|
|HellaSwag (10-Shot)              |85.33|
|MMLU (5-Shot)                    |64.75|
|TruthfulQA (0-shot)              |60.91|
|Winogrande (5-shot)              |80.19|
|GSM8k (5-shot)                   |63.53|
"""

# Hugging Face model card TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T (opening and leaderboard table).
TINYLLAMA = """\
# TinyLlama-1.1B
https://github.com/jzhang38/TinyLlama
The TinyLlama project aims to **pretrain** a **1.1B Llama model on 3 trillion tokens**. With some proper \
optimization, we can achieve this within a span of "just" 90 days using 16 A100-40G GPUs 🚀🚀. The training has \
started on 2023-09-01.
We adopted exactly the same architecture and tokenizer as Llama 2. This means TinyLlama can be plugged and played \
in many open-source projects built upon Llama. Besides, TinyLlama is compact with only 1.1B parameters.
|             Metric              |Value|
|---------------------------------|----:|
|Avg.                             |36.42|
|AI2 Reasoning Challenge (25-Shot)|33.87|
|HellaSwag (10-Shot)              |60.31|
|MMLU (5-Shot)                    |26.04|
|TruthfulQA (0-shot)              |37.32|
|Winogrande (5-shot)              |59.51|
|GSM8k (5-shot)                   | 1.44|
"""
TINYLLAMA_URL = "https://huggingface.co/TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"


# ---------------------------------------------------------------------------
# Podcast show notes are commentary: judged as commentary.


def test_podcast_show_notes_with_sponsor_read() -> None:
    result, _ = run(HUBERMAN, title="Machines, Creativity & Love | Dr. Lex Fridman", source=PODCAST)
    assert result.item_kind == "commentary"
    s = signal(result, "R7.sponsorship")
    assert s.weight < 0 and "our sponsors" in s.evidence
    # A podcast ships no weights and announces nothing: it is not marked down for that.
    assert not ids(result) & {"R1.not_released", "R1.waitlist", "R9.bare_announcement", "R4.leaderboard_only"}
    # "MIT" here is the university.
    assert "R8.license_stated" not in ids(result)
    assert result.flags["license_stated"] is False


def test_podcast_kind_comes_from_the_source_or_the_enclosure() -> None:
    from highsignal.records import Enclosure

    by_source, _ = run(GPT2, title="ep", source=SourceFacts(content_kind="podcast"))
    by_audio, _ = run(GPT2, title="ep", enclosure=Enclosure(url="https://cdn.example/ep.mp3", type="audio/mpeg"))
    assert by_source.item_kind == by_audio.item_kind == "commentary"
    # Quoting "we are not releasing" in an episode is not the episode holding anything back.
    assert "R1.not_released" not in ids(by_source)


# ---------------------------------------------------------------------------
# R1 Access


def test_r1_open_weights_from_a_hub_link() -> None:
    # deepseek-ai/DeepSeek-V3 README.md: the opening sentence and the download table.
    text = (
        "We present DeepSeek-V3, a strong Mixture-of-Experts (MoE) language model with 671B total parameters with "
        "37B activated for each token.\n"
        "| **Model** | **#Total Params** | **#Activated Params** | **Context Length** | **Download** |\n"
        "| :------------: | :------------: | :------------: | :------------: | :------------: |\n"
        "| DeepSeek-V3   | 671B | 37B |  128K   | "
        "[🤗 Hugging Face](https://huggingface.co/deepseek-ai/DeepSeek-V3)   |\n"
    )
    result, _ = run(text, title="DeepSeek-V3", url="https://github.com/deepseek-ai/DeepSeek-V3")
    s = signal(result, "R1.open_weights")
    assert s.url == "https://huggingface.co/deepseek-ai/DeepSeek-V3"
    assert result.flags["open_weights"] is True


def test_r1_no_weights_no_signal() -> None:
    # Seed 001, "The interface era of AI": an essay that names models but links none.
    text = (
        "The primary proxies folks use for vibes evals are MT Bench and AlpacaEval, the popular LLM-as-a-judge "
        "benchmarks. The good thing about these is that they scale nicely for any model size."
    )
    result, _ = run(text, title="The interface era of AI")
    assert not ids(result) & {"R1.open_weights", "R1.demo_or_api"}
    assert result.flags["open_weights"] is False


def test_r1_demo_link() -> None:
    # samples/lab_blog.atom, Tülu 3: the public playground Ai2 points to.
    result, _ = run("Try the models in the Ai2 playground.", title="Tülu 3", links=["https://playground.allenai.org/"])
    assert signal(result, "R1.demo_or_api").url == "https://playground.allenai.org/"
    assert result.flags["demo_or_api"] is True


def test_r1_a_leaderboard_space_is_no_demo() -> None:
    # The samples README's trap: the Open LLM Leaderboard Space is a leaderboard, not a demo of the model.
    result, _ = run(
        "Open LLM Leaderboard Evaluation Results",
        title="merge",
        links=["https://huggingface.co/spaces/HuggingFaceH4/open_llm_leaderboard"],
    )
    assert "R1.demo_or_api" not in ids(result)


def test_r1_not_released_for_an_announcement_only() -> None:
    announcement = rule_with_kind(r1_access.check, "announcement", GPT2, title="Better Language Models")
    commentary = rule_with_kind(r1_access.check, "commentary", GPT2, title="Better Language Models")
    (held,) = [s for s in announcement if s.id == "R1.not_released"]
    assert "we are not releasing the trained model" in held.evidence
    assert held.weight < 0
    assert [s.id for s in commentary] == []


def test_r1_waitlist() -> None:
    # OpenAI's GPT-4 announcement (March 2023).
    text = (
        "GPT-4 is available on ChatGPT Plus and as an API for developers to build applications and services. To "
        "get access to the GPT-4 API (which uses the same ChatCompletions API as gpt-3.5-turbo), please sign up "
        "for our waitlist."
    )
    announcement = rule_with_kind(r1_access.check, "announcement", text, title="GPT-4")
    assert "R1.waitlist" in [s.id for s in announcement]
    assert "R1.waitlist" not in [s.id for s in rule_with_kind(r1_access.check, "commentary", text, title="GPT-4")]


def test_r1_proprietary_datasets_are_not_a_withheld_model() -> None:
    result, _ = run(LLAMA, title="LLaMA: Open and Efficient Foundation Language Models")
    assert "R1.not_released" not in ids(result)


def test_r1_released_without_restrictions() -> None:
    # Mistral AI, "Mistral 7B" announcement (September 2023).
    text = "We’re releasing Mistral 7B under the Apache 2.0 license, it can be used without restrictions."
    result, _ = run(text, title="Mistral 7B")
    assert result.item_kind == "release"
    assert "R1.open_weights" in ids(result)


def test_r1_releasing_later_is_not_released() -> None:
    text = "We're releasing Mistral 7B soon under the Apache 2.0 license, once the red-teaming is done."
    result, _ = run(text, title="Mistral 7B")
    assert "R1.open_weights" not in ids(result)


# ---------------------------------------------------------------------------
# R3 Usable


def test_r3_code_and_compute() -> None:
    result, _ = run(TINYLLAMA, title="TinyLlama-1.1B", url=TINYLLAMA_URL)
    assert signal(result, "R3.code_released").url == "https://github.com/jzhang38/TinyLlama"
    assert "A100" in signal(result, "R3.compute_stated").evidence
    assert result.flags["code_released"] and result.flags["compute_stated"]


def test_r3_usage_example_and_library() -> None:
    # Hugging Face model card dnhkng/RYS-XLarge, "Quickstart".
    text = (
        "## Quickstart\n"
        "Here is a code snippet with `apply_chat_template` to show you how to load the tokenizer and model and how "
        "to generate content.\n"
        "```python\n"
        "from transformers import AutoModelForCausalLM, AutoTokenizer\n"
        'device = "cuda" # the device to load the model onto\n'
        "model = AutoModelForCausalLM.from_pretrained(\n"
        '    "dnhkng/RYS-XLarge",\n'
        "```\n"
    )
    result, ext = run(text, title="RYS-XLarge")
    assert signal(result, "R3.usage_examples").flag == "usage_examples"
    assert "transformers" in signal(result, "R3.library_support").message
    assert ext.code_blocks == 1


def test_r3_code_promised_is_not_code() -> None:
    # AdaMem abstract (arXiv:2603.16496).
    text = (
        "We evaluate AdaMem on the LoCoMo and PERSONAMEM benchmarks for long-horizon reasoning and user modeling. "
        "Experimental results show that AdaMem achieves state-of-the-art performance on both benchmarks. The code "
        "will be released upon acceptance."
    )
    result, _ = run(text, title="AdaMem", url="https://arxiv.org/abs/2603.16496")
    assert signal(result, "R3.code_promised").evidence == "The code will be released upon acceptance."
    assert "R3.code_released" not in ids(result)
    assert result.flags["code_released"] is False


def test_r3_library_repository_is_not_released_code() -> None:
    # Linking transformers says where a model runs, not that the item released code.
    signals = rule_with_kind(
        r3_usable.check, "release", "Requires transformers.", links=["https://github.com/huggingface/transformers"]
    )
    assert "R3.code_released" not in [s.id for s in signals]


def test_r3_a_number_format_is_not_a_compute_statement() -> None:
    # Seed 002, "Efficiency is Coming" show notes: the title of an NVIDIA blog post.
    text = "Show Notes:\n* Improving INT8 Accuracy Using Quantization Aware Training and the NVIDIA TAO Toolkit"
    result, _ = run(text, title="Efficiency is Coming", source=PODCAST)
    assert "R3.compute_stated" not in ids(result)


# ---------------------------------------------------------------------------
# R4 Leaderboards as the only claim


def test_r4_leaderboard_only_merge_card() -> None:
    result, _ = run(NYXENE, title="beberik/Nyxene-v3-11B", url="https://huggingface.co/beberik/Nyxene-v3-11B")
    assert {"R4.leaderboard_only", "R4.unproven_method"} <= ids(result)
    assert result.flags["leaderboard_only"] is True
    assert "mergekit" in signal(result, "R4.unproven_method").evidence


def test_r4_card_with_code_and_method_is_not_leaderboard_only() -> None:
    result, _ = run(TINYLLAMA, title="TinyLlama-1.1B", url=TINYLLAMA_URL)
    assert "R4.leaderboard_only" not in ids(result)
    assert result.flags["leaderboard_only"] is False


def test_r4_card_with_paper_is_not_leaderboard_only() -> None:
    # The merge-method line mergekit writes into its cards (here from a DARE merge's card).
    method = "This model was merged using the [Linear DARE](https://arxiv.org/abs/2311.03099) merge method."
    result, _ = run(NYXENE + method, title="Nyxene-v3-11B")
    assert "R4.leaderboard_only" not in ids(result)


def test_r4_commentary_quoting_scores_is_not_judged() -> None:
    # An essay or episode discussing a leaderboard is not the one making the claim.
    result, _ = run(NYXENE, title="Nyxene-v3-11B", source=PODCAST)
    assert "R4.leaderboard_only" not in ids(result)


# ---------------------------------------------------------------------------
# R5 No free lunch


def test_r5_near_chance_score() -> None:
    result, _ = run(
        TINY_VICUNA, title="Jiayi-Pan/Tiny-Vicuna-1B", url="https://huggingface.co/Jiayi-Pan/Tiny-Vicuna-1B"
    )
    s = signal(result, "R5.near_chance")
    assert "25.45 on MMLU" in s.message and "25%" in s.message
    assert "25.45" in s.evidence
    assert result.flags["near_chance_score"] is True


def test_r5_scores_well_above_chance_or_without_chance_level() -> None:
    # Nyxene: MMLU 64.75 is far from 25%; TinyLlama's GSM8K 1.44 is free-form (no chance level).
    result, _ = run(NYXENE, title="Nyxene-v3-11B")
    assert "R5.near_chance" not in ids(result)
    result, _ = run("|GSM8k (5-shot)| 1.44|\n|HellaSwag (10-Shot)|60.31|", title="TinyLlama")
    assert "R5.near_chance" not in ids(result)


def test_r5_small_beats_big() -> None:
    result, _ = run(LLAMA, title="LLaMA", url="https://arxiv.org/abs/2302.13971")
    s = signal(result, "R5.small_beats_big")
    assert "LLaMA-13B outperforms GPT-3 (175B)" in s.evidence
    assert result.flags["small_beats_big_claim"] is True


def test_r5_modest_size_gap_is_fine() -> None:
    # Mistral 7B announcement, first bullet: 13B is less than 3x 7B.
    result, _ = run("Mistral 7B outperforms Llama 2 13B on all benchmarks.", title="Mistral 7B")
    assert "R5.small_beats_big" not in ids(result)
    assert result.flags["small_beats_big_claim"] is False


def test_r5_small_big_phrase_without_sizes() -> None:
    # Phi-2 announcement, with "25x" written as "25 times" (see the scan tests for "25x").
    result, _ = run("Phi-2 matches or outperforms models up to 25 times larger.", title="Phi-2")
    assert "R5.small_beats_big" in ids(result)


# ---------------------------------------------------------------------------
# R6 Reproducible


# arXiv:2305.12477 abstract: GPT-3.5, GPT-4 and Bard, prompted.
CLOSED_ONLY = (
    "In this paper, we examine the performance of GPT-3.5, GPT-4, and BARD models, by performing a thorough "
    "technical evaluation on different reasoning tasks across eleven distinct datasets. Our paper provides "
    "empirical evidence showcasing the superior performance of ChatGPT-4 in comparison to both ChatGPT-3.5 and "
    "BARD in zero-shot setting throughout almost all evaluated tasks."
)


def test_r6_closed_model_only() -> None:
    result, _ = run(CLOSED_ONLY, title="GPT-3.5, GPT-4, or BARD?", url="https://arxiv.org/abs/2305.12477")
    s = signal(result, "R6.closed_model_only")
    assert "gpt-4" in s.message and "no model version pinned" in s.message
    assert result.flags["closed_model_only"] is True


def test_r6_pinned_version_is_noted() -> None:
    text = CLOSED_ONLY + " All queries used gpt-4-0613."
    result, _ = run(text, title="GPT-3.5, GPT-4, or BARD?", url="https://arxiv.org/abs/2305.12477")
    assert "version pinned" in signal(result, "R6.closed_model_only").message
    assert "no model version pinned" not in signal(result, "R6.closed_model_only").message


def test_r6_open_model_evaluated_too() -> None:
    # arXiv:2408.08781 abstract: GPT4 and Llama3.
    text = (
        "LLMs-as-a-judge is a recently popularized method which replaces human judgements in task evaluation "
        "(Zheng et al. 2024) with automatic evaluation using LLMs. Due to widespread use of RLHF (Reinforcement "
        "Learning from Human Feedback), state-of-the-art LLMs like GPT4 and Llama3 are expected to have strong "
        "alignment with human preferences when prompted for a quality judgement, such as the coherence of a text."
    )
    result, _ = run(text, title="Evaluating the Evaluator", url="https://arxiv.org/abs/2408.08781")
    assert "R6.closed_model_only" not in ids(result)
    assert result.flags["closed_model_only"] is False


def test_r6_closed_models_in_commentary_are_not_a_study() -> None:
    result, _ = run(CLOSED_ONLY, title="Episode 12", source=PODCAST)
    assert "R6.closed_model_only" not in ids(result)


def test_r6_data_released() -> None:
    # OLMo abstract (arXiv:2402.00838).
    text = (
        "Unlike most prior efforts that have only released model weights and inference code, we release OLMo "
        "alongside open training data and training and evaluation code."
    )
    result, _ = run(text, title="OLMo", url="https://arxiv.org/abs/2402.00838")
    assert signal(result, "R6.data_released").flag == "data_released"
    assert result.flags["data_released"] is True


def test_r6_data_link() -> None:
    result, _ = run(
        "Dolma, the pretraining corpus.",
        title="Dolma",
        url="https://allenai.org/dolma",
        links=["https://huggingface.co/datasets/allenai/dolma"],
    )
    assert signal(result, "R6.data_released").url == "https://huggingface.co/datasets/allenai/dolma"


def test_r6_data_promised_is_not_released() -> None:
    # A public repository's README (FreqSal), with "and data" added: "The paper is undergoing peer
    # review. The code will be released upon acceptance of the paper."
    text = "The paper is undergoing peer review. The code and data will be released upon acceptance of the paper."
    result, _ = run(text, title="FreqSal", url="https://arxiv.org/abs/2411.18409")
    assert "R6.data_released" not in ids(result)


# ---------------------------------------------------------------------------
# R7 Incentives


def test_r7_referral_code() -> None:
    # Lex Fridman Podcast AMA (January 2021), sponsor read as auto-transcribed on happyscribe.com.
    text = (
        "This episode is brought to you by Brooklynese Sheets. To help you with that, Brooklyn has a special "
        "offer. Go to Brooklyn and Dotcom and use promo code leks to get twenty five dollars off when you spend "
        "one hundred dollars more plus free shipping."
    )
    result, _ = run(text, title="Lex Fridman: Ask Me Anything", source=PODCAST)
    assert {"R7.sponsorship", "R7.referral"} <= ids(result)
    assert "promo code" in signal(result, "R7.referral").message


def test_r7_clickbait() -> None:
    # Seed 002, Latent Space transcript.
    text = (
        "We recorded our episode the day that Red Pajama was open source and we were like, oh man, this is mind "
        "blowing. This is going to be crazy."
    )
    result, _ = run(text, title="episode", source=PODCAST)
    assert "mind blowing" in signal(result, "R7.clickbait").message


def test_r7_press_release() -> None:
    # Infosys and NVIDIA press release, 20 September 2023.
    text = (
        "Bengaluru, India and Santa Clara, California – September 20, 2023 Infosys (NSE, BSE, NYSE: INFY), a "
        "global leader in next-generation digital services and consulting, and NVIDIA (NASDAQ: NVDA) today "
        "announced that they have expanded their strategic collaboration with the aim to help enterprises "
        "worldwide, drive productivity gains with generative AI applications and solutions."
    )
    result, _ = run(text, title="Infosys and NVIDIA Collaborate")
    assert result.item_kind == "announcement"
    assert "R7.press_release" in ids(result)


def test_r7_vendor_source() -> None:
    result, _ = run(GPT2, title="GPT-2", source=SourceFacts(declared_kind="vendor"))
    assert signal(result, "R7.vendor_source").evidence == "declared kind: vendor"


def test_r7_research_abstract_has_no_incentive_signals() -> None:
    result, _ = run(CLOSED_ONLY, title="GPT-3.5, GPT-4, or BARD?", url="https://arxiv.org/abs/2305.12477")
    assert not {i for i in ids(result) if i.startswith("R7.")}


# ---------------------------------------------------------------------------
# R8 Care: licence, documentation, chapters


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # Mistral 7B announcement.
        ("We’re releasing Mistral 7B under the Apache 2.0 license, it can be used without restrictions.", "apache-2.0"),
        # File header in Meta's Llama 3 repositories.
        (
            "This software may be used and distributed in accordance with the terms of the Llama 3 Community "
            "License Agreement.",
            "llama3",
        ),
        # A public repository's README.
        ("Source code in this repository is released under the [MIT License](LICENSE).", "mit"),
    ],
)
def test_r8_licence_named(text: str, key: str) -> None:
    result, _ = run(text, title="t")
    s = signal(result, "R8.license_stated")
    assert key in s.message
    assert "restrictive" not in s.message
    assert result.flags["license_stated"] is True


def test_r8_non_commercial_licence_is_noted_as_restrictive() -> None:
    # Hugging Face model card OpenLLM-France/Claire-Mistral-7B-0.1.
    text = (
        "Given that some of the corpora used for training are only available under CC-BY-NC-SA licenses, "
        "Claire-7B-0.1 is also made available under a CC-BY-NC-SA license."
    )
    result, _ = run(text, title="Claire-Mistral-7B-0.1")
    s = signal(result, "R8.license_stated")
    assert "restrictive" in s.message and "cc-by-nc-sa-4.0" in s.message


def test_r8_mit_researchers_is_no_licence() -> None:
    result, _ = run(HUBERMAN, title="Machines, Creativity & Love")
    assert "R8.license_stated" not in ids(result)


def test_r8_documentation() -> None:
    # Section headings of a Hugging Face model card (the standard template).
    text = "## Model Details\n## Intended Use\n## Limitations\n## Citation\n"
    result, _ = run(text, title="card")
    s = signal(result, "R8.documentation")
    assert "limitations" in s.message and "intended use" in s.message


def test_r8_one_docs_word_is_not_documentation() -> None:
    result, _ = run("## Limitations\nNone known.", title="card")
    assert "R8.documentation" not in ids(result)


def test_r8_chapters_and_transcript() -> None:
    # Seed 002, "Efficiency is Coming" timestamps.
    chapters = [
        Chapter(start=0.0, title="Intro from Suno"),
        Chapter(start=197.0, title="Nyla's path from Astrophysics to LLMs"),
    ]
    result, _ = run(
        "Today’s guest, Nyla Worker, a senior PM at Nvidia, Convai, and now Google.",
        title="Efficiency is Coming",
        source=PODCAST,
        chapters=chapters,
        transcripts=[TranscriptRef(url="https://cdn.example/ep.vtt", type="text/vtt")],
    )
    assert signal(result, "R8.chapters_or_transcript").message == "provides chapters and a transcript"
    plain, _ = run("Today’s guest, Nyla Worker.", title="Efficiency is Coming", source=PODCAST)
    assert "R8.chapters_or_transcript" not in ids(plain)


# ---------------------------------------------------------------------------
# R9 Disclosure


def test_r9_paper_link() -> None:
    result, _ = run(LLAMA, title="LLaMA", url="https://arxiv.org/abs/2302.13971")
    s = signal(result, "R9.paper_or_report")
    assert "arXiv:2302.13971" in s.message
    assert result.flags["paper_or_report"] is True


def test_r9_commentary_linking_primary_sources() -> None:
    # Seed 003 (Interconnects, "The state of post-training in 2025") with the arXiv ids the samples name.
    text = (
        "In 2025 we need to disambiguate three intertwined topics: post-training, reasoning, and inference-time "
        "compute. Tülu 3 (arXiv:2411.15124) and OLMo 2 (arXiv:2501.00656) are the open recipes."
    )
    result, _ = run(text, title="The state of post-training in 2025", source=PODCAST)
    assert "2 primary sources" in signal(result, "R9.primary_sources").message


def test_r9_bare_announcement() -> None:
    # Short release post with nothing linked (Mistral 7B's one-line licence statement).
    text = "We’re releasing Mistral 7B under the Apache 2.0 license, it can be used without restrictions."
    result, _ = run(text, title="Mistral 7B")
    assert result.item_kind == "release"
    assert "R9.bare_announcement" in ids(result)
    assert result.flags["paper_or_report"] is False


def test_r9_commentary_is_never_a_bare_announcement() -> None:
    result, _ = run("We’re releasing a new episode.", title="ep", source=PODCAST)
    assert "R9.bare_announcement" not in ids(result)


# ---------------------------------------------------------------------------
# R10 Sources


def test_r10_people_and_source_kind() -> None:
    result, _ = run(
        "Audio essays about the latest developments in AI.",
        title="Interconnects",
        source=SourceFacts(content_kind="podcast", declared_kind="researcher"),
        persons=[Person(name="Nathan Lambert", role="host")],
    )
    assert signal(result, "R10.people_named").evidence == "Nathan Lambert"
    assert signal(result, "R10.source_kind").evidence == "declared kind: researcher"


def test_r10_authors_when_no_persons() -> None:
    item_authors = ["Hugo Touvron", "Thibaut Lavril", "Gautier Izacard", "Xavier Martinet"]
    result, _ = run(LLAMA, title="LLaMA", authors=item_authors)
    assert signal(result, "R10.people_named").message.endswith("and 1 more")


@pytest.mark.parametrize(
    ("mean", "count", "expected"),
    [
        (72.0, 12, "R10.track_record_good"),
        (20.0, 12, "R10.track_record_poor"),
        (20.0, 2, None),  # too few scored items to judge
        (50.0, 40, None),  # middling
    ],
)
def test_r10_track_record(mean: float, count: int, expected: str | None) -> None:
    result, _ = run("Audio essays.", title="t", source=SourceFacts(mean_score=mean, scored_items=count))
    found = {i for i in ids(result) if i.startswith("R10.track_record")}
    assert found == ({expected} if expected else set())


def test_r10_anonymous_unknown_source() -> None:
    result, _ = run(GPT2, title="GPT-2")
    assert not {i for i in ids(result) if i.startswith("R10.")}


# ---------------------------------------------------------------------------
# Evidence offsets: a span signal's offsets quote exactly its evidence.

PROSE_ITEMS = [
    dict(text=LLAMA, title="LLaMA", url="https://arxiv.org/abs/2302.13971"),
    dict(text=HUBERMAN, title="Machines, Creativity & Love", source=PODCAST),
    dict(
        text="The TinyLlama project aims to pretrain a 1.1B Llama model on 3 trillion tokens. With some proper "
        'optimization, we can achieve this within a span of "just" 90 days using 16 A100-40G GPUs.',
        title="TinyLlama",
    ),
]


@pytest.mark.parametrize("fields", PROSE_ITEMS, ids=["llama", "podcast", "tinyllama"])
def test_evidence_offsets_in_prose(fields: dict) -> None:
    source = fields.pop("source", None)
    result, ext = run(source=source, **fields)
    spans = [s for s in result.signals if s.start is not None]
    assert spans, "no span signal to check"
    for s in spans:
        assert ext.text[s.start : s.end] == s.evidence, s.id


LINE_ITEMS = [
    # A leaderboard table row (R5.near_chance) ...
    dict(text=TINY_VICUNA, title="Tiny-Vicuna-1B", url="https://huggingface.co/Jiayi-Pan/Tiny-Vicuna-1B"),
    # ... and a title, which the scanned text follows with a blank line (R6.closed_model_only).
    dict(text=CLOSED_ONLY, title="GPT-3.5, GPT-4, or BARD?", url="https://arxiv.org/abs/2305.12477"),
]


@pytest.mark.parametrize("fields", LINE_ITEMS, ids=["table-row", "title"])
def test_evidence_offsets_on_line_bounded_spans(fields: dict) -> None:
    result, ext = run(**fields)
    spans = [s for s in result.signals if s.start is not None]
    assert spans
    for s in spans:
        assert ext.text[s.start : s.end] == s.evidence, s.id


def test_evidence_offsets_always_locate_the_evidence() -> None:
    # The weaker guarantee that holds today: the span, stripped, is the evidence.
    for fields in [*PROSE_ITEMS, *LINE_ITEMS, dict(text=NYXENE, title="Nyxene")]:
        fields = dict(fields)
        source = fields.pop("source", None)
        result, ext = run(source=source, **fields)
        for s in result.signals:
            if s.start is not None:
                assert 0 <= s.start < s.end <= len(ext.text)
                assert ext.text[s.start : s.end].strip() == s.evidence, s.id


# ---------------------------------------------------------------------------
# What an item claims to be.


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        (dict(text=LLAMA, url="https://arxiv.org/abs/2302.13971"), "paper"),
        (dict(text="README", url="https://github.com/deepseek-ai/DeepSeek-V3"), "code"),
        (dict(text=NYXENE, url="https://huggingface.co/beberik/Nyxene-v3-11B"), "release"),
        (dict(text="hot take", url="https://x.com/swyx/status/1"), "social"),
        (dict(text=HUBERMAN), "commentary"),
        (dict(text="The blog post.", url="https://huggingface.co/blog/smollm"), "commentary"),
    ],
)
def test_item_kind(fields: dict, kind: str) -> None:
    result, _ = run(title="t", **fields)
    assert result.item_kind == kind
