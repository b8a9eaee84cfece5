"""Item identity (key), content hashes and duplicate handling within one feed."""

from __future__ import annotations

import pytest

from highsignal.parse.feeds import parse_feed
from tests.parse.conftest import load, parse_fixture, rss


@pytest.fixture(scope="module")
def identity():
    return parse_fixture("rss2_identity.xml", "https://www.interconnects.ai/feed")


def test_identity_ladder(identity) -> None:
    keys = [i.key for i in identity.items]
    reasoning = identity.items[3]
    assert keys == [
        "interconnects:ray-bans",  # guid, even though a link exists
        "https://www.interconnects.ai/p/deepseek-v3-and-the-actual-cost-of?r=7",  # canonical link
        "https://cdn.substack.com/audio/post-training-2025.mp3",  # enclosure without query
        "hash:" + reasoning.content_hash,  # nothing else: content hash
        "https://www.interconnects.ai/p/2024-interconnects-year-in-review",  # relative link resolved
    ]
    assert reasoning.title == "Quick recap on the state of reasoning"
    assert len(reasoning.content_hash) == 32


def test_link_kept_as_written_key_canonical(identity) -> None:
    item = identity.items[1]
    assert item.url == (
        "HTTPS://WWW.Interconnects.AI/p/deepseek-v3-and-the-actual-cost-of"
        "?utm_source=rss&utm_medium=feed&ref=hn&r=7#comments"
    )
    assert item.guid is None


def test_empty_item_skipped_with_warning(identity) -> None:
    assert len(identity.items) == 5
    assert [w for w in identity.warnings if "empty" in w and "skipped" in w and w.startswith("1 ")]


def test_content_hash_stable_across_parses() -> None:
    data = load("podcast20_pc_prefix.xml")
    a = parse_feed(data, "https://api.substack.com/feed/podcast/1084089.rss")
    b = parse_feed(data, "https://api.substack.com/feed/podcast/1084089.rss")
    assert [i.content_hash for i in a.items] == [i.content_hash for i in b.items]
    assert len({i.content_hash for i in a.items}) == 3
    hashed = parse_fixture("rss2_identity.xml").items[3]
    assert hashed.key == parse_fixture("rss2_identity.xml").items[3].key


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("the first to point out to us", "the first to point out to all of us"),  # description
        ("<it:duration>01:05:18</it:duration>", "<it:duration>01:05:19</it:duration>"),
        ("Tue, 03 Sep 2024 16:30:00 GMT", "Tue, 03 Sep 2024 16:31:00 GMT"),
        ('language="fr"', 'language="es"'),  # a transcript attribute
        ("<li>[00:00:00] Intro from Suno</li>", "<li>[00:00:00] Intro</li>"),  # content:encoded
    ],
)
def test_content_hash_changes_with_content(old: str, new: str) -> None:
    text = load("podcast20_pc_prefix.xml").decode()
    assert text.count(old) == 1
    before = parse_feed(text.encode()).items[0]
    after = parse_feed(text.replace(old, new).encode()).items[0]
    assert after.key == before.key == "substack:post:148473000"
    assert after.content_hash != before.content_hash
    # the other items are untouched
    assert (
        parse_feed(text.replace(old, new).encode()).items[1].content_hash
        == parse_feed(text.encode()).items[1].content_hash
    )


def test_hash_key_changes_with_content() -> None:
    a = parse_feed(rss("<item><title>Quick recap on the state of reasoning</title></item>").encode()).items[0]
    b = parse_feed(rss("<item><title>Quick recap on the state of reasoning!</title></item>").encode()).items[0]
    assert a.key.startswith("hash:") and b.key.startswith("hash:")
    assert a.key != b.key


def test_duplicate_guids() -> None:
    feed = parse_fixture("rss2_duplicate_guids.xml")
    assert [(i.key.split("#")[0], i.title) for i in feed.items] == [
        ("ep-73", "Let me use my local LMs on Meta Ray-Bans"),  # exact duplicate stored once
        ("ep-71", "The state of post-training in 2025"),
        ("ep-71", "Quick recap on the state of reasoning"),  # same guid, different episode: kept
    ]
    ray_bans, post_training, reasoning = feed.items
    assert post_training.key == "ep-71"
    assert reasoning.key == "ep-71#" + reasoning.content_hash[:12]
    assert reasoning.guid == "ep-71"
    assert (ray_bans.duration, post_training.duration, reasoning.duration) == (621.0, 3230.0, 982.0)
    _assert_duplicate_warnings(feed.warnings)


def _assert_duplicate_warnings(warnings: list[str]) -> None:
    """One warning for the exact copy stored once, one for the reused id kept apart."""
    assert len([w for w in warnings if w.startswith("1 ") and "duplicate" in w]) == 1
    assert len([w for w in warnings if w.startswith("1 ") and "kept apart" in w]) == 1


def test_duplicates_without_guid_use_the_canonical_link() -> None:
    same = "<item><title>A</title><link>https://Example.org/p/a?utm_source=x</link></item>"
    other_spelling = "<item><title>A</title><link>https://example.org/p/a#comments</link></item>"
    feed = parse_feed(rss(same + same + other_spelling).encode())
    first, second = feed.items
    assert first.key == "https://example.org/p/a"
    # same canonical key, different stored url: kept apart by content, never silently merged
    assert second.key == "https://example.org/p/a#" + second.content_hash[:12]
    assert second.url == "https://example.org/p/a#comments"
    _assert_duplicate_warnings(feed.warnings)
