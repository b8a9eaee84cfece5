"""Podcast feeds: iTunes tags, Podcasting 2.0 by namespace URI, Podlove chapters, enclosures and media."""

from __future__ import annotations

import itertools

import pytest

from highsignal.parse.feeds import parse_feed
from highsignal.records import Person, Soundbite, TranscriptRef
from tests.parse.conftest import parse_fixture, rss

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_URIS = [
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
]


@pytest.fixture(scope="module")
def latent():
    return parse_fixture("podcast20_pc_prefix.xml", "https://api.substack.com/feed/podcast/1084089.rss")


# --------------------------------------------------------------------------- iTunes


def test_itunes_channel(latent) -> None:
    m = latent.meta
    assert m.is_podcast is True
    assert m.author == "swyx + Alessio"
    assert (m.owner_name, m.owner_email) == ("Latent.Space", "latentspacepod@example.com")
    assert m.image == "https://www.latent.space/img/cover-3000.png"
    assert m.categories == ["Technology", "Science", "Mathematics"]  # nested category flattened
    assert m.explicit is False  # legacy "no"
    assert m.itunes_type == "episodic"
    assert m.new_feed_url == "https://feeds.example.com/latent-space.rss"
    assert m.ttl_minutes == 60


def test_itunes_items(latent) -> None:
    first, second, third = latent.items
    assert (first.duration, second.duration, third.duration) == (3918.0, 4205.0, 2982.0)
    assert (first.episode, second.episode, third.episode) == (95, 94, None)
    assert (first.season, second.season) == (2, None)
    assert [i.episode_type for i in latent.items] == ["full", "bonus", "trailer"]
    assert [i.explicit for i in latent.items] == [False, True, False]  # "false", "yes", "clean"
    assert first.image == "https://www.latent.space/img/ep95.png"
    assert second.image is None


def test_itunes_real_feed() -> None:
    feed = parse_fixture("rss2_fallthrough_podcast.xml")
    m = feed.meta
    assert (m.owner_name, m.owner_email) == ("Fallthrough Media", "hello@fallthrough.fm")
    assert m.new_feed_url == "https://feeds.transistor.fm/fallthrough"
    assert m.categories == ["Technology"]
    assert m.explicit is False  # "No"
    assert m.image is not None and m.image.startswith("https://img.transistorcdn.com/gwMlOkahrgzYCfiPH")
    first, second = feed.items
    assert (first.duration, second.duration) == (3380.0, 2975.0)
    assert (first.episode, second.episode) == (58, 57)
    assert first.episode_type == "full"
    assert first.explicit is False
    assert first.image is not None and first.image.startswith("https://img.transistorcdn.com/R13Nda")
    assert "Golang" in first.categories  # itunes:keywords


def test_itunes_apple_sample_nested_categories_and_mmss() -> None:
    feed = parse_fixture("rss2_itunes_all_about_everything.xml")
    m = feed.meta
    assert m.categories == ["Technology", "Gadgets", "TV & Film", "Arts", "Design", "Food"]
    assert (m.owner_name, m.owner_email) == ("John Doe", "john.doe@example.com")
    assert m.new_feed_url == "http://example.com/new.xml"
    assert [i.duration for i in feed.items] == [424.0, 274.0, 239.0]  # 7:04, 4:34, 3:59
    assert [(i.season, i.episode) for i in feed.items] == [(1, 3), (1, 2), (1, 1)]
    assert [i.authors for i in feed.items] == [["John Doe"], ["Jane Doe"], ["Various"]]
    assert feed.items[2].title == "Red, Whine, & Blue"
    assert feed.items[0].text.startswith("This week we talk about salt and pepper shakers")  # itunes:summary


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("3600", 3600.0), ("45:30", 2730.0), ("01:02:03", 3723.0), ("61:08", 3668.0), ("", None), ("n/a", None)],
)
def test_itunes_duration_forms(raw: str, seconds: float | None) -> None:
    doc = rss(f"<item><guid>d</guid><itunes:duration>{raw}</itunes:duration></item>", ns=f' xmlns:itunes="{ITUNES}"')
    assert parse_feed(doc.encode()).items[0].duration == seconds


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("false", False), ("yes", True), ("no", False), ("clean", False), ("Explicit", True), ("", None)],
)
def test_itunes_explicit_forms(raw: str, value: bool | None) -> None:
    doc = rss(
        f"<item><guid>e</guid><itunes:explicit>{raw}</itunes:explicit></item>",
        channel=f"<itunes:explicit>{raw}</itunes:explicit>",
        ns=f' xmlns:itunes="{ITUNES}"',
    )
    feed = parse_feed(doc.encode())
    assert feed.items[0].explicit is value
    assert feed.meta.explicit is value


