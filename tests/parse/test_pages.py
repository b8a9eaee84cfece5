"""pages.py and document.py: feed discovery, single articles, text files, routing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from highsignal.errors import ParseError
from highsignal.parse.document import Parsed, parse_document
from highsignal.parse.pages import discover_feeds, parse_page, parse_text_document
from tests.parse.conftest import load

HOME = "https://www.interconnects.ai/"
ARTICLE = "https://www.interconnects.ai/p/to-meta-ray-ban-local-ai"


# --------------------------------------------------------------------------- discover_feeds


def test_discover_feeds_relative_and_absolute_comments_last() -> None:
    assert discover_feeds(load("page_blog_home.html"), HOME) == [
        "https://www.interconnects.ai/feed",  # relative href resolved
        "https://www.interconnects.ai/feed.atom",  # atom, absolute
        "https://www.interconnects.ai/feed/comments",  # comment feed ranked after the others
    ]


def test_discover_feeds_resolves_against_page_url() -> None:
    assert discover_feeds(load("page_blog_home.html"), "https://mirror.example.org/blog/index.html")[0] == (
        "https://mirror.example.org/feed"
    )


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ('<link rel="alternate" type="application/feed+json" href="feed.json">', ["https://x.org/blog/feed.json"]),
        ('<link rel="Alternate" type="application/RSS+XML" href="/rss">', ["https://x.org/rss"]),
        ('<link rel="alternate nofollow" type="application/atom+xml" href="/a">', ["https://x.org/a"]),
        ('<link rel="alternate" type="text/html" href="/de/">', []),
        ('<link rel="stylesheet" type="text/xml" href="/s.xml">', []),
        ('<link rel="alternate" type="application/rss+xml">', []),  # no href
        (
            '<link rel="alternate" type="application/rss+xml" href="/f"><link rel="alternate" '
            'type="application/rss+xml" href="https://x.org/f">',
            ["https://x.org/f"],
        ),  # de-duplicated
    ],
)
def test_discover_feeds_variants(links: str, expected: list[str]) -> None:
    page = f"<!DOCTYPE html><html><head><title>t</title>{links}</head><body>x</body></html>".encode()
    assert discover_feeds(page, "https://x.org/blog/") == expected


@pytest.mark.parametrize("page", [b"", b"   ", b"plain text, no markup"])
def test_discover_feeds_on_non_html(page: bytes) -> None:
    assert discover_feeds(page, HOME) == []


# --------------------------------------------------------------------------- parse_page


@pytest.fixture(scope="module")
def article():
    return parse_page(load("page_article.html"), ARTICLE + "?utm_source=twitter#top")


def test_parse_page_one_item_with_title_and_main_text(article) -> None:
    assert article.format == "page"
    (item,) = article.items
    assert item.title == "Let me use my local LMs on Meta Ray-Bans"
    assert item.key == ARTICLE  # canonical: no tracker, no fragment
    assert item.url == ARTICLE + "?utm_source=twitter#top"
    assert "With the Rabbit r1, the Humane pin, the Friend thing" in item.text
    assert "AI should be fun, flexible, and available." in item.text
    assert "protolithic chatbot" in item.text
    # page chrome and scripts are not the article
    for chrome in ("Sleep timer", "Privacy", "Get the app", "analytics.track", "Subscribe"):
        assert chrome not in item.text
    assert "<script" not in (item.html or "")
    assert item.authors == ["Nathan Lambert"]
    assert item.published == datetime(2024, 10, 14, tzinfo=UTC)
    assert item.content_hash and len(item.content_hash) == 32
    assert article.meta.title == item.title
    assert article.warnings == []


def test_parse_page_links_are_absolute(article) -> None:
    links = article.items[0].links
    assert "https://www.interconnects.ai/p/openai-o1-system" in links  # relative href resolved
    assert "https://about.meta.com/realitylabs/" in links
    assert all(u.startswith(("http://", "https://")) for u in links)


def test_parse_page_hash_is_stable() -> None:
    a = parse_page(load("page_article.html"), ARTICLE)
    b = parse_page(load("page_article.html"), ARTICLE)
    assert a.items[0].content_hash == b.items[0].content_hash
    changed = load("page_article.html").replace(b"protolithic chatbot", b"prototype chatbot")
    assert parse_page(changed, ARTICLE).items[0].content_hash != a.items[0].content_hash


def test_parse_page_without_main_text_warns() -> None:
    page = b"<!DOCTYPE html><html><head><title>Just a title</title></head><body></body></html>"
    feed = parse_page(page, "https://x.org/empty")
    (item,) = feed.items
    assert item.title == "Just a title"
    assert item.text == ""
    assert feed.warnings == ["no main text could be extracted from the page"]


# --------------------------------------------------------------------------- parse_text_document


def test_parse_text_document_seed() -> None:
    data = load("seed002_latent_space_episode.txt")
    feed = parse_text_document(data, "/home/reader/notes/latent-space.txt")
    assert feed.format == "text"
    (item,) = feed.items
    assert item.title == (
        "Efficiency is Coming: 3000x Faster, Cheaper, Better AI Inference from Hardware Improvements, "
        "Quantization, and Synthetic Data Distillation"
    )
    assert item.key.startswith("doc:")
    assert item.url is None
    assert "mardi 3 septembre 2024 • Duration 01:05:18" in item.text
    assert "[00:03:17] Nyla's path from Astrophysics to LLMs" in item.text
    assert item.html is not None and item.html.startswith("<p>Efficiency is Coming")
    assert "Nyla&#x27;s path" in item.html or "Nyla&#39;s path" in item.html  # escaped, not raw
    # same path, same key; another path, another key
    assert parse_text_document(data, "/home/reader/notes/latent-space.txt").items[0].key == item.key
    assert parse_text_document(data, "/tmp/other.txt").items[0].key != item.key


def test_parse_text_document_links_and_markdown_title() -> None:
    text = (
        b"# The state of post-training in 2025\n\n"
        b"Slides: https://www.interconnects.ai/p/the-state-of-post-training-2025 and "
        b"(https://allenai.org/tulu). Not a link: ftp://files.example.org/x\r\n\r\nSecond paragraph <b>raw</b>.\n"
    )
    (item,) = parse_text_document(text, "post.md").items
    assert item.title == "The state of post-training in 2025"
    assert item.links == ["https://www.interconnects.ai/p/the-state-of-post-training-2025", "https://allenai.org/tulu"]
    assert "\r" not in item.text
    assert "&lt;b&gt;raw&lt;/b&gt;" in item.html
    assert item.html.count("<p>") == 3


def test_parse_text_document_with_page_chrome() -> None:
    (item,) = parse_text_document(load("seed003_interconnects_page.txt"), "interconnects.txt").items
    assert item.title == "Powered by RND"  # the first line, chrome or not
    assert "Let me use my local LMs on Meta Ray-Bans" in item.text
    assert "https://www.interconnects.ai/p/2024-interconnects-year-in-review" in item.links


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_parse_text_document_empty(data: bytes) -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_text_document(data, "empty.txt")


# --------------------------------------------------------------------------- parse_document routing


def _route(p: Parsed) -> str:
    chosen = [name for name, on in (("feed", p.feed), ("links", p.feed_links), ("error", p.error)) if on]
    assert len(chosen) == 1, p  # exactly one outcome
    return chosen[0] if chosen[0] != "feed" else f"feed:{p.feed.format}"


@pytest.mark.parametrize(
    ("name", "url", "ctype", "route"),
    [
        ("podcast20_pc_prefix.xml", "https://x.org/feed", "application/rss+xml", "feed:rss"),
        ("atom_content_types.xml", "https://x.org/feed.atom", None, "feed:atom"),
        ("jsonfeed11_full.json", "https://x.org/feed.json", "application/feed+json", "feed:json"),
        ("page_blog_home.html", HOME, "text/html; charset=utf-8", "links"),
        ("page_article.html", ARTICLE, "text/html", "feed:page"),
        ("seed002_latent_space_episode.txt", "file:///notes/latent.txt", None, "feed:text"),
        (
            "seed003_interconnects_page.txt",
            "https://x.org/notes",
            "text/plain; charset=utf-8",
            "feed:episodes",
        ),  # an episode listing
        ("seed003_interconnects_page.txt", "https://x.org/notes", None, "error"),  # text but not said so
        ("rss2_itunes_unclosed_category.xml", "https://x.org/feed", None, "feed:fallback"),
        ("rss2_fallthrough_podcast.xml", "https://x.org/feed.txt", "text/plain", "feed:rss"),  # XML wins
    ],
)
def test_parse_document_routing(name: str, url: str, ctype: str | None, route: str) -> None:
    assert _route(parse_document(load(name), url, ctype)) == route


def test_parse_document_feed_links() -> None:
    p = parse_document(load("page_blog_home.html"), HOME, "text/html")
    assert p.feed_links == [
        "https://www.interconnects.ai/feed",
        "https://www.interconnects.ai/feed.atom",
        "https://www.interconnects.ai/feed/comments",
    ]


def test_parse_document_without_discovery_takes_the_page() -> None:
    p = parse_document(load("page_blog_home.html"), HOME, "text/html", discover=False)
    assert _route(p) == "feed:page"
    assert p.feed.items[0].title.startswith("Interconnects")


def test_parse_document_page_linking_only_to_itself_is_an_article() -> None:
    page = (
        b'<!DOCTYPE html><html><head><title>Feed page</title><link rel="alternate" '
        b'type="application/rss+xml" href="https://x.org/feed"></head><body><article><h1>Feed page</h1>'
        b"<p>"
        + b"The commoditization of intelligence takes on a few dimensions. " * 8
        + b"</p></article></body></html>"
    )
    assert _route(parse_document(page, "https://x.org/feed", "text/html")) == "feed:page"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty document"),
        (b'{"hello": "world"}', "not a JSON Feed"),
        (b"<catalog><book/></catalog>", "root element"),
    ],
)
def test_parse_document_errors_are_messages(data: bytes, message: str) -> None:
    p = parse_document(data, "https://x.org/feed")
    assert _route(p) == "error"
    assert message in p.error


def test_parse_document_refused_is_an_error_not_a_page() -> None:
    lol = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY a{i} "{"&a;" * 10}">' for i in range(1, 4))
    doc = f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel><title>&a3;</title></channel></rss>'
    p = parse_document(doc.encode(), "https://x.org/feed", "text/html")
    assert _route(p) == "error"
    assert p.error.startswith("refused")
