"""episodes.py: scraped podcast pages become one item per episode.

Fixtures (under ``tests/fixtures/parse``):

- ``episodes_latentspace_fr.txt``: ``seeds/002_405df3b812d4b9ce.txt`` (a podcast
  directory page for Latent Space, French dates) cut to lines 1-16, 24-26, 36-41,
  54-63, 70-72, 75-79, 92-94, 357-360, 397-405, 424-425, 639-651, 1090-1094 and
  1215: the header chrome (chart rankings, shared links) and four episodes, each
  with part of its notes, timestamps, transcript and the newsletter footer.
- ``episodes_interconnects.txt``: ``seeds/003_ba0bebb5aded0b78.txt`` (a radio.net
  app page for Interconnects) without lines 31-34 (the fourth episode), every
  line cut to 600 characters: four episodes and all the app chrome.
- ``episodes_listing.html``: made up for these tests, with notes quoted from the
  seeds: an HTML directory page whose cards put the date above the title and the
  duration below the notes, with navigation, an app banner, similar podcasts
  and a cookie footer around them.

The full seeds are checked too when ``/work/shared/seeds`` is present.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from highsignal.parse.document import parse_document
from highsignal.parse.episodes import episodes_from_html, episodes_from_text
from highsignal.records import ParsedFeed
from tests.parse.conftest import PARSE_FIXTURES, load

SEEDS = Path("/work/shared/seeds")
LATENT = "episodes_latentspace_fr.txt"
INTERCONNECTS = "episodes_interconnects.txt"
LISTING = "episodes_listing.html"
PAGE_URL = "https://pods.example.org/latent-space"

EFFICIENCY = (
    "Efficiency is Coming: 3000x Faster, Cheaper, Better AI Inference from Hardware Improvements, "
    "Quantization, and Synthetic Data Distillation"
)
CARLINI = "Why you should write your own LLM benchmarks — with Nicholas Carlini, Google DeepMind"
HIGH_AGENCY = "[High Agency] AI Engineer World's Fair Preview"
ICLR_2 = (
    "ICLR 2024 — Best Papers & Talks (Benchmarks, Reasoning & Agents) — ft. Graham Neubig, Aman Sanger, Moritz Hardt)"
)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _text(name: str, url: str = "file:///notes/page.txt") -> ParsedFeed:
    feed = episodes_from_text(load(name).decode("utf-8"), url)
    assert feed is not None
    return feed


def _all_text(feed: ParsedFeed) -> str:
    return "\n".join(f"{i.title}\n{i.text}\n{i.html}" for i in feed.items)


# --------------------------------------------------------------------------- Latent Space (title, date line, notes)


@pytest.fixture(scope="module")
def latent() -> ParsedFeed:
    return _text(LATENT)


def test_latent_space_episodes_in_page_order(latent: ParsedFeed) -> None:
    assert latent.format == "episodes"
    assert [(i.title, i.published, i.duration) for i in latent.items] == [
        (EFFICIENCY, _utc(2024, 9, 3), 3918.0),
        (CARLINI, _utc(2024, 8, 29), 4205.0),
        (HIGH_AGENCY, _utc(2024, 6, 25), 2982.0),
        (ICLR_2, _utc(2024, 6, 10), 16159.0),
    ]
    assert latent.items[0].published_raw == "mardi 3 septembre 2024"
    assert latent.warnings == []


def test_latent_space_show_meta(latent: ParsedFeed) -> None:
    meta = latent.meta
    assert meta.title == "Latent Space: The AI Engineer Podcast"
    assert meta.author == "swyx + Alessio"
    assert meta.is_podcast
    assert meta.link is None  # a local file has no web address


def test_latent_space_notes_keep_timestamps_and_transcript(latent: ParsedFeed) -> None:
    first = latent.items[0]
    assert first.text.startswith("AI Engineering is expanding! Join the first")
    assert "* [00:03:17] Nyla's path from Astrophysics to LLMs" in first.text.splitlines()
    assert "[00:00:29] AI Charlie: Happy September. This is your AI co host, Charlie." in first.text.splitlines()
    assert "Show Notes:" in first.text  # headings inside the notes stay
    assert first.html is not None and first.html.startswith("<p>AI Engineering is expanding!")
    assert "Nyla&#x27;s path" in first.html or "Nyla&#39;s path" in first.html or "Nyla's path" in first.html
    assert first.summary is not None and first.summary.startswith("AI Engineering is expanding!")
    # The High Agency notes keep their glued-together chapter line as the page wrote it.
    assert "00:00 - Introduction and background on Shawn Wang (Swyx)03:45" in latent.items[2].text


def test_latent_space_no_page_chrome(latent: ParsedFeed) -> None:
    text = _all_text(latent)
    for chrome in (
        "Recent rankings",
        "Great Britain - technology",
        "shares",
        "Shared links between episodes",
        "RSS feed quality",
        "Publication history",
        "Get full access to Latent.Space",  # the footer under every episode
        "Duration 01:05:18",  # the date/duration line is a field, not notes
    ):
        assert chrome not in text
    assert "descript.com" not in " ".join(u for i in latent.items for u in i.links)


# --------------------------------------------------------------------------- Interconnects (title, notes, duration)


@pytest.fixture(scope="module")
def interconnects() -> ParsedFeed:
    return _text(INTERCONNECTS, "https://www.radio.net/podcast/interconnects")


def test_interconnects_episodes(interconnects: ParsedFeed) -> None:
    assert [(i.title, i.duration) for i in interconnects.items] == [
        ("Let me use my local LMs on Meta Ray-Bans", 621.0),
        ("(Voiceover) DeepSeek V3 and the actual cost of training frontier AI models", 1026.0),
        ("The state of post-training in 2025", 3230.0),
        ("(Voiceover) 2024 Interconnects year in review", 362.0),
    ]
    # The page shows no episode dates; none is invented from "Generated: 1/17/2025".
    assert all(i.published is None for i in interconnects.items)


def test_interconnects_show_meta(interconnects: ParsedFeed) -> None:
    meta = interconnects.meta
    assert meta.title == "Interconnects"
    assert meta.author == "Nathan Lambert"
    assert meta.description is not None and meta.description.startswith("Audio essays about the latest developments")
    assert meta.link == "https://www.radio.net/podcast/interconnects"


def test_interconnects_notes_and_links(interconnects: ParsedFeed) -> None:
    first, deepseek, _, review = interconnects.items
    assert first.text.startswith("Full post for images, etc: https://www.interconnects.ai/p/to-meta-ray-ban-local-ai")
    # The copied page glued the URL to the next sentence ("...local-aiWith the Rabbit r1").
    assert first.links == ["https://www.interconnects.ai/p/to-meta-ray-ban-local-ai"]
    assert "Chapters00:00 Opening03:15" in deepseek.text  # kept as written for the chapter reader
    assert deepseek.links[0] == "https://www.interconnects.ai/p/deepseek-v3-and-the-actual-cost-of"
    assert review.links[0] == "https://www.interconnects.ai/p/2024-interconnects-year-in-review"
    assert '<a href="https://www.interconnects.ai/p/2024-interconnects-year-in-review"' in review.html


def test_interconnects_no_app_chrome(interconnects: ParsedFeed) -> None:
    text = _all_text(interconnects)
    for chrome in (
        "Listen to Interconnects in the App",
        "Sleep timer",
        "Available Episodes",
        "5 of 74",
        "--------",
        "More Technology podcasts",
        "Get the free radio.net app",
        "Stream via Wi-Fi",
        "radio.de GmbH",
        "Generated:",
    ):
        assert chrome not in text


# --------------------------------------------------------------------------- identity


def test_keys_come_from_title_and_date_not_position(latent: ParsedFeed) -> None:
    keys = [i.key for i in latent.items]
    assert len(set(keys)) == len(keys)
    assert all(k.startswith("episode:") for k in keys)
    # Another address, and a page where a new episode pushed the others down: same keys.
    assert [i.key for i in _text(LATENT, "https://example.org/elsewhere").items] == keys
    lines = load(LATENT).decode("utf-8").splitlines()
    start = lines.index(EFFICIENCY)
    newer = ["A newer episode", "mercredi 4 septembre 2024 • Duration 12:00", "Fresh notes."]
    shifted = episodes_from_text("\n".join(lines[:start] + newer + lines[start:]), "file:///notes/page.txt")
    assert shifted is not None
    assert [i.key for i in shifted.items[1:]] == keys
    assert shifted.items[0].title == "A newer episode"


def test_content_hash_follows_the_notes() -> None:
    before = _text(INTERCONNECTS).items[1]
    changed = load(INTERCONNECTS).decode("utf-8").replace("DeepSeek’s compute transparency", "DeepSeek’s compute")
    after = episodes_from_text(changed, "file:///notes/page.txt").items[1]
    assert after.key == before.key
    assert after.content_hash != before.content_hash


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def listing() -> ParsedFeed:
    feed = episodes_from_html(load(LISTING), PAGE_URL)
    assert feed is not None
    return feed


def test_html_listing_episodes(listing: ParsedFeed) -> None:
    assert [(i.title, i.url, i.published, i.duration) for i in listing.items] == [
        (
            "Efficiency is Coming: 3000x Faster, Cheaper, Better AI Inference",
            "https://pods.example.org/latent-space/efficiency-is-coming",
            _utc(2024, 9, 3),
            3900.0,  # "1 hr 5 min"
        ),
        (
            "Why you should write your own LLM benchmarks — with Nicholas Carlini",
            "https://pods.example.org/latent-space/own-llm-benchmarks",
            _utc(2024, 8, 29),
            4200.0,
        ),
        (
            HIGH_AGENCY,
            "https://pods.example.org/latent-space/high-agency",
            _utc(2024, 6, 25),
            2940.0,
        ),
    ]
    assert listing.meta.title == "Latent Space: The AI Engineer Podcast"
    assert listing.meta.author == "swyx + Alessio"
    assert listing.meta.is_podcast


def test_html_listing_notes_links_and_no_chrome(listing: ParsedFeed) -> None:
    first, carlini, _ = listing.items
    assert first.text.splitlines() == [
        "The commoditization of intelligence takes on a few dimensions:",
        "Time to Open Model Equivalent: 15 months between GPT-4 and Llama 3.1 405B",
        "See the INT8 accuracy post for details.",
        "Timestamps",
        "[00:00:00] Intro from Suno",
        "[00:03:17] Nyla's path from Astrophysics to LLMs",
    ]
    assert first.links == ["https://developer.nvidia.com/blog/improving-int8-accuracy/"]  # a link in the markup
    assert carlini.links == ["https://nicholas.carlini.com/writing/2024/how-i-use-ai.html"]  # a URL in the text
    text = _all_text(listing)
    for chrome in ("Sign in", "Listen to Latent Space", "Similar podcasts", "Interconnects", "cookies", "©"):
        assert chrome not in text
    for chrome in ("Play", "Load more", "Get full access", "player.init"):
        assert chrome not in text


def test_html_anchor_leading_cards() -> None:
    cards = "".join(
        f'<div class="ep"><span class="when">{day}</span><h2><a href="/e/{n}">{title}</a></h2><p>{notes}</p></div>'
        for n, (day, title, notes) in enumerate(
            [
                ("3 sept. 2024", "Efficiency is Coming", "The commoditization of intelligence."),
                ("29 août 2024", "Why you should write your own LLM benchmarks", "How I Use AI."),
                ("25 juin 2024", "AI Engineer World's Fair Preview", "The World's Fair is sold out."),
            ]
        )
    )
    page = f"<html><head><title>Latent Space podcast</title></head><body><h1>Episodes</h1>{cards}</body></html>"
    feed = episodes_from_html(page.encode(), "https://x.org/show")
    assert feed is not None
    assert [(i.title, i.published, i.text, i.url) for i in feed.items] == [
        ("Efficiency is Coming", _utc(2024, 9, 3), "The commoditization of intelligence.", "https://x.org/e/0"),
        ("Why you should write your own LLM benchmarks", _utc(2024, 8, 29), "How I Use AI.", "https://x.org/e/1"),
        ("AI Engineer World's Fair Preview", _utc(2024, 6, 25), "The World's Fair is sold out.", "https://x.org/e/2"),
    ]


def test_html_table_rows() -> None:
    rows = "".join(
        f"<tr><td><a href='/e/{n}'>{title}</a></td><td>{day}</td><td>{length}</td></tr><tr><td>{notes}</td></tr>"
        for n, (title, day, length, notes) in enumerate(
            [
                ("Let me use my local LMs on Meta Ray-Bans", "Oct 14, 2024", "10:21", "With the Rabbit r1."),
                ("The state of post-training in 2025", "Jan 8, 2025", "53:50", "Slides for this talk."),
            ]
        )
    )
    feed = episodes_from_html(f"<html><body><table>{rows}</table></body></html>".encode(), "https://x.org/")
    assert feed is not None
    assert [(i.title, i.published, i.duration, i.text) for i in feed.items] == [
        ("Let me use my local LMs on Meta Ray-Bans", _utc(2024, 10, 14), 621.0, "With the Rabbit r1."),
        ("The state of post-training in 2025", _utc(2025, 1, 8), 3230.0, "Slides for this talk."),
    ]


# --------------------------------------------------------------------------- other layouts, copied as text

_EPISODES = [
    ("Efficiency is Coming", "The commoditization of intelligence.", "Sep 3, 2024", "1 hr 5 min"),
    ("Why you should write your own LLM benchmarks", "Personal benchmarks.", "Aug 29, 2024", "70 min"),
    ("AI Engineer World's Fair Preview", "The World's Fair is officially sold out!", "Jun 25, 2024", "49 min"),
]


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(lambda t, notes, day, length: [day, t, notes, length], id="date-above-duration-below"),
        pytest.param(lambda t, notes, day, length: [t, notes, f"{day} • {length}"], id="meta-line-below"),
        pytest.param(lambda t, notes, day, length: [t, f"{day} · {length}", notes], id="meta-line-under-title"),
        pytest.param(lambda t, notes, day, length: [t, day, length, notes, ""], id="separate-lines-blank-after"),
        pytest.param(lambda t, notes, day, length: [day, t, notes], id="date-above-no-duration"),
    ],
)
def test_text_layouts(layout) -> None:
    body = "\n".join(line for episode in _EPISODES for line in layout(*episode))
    text = f"Latent Space\nAll episodes\nTrending now\n\n{body}\nMore Technology podcasts\nAbout Latent Space\n"
    feed = episodes_from_text(text, "file:///notes/x.txt")
    assert feed is not None
    assert [(i.title, i.published, i.text) for i in feed.items] == [
        (title, datetime.strptime(day, "%b %d, %Y").replace(tzinfo=UTC), notes) for title, notes, day, _ in _EPISODES
    ]
    with_duration = "1 hr 5 min" in body
    assert [i.duration for i in feed.items] == ([3900.0, 4200.0, 2940.0] if with_duration else [None] * 3)
    assert feed.meta.title == "Latent Space"


# --------------------------------------------------------------------------- not a listing

ONE_EPISODE = "seed002_latent_space_episode.txt"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Just a note.\nNothing else here.",
        load(ONE_EPISODE).decode("utf-8"),  # a single episode is an article
        # a transcript's own timestamps are not episodes
        "Transcript\n00:29\nHappy September.\n00:34\nOne topic we've developed.\n00:59\nFor example.\n",
        # a dated changelog that never mentions episodes or podcasts
        "Changelog\nSep 3, 2024\nFaster parser.\nAug 29, 2024\nNew importer.\nJun 25, 2024\nFirst release.\n",
    ],
)
def test_text_that_is_not_a_listing(text: str) -> None:
    assert episodes_from_text(text, "file:///notes/x.txt") is None


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"\x00\xff\xfe garbage \x89PNG\r\n\x1a\n\x00\x00",
        bytes(range(256)) * 8,
        load("page_article.html"),
        b"<html><body><h2>Only one</h2><p>Sep 3, 2024</p><p>45 min</p><p>Notes.</p></body></html>",
    ],
)
def test_html_that_is_not_a_listing(page: bytes) -> None:
    assert episodes_from_html(page, "https://x.org/page") is None


@pytest.mark.parametrize("data", [b"\x00\xff\xfe\x89PNG\r\n\x1a\n", bytes(range(256)) * 4])
def test_garbage_text_is_not_a_listing(data: bytes) -> None:
    assert episodes_from_text(data.decode("utf-8", "replace"), "file:///x.txt") is None


# --------------------------------------------------------------------------- routing and the library


def test_document_routes_listings_to_episodes() -> None:
    parsed = parse_document(load(LATENT), "file:///notes/latent.txt")
    assert parsed.feed is not None and parsed.feed.format == "episodes"
    parsed = parse_document(load(LISTING), PAGE_URL, "text/html; charset=utf-8")
    assert parsed.feed is not None and parsed.feed.format == "episodes"
    assert len(parsed.feed.items) == 3


def test_document_falls_back_to_one_item() -> None:
    parsed = parse_document(load(ONE_EPISODE), "file:///notes/latent.txt")
    assert parsed.feed is not None and parsed.feed.format == "text"
    assert len(parsed.feed.items) == 1
    parsed = parse_document(b"Just a note.\n\nNothing else here.\n", "file:///notes/note.txt")
    assert parsed.feed is not None and parsed.feed.format == "text"
    parsed = parse_document(load("page_article.html"), "https://x.org/p/a", "text/html")
    assert parsed.feed is not None and parsed.feed.format == "page"


def test_document_prefers_an_advertised_feed() -> None:
    page = load(LISTING).replace(
        b"<title>", b'<link rel="alternate" type="application/rss+xml" href="/feed.xml"><title>'
    )
    parsed = parse_document(page, PAGE_URL, "text/html")
    assert parsed.feed_links == ["https://pods.example.org/feed.xml"]


@pytest.mark.parametrize(("name", "count"), [(LATENT, 4), (INTERCONNECTS, 4), (LISTING, 3)])
def test_library_adds_each_episode(lib, tmp_path: Path, name: str, count: int) -> None:
    path = tmp_path / name
    path.write_bytes((PARSE_FIXTURES / name).read_bytes())
    result = lib.add_source(str(path))
    assert result.source.item_count == count, result.message
    titles = [s.item.title for s in lib.items()]
    assert len(titles) == count
    if name == LATENT:
        assert EFFICIENCY in titles
        assert result.source.title == "Latent Space: The AI Engineer Podcast"


# --------------------------------------------------------------------------- the full seeds


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed pages not available")
def test_full_seed_latent_space() -> None:
    feed = episodes_from_text((SEEDS / "002_405df3b812d4b9ce.txt").read_text("utf-8"), "file:///seeds/002.txt")
    assert feed is not None
    assert len(feed.items) == 10
    by_title = {i.title: i for i in feed.items}
    assert len(by_title) == 10
    expected = {
        EFFICIENCY: (_utc(2024, 9, 3), 3918.0),
        CARLINI: (_utc(2024, 8, 29), 4205.0),
        ICLR_2: (_utc(2024, 6, 10), 16159.0),
        "How to train a Million Context LLM — with Mark Huang of Gradient.ai": (_utc(2024, 5, 30), 3450.0),
        (
            "WebSim, WorldSim, and The Summer of Simulative AI — with Joscha Bach of Liquid AI, "
            "Karan Malhotra of Nous Research, Rob Haisfield of WebSim.ai"
        ): (_utc(2024, 4, 27), 3210.0),
    }
    for title, (published, duration) in expected.items():
        assert (by_title[title].published, by_title[title].duration) == (published, duration)
    assert all(i.published and i.duration and i.text for i in feed.items)
    assert "Get full access" not in _all_text(feed)
    assert "Recent rankings" not in _all_text(feed)
    assert feed.items[-1].text.endswith("[00:53:35] Joscha Bach: Thank you very much")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed pages not available")
def test_full_seed_interconnects() -> None:
    feed = episodes_from_text((SEEDS / "003_ba0bebb5aded0b78.txt").read_text("utf-8"), "file:///seeds/003.txt")
    assert feed is not None
    assert [(i.title, i.duration) for i in feed.items] == [
        ("Let me use my local LMs on Meta Ray-Bans", 621.0),
        ("(Voiceover) DeepSeek V3 and the actual cost of training frontier AI models", 1026.0),
        ("The state of post-training in 2025", 3230.0),
        ("Quick recap on the state of reasoning", 982.0),
        ("(Voiceover) 2024 Interconnects year in review", 362.0),
    ]
    assert all(i.text for i in feed.items)
    assert "radio.net app" not in _all_text(feed)
    assert feed.meta.title == "Interconnects"