# --------------------------------------------------------------------------- Podcasting 2.0


def test_podcast20_channel_tags(latent) -> None:
    m = latent.meta
    assert m.podcast_guid == "3c5e8f1a-52b7-5d3e-9f0c-6a1d2b7e4c90"
    assert m.locked is True
    assert [(f.url, f.text) for f in m.funding] == [("https://www.latent.space/subscribe", "Support Latent Space")]
    assert m.txt == ["S6lpp-7ZCn8-dZfGc-OoyaG"]
    assert m.persons == [
        Person(name="swyx", role="host", group="cast", href="https://twitter.com/swyx"),
        Person(name="Alessio", role="host", group="cast", href="https://twitter.com/FanaHOVA"),
    ]


def test_podcast20_every_transcript_kept(latent) -> None:
    first, second, third = latent.items
    assert first.transcripts == [
        TranscriptRef(
            url="https://www.latent.space/transcripts/95.vtt", type="text/vtt", language="en", rel="captions"
        ),
        TranscriptRef(url="https://www.latent.space/transcripts/95.srt", type="application/x-subrip", language="en"),
        TranscriptRef(url="https://www.latent.space/transcripts/95.json", type="application/json", language="fr"),
    ]
    assert second.transcripts == []
    assert third.transcripts == [TranscriptRef(url="https://www.latent.space/transcripts/90.html", type="text/html")]


def test_podcast20_chapters_soundbites_txt(latent) -> None:
    first, second, _ = latent.items
    assert first.chapters_url == "https://www.latent.space/chapters/95.json"
    assert second.chapters_url is None
    assert first.soundbites == [
        Soundbite(start=197.0, duration=45.5, title="Nyla's path from Astrophysics to LLMs"),
        Soundbite(start=345.0, duration=30.0, title=None),
    ]
    assert first.txt == ["ai-inference efficiency"]


def test_podcast20_item_persons_replace_channel_persons(latent) -> None:
    first, second, third = latent.items
    assert [(p.name, p.role, p.group) for p in first.persons] == [
        ("swyx", "host", "cast"),
        ("Nyla Worker", "guest", "cast"),
        ("AI Charlie", "editor", "post-production"),
    ]
    assert "Alessio" not in [p.name for p in first.persons]
    # items without their own list get the channel's
    assert [p.name for p in second.persons] == [p.name for p in third.persons] == ["swyx", "Alessio"]


def test_podcast20_real_feed_podcastindex_uri() -> None:
    feed = parse_fixture("rss2_fallthrough_podcast.xml")
    m = feed.meta
    assert m.podcast_guid == "841e017e-1448-533d-8e93-b2191d49252f"
    assert m.locked is True
    assert [p.name for p in m.persons] == ["Kris Brandow", "Ian Wester-Lopshire", "Dylan Bourque", "Matthew Sanabria"]
    first, second = feed.items
    assert first.chapters_url == "https://share.transistor.fm/s/62eaa2c7/chapters.json"
    assert [p.name for p in first.persons] == ["Kris Brandow", "Matthew Sanabria"]
    assert [p.name for p in second.persons] == ["Kris Brandow", "Matthew Sanabria", "Steve Klabnik"]
    assert second.persons[2].href == "https://steveklabnik.com"
    assert all(p.role == "host" for p in first.persons)


