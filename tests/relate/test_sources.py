"""Publishers, platforms and the concentration report."""

from highsignal.records import Source
from highsignal.relate.sources import concentration, platform, publisher


def test_feeds_of_one_site_are_one_publisher():
    a = Source(1, "https://feeds.example-lab.ai/blog.xml", site_url="https://www.example-lab.ai/blog")
    b = Source(2, "https://example-lab.ai/research/rss")
    assert publisher(a) == publisher(b) == "example-lab.ai"


def test_accounts_on_a_shared_platform_are_separate_voices():
    alice = Source(1, "https://bsky.app/profile/alice.bsky.social/rss", site_url="https://bsky.app/profile/alice")
    bob = Source(2, "https://bsky.app/profile/bob.bsky.social/rss", site_url="https://bsky.app/profile/bob")
    assert publisher(alice) != publisher(bob)
    assert publisher(alice).startswith("bsky.app/")


def test_platform_is_the_registrable_domain():
    assert platform("simonw.substack.com") == "substack.com"
    assert platform("news.bbc.co.uk") == "bbc.co.uk"


def test_concentration_warns_when_one_source_dominates():
    top = [("Only Source", "only.example")] * 8 + [("Other", "other.example")] * 2
    report = concentration(top)
    assert report.by_source[0] == ("Only Source", 8, 0.8)
    assert any("80% of your top 10 items come from one source" in w for w in report.warnings)
    assert report.effective_sources < 2


def test_a_spread_feed_gets_no_warning():
    top = [(f"S{i}", f"s{i}.example") for i in range(10)]
    assert concentration(top).warnings == []
