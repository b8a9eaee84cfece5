#!/usr/bin/env python3
"""Podcast feed quality scoring: 1,000 stored feeds must score in 5 s or less (database reads excluded).

Builds 1,000 synthetic ``FeedFacts`` once (deterministic seed): 50-300 episodes
each, RFC 822 dates with a few ISO and broken ones, plausible sizes and
durations with some placeholders, a sprinkle of duplicate GUIDs, Podcasting 2.0
tags on some shows, a mix of healthy and failing fetch facts. Then it times
``score_feed`` over all of them, ``--repeats`` times, and reports the median
and p95 of the whole pass and the median and p95 per feed.

Usage: .venv/bin/python bench/quality_bench.py [--repeats 7] [--feeds 1000] [--out FILE]
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import base_parser, import_highsignal, percentile, summarize, write_results

GOAL_SECONDS = 5.0
NOW = datetime(2026, 2, 20, 12, tzinfo=UTC)


def _date_raw(rng: random.Random, when: datetime) -> str:
    """Mostly RFC 822 as podcast hosts write it; some ISO 8601, a few a lenient parser must rescue."""
    roll = rng.random()
    if roll < 0.85:
        return format_datetime(when.astimezone(UTC), usegmt=rng.random() < 0.5)
    if roll < 0.97:
        return when.isoformat()
    return when.strftime("%Y/%m/%d %H:%M")


def _episode(rng: random.Random, records: Any, n: int, when: datetime, rich: bool) -> Any:
    duration = rng.uniform(600, 7200)
    kbps = rng.choice((64, 96, 128, 128, 192)) if rng.random() > 0.03 else 0.001  # a few placeholder lengths
    length = int(duration * kbps * 1000 / 8) if rng.random() > 0.04 else None
    mtype = rng.choice(("audio/mpeg", "audio/mpeg", "audio/mpeg", "audio/x-m4a", "audio/mp4", "video/mp4", None))
    guid = f"ep-{rng.getrandbits(64):016x}" if rng.random() > 0.02 else None
    return records.Item(
        key=guid or f"k{n}",
        guid=guid,
        title=f"Episode {n}: a conversation about things" if rng.random() > 0.01 else None,
        published=when,
        published_raw=_date_raw(rng, when),
        enclosure=records.Enclosure(url=f"https://media.example.com/{n}.mp3", type=mtype, length=length),
        duration=duration if rng.random() > 0.05 else None,
        chapters_url=f"https://media.example.com/{n}.json" if rich and rng.random() < 0.6 else None,
        transcripts=[records.TranscriptRef(url=f"https://media.example.com/{n}.vtt")] if rich else [],
        persons=[records.Person(name="Host", role="host")] if rich or rng.random() < 0.2 else [],
        soundbites=[records.Soundbite(start=60.0, duration=30.0)] if rich and rng.random() < 0.3 else [],
    )


def _feed(rng: random.Random, records: Any, quality: Any, i: int) -> Any:
    rich = rng.random() < 0.3
    size = rng.randint(50, 300)
    cadence = rng.choice((1.0, 3.5, 7.0, 7.0, 14.0, 30.0))
    when = NOW - timedelta(days=rng.expovariate(1 / 20))  # some shows went quiet long ago
    items = []
    for n in range(size):
        items.append(_episode(rng, records, n, when, rich))
        when -= timedelta(days=max(0.01, rng.gauss(cadence, cadence * rng.choice((0.05, 0.3, 1.0)))))
    if rng.random() < 0.1 and size > 2:
        items[1].guid = items[0].guid  # the reused GUIDs real feeds ship
    meta = records.FeedMeta(
        title=f"Show {i}",
        link=f"https://show{i}.example.com",
        self_url=f"https://feeds.example.com/{i}.rss" if rng.random() < 0.7 else None,
        description="A show about things." * rng.randint(1, 40),
        language=rng.choice(("en", "en-us", "de", None)),
        image=f"https://img.example.com/{i}.jpg" if rng.random() > 0.05 else None,
        author="Someone",
        owner_email="owner@example.com" if rng.random() > 0.2 else None,
        categories=rng.choice((["Technology"], ["Science", "Mathematics"], ["Tech Talk"], [])),
        explicit=rng.choice((True, False, None)),
        itunes_type=rng.choice(("episodic", "serial", None)),
        podcast_guid="841e017e-1448-533d-8e93-b2191d49252f" if rich else None,
        locked=True if rich else None,
        funding=[records.Funding(url="https://example.com/support")] if rich else [],
        is_podcast=True,
    )
    ok = rng.random() > 0.1
    return quality.FeedFacts(
        url=f"https://feeds.example.com/{i}.rss" if rng.random() > 0.1 else f"http://feeds.example.com/{i}.rss",
        meta=meta,
        items=items,
        now=NOW,
        well_formed=rng.random() > 0.03,
        last_fetch=NOW - timedelta(hours=1),
        status=200 if ok else rng.choice((404, 500, None)),
        content_type="application/rss+xml" if rng.random() > 0.2 else None,
        has_etag=rng.random() > 0.3,
        has_last_modified=rng.random() > 0.2,
        error_streak=0 if ok else rng.randint(1, 6),
        last_error=None if ok else "HTTP 500",
    )


def main() -> None:
    p = base_parser(__doc__.splitlines()[1])
    p.add_argument("--feeds", type=int, default=1000)
    p.add_argument("--seed", type=int, default=20260220)
    args = p.parse_args()
    records = import_highsignal("highsignal.records", ["Item", "FeedMeta"])
    quality = import_highsignal("highsignal.podcast.quality", ["score_feed", "FeedFacts"])

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    feeds = [_feed(rng, records, quality, i) for i in range(args.feeds)]
    build = time.perf_counter() - t0
    episodes = sum(len(f.items) for f in feeds)
    print(f"built {len(feeds)} feeds, {episodes} episodes in {build:.1f} s (not timed below)")

    quality.score_feed(feeds[0])  # warm imports and regex caches
    totals: list[float] = []
    per_feed: list[float] = []
    scores: list[int] = []
    for r in range(args.repeats):
        gc.collect()
        times = []
        start = time.perf_counter()
        for f in feeds:
            t = time.perf_counter()
            q = quality.score_feed(f)
            times.append(time.perf_counter() - t)
            if r == 0:
                scores.append(q.score)
        totals.append(time.perf_counter() - start)
        per_feed.extend(times)
        print(f"  repeat {r + 1}: {totals[-1]:.3f} s")

    total_median, total_p95 = statistics.median(totals), percentile(totals, 95)
    feed_median, feed_p95 = statistics.median(per_feed) * 1000, percentile(per_feed, 95) * 1000
    print(f"\n{args.feeds} feeds ({episodes} episodes), {args.repeats} repeats")
    print(f"  whole pass: median {total_median:.3f} s, p95 {total_p95:.3f} s (goal <= {GOAL_SECONDS:.0f} s)")
    print(f"  per feed:   median {feed_median:.3f} ms, p95 {feed_p95:.3f} ms")
    print(f"  episodes/s: {episodes / total_median:,.0f}")
    print(f"  scores: median {statistics.median(scores)}, min {min(scores)}, max {max(scores)}")
    print(f"  goal: {'MET' if total_p95 <= GOAL_SECONDS else 'MISSED'}")
    out = write_results(
        "quality_bench",
        {
            "feeds": args.feeds,
            "episodes": episodes,
            "repeats": args.repeats,
            "seed": args.seed,
            "pass_seconds": summarize(totals),
            "pass_p95_seconds": total_p95,
            "feed_ms_median": feed_median,
            "feed_ms_p95": feed_p95,
            "goal_seconds": GOAL_SECONDS,
        },
        args.out,
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
