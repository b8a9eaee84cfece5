"""Story clustering: joins what is the same thing, and refuses the tempting wrong merges."""

from datetime import UTC, datetime, timedelta

from highsignal.records import StoryItem
from highsignal.relate.keys import band_keys, signature
from highsignal.relate.stories import GENERIC, Node, cluster

T0 = datetime(2024, 9, 5, tzinfo=UTC)


def node(item_id, publisher, keys, days=0, text=None, title=None):
    sig = signature(text) if text else None
    if sig is not None:
        keys = [*keys, *band_keys(sig)]
    member = StoryItem(item_id, item_id, publisher, publisher, title or f"item {item_id}", None, T0 + timedelta(days))
    return Node(member, list(keys), sig.tobytes() if sig is not None else None)


def test_shared_artefact_joins_publishers_and_counts_them_once_each():
    nodes = [
        node(1, "lab.ai", ["a:model:lab/m-1"]),
        node(2, "news.com", ["a:model:lab/m-1"], days=1),
        node(3, "news.com", ["a:model:lab/m-1"], days=2),
        node(4, "blog.org", ["a:model:other/x"], days=1),
    ]
    [story] = cluster(nodes)
    assert [i.item_id for i in story.items] == [1, 2, 3]
    assert story.independent_sources == 2
    assert "same artefact" in story.reasons[0]


def test_prose_only_coverage_weeks_later_joins_but_a_year_later_does_not():
    nodes = [
        node(1, "lab.ai", ["e:reflection 70b"]),
        node(2, "news.com", ["e:reflection 70b"], days=20),
        node(3, "blog.org", ["e:reflection 70b"], days=400),
    ]
    [story] = cluster(nodes)
    assert {i.item_id for i in story.items} == {1, 2}


def test_boilerplate_link_repeated_by_one_source_joins_nothing():
    nodes = [node(i, "lab.ai", ["a:code:lab/cookbook"], days=i) for i in range(1, 6)]
    assert cluster(nodes) == []


def test_keys_shared_by_too_many_items_are_generic():
    nodes = [node(i, f"p{i}.com", ["a:code:huggingface/transformers"], days=0) for i in range(GENERIC + 1)]
    assert cluster(nodes) == []


def test_same_title_needs_different_publishers():
    t = "t:weekly ai news roundup edition"
    assert cluster([node(1, "a.com", [t]), node(2, "a.com", [t], days=7)]) == []
    assert len(cluster([node(1, "a.com", [t]), node(2, "b.com", [t], days=1)])) == 1


def test_near_duplicate_texts_join_but_shared_band_alone_does_not():
    text = " ".join(f"w{i}" for i in range(120))
    copy = text.replace("w50", "changed")
    different = " ".join(f"v{i}" for i in range(120))
    a, b, c = node(1, "a.com", [], text=text), node(2, "b.com", [], text=copy), node(3, "c.com", [], text=different)
    # A shared band with a dissimilar signature must not join: give c one of a's band keys.
    c.keys.append(next(k for k in a.keys if k.startswith("m")))
    [story] = cluster([a, b, c])
    assert {i.item_id for i in story.items} == {1, 2}


def test_coverage_naming_the_model_weeks_later_joins_the_launch():
    nodes = [node(1, "lab.ai", ["e:reflection 70b"]), node(2, "blog.org", ["e:reflection 70b"], days=12)]
    [story] = cluster(nodes)
    assert story.independent_sources == 2


def test_one_post_covering_two_releases_does_not_fuse_them():
    a = [node(i, f"a{i}.com", ["e:llama 3"], days=i) for i in range(1, 4)]
    b = [node(i, f"b{i}.com", ["e:llama 3.1"], days=i) for i in range(11, 14)]
    bridge = node(20, "both.com", ["e:llama 3", "e:llama 3.1"], days=5)
    stories = cluster([*a, *b, bridge])
    assert len(stories) == 2
    assert {i.item_id for i in stories[0].items} & {i.item_id for i in stories[1].items} == set()
