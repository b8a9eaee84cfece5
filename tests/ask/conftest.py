"""Libraries to ask questions of: the bundled samples, and a small hand-written one with a transcript.

Both are built once per session through the public API and opened read-only
by convention (``ask`` never writes).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import highsignal
from highsignal.cli import sample_dir
from highsignal.records import Enclosure, FeedMeta, Item, TranscriptSegment
from highsignal.store import FetchState

#: (guid, title, RFC 822 date, text) of the hand-written feed's items.
NOTES = [
    (
        "hand-corvid-2",
        "Corvid-2 ships with open weights",
        "Mon, 03 Mar 2025 10:00:00 GMT",
        "Kestrel Labs released Corvid-2 on 3 March 2025. "
        "The weights for Corvid-2 are published under the Apache 2.0 licence. "
        "Corvid-2 was trained on 1.2 trillion tokens using 512 H100 GPUs for 11 days. "
        "The team reports 71.3 on MMLU, measured with their own harness.",
    ),
    (
        "hand-tokenizers",
        "Notes on tokenizers",
        "Tue, 04 Mar 2025 10:00:00 GMT",
        "Most tokenizer libraries ship under a permissive licence. "
        "Byte-level BPE remains the default choice for new models. "
        "Vocabulary sizes keep growing, which helps multilingual text most.",
    ),
    (
        "hand-roundup-10",
        "Weekly roundup: small models and big clusters",
        "Fri, 07 Mar 2025 10:00:00 GMT",
        "Corvid-2 from Kestrel Labs arrived this week with open weights. "
        "A new inference cluster in Oslo runs entirely on hydro power. "
        "Several labs now publish their evaluation harness next to the weights.",
    ),
    (
        "hand-corvid-1",
        "An older note on Corvid-1",
        "Wed, 10 Jan 2024 10:00:00 GMT",
        "Corvid-1 was released by Kestrel Labs under a research-only licence. It was trained on 300 billion tokens.",
    ),
]


def rss(notes: list[tuple[str, str, str, str]]) -> str:
    items = "".join(
        f"""
    <item>
      <title>{title}</title>
      <link>https://notes.example/{guid}</link>
      <guid>{guid}</guid>
      <pubDate>{date}</pubDate>
      <description>{text}</description>
    </item>"""
        for guid, title, date, text in notes
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Hand Notes</title>
    <link>https://notes.example/</link>
    <description>Hand-written items for the ask tests.</description>{items}
  </channel>
</rss>
"""


EPISODE_URL = "https://podcast.example/episodes/12"
AUDIO_URL = "https://cdn.podcast.example/ep12.mp3"
SEGMENTS = [
    TranscriptSegment(0.0, "Welcome back to the show.", 4.0, "Host"),
    TranscriptSegment(65.0, "Today we have the Kestrel Labs pretraining team with us.", 70.0, "Host"),
    TranscriptSegment(
        754.5,
        "The biggest surprise was the learning rate warmup: we had to extend it to 8000 steps "
        "before the loss stopped spiking.",
        770.0,
        "Guest",
    ),
    TranscriptSegment(
        1210.0, "We filtered the crawl with a small quality classifier trained on textbook pages.", None, "Guest"
    ),
]


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ask-samples") / "samples.sqlite"
    with highsignal.open(path) as lib:
        lib.import_opml(sample_dir() / "subscriptions.opml")
        report = lib.refresh(assess=False)
        assert not report.failed
    return path


@pytest.fixture(scope="session")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four items from a local RSS file, plus one podcast episode stored with its transcript."""
    root = tmp_path_factory.mktemp("ask-hand")
    feed = root / "notes.xml"
    feed.write_text(rss(NOTES), encoding="utf-8")
    path = root / "hand.sqlite"
    with highsignal.open(path) as lib:
        added = lib.add_source(str(feed))
        assert added.source.item_count == 4, added.message
        # Feeds only link transcripts; a stored transcript comes from whoever fetched it. Store one directly.
        source, _ = lib.store.add_source("https://podcast.example/feed.xml", "podcast", "Kestrel Cast")
        now = datetime(2025, 3, 10, tzinfo=UTC)
        episode = Item(
            key="kestrel-cast-12",
            title="Episode 12: inside the Corvid-2 training run",
            url=EPISODE_URL,
            published=now,
            text="We talk with the Kestrel Labs team about the Corvid-2 training run, data and evaluation.",
            enclosure=Enclosure(AUDIO_URL, "audio/mpeg", 1000),
            transcript=SEGMENTS,
            content_hash="ep12",
        )
        lib.store.apply_update(FetchState(source.id, now, 200), FeedMeta(title="Kestrel Cast"), [episode], now)
    return path


@pytest.fixture(scope="module")
def samples(samples_db: Path) -> Iterator[highsignal.Library]:
    with highsignal.open(samples_db) as lib:
        yield lib


@pytest.fixture(scope="module")
def hand(hand_db: Path) -> Iterator[highsignal.Library]:
    with highsignal.open(hand_db) as lib:
        yield lib
