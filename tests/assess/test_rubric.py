"""The rubric: default weights, grade thresholds, user overrides and the version they imply."""

from __future__ import annotations

import re

import pytest

from highsignal.assess import assess, default_rubric, with_overrides
from highsignal.errors import HighsignalError
from highsignal.records import Item

# deepseek-ai/DeepSeek-V3 README.md: opening sentence and a Hub link (R1.open_weights).
DEEPSEEK = Item(
    key="k",
    title="DeepSeek-V3",
    text=(
        "We present DeepSeek-V3, a strong Mixture-of-Experts (MoE) language model with 671B total parameters with "
        "37B activated for each token. Download: https://huggingface.co/deepseek-ai/DeepSeek-V3"
    ),
)


def test_default_rubric_is_well_formed() -> None:
    r = default_rubric()
    assert r.version
    assert r.medium <= r.high
    assert r.weights, "no weights"
    for signal_id, weight in r.weights.items():
        assert re.fullmatch(r"R\d+\.[a-z_]+", signal_id), signal_id
        assert weight != 0, signal_id
    # The default is loaded once.
    assert default_rubric() is r


@pytest.mark.parametrize(
    ("item", "source_kind"),
    [
        (DEEPSEEK, None),
        # Huberman Lab show notes (podscripts.co).
        (
            Item(key="k", title="ep", text="Thank you to our sponsors AG1: https://athleticgreens.com/huberman"),
            "podcast",
        ),
        # arXiv:2305.12477 abstract.
        (
            Item(
                key="k",
                title="GPT-3.5, GPT-4, or BARD?",
                url="https://arxiv.org/abs/2305.12477",
                text="In this paper, we examine the performance of GPT-3.5, GPT-4, and BARD models.",
                authors=["Jahan", "Laskar"],
            ),
            None,
        ),
    ],
)
def test_every_signal_a_rule_emits_has_a_weight(item: Item, source_kind: str | None) -> None:
    from highsignal.assess import SourceFacts

    r = default_rubric()
    result = assess(item, source=SourceFacts(content_kind=source_kind))
    assert result.signals
    for s in result.signals:
        assert s.id in r.weights, f"{s.id} has no weight in rubric.toml"
        assert s.weight == r.weights[s.id]
        assert s.polarity == ("-" if s.weight < 0 else "+")


def test_grade_thresholds() -> None:
    r = default_rubric()
    assert r.grade(100) == "high"
    assert r.grade(r.high) == "high"
    assert r.grade(r.high - 1) == "medium"
    assert r.grade(r.medium) == "medium"
    assert r.grade(r.medium - 1) == "low"
    assert r.grade(0) == "low"


def test_no_overrides_is_the_same_rubric() -> None:
    r = default_rubric()
    assert with_overrides(r, None) is r
    assert with_overrides(r, {}) is r
    # Overrides that restate the defaults change nothing, not even the version.
    same = with_overrides(r, {"weights": {"R1.open_weights": r.weights["R1.open_weights"]}, "grades": {"high": r.high}})
    assert same.version == r.version


def test_weight_override_changes_weight_and_version() -> None:
    r = default_rubric()
    custom = with_overrides(r, {"weights": {"R1.open_weights": 30}})
    assert custom.weight("R1.open_weights") == 30.0
    assert custom.version.startswith(r.version + "+")
    assert custom.version != r.version
    # The shipped default is not modified.
    assert custom.weights is not r.weights
    assert default_rubric().weight("R1.open_weights") == r.weights["R1.open_weights"] != 30.0
    # The version is a function of the overrides: same overrides, same version; others, another.
    assert with_overrides(r, {"weights": {"R1.open_weights": 30}}).version == custom.version
    assert with_overrides(r, {"weights": {"R1.open_weights": 31}}).version != custom.version


def test_numbers_written_as_strings_are_accepted() -> None:
    custom = with_overrides(default_rubric(), {"weights": {"R7.sponsorship": "-8"}})
    assert custom.weight("R7.sponsorship") == -8.0


def test_unknown_signal_is_refused_and_named() -> None:
    with pytest.raises(HighsignalError) as err:
        with_overrides(default_rubric(), {"weights": {"R1.open_weigths": 30}})
    message = str(err.value)
    assert "'R1.open_weigths'" in message
    assert "R1.open_weights" in message  # the known ids are listed, so the typo is easy to spot


def test_non_numeric_weight_is_refused_and_named() -> None:
    with pytest.raises(HighsignalError, match=r"R1\.open_weights"):
        with_overrides(default_rubric(), {"weights": {"R1.open_weights": "lots"}})


def test_medium_above_high_is_refused() -> None:
    with pytest.raises(HighsignalError, match=r"medium \(70\.0\) is above high \(50\.0\)"):
        with_overrides(default_rubric(), {"grades": {"high": 50, "medium": 70}})
    # Only medium given, above the default high.
    with pytest.raises(HighsignalError, match="medium"):
        with_overrides(default_rubric(), {"grades": {"medium": default_rubric().high + 1}})


def test_medium_equal_to_high_is_allowed() -> None:
    r = with_overrides(default_rubric(), {"grades": {"high": 50, "medium": 50}})
    assert (r.grade(50), r.grade(49)) == ("high", "low")


def test_non_numeric_grade_is_refused() -> None:
    with pytest.raises(HighsignalError):
        with_overrides(default_rubric(), {"grades": {"high": "sixty"}})


def test_grade_override_changes_grades_and_version() -> None:
    r = default_rubric()
    strict = with_overrides(r, {"grades": {"high": 90, "medium": 70}})
    assert strict.version != r.version
    assert strict.grade(80) == "medium"
    assert r.grade(80) == "high"


def test_base_override() -> None:
    r = default_rubric()
    custom = with_overrides(r, {"base": r.base + 10})
    assert custom.base == r.base + 10
    assert custom.version != r.version


def test_assessment_records_the_effective_version() -> None:
    custom = with_overrides(default_rubric(), {"weights": {"R1.open_weights": 30}})
    assert assess(DEEPSEEK).rubric_version == default_rubric().version
    assert assess(DEEPSEEK, rubric=custom).rubric_version == custom.version
