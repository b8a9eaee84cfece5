"""The podcast feed quality score, judged on real fixture feeds run through the parser."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from highsignal.parse.feeds import parse_feed
from highsignal.podcast.quality import (
    GROUPS,
    NOT_A_PODCAST,
    FeedFacts,
    Quality,
    facts_from,
    is_podcast,
    is_well_formed,
    quality_json,
    score_feed,
)
from highsignal.records import Enclosure, FeedMeta, Item, ParsedFeed, Source

FIX = Path(__file__).parents[1] / "fixtures" / "parse"
NOW = datetime(2026, 2, 20, 12, tzinfo=UTC)
FALLTHROUGH = "rss2_fallthrough_podcast.xml"
FALLTHROUGH_URL = "https://feeds.transistor.fm/fallthrough"
FETCH_CHECKS = {"fetch.status", "fetch.validators", "fetch.errors", "fetch.content_type", "freshness.history"}


def parse(name: str, edit: Callable[[bytes], bytes] | None = None, url: str = FALLTHROUGH_URL) -> ParsedFeed:
    data = (FIX / name).read_bytes()
    return parse_feed(edit(data) if edit else data, url)


def facts(feed: ParsedFeed, url: str = FALLTHROUGH_URL, now: datetime = NOW, **fetch: object) -> FeedFacts:
    return FeedFacts(url=url, meta=feed.meta, items=feed.items, now=now, well_formed=is_well_formed(feed), **fetch)


def healthy_fetch() -> dict[str, object]:
    """What a clean 200 from a well-run host leaves behind."""
    return {
        "last_fetch": NOW,
        "status": 200,
        "content_type": "application/rss+xml; charset=utf-8",
        "has_etag": True,
        "has_last_modified": True,
        "error_streak": 0,
        "fetch_attempts": 30,
        "fetch_failures": 0,
    }


def back_catalogue(items: list[Item], gaps_days: list[float]) -> list[Item]:
    """The fixture's newest episode followed by older copies of its episodes, ``gaps_days`` apart.

    The fixture is cut to two episodes; cadence needs more, so the real
    episodes are repeated with their own GUIDs and dates further back.
    """
    out = [items[0]]
    when = items[0].published
    assert when is not None
    for n, gap in enumerate(gaps_days):
        when = when - timedelta(days=gap)
        src = items[(n + 1) % len(items)]
        out.append(dataclasses.replace(src, guid=f"{src.guid}-{n}", key=f"{src.key}-{n}", published=when))
    return out


def check(q: Quality, check_id: str):
    return next(c for c in q.checks if c.id == check_id)


def weekly_fallthrough(edit: Callable[[bytes], bytes] | None = None) -> ParsedFeed:
    feed = parse(FALLTHROUGH, edit)
    feed.items = back_catalogue(feed.items, [7.0] * 11)
    return feed


def test_good_feed_scores_high_with_every_group_present() -> None:
    q = score_feed(facts(weekly_fallthrough(), **healthy_fetch()))

    assert q.is_podcast and q.well_formed is True
    assert q.score >= 85
    assert set(q.groups) == set(GROUPS)
    assert all(v is not None for v in q.groups.values()), q.groups
    assert q.groups["fetch"] == q.groups["required"] == q.groups["integrity"] == 1.0
    assert q.groups["freshness"] == 1.0
    # Every check could run, including the channel's <copyright>.
    assert [c.id for c in q.checks if c.result is None] == []
    assert check(q, "recommended.copyright").evidence.startswith("copyright: ©2025 Skriptble")
    assert q.not_run == 0
    assert check(q, "integrity.guids").evidence == "12 of 12 episodes have a unique GUID"
    assert all(c.why for c in q.checks)


def test_score_is_the_weighted_mean_of_the_checks_that_ran() -> None:
    q = score_feed(facts(weekly_fallthrough(), **healthy_fetch()))
    ran = [c for c in q.checks if c.result is not None]
    expected = sum(c.weight * c.result for c in ran) / sum(c.weight for c in ran)
    assert q.score == round(expected * 100)


def test_quality_json_is_plain_json() -> None:
    q = score_feed(facts(weekly_fallthrough(), **healthy_fetch()))
    out = json.loads(json.dumps(quality_json(q)))
    assert out["score"] == q.score
    assert out["not_run"] == 0
    first = out["checks"][0]
    assert set(first) == {"id", "group", "label", "weight", "result", "outcome", "evidence", "why"}
    copyright_ = next(c for c in out["checks"] if c["id"] == "recommended.copyright")
    assert copyright_["result"] == 1.0 and copyright_["outcome"] == "pass"


def strip_required(data: bytes) -> bytes:
    data = re.sub(rb"<language>[^<]*</language>", b"", data)
    data = re.sub(rb"<itunes:category[^>]*/>", b"", data)
    return re.sub(rb"\s*<itunes:explicit>[^<]*</itunes:explicit>", b"", data, count=1)


def test_removing_required_tags_lowers_the_required_group() -> None:
    good = score_feed(facts(weekly_fallthrough(), **healthy_fetch()))
    stripped = score_feed(facts(weekly_fallthrough(strip_required), **healthy_fetch()))

    failed = {c.id for c in stripped.checks if c.outcome == "fail"} - {c.id for c in good.checks if c.outcome == "fail"}
    assert failed == {"required.language", "required.category", "required.explicit"}
    assert stripped.groups["required"] is not None and good.groups["required"] is not None
    assert stripped.groups["required"] < good.groups["required"]
    for group in ("fetch", "recommended", "integrity", "rich", "freshness"):
        assert stripped.groups[group] == good.groups[group], group
    assert stripped.score < good.score
    assert check(stripped, "required.category").evidence == "no category"


def test_duplicate_guids_fail_integrity_and_name_the_count() -> None:
    first = b"e9f85e7b-0567-497b-898e-2eae3fa43f43"
    feed = parse(FALLTHROUGH, lambda d: d.replace(b"4990f84b-8f42-4c77-9736-66e3dd84ddf5", first))
    assert [i.guid for i in feed.items] == [first.decode()] * 2

    q = score_feed(facts(feed, **healthy_fetch()))
    guids = check(q, "integrity.guids")
    assert guids.result is not None and guids.result <= 0.5
    assert "2 episodes share 1 GUID(s)" in guids.evidence
    assert "0 of 2 episodes have a unique GUID" in guids.evidence
    assert q.groups["integrity"] is not None and q.groups["integrity"] < 1.0


def test_duplicates_in_a_long_feed_still_fail_the_guid_check() -> None:
    feed = weekly_fallthrough()
    feed.items[5] = dataclasses.replace(feed.items[5], guid=feed.items[4].guid)
    guids = check(score_feed(facts(feed)), "integrity.guids")
    assert guids.outcome == "partial" and guids.result == 0.5
    assert guids.evidence == "10 of 12 episodes have a unique GUID; 2 episodes share 1 GUID(s)"


def test_implausible_duration_for_the_file_size_is_flagged() -> None:
    # 86 MB announced as 30 seconds: about 23,000 kbps, no podcast MP3 is that dense.
    feed = parse(FALLTHROUGH, lambda d: d.replace(b"<itunes:duration>3380<", b"<itunes:duration>30<"))
    bitrate = check(score_feed(facts(feed)), "integrity.bitrate")
    assert bitrate.result == 0.5
    assert bitrate.evidence.startswith("1 of 2 audio episodes imply 16-512 kbps")
    assert "2.3e+04 kbps: Lava Layers" in bitrate.evidence


def test_placeholder_length_is_flagged_as_too_small() -> None:
    feed = parse(FALLTHROUGH, lambda d: d.replace(b'length="86130329"', b'length="1"'))
    bitrate = check(score_feed(facts(feed)), "integrity.bitrate")
    assert bitrate.outcome == "partial"
    assert "Lava Layers" in bitrate.evidence
    # The length is there, so the plain length check passes: only the cross-check sees the lie.
    assert check(score_feed(facts(feed)), "integrity.lengths").result == 1.0


def test_video_episodes_are_not_held_to_audio_bitrates() -> None:
    feed = parse(FALLTHROUGH)
    for item in feed.items:
        item.enclosure = Enclosure(url="https://cdn.example.com/e.mp4", type="video/mp4", length=2_000_000_000)
    q = score_feed(facts(feed))
    assert check(q, "integrity.bitrate").result is None
    assert check(q, "integrity.media_types").result == 1.0


def test_missing_enclosure_parts_are_counted() -> None:
    feed = parse(FALLTHROUGH, lambda d: d.replace(b'length="75292177" type="audio/mpeg"', b'type="application/x"'))
    q = score_feed(facts(feed))
    assert check(q, "integrity.lengths").evidence == "1 of 2 episodes have an enclosure length"
    types = check(q, "integrity.media_types")
    assert types.result == 0.5 and "application/x ×1" in types.evidence


@pytest.mark.parametrize(
    "name",
    ["rss2_itunes_all_about_everything.xml", "rss2_itunes_unclosed_category.xml"],
)
def test_a_feed_that_is_not_well_formed_scores_zero(name: str) -> None:
    feed = parse(name, url="http://example.com/podcasts/everything.xml")
    assert is_well_formed(feed) is False
    q = score_feed(facts(feed, url="http://example.com/podcasts/everything.xml", **healthy_fetch()))
    assert q.score == 0
    assert q.well_formed is False and q.is_podcast
    assert check(q, "fetch.well_formed").outcome == "fail"
    assert any("not well-formed" in n for n in q.notes)
    # The other checks still run so the reader sees what else is wrong.
    assert check(q, "integrity.enclosures").result == 1.0


def test_well_formedness_comes_from_the_parser() -> None:
    assert is_well_formed(parse("podcast20_pc_prefix.xml")) is True
    assert is_well_formed(parse("rss2_itunes_unclosed_category.xml")) is False
    assert is_well_formed(parse_feed((FIX / "jsonfeed11_full.json").read_bytes(), "https://x.example/f.json")) is None


def test_checks_that_cannot_run_are_left_out_rather_than_failed() -> None:
    feed = weekly_fallthrough()
    unknown = score_feed(facts(feed))
    failing = score_feed(
        facts(feed, last_fetch=NOW, status=500, has_etag=False, has_last_modified=False, error_streak=3)
    )

    for check_id in FETCH_CHECKS:
        c = check(unknown, check_id)
        assert c.result is None and c.outcome == "not run", check_id
    assert unknown.not_run == len(FETCH_CHECKS)
    assert any("could not run" in n for n in unknown.notes)
    # Nothing known about the fetch is not the same as a failing fetch.
    assert unknown.score > failing.score
    assert unknown.groups["fetch"] == 1.0
    assert check(failing, "fetch.status").evidence == "HTTP 500 on the last fetch"
    assert check(failing, "fetch.errors").result == 0.0


def test_facts_from_a_stored_source() -> None:
    feed = parse(FALLTHROUGH)
    source = Source(
        id=1,
        url=FALLTHROUGH_URL,
        etag=None,
        last_modified="Sat, 14 Feb 2026 13:00:43 GMT",
        last_fetch=NOW,
        last_status=200,
        last_error="timed out after 30 s",
        error_streak=1,
        meta=feed.meta,
    )
    f = facts_from(source, feed.items, well_formed=True, now=NOW)
    assert f.has_etag is False and f.has_last_modified is True
    assert f.content_type is None and f.fetch_attempts is None

    q = score_feed(f)
    assert check(q, "fetch.validators").evidence == "server sends Last-Modified only"
    errors = check(q, "fetch.errors")
    assert errors.outcome == "partial" and "timed out after 30 s" in errors.evidence
    assert check(q, "fetch.content_type").result is None
    assert check(q, "freshness.history").result is None


def test_a_source_never_fetched_runs_no_http_checks() -> None:
    feed = parse(FALLTHROUGH)
    f = facts_from(Source(id=2, url=FALLTHROUGH_URL, meta=feed.meta), feed.items, well_formed=None, now=NOW)
    q = score_feed(f)
    assert {c.id for c in q.checks if c.result is None} >= FETCH_CHECKS | {"fetch.well_formed"}
    assert check(q, "fetch.https").result == 1.0


def test_gone_and_unfollowed_moves_fail_the_location_check() -> None:
    feed = parse("podcast20_pc_prefix.xml", url="https://api.substack.com/feed/podcast/1084089.rss")
    url = "https://api.substack.com/feed/podcast/1084089.rss"
    moved = check(score_feed(facts(feed, url=url)), "fetch.location")
    assert moved.result == 0.5 and "feeds.example.com/latent-space.rss" in moved.evidence
    gone = check(score_feed(facts(feed, url=url, gone=True)), "fetch.location")
    assert gone.outcome == "fail"


def test_plain_http_feed_and_media_fail_transport() -> None:
    url = "http://example.com/podcasts/everything.xml"
    q = score_feed(facts(parse("rss2_itunes_all_about_everything.xml", url=url), url=url))
    assert check(q, "fetch.https").outcome == "fail"
    assert check(q, "fetch.media_https").evidence == "0 of 3 enclosure URLs are https"


def test_stale_feed_fails_freshness() -> None:
    feed = weekly_fallthrough()
    newest = max(i.published for i in feed.items if i.published)
    q = score_feed(facts(feed, now=newest + timedelta(days=730), **healthy_fetch()))
    newest_check = check(q, "freshness.newest")
    assert newest_check.outcome == "fail"
    assert newest_check.evidence.startswith("newest episode 730 days old")
    fresh = score_feed(facts(feed, **healthy_fetch()))
    assert q.groups["freshness"] is not None and fresh.groups["freshness"] is not None
    assert q.groups["freshness"] < fresh.groups["freshness"]


def test_a_monthly_show_is_not_stale_after_five_weeks() -> None:
    feed = parse(FALLTHROUGH)
    feed.items = back_catalogue(feed.items, [30.0] * 8)
    q = score_feed(facts(feed, now=feed.items[0].published + timedelta(days=38)))  # type: ignore[operator]
    assert check(q, "freshness.newest").result == 1.0


def test_irregular_cadence_is_partial_and_weekly_passes() -> None:
    irregular = parse(FALLTHROUGH)
    irregular.items = back_catalogue(irregular.items, [1, 20, 2, 9, 30, 3, 14, 1, 25, 6, 2, 18])
    cadence = check(score_feed(facts(irregular)), "freshness.cadence")
    assert cadence.outcome == "partial", cadence
    assert "over 12 gaps" in cadence.evidence

    weekly = check(score_feed(facts(weekly_fallthrough())), "freshness.cadence")
    assert weekly.result == 1.0
    assert weekly.evidence == "gaps vary by 0.00× their mean 7.0 days over 11 gaps"


def test_cadence_needs_enough_dated_episodes() -> None:
    assert check(score_feed(facts(parse(FALLTHROUGH))), "freshness.cadence").result is None


def test_dates_strict_lenient_and_unreadable() -> None:
    def edit(d: bytes) -> bytes:
        d = d.replace(b"<pubDate>Sat, 14 Feb 2026 08:00:00 -0500</pubDate>", b"<pubDate>2026/02/14 08:00</pubDate>")
        return d.replace(b"<pubDate>Sat, 07 Feb 2026 08:00:00 -0500</pubDate>", b"<pubDate>last Tuesday</pubDate>")

    dates = check(score_feed(facts(parse(FALLTHROUGH, edit))), "integrity.dates")
    assert dates.result == 0.25
    assert dates.evidence == ("0 of 2 episodes have an RFC 822/3339 date; 1 readable only leniently; 1 unreadable")


def test_refresh_stamped_dates_do_not_count_as_fresh() -> None:
    # refresh gives an undated item the fetch time; the raw date is what tells.
    feed = parse(FALLTHROUGH, lambda d: d.replace(b"<pubDate>Sat, 14 Feb", b"<pubDate>Sat, 99 Feb"))
    for item in feed.items:
        item.published = item.published or NOW
    q = score_feed(facts(feed))
    assert "1 unreadable" in check(q, "integrity.dates").evidence
    assert check(q, "freshness.newest").evidence.startswith("newest episode 13 days old")


def test_rich_signal_shares_from_a_podcasting_2_feed() -> None:
    url = "https://api.substack.com/feed/podcast/1084089.rss"
    q = score_feed(facts(parse("podcast20_pc_prefix.xml", url=url), url=url))
    assert check(q, "rich.transcripts").evidence == "2 of 3 episodes link a transcript"
    assert check(q, "rich.chapters").evidence == "1 of 3 episodes have chapters"
    assert check(q, "rich.funding").result == 1.0
    assert check(q, "rich.soundbites").evidence == "1 of 3 episodes mark a soundbite"
    assert check(q, "recommended.podcast_guid").evidence == "podcast:guid is a UUIDv5"


@pytest.mark.parametrize("name", ["atom_russcox_html.xml", "rss2_duplicate_guids.xml"])
def test_not_a_podcast_is_flagged_not_scored(name: str) -> None:
    feed = parse(name, url="https://example.org/feed")
    assert not is_podcast(feed.meta, feed.items)
    q = score_feed(facts(feed, url="https://example.org/feed"))
    assert q.is_podcast is False
    assert q.notes == [NOT_A_PODCAST]
    assert q.checks == [] and q.score == 0
    assert all(v is None for v in q.groups.values())
    assert quality_json(q)["is_podcast"] is False


def test_an_empty_podcast_fails_the_enclosure_check_without_crashing() -> None:
    q = score_feed(FeedFacts(url="https://x.example/f.xml", meta=FeedMeta(is_podcast=True), items=[], now=NOW))
    assert check(q, "integrity.enclosures").evidence == "the feed lists no episodes"
    assert check(q, "integrity.guids").result is None
    assert check(q, "freshness.newest").result is None
    assert 0 <= q.score <= 100