@pytest.mark.parametrize("uri", PODCAST_URIS, ids=["podcastindex", "github"])
@pytest.mark.parametrize("prefix", ["podcast", "pc", "p20"])
def test_podcast20_matched_by_uri_not_prefix(uri: str, prefix: str) -> None:
    p = prefix
    doc = rss(
        f'<item><guid>ep</guid><{p}:transcript url="https://x.example/1.vtt" type="text/vtt" language="en"/>'
        f'<{p}:transcript url="https://x.example/1.srt" type="application/srt"/>'
        f'<{p}:chapters url="https://x.example/1.json" type="application/json+chapters"/>'
        f'<{p}:person role="guest">Nicholas Carlini</{p}:person></item>',
        channel=f"<{p}:guid>abc-123</{p}:guid>",
        ns=f' xmlns:{p}="{uri}"',
    )
    feed = parse_feed(doc.encode())
    assert feed.meta.podcast_guid == "abc-123"
    (item,) = feed.items
    assert [t.url for t in item.transcripts] == ["https://x.example/1.vtt", "https://x.example/1.srt"]
    assert item.transcripts[0].language == "en"
    assert item.chapters_url == "https://x.example/1.json"
    assert item.persons == [Person(name="Nicholas Carlini", role="guest", group="cast")]


def test_unknown_namespace_with_podcast_prefix_is_ignored() -> None:
    doc = rss(
        '<item><guid>ep</guid><podcast:transcript url="https://x.example/1.vtt"/></item>',
        ns=' xmlns:podcast="https://example.org/not-the-podcast-namespace"',
    )
    assert parse_feed(doc.encode()).items[0].transcripts == []


# --------------------------------------------------------------------------- Podlove simple chapters


def test_psc_chapters_sorted_with_ends() -> None:
    item = parse_fixture("rss2_cre_psc_chapters.xml").items[0]
    assert item.duration == 5789.0  # 01:36:29
    chapters = item.chapters
    assert len(chapters) == 15
    starts = [c.start for c in chapters]
    assert starts == sorted(starts)
    assert (chapters[0].start, chapters[0].title, chapters[0].url) == (
        26.407,
        "Neil DeGrasse Tyson on Science",
        "https://example.com",
    )
    assert [(c.start, c.title) for c in chapters[1:4]] == [
        (50.0, "Int NTP example"),
        (59.12, "Floating NTP example"),
        (89.201, "Intro"),
    ]
    for a, b in itertools.pairwise(chapters):
        assert a.end == b.start
    assert (chapters[-1].title, chapters[-1].start, chapters[-1].end) == ("Abschied", 5700.034, 5789.0)


def test_psc_chapters_past_duration_dropped_and_no_duration_leaves_last_open() -> None:
    chapters = (
        '<psc:chapters version="1.2"><psc:chapter start="00:00:00" title="Intro from Suno"/>'
        '<psc:chapter start="00:03:17" title="Nyla\'s path from Astrophysics to LLMs"/>'
        '<psc:chapter start="00:05:45" title="Efficiency Curves in Computer Vision at Nvidia"/>'
        '<psc:chapter start="02:00:00" title="Past the end"/><psc:chapter start="bad" title="Unreadable"/>'
        '<psc:chapter start="00:06:00" title=""/></psc:chapters>'
    )
    ns = f' xmlns:psc="http://podlove.org/simple-chapters" xmlns:itunes="{ITUNES}"'
    with_duration = parse_feed(
        rss(f"<item><guid>a</guid><itunes:duration>01:05:18</itunes:duration>{chapters}</item>", ns=ns).encode()
    ).items[0]
    assert [(c.start, c.end) for c in with_duration.chapters] == [(0.0, 197.0), (197.0, 345.0), (345.0, 3918.0)]
    without = parse_feed(rss(f"<item><guid>a</guid>{chapters}</item>", ns=ns).encode()).items[0]
    assert [c.title for c in without.chapters][-1] == "Past the end"
    assert without.chapters[-1].end is None


# --------------------------------------------------------------------------- enclosures and media


def test_enclosure_from_fixture(latent) -> None:
    first = latent.items[0]
    assert first.enclosure is not None
    assert first.enclosure.url == "https://api.substack.com/feed/podcast/148473000/ep95.mp3?token=abc123&t=1725381000"
    assert (first.enclosure.type, first.enclosure.length) == ("audio/mpeg", 62706373)


def test_media_group_youtube() -> None:
    feed = parse_fixture("atom_youtube_media_group.xml")
    (item,) = feed.items
    assert [(m.url, m.type) for m in item.media] == [
        ("https://www.youtube.com/v/0A1ouV7iD8o?version=3", "application/x-shockwave-flash")
    ]
    assert item.enclosure is None  # flash is neither audio nor video
    assert item.url == "https://www.youtube.com/watch?v=0A1ouV7iD8o"
    assert item.authors == ["PBS Space Time"]
    assert (
        item.text == "Check Out Weathered on PBS Terra https://www.youtube.com/watch?v=znSN7ZFIaOg&ab_channel=PBSTerra"
    )


