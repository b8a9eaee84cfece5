"""Show analytics: history with gaps, cadence labels, duration buckets, shared links without boilerplate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from highsignal.podcast.analytics import (
    Episode,
    cadence,
    durations,
    history,
    normalise_link,
    shared_links,
)

T0 = datetime(2024, 1, 3, 9, tzinfo=UTC)


def test_history_keeps_empty_months_and_crosses_years() -> None:
    dates = [datetime(2023, 11, 5, tzinfo=UTC), datetime(2023, 11, 20, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)]
    assert history([*dates, None]) == [("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]
    assert history([None]) == []


@pytest.mark.parametrize(
    ("gaps", "label"),
    [([7] * 10, "weekly"), ([14] * 6, "fortnightly"), ([30, 31, 29, 30], "monthly"), ([1, 1, 1, 1], "daily")],
)
def test_cadence_labels_steady_shows(gaps: list[int], label: str) -> None:
    dates = [T0]
    for g in gaps:
        dates.append(dates[-1] + timedelta(days=g))
    c = cadence(reversed(dates))  # order of the input must not matter
    assert c.label == label
    assert c.median_gap_days == pytest.approx(sorted(gaps)[len(gaps) // 2], abs=1)
    assert c.regularity is not None and c.regularity > 0.9


def test_cadence_of_an_erratic_show_is_irregular() -> None:
    dates = [T0]
    for g in [1, 60, 2, 90, 1, 45, 3]:
        dates.append(dates[-1] + timedelta(days=g))
    c = cadence(dates)
    assert c.label == "irregular"
    assert c.regularity is not None and c.regularity < 0.2


def test_cadence_needs_three_episodes() -> None:
    assert cadence([T0, T0 + timedelta(days=7)]).regularity is None
    assert cadence([]).label == "too few episodes to tell"


def test_duration_buckets_and_median() -> None:
    d = durations([600, 1800, 3918, 7200, 9000, None, 0])
    assert d.count == 5
    assert d.median_minutes == pytest.approx(65.3, abs=0.1)
    assert dict(d.buckets)["0-15 min"] == 1 and dict(d.buckets)["120+ min"] == 2
    assert sum(n for _, n in d.buckets) == 5
    assert durations([]).median_minutes is None


def test_normalise_link_folds_spelling_and_drops_player_links() -> None:
    assert normalise_link("https://WWW.Example.com/paper/?utm_source=x#frag") == "https://example.com/paper"
    assert normalise_link("http://example.com/paper") == "https://example.com/paper"
    assert normalise_link("https://podcasts.apple.com/us/podcast/id123") is None
    assert normalise_link("mailto:hi@example.com") is None


def _ep(n: int, links: list[str]) -> Episode:
    return Episode(n, f"Ep {n}", T0 + timedelta(days=7 * n), 3600.0, links)


def test_shared_links_drop_boilerplate_and_count_other_sources() -> None:
    furniture = ["https://twitter.com/show", "https://show.example/subscribe"]
    episodes = [
        _ep(1, [*furniture, "https://arxiv.org/abs/2407.21783"]),
        _ep(2, [*furniture, "https://arxiv.org/abs/2407.21783", "https://github.com/a/b"]),
        _ep(3, [*furniture, "https://github.com/c/d"]),
        _ep(4, furniture),
    ]
    elsewhere = [(7, ["https://arxiv.org/abs/2407.21783?utm_medium=rss"]), (9, ["https://github.com/c/d/"])]
    links, boiler = shared_links(episodes, elsewhere)
    assert boiler == ["https://show.example/subscribe", "https://twitter.com/show"]
    by_url = {s.url: s for s in links}
    assert set(by_url) == {"https://arxiv.org/abs/2407.21783", "https://github.com/a/b", "https://github.com/c/d"}
    assert by_url["https://arxiv.org/abs/2407.21783"].episodes == 2
    assert by_url["https://arxiv.org/abs/2407.21783"].other_sources == [7]
    assert by_url["https://github.com/c/d"].other_sources == [9]
    assert links[0].url == "https://arxiv.org/abs/2407.21783"  # most used here and elsewhere


def test_small_shows_keep_every_link() -> None:
    # With three episodes a link under all of them may still be content; nothing is called boilerplate.
    episodes = [_ep(i, ["https://x.example/a"]) for i in range(3)]
    links, boiler = shared_links(episodes)
    assert boiler == [] and [s.url for s in links] == ["https://x.example/a"]
