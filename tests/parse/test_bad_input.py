"""Bad input: each case raises a clear ParseError subclass or returns items plus a warning."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap

import pytest

from highsignal.errors import NotAFeedError, ParseError, RefusedError
from highsignal.parse.feeds import parse_feed
from tests.parse.conftest import PARSE_FIXTURES, load, parse_fixture, rss

LATENT = "podcast20_pc_prefix.xml"


# --------------------------------------------------------------------------- not a feed


def test_plain_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="neither XML nor JSON") as info:
        parse_feed(load("seed003_interconnects_page.txt"))
    assert not isinstance(info.value, NotAFeedError)


@pytest.mark.parametrize(
    "prefix",
    [b"", b"\xef\xbb\xbf", b"\n  <!-- served by nginx -->\n", b"\xef\xbb\xbf  \r\n"],
    ids=["bare", "bom", "comment", "bom-whitespace"],
)
@pytest.mark.parametrize("page", ["page_article.html", "page_blog_home.html"])
def test_html_page_is_not_a_feed(page: str, prefix: bytes) -> None:
    with pytest.raises(NotAFeedError):
        parse_feed(prefix + load(page))


def test_xhtml_page_with_xml_declaration_is_not_a_feed() -> None:
    page = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<head><title>Interconnects</title></head><body><p>Audio&nbsp;essays</p></body></html>"
    )
    with pytest.raises(NotAFeedError):
        parse_feed(page)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><catalog><book id="bk101"><title>XML Developer\'s Guide</title></book></catalog>',
        b"<note><to>Tove</to></note>",
    ],
)
def test_xml_that_is_not_a_feed(data: bytes) -> None:
    with pytest.raises(ParseError, match="root element is <"):
        parse_feed(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n", b'<?xml version="1.0"?>', b"<!-- nothing -->"],
    ids=["empty", "whitespace", "bom", "bom-newlines", "declaration-only", "comment-only"],
)
def test_empty_document(data: bytes) -> None:
    with pytest.raises(ParseError, match="empty document"):
        parse_feed(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"hello": "world"}', "not a JSON Feed"),
        (b'{"version": "1.1", "items": []}', "not a JSON Feed"),
        (b"[1, 2, 3]", "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x"}', "no items list"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": {"id": 1}}', "no items list"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "invalid JSON"),
        (b"{not json at all}", "invalid JSON"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 5000 + b"]" * 5000 + b"}", "JSON"),
    ],
    ids=["object", "bare-version", "array", "no-items", "items-object", "truncated", "garbage", "deep"],
)
def test_json_that_is_not_a_json_feed(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_feed(data)


def test_json_feed_item_that_is_not_an_object_is_skipped() -> None:
    feed = parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": [42, {"id": "a", "title": "Kept"}]}')
    assert [i.title for i in feed.items] == ["Kept"]
    assert feed.warnings == ["item 0 is not an object; skipped"]


# --------------------------------------------------------------------------- not well-formed


def test_truncated_feed_recovers_items_with_warning() -> None:
    data = load(LATENT)
    third = data.index(b"<item>", data.index(b"<item>", data.index(b"<item>") + 1) + 1)
    feed = parse_feed(data[: third + 300])  # cut inside the third episode
    assert feed.format == "rss"
    assert [i.title for i in feed.items][:2] == [
        "Efficiency is Coming: 3000x Faster, Cheaper, Better AI Inference from Hardware Improvements, "
        "Quantization, and Synthetic Data Distillation",
        "Why you should write your own LLM benchmarks — with Nicholas Carlini, Google DeepMind",
    ]
    assert feed.items[0].duration == 3918.0
    assert len(feed.warnings) == 1 and feed.warnings[0].startswith("XML is not well-formed")
    assert feed.meta.title == "Latent Space: The AI Engineer Podcast"


def test_undeclared_prefix_recovers_items_with_warning() -> None:
    # Apple's sample feed uses content:encoded without declaring the namespace.
    feed = parse_fixture("rss2_itunes_all_about_everything.xml")
    assert [i.title for i in feed.items] == [
        "Shake Shake Shake Your Spices",
        "Socket Wrench Shootout",
        "Red, Whine, & Blue",
    ]
    assert any("Namespace prefix content on encoded is not defined" in w for w in feed.warnings)


def test_truncated_channel_keeps_channel_and_warns() -> None:
    feed = parse_fixture("rss2_truncated_reuters.xml")
    assert feed.meta.title == "Reuters: Most Read Articles"
    assert feed.items == []
    assert feed.warnings and "Premature end of data" in feed.warnings[0]


def test_double_declaration_does_not_crash() -> None:
    feed = parse_fixture("rss2_malformed_namespaced.xml")
    assert feed.warnings and "XML declaration allowed only at the start" in feed.warnings[0]


# --------------------------------------------------------------------------- robustness fallback


def test_fallback_parser_reads_feed_lxml_cannot() -> None:
    # An unclosed <itunes:category> swallows the items; only feedparser finds them.
    feed = parse_fixture("rss2_itunes_unclosed_category.xml")
    assert feed.format == "fallback"
    assert [i.title for i in feed.items] == [
        "Shake Shake Shake Your Spices",
        "Socket Wrench Shootout",
        "Red, Whine, & Blue",
    ]
    first = feed.items[0]
    assert first.key == "http://example.com/podcasts/archive/aae20050615.m4a"
    assert first.duration == 424.0
    assert first.enclosure is not None and first.enclosure.length == 8727310
    assert first.published_raw == "Wed, 15 Jun 2005 19:00:00 GMT"
    assert feed.meta.title == "All About Everything"
    assert feed.warnings == ["no entries found by the XML parser; read with the tolerant fallback parser"]


def test_fallback_for_utf16_label_on_ascii_bytes() -> None:
    feed = parse_fixture("rss2_labelled_utf16_is_ascii.xml")
    assert feed.format == "fallback"
    (item,) = feed.items
    assert (item.title, item.url, item.text) == (
        "UTF-16 Entry 1",
        "https://example.com/entry1",
        "First entry in UTF-16",
    )
    assert item.published is not None and item.published.isoformat() == "2024-01-03T12:00:00+00:00"
    assert feed.warnings and feed.warnings[0].endswith("read with the tolerant fallback parser")


# --------------------------------------------------------------------------- entity attacks

_LOL = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
_ITEM = "<item><title>&lol9;</title><guid>x</guid></item>"
_XXE_ITEM = "<item><title>a &xxe; b</title><description>&xxe;</description><guid>x</guid></item>"
ATTACKS = {
    "billion-laughs-no-items": (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{_LOL}]>\n{rss("", channel="<ttl>&lol9;</ttl>", decl="")}'
    ),
    "billion-laughs": f'<?xml version="1.0"?>\n<!DOCTYPE rss [{_LOL}]>\n{rss(_ITEM, decl="")}',
    "billion-laughs-padded": f'<?xml version="1.0"?>\n<!DOCTYPE rss [{" " * 70000}{_LOL}]>\n{rss(_ITEM, decl="")}',
    "external-entity": (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n{rss(_XXE_ITEM, decl="")}'
    ),
    "external-parameter-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
        f"{rss(_XXE_ITEM, decl='')}"
    ),
}


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs-no-items",
        pytest.param("billion-laughs"),
        pytest.param("billion-laughs-padded"),
        pytest.param("external-entity"),
        pytest.param("external-parameter-entity"),
    ],
)
def test_entity_declarations_refused(name: str) -> None:
    with pytest.raises(RefusedError, match="refused"):
        parse_feed(ATTACKS[name].encode())


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_entities_never_expanded_or_resolved(name: str) -> None:
    """Whatever the outcome, no entity is expanded and no local file is read."""
    try:
        feed = parse_feed(ATTACKS[name].encode())
    except RefusedError:
        return
    for item in feed.items:
        for field in (item.title or "", item.text, item.html or ""):
            assert "lollollol" not in field
            assert "root:" not in field


_MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))
    from highsignal.parse.document import parse_document
    from highsignal.parse.feeds import parse_feed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcomes = []
    for doc in json.loads(sys.stdin.read()):
        try:
            feed = parse_feed(doc.encode())
            outcomes.append(max([len(i.title or "") + len(i.text) for i in feed.items] or [0]))
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        parse_document(doc.encode(), "https://feed.example.org/rss")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"grew_kb": after - before, "outcomes": outcomes}))
    """
)


