"""RSS 2.0, RSS 1.0 (RDF), RSS 0.91/0.92, Atom 1.0 and JSON Feed 1.0/1.1 read into Items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from highsignal.parse.feeds import parse_feed
from tests.parse.conftest import parse_fixture, rss


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --------------------------------------------------------------------------- RSS 2.0


@pytest.fixture(scope="module")
def fallthrough():
    return parse_fixture("rss2_fallthrough_podcast.xml")


def test_rss2_channel(fallthrough) -> None:
    assert fallthrough.format == "rss"
    m = fallthrough.meta
    assert m.title == "Fallthrough"
    assert m.link == "https://fallthrough.fm"
    assert m.self_url == "https://feeds.transistor.fm/fallthrough"
    assert m.language == "en"
    assert m.generator == "Transistor (https://transistor.fm)"
    assert m.description == "A deep and nuanced conversational podcast focused on technology, software, and computing."
    assert fallthrough.warnings == []


def test_rss2_items(fallthrough) -> None:
    items = fallthrough.items
    assert [i.title for i in items] == ["Lava Layers", "The Vibes-Based Legal System"]
    first = items[0]
    assert first.guid == first.key == "e9f85e7b-0567-497b-898e-2eae3fa43f43"
    assert first.url == "https://share.transistor.fm/s/62eaa2c7"  # isPermaLink=false guid is not a URL
    assert first.published == _utc(2026, 2, 14, 13, 0, 0)
    assert first.published_raw == "Sat, 14 Feb 2026 08:00:00 -0500"
    assert items[1].published == _utc(2026, 2, 7, 13, 0, 0)
    assert first.authors == ["Fallthrough Media"]  # <author> and <itunes:author> merged, not doubled
    assert first.html is not None and first.html.startswith("<p>This week it's Kris and Matt diving into")
    assert "<" not in first.text and first.text.startswith("This week it's Kris and Matt diving into")
    assert first.links[:2] == ["https://fallthrough.fm/subscribe", "https://break.show/28"]


def test_rss2_content_encoded_is_html_and_description_is_summary() -> None:
    feed = parse_fixture("rss2_cre_psc_chapters.xml")
    item = feed.items[0]
    assert "<strong>Digitale Planetarien lassen den Zauber der Wissenschaft neu entstehen</strong>" in item.html
    assert item.text.startswith("Digitale Planetarien lassen den Zauber der Wissenschaft neu entstehen\n")
    assert item.summary is not None
    assert item.summary.startswith("Plantarien waren Anfang des 20. Jahrhunderts die Kathedralen")
    assert "Digitale Planetarien lassen" not in item.summary


@pytest.mark.parametrize("content_first", [True, False], ids=["content-first", "description-first"])
def test_rss2_content_encoded_preferred_whatever_the_order(content_first: bool) -> None:
    content = "<content:encoded><![CDATA[<p>The <b>full</b> show notes.</p>]]></content:encoded>"
    description = "<description>Short teaser.</description>"
    body = content + description if content_first else description + content
    feed = parse_feed(
        rss(
            f"<item><guid>ep-1</guid>{body}</item>", ns=' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ).encode()
    )
    (item,) = feed.items
    assert item.html == "<p>The <b>full</b> show notes.</p>"
    assert item.text == "The full show notes."
    assert item.summary == "Short teaser."


def test_rss2_categories_authors_and_dc() -> None:
    feed = parse_feed(
        rss(
            "<item><title>Q&amp;A: scaling laws</title><guid>x</guid>"
            "<category>AI</category><category domain='https://example.org/tags'>Scaling</category>"
            "<dc:subject>LLMs</dc:subject><dc:creator>Nathan Lambert</dc:creator>"
            "<dc:creator>Nathan Lambert</dc:creator><author>editor@example.org (Ed Itor)</author>"
            "<dc:date>2025-01-02T09:30:00-08:00</dc:date></item>",
            ns=' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ).encode()
    )
    (item,) = feed.items
    assert item.title == "Q&A: scaling laws"
    assert item.categories == ["AI", "Scaling", "LLMs"]
    assert item.authors == ["Nathan Lambert", "editor@example.org (Ed Itor)"]
    assert item.published == _utc(2025, 1, 2, 17, 30, 0)
    assert item.published_raw == "2025-01-02T09:30:00-08:00"


# --------------------------------------------------------------------------- RSS 1.0


def test_rss1_biorxiv() -> None:
    feed = parse_fixture("rss1_biorxiv.rdf")
    assert feed.format == "rss1"
    (item,) = feed.items
    assert item.title == (
        "Complete genome of the Medicago anthracnose fungus, Colletotrichum destructivum, "
        "reveals a mini-chromosome-like region within a core chromosome."
    )
    assert item.url == "http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1"
    # rdf:about and dc:identifier are both stable ids; either may serve as the key
    assert item.key == item.guid
    assert item.key in (
        "doi:10.1101/2023.12.16.571984",
        "http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1",
    )
    assert item.published == _utc(2023, 12, 16)
    assert item.published_raw == "2023-12-16"
    assert item.authors[0].startswith("LAPALU, N., SIMON, A.")
    assert item.text.startswith("Colletotrichum destructivum (Cd) is a phytopathogenic fungus")
    assert feed.meta.image == "https://www.biorxiv.org/sites/default/files/bioRxiv_article.jpg"


def test_rss1_content_encoded_escaped_html() -> None:
    feed = parse_fixture("rss1_planet_freedesktop.rdf")
    (item,) = feed.items
    assert item.title == "Dave Airlie (blogspot): DirectX on Linux - what it is/isn't"
    assert item.url == "https://airlied.blogspot.com/2020/05/directx-on-linux-what-it-isisnt.html"
    assert item.key in (  # rdf:about when read as the id, else the canonical link
        "tag:blogger.com,1999:blog-4530460124602916146.post-1219535934607510094",
        "https://airlied.blogspot.com/2020/05/directx-on-linux-what-it-isisnt.html",
    )
    assert item.published == _utc(2020, 5, 20, 0, 1, 59)
    assert "<br>" in item.html
    assert item.text.startswith(
        "This morning I saw two things that were Microsoft and Linux graphics related.\n"
        "https://devblogs.microsoft.com/commandline/the-windows-subsystem-for-linux-build-2020-summary/\n"
    )
    assert item.links == [
        "https://www.blogger.com/goog_1507224819",
        "https://devblogs.microsoft.com/commandline/the-windows-subsystem-for-linux-build-2020-summary/",
    ]


def test_rss1_channel_metadata() -> None:
    meta = parse_fixture("rss1_biorxiv.rdf").meta
    assert meta.title == "bioRxiv Subject Collection: Genomics"
    assert meta.link == "http://biorxiv.org"
    assert meta.description == 'This feed contains articles for bioRxiv Subject Collection "Genomics"'


# --------------------------------------------------------------------------- RSS 0.9x


def test_rss091_latin1_declared() -> None:
    feed = parse_fixture("rss091_writetheweb.xml")
    assert feed.format == "rss"
    assert feed.meta.title == "WriteTheWeb"
    assert feed.meta.language == "en-us"
    assert feed.meta.image == "http://writetheweb.com/images/mynetscape88.gif"
    assert [(i.title, i.key) for i in feed.items] == [
        ("Giving the world a pluggable Gnutella", "http://writetheweb.com/read.php?item=24"),
        ("Syndication discussions hot up", "http://writetheweb.com/read.php?item=23"),
    ]
    assert feed.items[0].text.startswith("WorldOS is a framework on which to build programs")


def test_rss091_description_whitespace_is_normalised() -> None:
    item = parse_fixture("rss091_writetheweb.xml").items[0]
    assert "  " not in item.text
    assert item.text.endswith("Freenet or Gnutella -allowing distributed applications using peer-to-peer routing.")


def test_rss092_items_without_title_or_link() -> None:
    feed = parse_fixture("rss092_scripting_news.xml")
    assert feed.meta.title == "Dave Winer: Grateful Dead"
    first, second, third = feed.items
    assert all(i.title is None and i.url is None and i.guid is None for i in feed.items)
    assert first.key == "hash:" + first.content_hash
    assert first.links == ["http://deadend.editthispage.com/", "http://deadend.editthispage.com/directory/61"]
    assert "Kevin Drennan started a" in first.text and "<a" not in first.text
    assert second.enclosure is not None
    assert (second.enclosure.url, second.enclosure.type, second.enclosure.length) == (
        "http://www.scripting.com/mp3s/theOtherOne.mp3",
        "audio/mpeg",
        6666097,
    )
    assert second.key == "http://www.scripting.com/mp3s/theOtherOne.mp3"
    assert third.text == "This is a test of a change I just made. Still diggin.."


# --------------------------------------------------------------------------- Atom 1.0


@pytest.fixture(scope="module")
def atom_types():
    return parse_fixture("atom_content_types.xml")


def test_atom_feed_meta(atom_types) -> None:
    assert atom_types.format == "atom"
    m = atom_types.meta
    assert m.title == "Interconnects audio essays"  # type="html" title flattened to text
    assert m.link == "https://www.interconnects.ai/"
    assert m.self_url == "https://www.interconnects.ai/feed.atom"
    assert m.description == "Audio essays about the latest developments in AI"
    assert m.author == "Nathan Lambert"
    assert atom_types.warnings == []


def test_atom_text_content_is_not_markup(atom_types) -> None:
    item = atom_types.items[0]
    assert item.title == "Quick recap on the state of reasoning"
    assert item.url == "https://www.interconnects.ai/p/the-state-of-reasoning"
    assert item.guid == item.key == "tag:interconnects.ai,2025:reasoning"
    assert item.published == _utc(2025, 1, 2, 17, 30, 0)
    assert item.published_raw == "2025-01-02T09:30:00-08:00"
    assert item.updated == _utc(2025, 1, 3, 7, 0, 0)
    assert item.updated_raw == "2025-01-03T08:00:00+01:00"
    assert item.categories == ["reasoning", "o1"]
    assert item.authors == ["Nathan Lambert"]
    # type="text": the angle brackets are characters, escaped in html and kept in text
    assert "&lt;b&gt; &amp; &lt;i&gt;" in item.html
    assert item.text.endswith("Tags like <b> & <i> here are text, not markup.")
    # the html summary becomes plain text
    assert item.summary == "In 2025 we need to disambiguate three intertwined topics."


def test_atom_html_content_is_sanitised(atom_types) -> None:
    item = atom_types.items[1]
    assert item.title == "The state of post-training in 2025"
    assert item.url == "https://www.interconnects.ai/p/the-state-of-post-training-2025"
    assert item.authors == ["Nathan Lambert", "Interconnects AI"]
    assert item.published_raw is None
    assert item.updated == item.published == _utc(2025, 1, 8, 15, 0, 0)  # no <published>: updated used
    assert "<li>Preference finetuning</li>" in item.html
    for bad in ("<script", "alert(", "onclick", "javascript:"):
        assert bad not in item.html
    assert item.text.startswith(
        "There are a lot of post-training methods to improve models:\n"
        "Instruction finetuning\nPreference finetuning\nReinforcement finetuning\nSee Tülu 3 &"
    )
    assert item.links == ["https://allenai.org/tulu"]
    assert item.summary == "Slides for this post-training talk and slides for the full tutorial on language modeling."
    assert item.enclosure is not None
    assert (item.enclosure.url, item.enclosure.type, item.enclosure.length) == (
        "https://cdn.example.com/interconnects/post-training-2025.mp3",
        "audio/mpeg",
        51734528,
    )


def test_atom_xhtml_content_and_xml_base(atom_types) -> None:
    item = atom_types.items[2]
    assert item.title == "Let me use my local LMs on Meta Ray-Bans"  # type="xhtml" title
    assert item.url == "https://www.interconnects.ai/p/to-meta-ray-ban-local-ai"  # xml:base + relative href
    assert "xmlns" not in item.html and "<div>" in item.html
    assert '<a href="https://about.meta.com/realitylabs/orion/"' in item.html
    assert item.text.endswith("AI should be fun, flexible, and available.")
    assert item.links == ["https://about.meta.com/realitylabs/orion/"]


def test_atom_real_html_and_text_summary() -> None:
    feed = parse_fixture("atom_russcox_html.xml")
    assert feed.meta.title == "research!rsc"
    assert feed.meta.author == "Russ Cox"
    assert [i.title for i in feed.items] == ["What is Software Engineering?", "Go and Dogma"]
    item = feed.items[0]
    assert item.url == "http://research.swtch.com/vgo-eng"
    assert item.published == _utc(2018, 5, 30, 14, 0, 0)
    assert item.updated == _utc(2018, 5, 30, 14, 2, 0)
    assert item.summary == "What is software engineering and what does Go mean by it? (Go & Versioning, Part 9)"
    assert item.text.startswith("Nearly all of Go’s distinctive design decisions")
    assert item.links[0] == "https://talks.golang.org/2012/splash.article"


def test_atom_real_xhtml() -> None:
    feed = parse_fixture("atom_planet_gnome_xhtml.xml")
    (item,) = feed.items
    assert item.title == "High resolution wheel scrolling in the desktop stack"
    assert item.categories == ["libinput. wayland"]
    assert item.published == _utc(2020, 4, 4, 4, 0, 0)
    assert item.text.startswith("This is a follow up from the kernel support for high-resolution wheel scrolling")
    assert "xmlns" not in item.html
    assert len(item.links) == 4


@pytest.mark.parametrize(
    ("name", "index", "expected"),
    [
        ("atom_russcox_html.xml", 0, ["Russ Cox"]),
        ("jsonfeed11_authors.json", 0, ["Root Author 1", "Root Author 2"]),
    ],
)
def test_item_authors_inherit_feed_authors(name: str, index: int, expected: list[str]) -> None:
    assert parse_fixture(name).items[index].authors == expected


def test_atom_plain_text_title_keeps_angle_brackets() -> None:
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:x:1</id>'
        '<title type="text">Vec&lt;T&gt; vs &amp;[T] in Rust</title></entry></feed>'
    )
    assert parse_feed(doc.encode()).items[0].title == "Vec<T> vs &[T] in Rust"


# --------------------------------------------------------------------------- JSON Feed


def test_json_feed_11() -> None:
    feed = parse_fixture("jsonfeed11_full.json")
    assert feed.format == "json"
    m = feed.meta
    assert (m.title, m.link, m.self_url, m.description, m.language, m.author) == (
        "My Example Feed",
        "https://example.org/",
        "https://example.org/feed.json",
        "The Best Example Feed",
        "en",
        "Joe",
    )
    second, first = feed.items
    assert second.key == second.guid == "2"
    assert second.title == "Title"
    assert second.url == "https://example.org/second-item"
    assert second.published == _utc(2020, 1, 2, 21, 0, 0)
    assert second.published_raw == "2020-01-02T14:00:00-07:00"
    assert second.updated == _utc(2020, 1, 4, 0, 0, 0)
    assert second.summary == "A summary"
    assert second.html == 'Content with <a href="http://example.com/" rel="noopener noreferrer nofollow">link</a>'
    assert second.text == "Content with link"  # content_html preferred over content_text
    assert second.links == ["http://example.com/"]
    assert second.enclosure is not None
    assert (second.enclosure.url, second.enclosure.type, second.enclosure.length) == (
        "http://example.com/downloads/file.m4a",
        "audio/x-m4a",
        12345678,
    )
    assert second.duration == 1234.0
    assert second.authors == []  # the only author has a url and no name
    assert first.authors == ["Jane"]  # legacy 1.0 "author" object
    assert first.title is None and first.text == "Hello, world!"


def test_json_feed_10() -> None:
    feed = parse_fixture("jsonfeed10_daring_fireball.json")
    assert feed.format == "json"
    assert feed.meta.title == "Daring Fireball"
    assert feed.meta.image == "https://daringfireball.net/graphics/apple-touch-icon.png"
    assert feed.meta.author == "John Gruber"
    assert [i.title for i in feed.items] == ["How Jeff Bezos’s iPhone X Was Hacked", "Instagram for Windows 95"]
    item = feed.items[1]
    assert item.key == "https://daringfireball.net/linked/2020/01/20/instagram-for-win95"
    assert item.published == _utc(2020, 1, 21, 1, 7, 0)
    assert item.updated == _utc(2020, 1, 21, 20, 58, 36)
    assert item.authors == ["John Gruber"]
    assert item.text == "Delightful work by Petrick Studio."


def test_json_feed_tags_authors_and_id_less_items() -> None:
    feed = parse_fixture("jsonfeed11_influxdata.json")
    first, _, fake = feed.items
    assert first.guid is None
    assert first.key == (
        "https://www.influxdata.com/blog/influxdb-outperforms-graphite-in-time-series-data-metrics-benchmark"
    )
    assert first.categories == ["InfluxDB", "Community", "Elasticsearch", "Time Series Database"]
    assert first.authors == ["Chris Churilo", "Fake Author 1"]  # 1.1 "authors" wins over "author"
    assert first.published == _utc(2019, 5, 31, 19, 17, 58)
    assert fake.key == "https://example.com/"
    assert fake.text == "" and fake.html is None


@pytest.mark.parametrize(
    ("index", "authors"),
    [(1, ["Legacy Item Author"]), (2, ["Item Author 1", "Item Author 2"]), (3, ["Item Author 1", "Item Author 2"])],
)
def test_json_feed_author_forms(index: int, authors: list[str]) -> None:
    assert parse_fixture("jsonfeed11_authors.json").items[index].authors == authors


def test_json_feed_relative_url_and_content_text() -> None:
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Interconnects",'
        b' "home_page_url": "https://www.interconnects.ai/",'
        b' "items": [{"id": 71, "url": "/p/the-state-of-post-training-2025",'
        b' "content_text": "Slides for this post-training talk & the full tutorial.",'
        b' "tags": ["post-training", 2025, null], "date_published": "2025-01-08T15:00:00Z"}]}'
    )
    (item,) = parse_feed(doc).items
    assert item.guid == item.key == "71"
    assert item.url == "https://www.interconnects.ai/p/the-state-of-post-training-2025"
    assert item.text == "Slides for this post-training talk & the full tutorial."
    assert item.categories == ["post-training", "2025"]
    assert item.published == _utc(2025, 1, 8, 15, 0, 0)


def test_json_feed_content_text_is_not_markup() -> None:
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t",'
        b' "items": [{"id": "1", "content_text": "Use Vec<T> when the size is unknown."}]}'
    )
    assert parse_feed(doc).items[0].text == "Use Vec<T> when the size is unknown."