def test_media_group_thumbnail_is_item_image() -> None:
    item = parse_fixture("atom_youtube_media_group.xml").items[0]
    assert item.image == "https://i1.ytimg.com/vi/0A1ouV7iD8o/hqdefault.jpg"


def test_media_content_video_becomes_enclosure_and_relative_urls_resolve() -> None:
    doc = rss(
        "<item><title>Demo</title><link>/p/demo</link>"
        '<media:group><media:content url="https://cdn.example.org/demo.jpg" type="image/jpeg"/>'
        '<media:content url="/video/demo-720.mp4" type="video/mp4" fileSize="1048576"/>'
        "<media:description>A video demo</media:description></media:group>"
        '<media:thumbnail url="https://cdn.example.org/thumb.jpg"/></item>',
        ns=' xmlns:media="http://search.yahoo.com/mrss/"',
    )
    (item,) = parse_feed(doc.encode(), "https://feed.example.org/rss").items
    assert [m.type for m in item.media] == ["image/jpeg", "video/mp4"]
    assert item.enclosure is not None
    assert item.enclosure.url == "https://feed.example.org/video/demo-720.mp4"
    assert item.enclosure.length == 1048576
    assert item.url == "https://feed.example.org/p/demo"
    assert item.image == "https://cdn.example.org/thumb.jpg"
    assert item.text == "A video demo"


def test_rss_enclosure_preferred_over_media_content() -> None:
    doc = rss(
        '<item><guid>x</guid><media:content url="https://cdn.example.org/a.mp4" type="video/mp4"/>'
        '<enclosure url="https://cdn.example.org/a.mp3" type="audio/mpeg" length="not-a-number"/></item>',
        ns=' xmlns:media="http://search.yahoo.com/mrss/"',
    )
    (item,) = parse_feed(doc.encode()).items
    assert item.enclosure is not None
    assert (item.enclosure.url, item.enclosure.length) == ("https://cdn.example.org/a.mp3", None)


def test_relative_links_resolved_against_feed() -> None:
    feed = parse_fixture("rss2_relative_links.xml", "https://example.org/feeds/rss.xml")
    (item,) = feed.items
    assert item.key == "7bd204c6-1655-4c27-aeee-53f933c5395f"
    assert item.url == "https://example.org/feeds/blog/post/1"
    assert item.enclosure is not None
    assert item.enclosure.url == "https://example.org/feeds/enclosure?q=a#fragment"
    assert "evil" not in item.html and "<script" not in item.html  # <content type="text/html"> sanitised


def test_relative_links_resolved_against_channel_link() -> None:
    doc = rss(
        "<item><title>Rel</title><link>/p/2024-interconnects-year-in-review</link><description>"
        '&lt;a href="/p/deepseek-v3"&gt;DeepSeek&lt;/a&gt;</description>'
        '<enclosure url="audio/year-in-review.mp3" type="audio/mpeg"/></item>'
    )
    (item,) = parse_feed(doc.encode(), "https://other.example.net/feed.xml").items
    assert item.url == "https://feed.example.org/p/2024-interconnects-year-in-review"
    assert item.enclosure is not None and item.enclosure.url == "https://feed.example.org/audio/year-in-review.mp3"
    assert item.links == ["https://feed.example.org/p/deepseek-v3"]


def test_html_of_podcast_notes_sanitised(latent) -> None:
    first = latent.items[0]
    low = first.html.lower()
    for bad in ("<script", "document.cookie", "onclick", "onmouseover", "onerror", "javascript:"):
        assert bad not in low
    assert "<" not in first.text and ">" not in first.text
    assert "&nbsp;" not in first.text and "&amp;" not in first.text and "&mdash;" not in first.text
    assert "Convai & now Google — see the" in first.text
    assert "[00:03:17] Nyla's path from Astrophysics to LLMs" in first.text
    assert first.links == [
        "https://twitter.com/nylaworker",
        "https://www.latent.space/p/efficiency-curves#charts",
        "https://developer.nvidia.com/blog/improving-int8-accuracy-using-quantization-aware-training-and-tao-toolkit/",
    ]