def test_entity_attacks_keep_memory_small() -> None:
    """A billion laughs expands to ~3 GB; parsing must stay far below that (run in a capped child)."""
    docs = [ATTACKS["billion-laughs"], ATTACKS["billion-laughs-padded"], ATTACKS["billion-laughs-no-items"]]
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE],
        input=json.dumps(docs),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["grew_kb"] < 200_000  # under 200 MB of growth
    for outcome in report["outcomes"]:
        assert outcome == "RefusedError" or (isinstance(outcome, int) and outcome < 10_000)


# --------------------------------------------------------------------------- encodings

_LATENT_ITEM = (
    "<item><title>Crème brûlée at the World’s Fair – “Efficiency” for €5</title><guid>ls-1</guid>"
    "<description>Nyla Worker: café, naïve, Ünïcödé.</description></item>"
)


@pytest.mark.parametrize(
    ("decl", "encoding"),
    [
        ('<?xml version="1.0" encoding="utf-8"?>', "latin-1"),  # latin-1 bytes declared utf-8
        ('<?xml version="1.0" encoding="utf-8"?>', "cp1252"),  # cp1252 bytes declared utf-8
        ('<?xml version="1.0"?>', "cp1252"),  # cp1252, nothing declared
        ("", "cp1252"),  # no declaration at all
        ('<?xml version="1.0" encoding="windows-1252"?>', "cp1252"),  # declared correctly
        ('<?xml version="1.0" encoding="utf-8"?>', "utf-8"),
    ],
)
def test_wrong_or_missing_encoding_declaration(decl: str, encoding: str) -> None:
    item = _LATENT_ITEM
    if encoding == "latin-1":  # latin-1 has no curly quotes, dashes or euro sign
        item = item.replace("’", "'").replace("–", "-").replace("“", '"').replace("”", '"').replace("€", "EUR ")
    data = rss(item, decl=decl).encode(encoding)
    feed = parse_feed(data)
    (got,) = feed.items
    expected = "Crème brûlée at the World’s Fair – “Efficiency” for €5"
    if encoding == "latin-1":
        expected = 'Crème brûlée at the World\'s Fair - "Efficiency" for EUR 5'
    assert got.title == expected
    assert got.text == "Nyla Worker: café, naïve, Ünïcödé."


