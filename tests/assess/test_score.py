"""Combining signals into a score: traceability, clamping, grades, flags, odd items."""

from __future__ import annotations

import pytest

from highsignal.assess import FLAGS, SourceFacts, assess, default_rubric, rescore, with_overrides
from highsignal.assess.score import combine
from highsignal.records import Item, Signal

# deepseek-ai/DeepSeek-V3 README.md: opening sentence and a Hub link (R1.open_weights).
DEEPSEEK = Item(
    key="k",
    title="DeepSeek-V3",
    content_hash="h-deepseek",
    text=(
        "We present DeepSeek-V3, a strong Mixture-of-Experts (MoE) language model with 671B total parameters with "
        "37B activated for each token. Download: https://huggingface.co/deepseek-ai/DeepSeek-V3"
    ),
)

# Hugging Face model card Jiayi-Pan/Tiny-Vicuna-1B (leaderboard table only): several negative signals.
TINY_VICUNA = Item(
    key="k",
    title="Jiayi-Pan/Tiny-Vicuna-1B",
    url="https://huggingface.co/Jiayi-Pan/Tiny-Vicuna-1B",
    text=(
        "|             Metric              |Value|\n"
        "|---------------------------------|----:|\n"
        "|HellaSwag (10-Shot)              |55.92|\n"
        "|MMLU (5-Shot)                    |25.45|\n"
        "|Winogrande (5-shot)              |58.41|\n"
    ),
)

# Seed 002: the French date line of an episode, and a French paragraph from a public repository
# (JohnNuwan/Biblio_IA, Cas-Usage/05-OpenLLM-France.md).
FRENCH = Item(
    key="k",
    title="Efficiency is Coming",
    text=(
        "mardi 3 septembre 2024 • Duration 01:05:18\n"
        "L'initiative part d'un constat simple : nous ne pouvons pas dépendre uniquement de \"boîtes noires\" "
        "américaines pour nos données sensibles (santé, défense, administration)."
    ),
)

ITEMS = [DEEPSEEK, TINY_VICUNA, FRENCH, Item(key="empty"), Item(key="t", title="Efficiency is Coming")]


@pytest.mark.parametrize("item", ITEMS, ids=["deepseek", "tiny-vicuna", "french", "empty", "title-only"])
def test_score_is_base_plus_weights_clamped(item: Item) -> None:
    r = default_rubric()
    result = assess(item)
    total = r.base_for(result.item_kind) + sum(s.weight for s in result.signals)
    assert result.base == r.base_for(result.item_kind)
    assert result.score == round(min(100.0, max(0.0, total)))
    assert 0 <= result.score <= 100
    assert result.grade == r.grade(result.score)


@pytest.mark.parametrize("item", ITEMS, ids=["deepseek", "tiny-vicuna", "french", "empty", "title-only"])
def test_flags_have_all_keys_and_follow_signals(item: Item) -> None:
    result = assess(item)
    assert list(result.flags) == list(FLAGS)
    assert len(result.flags) == 13
    assert all(isinstance(v, bool) for v in result.flags.values())
    raised = {s.flag for s in result.signals if s.flag}
    assert {k for k, v in result.flags.items() if v} == raised


def test_weight_override_changes_the_score() -> None:
    r = default_rubric()
    before = assess(DEEPSEEK)
    assert "R1.open_weights" in {s.id for s in before.signals}
    custom = with_overrides(r, {"weights": {"R1.open_weights": r.weights["R1.open_weights"] + 5}})
    after = assess(DEEPSEEK, rubric=custom)
    assert after.score == before.score + 5
    assert after.rubric_version != before.rubric_version


def test_rescore_matches_a_fresh_assessment() -> None:
    custom = with_overrides(default_rubric(), {"weights": {"R1.open_weights": 1, "R5.near_chance": -40}})
    for item in (DEEPSEEK, TINY_VICUNA):
        old = assess(item)
        again = rescore(old, custom)
        fresh = assess(item, rubric=custom)
        assert (again.score, again.grade, again.flags, again.rubric_version) == (
            fresh.score,
            fresh.grade,
            fresh.flags,
            fresh.rubric_version,
        )
        assert [(s.id, s.weight, s.polarity, s.evidence) for s in again.signals] == [
            (s.id, s.weight, s.polarity, s.evidence) for s in fresh.signals
        ]
        assert again.notes == old.notes
        assert again.content_hash == old.content_hash


def test_rescore_flips_polarity_with_the_weight() -> None:
    custom = with_overrides(default_rubric(), {"weights": {"R1.open_weights": -3}})
    s = next(s for s in rescore(assess(DEEPSEEK), custom).signals if s.id == "R1.open_weights")
    assert (s.weight, s.polarity) == (-3.0, "-")


def test_score_clamps_at_zero() -> None:
    harsh = with_overrides(default_rubric(), {"weights": {"R5.near_chance": -500}})
    result = assess(TINY_VICUNA, rubric=harsh)
    assert result.score == 0
    assert result.grade == "low"


def test_score_clamps_at_hundred() -> None:
    generous = with_overrides(default_rubric(), {"weights": {"R1.open_weights": 500}})
    result = assess(DEEPSEEK, rubric=generous)
    assert result.score == 100
    assert result.grade == "high"


def test_combine_without_signals_is_the_base() -> None:
    r = default_rubric()
    result = combine([], r, item_kind="release", content_hash="h")
    assert result.score == round(r.base_for("release"))
    assert result.flags == dict.fromkeys(FLAGS, False)
    assert (result.item_kind, result.content_hash, result.signals) == ("release", "h", [])


def test_combine_rounds_fractional_weights() -> None:
    r = with_overrides(default_rubric(), {"base": 10})
    signals = [Signal("R10.people_named", "+", 0.6, "m", "e"), Signal("R10.source_kind", "+", 0.6, "m", "e")]
    assert combine(signals, r, item_kind="release").score == round(r.base_for("release") + 1.2)


def test_grade_follows_thresholds_after_override() -> None:
    r = with_overrides(default_rubric(), {"grades": {"high": 95, "medium": 90}})
    result = assess(DEEPSEEK, rubric=r)
    assert result.grade == r.grade(result.score)
    assert result.grade == ("high" if result.score >= 95 else "medium" if result.score >= 90 else "low")


# --- odd items -------------------------------------------------------------------------
def test_empty_item() -> None:
    result = assess(Item(key="empty"))
    assert result.signals == []
    assert any("no text" in n for n in result.notes)
    assert result.score == round(default_rubric().base_for(result.item_kind))


def test_title_only_item() -> None:
    result = assess(Item(key="t", title="Efficiency is Coming: 3000x Faster, Cheaper, Better AI Inference"))
    assert any("no text beyond its title" in n for n in result.notes)


def test_whitespace_only_text_counts_as_no_text() -> None:
    result = assess(Item(key="t", title="t", text="  \n\t "))
    assert any("no text" in n for n in result.notes)


def test_non_english_item() -> None:
    result = assess(FRENCH, source=SourceFacts(content_kind="podcast"))
    assert result.item_kind == "commentary"
    assert not any("no text" in n for n in result.notes)
    assert 0 <= result.score <= 100


def test_content_hash_is_carried() -> None:
    assert assess(DEEPSEEK).content_hash == "h-deepseek"
