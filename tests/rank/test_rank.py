"""The rank formula and its settings: transparent, bounded, and configurable with clear errors."""

from datetime import UTC, datetime, timedelta

import pytest

from highsignal.config import ConfigError
from highsignal.rank.focus import Focus
from highsignal.rank.rank import (
    RankSettings,
    ceiling,
    combine,
    freshness,
    prerank,
    reachable,
    rerank,
    settings_from_config,
    spread,
)
from highsignal.records import Candidate, Factors

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def cand(i, score, topics=(), days=0, source=1, title=None):
    return Candidate(i, source, NOW - timedelta(days=days), score, None, list(topics), None, title or f"item {i}")


def test_freshness_halves_every_half_life():
    assert freshness(NOW - timedelta(days=7), NOW, 7) == pytest.approx(0.5)
    assert freshness(NOW + timedelta(days=1), NOW, 7) == 1.0  # future dates are not fresher than now


def test_personal_weight_is_left_out_until_there_is_a_model():
    s = RankSettings()
    f = Factors(signal=0.8, focus=0.5, personal=None, corroboration=0.0, freshness=1.0)
    with_model = Factors(signal=0.8, focus=0.5, personal=0.0, corroboration=0.0, freshness=1.0)
    assert combine(f, s) > combine(with_model, s)


def test_a_strong_item_from_last_week_beats_a_weak_one_from_today():
    placed, _ = prerank([cand(1, 85, days=6), cand(2, 25, days=0)], focus=Focus(), settings=RankSettings(), now=NOW)
    assert [p.candidate.item_id for p in placed] == [1, 2]


def test_depth_mode_favours_deep_topics_and_drops_ignored_ones():
    focus = Focus(deep=["evaluation"], ignore=["hardware"])
    items = [cand(1, 60, [("hardware", 0.9)]), cand(2, 50, [("evaluation", 0.8)]), cand(3, 60, [("business", 0.7)])]
    placed, dropped = prerank(items, focus=focus, settings=RankSettings(), now=NOW)
    assert placed[0].candidate.item_id == 2
    assert placed[0].why and "Evaluation" in placed[0].why
    assert dropped == [(items[0], "ignored topic: Hardware")]


def test_muted_sources_phrases_and_read_items_are_left_out_with_reasons():
    items = [cand(1, 50, source=9), cand(2, 50, title="Sponsored: buy our GPUs"), cand(3, 50), cand(4, 50)]
    placed, dropped = prerank(
        items,
        focus=Focus(muted_phrases=["Sponsored"]),
        settings=RankSettings(),
        now=NOW,
        muted={9},
        states={3: "read"},
    )
    assert [p.candidate.item_id for p in placed] == [4]
    assert [reason for _, reason in dropped] == ["muted source", "muted phrase: sponsored", "already read"]


def test_breadth_mode_spreads_the_top_across_topics():
    items = [cand(i, 80 - i, [("agents", 0.9)]) for i in range(4)] + [cand(10, 70, [("robotics", 0.9)])]
    placed, _ = prerank(items, focus=Focus(mode="breadth"), settings=RankSettings(), now=NOW)
    order = [p.candidate.item_id for p in spread(placed, RankSettings())]
    assert order.index(10) < 3  # without spreading it would come fifth


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"rank": {"weights": {"signl": 1}}}, "unknown factor 'signl'"),
        ({"rank": {"half_life_days": 0}}, "half_life_days must be above 0"),
        ({"rank": {"freshness_weight": "high"}}, "freshness_weight must be a non-negative number"),
        ({"rank": {"weights": {"signal": 0, "focus": 0, "personal": 0, "corroboration": 0}}}, "cannot all be 0"),
    ],
)
def test_bad_rank_settings_are_named(table, message):
    with pytest.raises(ConfigError, match=message):
        settings_from_config(table)


def test_rank_settings_override_defaults():
    s = settings_from_config({"rank": {"half_life_days": 3, "weights": {"signal": 1.0}}})
    assert s.half_life_days == 3.0 and s.weights["signal"] == 1.0 and s.weights["focus"] == 0.30


@pytest.mark.parametrize("personal", [None, 0.2, 1.0])
@pytest.mark.parametrize("days", [0, 3, 30])
def test_ceiling_is_the_score_with_every_publisher_agreeing(personal, days):
    s = RankSettings()
    placed, _ = prerank(
        [cand(1, 70, [("evaluation", 0.6)], days=days)],
        focus=Focus(),
        settings=s,
        now=NOW,
        personal={1: personal} if personal is not None else None,
    )
    (p,) = placed
    top = ceiling(p, s)
    for others in (0, 1, 3, 12):
        rerank([p], {1: others}, s)
        assert p.rank_score <= top
    assert top - p.rank_score < 0.002  # tight: twelve publishers is as good as all of them


def test_reachable_keeps_every_item_that_could_pass_the_floor():
    s = RankSettings()
    items = [cand(i, 90 - i, days=i % 5) for i in range(60)]
    placed, _ = prerank(items, focus=Focus(), settings=s, now=NOW)
    floor = placed[9].rank_score
    n = reachable(placed, floor, s)
    assert 10 <= n < 60
    assert all(ceiling(p, s) < floor for p in placed[n:])
    assert ceiling(placed[n - 1], s) >= floor
    assert reachable(placed, 0.0, s) == 60
    assert reachable([], floor, s) == 0
