"""The Library API end to end: sources, refresh, items, search, OPML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import highsignal
from highsignal.cli import sample_dir
from highsignal.errors import ItemNotFoundError, SourceError, SourceNotFoundError

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tiny Lab</title><link>https://tiny.example/</link>
<item><title>Tiny-7B weights released</title><guid>tiny-1</guid>
<link>https://tiny.example/posts/1?utm_source=rss</link>
<pubDate>Tue, 03 Sep 2024 10:00:00 +0200</pubDate>
<description><![CDATA[<p>Weights on <a href="https://huggingface.co/tiny/Tiny-7B">the Hub</a>.</p>]]></description>
</item>
<item><title>Why we evaluate on held-out data</title><guid>tiny-2</guid>
<pubDate>Mon, 02 Sep 2024 09:00:00 GMT</pubDate><description>Contamination matters.</description></item>
</channel></rss>"""


def test_add_feed_url_ingests_items(server, lib):
    url = server.add("/feed.xml", FEED)
    res = lib.add_source(url)
    assert res.created
    assert res.source.title == "Tiny Lab"
    assert res.source.item_count == 2
    items = lib.items()
    assert [i.item.title for i in items] == ["Tiny-7B weights released", "Why we evaluate on held-out data"]
    first = items[0].item
    assert first.published == datetime(2024, 9, 3, 8, 0, tzinfo=UTC)
    assert first.published_raw == "Tue, 03 Sep 2024 10:00:00 +0200"
    assert first.links == ["https://huggingface.co/tiny/Tiny-7B"]


def test_adding_twice_is_a_noop_with_a_message(server, lib):
    url = server.add("/feed.xml", FEED)
    lib.add_source(url)
    again = lib.add_source(url)
    assert not again.created
    assert "already subscribed" in again.message
    assert len(lib.sources()) == 1
    assert len(server.hits("/feed.xml")) == 1  # no second download either


def test_add_local_file_and_missing_file(tmp_path, lib):
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    res = lib.add_source(str(path))
    assert res.source.url == path.resolve().as_uri()
    assert res.source.item_count == 2
    with pytest.raises(SourceError, match="no such file"):
        lib.add_source(str(tmp_path / "missing.xml"))


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("", "empty source"),
        ("ftp://example.org/feed", "unsupported URL scheme"),
        ("https://", "no host"),
        ("http://example.org:99999/feed", "invalid URL"),
    ],
)
def test_invalid_sources_are_refused_with_a_clear_error(lib, ref, message):
    with pytest.raises(SourceError, match=message):
        lib.add_source(ref)
    assert lib.sources() == []


def test_item_lookup_by_id_guid_and_url(server, lib):
    lib.add_source(server.add("/feed.xml", FEED))
    by_guid = lib.item("tiny-1")
    assert by_guid.item.title == "Tiny-7B weights released"
    assert lib.item(str(by_guid.id)).item.guid == "tiny-1"
    assert lib.item(by_guid.item.url).id == by_guid.id
    with pytest.raises(ItemNotFoundError):
        lib.item("nope")


def test_items_filters(server, lib):
    a = lib.add_source(server.add("/a.xml", FEED)).source
    lib.add_source(server.add("/b.xml", FEED.replace(b"Tiny Lab", b"Other Lab")))
    assert len(lib.items()) == 4
    assert {i.source_id for i in lib.items(source=a.id)} == {a.id}
    assert len(lib.items(source="Other Lab")) == 2
    since = datetime(2024, 9, 3, tzinfo=UTC)
    assert [i.item.guid for i in lib.items(since=since)] == ["tiny-1", "tiny-1"]
    assert len(lib.items(limit=1)) == 1
    with pytest.raises(SourceNotFoundError):
        lib.items(source="no such source")


def test_search_ranks_and_filters(server, lib):
    lib.add_source(server.add("/feed.xml", FEED))
    hits = lib.search("weights")
    assert [h.title for h in hits] == ["Tiny-7B weights released"]
    assert "\x02" in hits[0].snippet or "weights" in hits[0].snippet.lower()
    assert lib.search("contamination")[0].title == "Why we evaluate on held-out data"
    assert lib.search("weights", since=datetime(2025, 1, 1, tzinfo=UTC)) == []
    # Characters that are FTS5 syntax errors must not raise.
    assert [h.title for h in lib.search('tiny-7b "weights')] == ["Tiny-7B weights released"]


def test_remove_source_deletes_items_and_index(server, lib):
    src = lib.add_source(server.add("/feed.xml", FEED)).source
    lib.remove_source(src.id)
    assert lib.sources() == []
    assert lib.items() == []
    assert lib.search("weights") == []


def test_opml_round_trip(server, lib, tmp_path):
    lib.add_source(server.add("/a.xml", FEED))
    lib.add_source(server.add("/b.xml", FEED.replace(b"Tiny Lab", b"Other Lab")))
    exported = lib.export_opml()
    other = highsignal.open(tmp_path / "other.sqlite")
    try:
        _, errors = other.import_opml(exported)
        assert errors == []
        assert sorted(s.url for s in other.sources()) == sorted(s.url for s in lib.sources())
        assert sorted(s.title for s in other.sources()) == ["Other Lab", "Tiny Lab"]
        again, _ = other.import_opml(exported)
        assert not any(r.created for r in again)
    finally:
        other.close()


def test_import_opml_rejects_non_opml(lib, tmp_path):
    bad = tmp_path / "x.opml"
    bad.write_text("<html><body>nope</body></html>")
    with pytest.raises(highsignal.ParseError, match="not an OPML"):
        lib.import_opml(bad)


def test_bundled_samples_ingest_offline(tmp_path):
    with highsignal.open(tmp_path / "demo.sqlite") as lib:
        lib.import_opml(sample_dir() / "subscriptions.opml")
        report = lib.refresh()
        assert report.errors == 0
        kinds = {s.title: s.kind for s in lib.sources()}
        assert len(kinds) >= 4
        assert "podcast" in kinds.values()
        assert report.new_items >= 25
        podcasts = {s.id for s in lib.sources() if s.kind == "podcast"}
        podcast_items = [i for i in lib.items() if i.source_id in podcasts and i.item.enclosure]
        assert podcast_items, "the sample podcast has enclosures"
        assert all(i.item.duration and i.item.duration > 60 for i in podcast_items)


def test_default_db_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("HIGHSIGNAL_DB", str(tmp_path / "x.sqlite"))
    assert highsignal.default_db_path() == Path(tmp_path / "x.sqlite")
    monkeypatch.delenv("HIGHSIGNAL_DB")
    assert highsignal.default_db_path().name == "highsignal.sqlite"