@pytest.mark.parametrize(
    "prefix",
    [b"\n\n  ", b"\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n  ", b"  \r\n\xef\xbb\xbf"],
    ids=["newlines", "tab", "bom", "bom-then-whitespace", "whitespace-then-bom"],
)
def test_whitespace_and_bom_before_declaration(prefix: bytes) -> None:
    feed = parse_feed(prefix + load(LATENT))
    assert feed.warnings == []
    assert feed.meta.title == "Latent Space: The AI Engineer Podcast"
    assert [i.duration for i in feed.items] == [3918.0, 4205.0, 2982.0]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    text = load(LATENT).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode(codec)
    if codec != "utf-16":
        data = (b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff") + data
    feed = parse_feed(data)
    assert feed.warnings == []
    assert feed.items[0].title.startswith("Efficiency is Coming: 3000x Faster")
    assert feed.items[2].text.startswith("The World’s Fair is officially sold out!")
    assert len(feed.items[0].transcripts) == 3


@pytest.mark.parametrize(
    "codec",
    [
        # little-endian starts with '<\x00' and libxml2 autodetects it (XML 1.0 Appendix F)
        pytest.param("utf-16-le"),
        pytest.param("utf-16-be"),
    ],
)
def test_utf16_without_bom(codec: str) -> None:
    text = load(LATENT).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    feed = parse_feed(text.encode(codec))
    assert feed.format == "rss" and feed.warnings == []
    assert feed.items[0].title.startswith("Efficiency is Coming: 3000x Faster")
    assert len(feed.items[0].transcripts) == 3


_ENTITY_DOC = (
    "<item><title>Efficiency is Coming&nbsp;&mdash; 3000x Faster</title><guid>ls-95</guid>"
    "<description>GPUs &amp; Inference&nbsp;track &hellip; at the World&rsquo;s Fair</description></item>"
    "<item><title>Why you should write your own LLM benchmarks</title><guid>ls-94</guid></item>"
)


def test_html_named_entities_undeclared_in_xml() -> None:
    feed = parse_feed(rss(_ENTITY_DOC).encode())
    first, second = feed.items
    assert first.title.replace("\xa0", " ") == "Efficiency is Coming — 3000x Faster"
    assert first.text == "GPUs & Inference track … at the World’s Fair"
    assert second.title == "Why you should write your own LLM benchmarks"


def test_html_named_entities_never_crash() -> None:
    feed = parse_feed(rss(_ENTITY_DOC).encode())
    assert [i.key for i in feed.items] == ["ls-95", "ls-94"]
    assert feed.items[0].title.startswith("Efficiency is Coming")


def test_html_entities_in_latin1_declared_document() -> None:
    doc = rss(_ENTITY_DOC.replace("Coming", "Comïng"), decl='<?xml version="1.0" encoding="ISO-8859-1"?>')
    feed = parse_feed(doc.encode("latin-1"))
    assert feed.items[0].title.replace("\xa0", " ") == "Efficiency is Comïng — 3000x Faster"


# --------------------------------------------------------------------------- never crash

_rng = random.Random(20250109)
GARBAGE = {
    "random-bytes": bytes(_rng.randrange(256) for _ in range(4096)),
    "random-markup": "".join(_rng.choice("<>/&;!?[]=\"' abcitemrsschannel") for _ in range(4096)).encode(),
    "lone-lt": b"<",
    "open-root": b"<rss",
    "angle-soup": b"<<<<>>>>",
    "nul-bytes": b"\x00\x00\x00\x00",
    "bom-utf16-only": b"\xff\xfe",
    "deep-nesting": b"<rss><channel><item><title>t</title><description>"
    + b"<x>" * 100_000
    + b"</x>" * 100_000
    + b"</description></item></channel></rss>",
    "item-outside-rss": b"<item><title>Stray item</title></item>",
    "cdata-unterminated": b'<rss version="2.0"><channel><item><title><![CDATA[never ends',
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_garbage_never_crashes(name: str) -> None:
    try:
        feed = parse_feed(GARBAGE[name])
    except ParseError as exc:
        assert str(exc)  # a message that names the problem
        return
    assert isinstance(feed.items, list)
    for item in feed.items:
        assert item.key and item.content_hash


@pytest.mark.parametrize("path", sorted(p.name for p in PARSE_FIXTURES.iterdir()))
def test_every_fixture_parses_or_raises_parse_error(path: str) -> None:
    try:
        feed = parse_feed(load(path), "https://feed.example.org/feed")
    except ParseError:
        assert not path.endswith((".xml", ".rdf", ".json")) or path == "rss2_malformed_namespaced.xml"
        return
    assert path.endswith((".xml", ".rdf", ".json"))
    keys = [i.key for i in feed.items]
    assert len(keys) == len(set(keys))
    assert all(i.text is not None and "<script" not in (i.html or "") for i in feed.items)
