"""``Library.refresh`` policy against the loopback server.

Conditional requests, unchanged bodies, updated items, error back-off,
Retry-After, 410 gone, permanent redirects, itunes:new-feed-url, due-only
refreshes, page discovery and failure isolation.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

import pytest

import highsignal
from highsignal.api import DEFAULT_INTERVAL, MAX_INTERVAL, MAX_RETRY_AFTER, MIN_INTERVAL
from tests.feedserver import FeedServer

LM = "Wed, 01 May 2024 10:00:00 GMT"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def rss(items: list[tuple[str, str, str]], title: str = "Feed", channel_extra: str = "") -> bytes:
    """An RSS 2.0 document; ``items`` are (guid, title, body), each dated by its guid."""
    entries = "".join(
        f"<item><guid isPermaLink='false'>{escape(g)}</guid><title>{escape(t)}</title>"
        f"<link>https://blog.example/{escape(g)}</link>"
        f"<pubDate>{1 + sum(map(ord, g)) % 28:02d} Jan 2024 10:00:00 GMT</pubDate>"
        f"<description>{escape(b)}</description></item>"
        for g, t, b in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:itunes="{ITUNES}"><channel>'
        f"<title>{escape(title)}</title><link>https://blog.example/</link>{channel_extra}{entries}"
        "</channel></rss>"
    ).encode()


def three(prefix: str = "") -> list[tuple[str, str, str]]:
    return [(f"{prefix}g{i}", f"{prefix}Post {i}", f"body of post {i} about transformers") for i in range(3)]


def item_rows(lib: highsignal.Library) -> list[tuple]:
    """Every stored item row, read through a separate connection."""
    with sqlite3.connect(lib.store.path) as db:  # type: ignore[attr-defined]
        return db.execute(
            "SELECT id, source_id, key, last_updated, content_hash, text, data FROM items ORDER BY id"
        ).fetchall()


def approx(actual: datetime | None, expected: datetime, slack: timedelta = timedelta(seconds=30)) -> bool:
    return actual is not None and abs(actual - expected) <= slack


# -- conditional requests and unchanged bodies -----------------------------------


@pytest.mark.parametrize(
    "validators",
    [{"etag": '"v1"'}, {"last_modified": LM}, {"etag": '"v1"', "last_modified": LM}],
    ids=["etag", "last-modified", "both"],
)
def test_second_refresh_is_conditional(lib: highsignal.Library, server: FeedServer, validators: dict[str, str]) -> None:
    url = server.add("/feed.xml", rss(three()), **validators)
    added = lib.add_source(url)
    assert added.created and added.source.item_count == 3
    before = item_rows(lib)

    report = lib.refresh()
    (res,) = report.results
    assert res.outcome == "not_modified" and res.error is None
    assert report.new_items == 0 and report.updated_items == 0
    hits = server.hits("/feed.xml")
    assert [h.status for h in hits] == [200, 304]
    if "etag" in validators:
        assert hits[1].headers["if-none-match"] == '"v1"'
    if "last_modified" in validators:
        assert hits[1].headers["if-modified-since"] == LM
    assert item_rows(lib) == before
    src = lib.source(added.source.id)
    assert src.last_status == 304 and src.error_streak == 0
    assert src.etag == validators.get("etag") and src.last_modified == validators.get("last_modified")


def test_repeated_refreshes_only_see_304s(lib: highsignal.Library, server: FeedServer) -> None:
    urls = [server.add(f"/f{i}.xml", rss(three(f"s{i}")), etag=f'"e{i}"') for i in range(3)]
    for u in urls:
        lib.add_source(u)
    server.seen.clear()
    for _ in range(2):
        report = lib.refresh()
        assert sorted(r.outcome for r in report.results) == ["not_modified"] * 3
    assert [s.status for s in server.seen] == [304] * 6
    assert all("if-none-match" in s.headers for s in server.seen)


def test_same_body_without_validators_is_unchanged(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/plain.xml", rss(three()))
    sid = lib.add_source(url).source.id
    first_fetch = lib.source(sid).last_fetch
    before = item_rows(lib)

    (res,) = lib.refresh().results
    assert res.outcome == "unchanged"
    assert res.new == 0 and res.updated == 0 and res.error is None
    assert item_rows(lib) == before
    src = lib.source(sid)
    assert src.last_fetch is not None and first_fetch is not None and src.last_fetch > first_fetch
    assert src.item_count == 3
    assert [h.status for h in server.hits("/plain.xml")] == [200, 200]


def test_changed_body_with_same_items_writes_nothing(lib: highsignal.Library, server: FeedServer) -> None:
    """A new body (say a fresh lastBuildDate) whose items are identical stores nothing new."""
    url = server.add("/f.xml", rss(three()))
    sid = lib.add_source(url).source.id
    before = item_rows(lib)
    server.add("/f.xml", rss(three(), channel_extra="<lastBuildDate>Tue, 02 Jan 2024 00:00:00 GMT</lastBuildDate>"))
    (res,) = lib.refresh().results
    assert res.outcome == "unchanged" and res.new == 0 and res.updated == 0
    assert item_rows(lib) == before
    assert lib.source(sid).item_count == 3


def test_updated_item_replaced_in_place(lib: highsignal.Library, server: FeedServer) -> None:
    items = three()
    url = server.add("/f.xml", rss(items))
    sid = lib.add_source(url).source.id
    before = {r[2]: r for r in item_rows(lib)}

    items[1] = ("g1", "Post 1 (corrected)", "rewritten body mentioning diffusion")
    server.add("/f.xml", rss(items))
    (res,) = lib.refresh().results
    assert res.outcome == "updated"
    assert (res.new, res.updated) == (0, 1)
    after = {r[2]: r for r in item_rows(lib)}
    assert set(after) == set(before) == {"g0", "g1", "g2"}
    assert lib.source(sid).item_count == 3
    assert after["g1"][0] == before["g1"][0], "the item keeps its id"
    assert after["g1"][4] != before["g1"][4]
    assert "diffusion" in after["g1"][5]
    assert after["g0"] == before["g0"] and after["g2"] == before["g2"]
    (hit,) = lib.search("diffusion")
    assert hit.title == "Post 1 (corrected)"
    assert lib.search("transformers", source=sid) and len(lib.search("transformers")) == 2


def test_new_item_counted_as_new(lib: highsignal.Library, server: FeedServer) -> None:
    items = three()
    url = server.add("/f.xml", rss(items))
    lib.add_source(url)
    server.add("/f.xml", rss([("g9", "Brand new", "fresh"), *items]))
    (res,) = lib.refresh().results
    assert res.outcome == "updated" and (res.new, res.updated) == (1, 0)
    assert len(lib.items()) == 4


# -- errors and back-off ----------------------------------------------------------


def test_404_streak_grows_and_backs_off_exponentially(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.url("/missing.xml")  # no route: the server answers 404
    sid = lib.add_source(url).source.id
    gaps = []
    for streak in range(1, 5):
        if streak > 1:
            (res,) = lib.refresh().results
            assert res.outcome == "error"
        src = lib.source(sid)
        assert src.error_streak == streak
        assert src.last_status == 404
        assert src.last_error is not None and "404" in src.last_error
        assert src.status == "error"
        assert src.next_fetch is not None and src.last_fetch is not None
        gaps.append(src.next_fetch - src.last_fetch)
    assert gaps == [MIN_INTERVAL * 2**i for i in range(4)]
    assert len(server.hits("/missing.xml")) == 4


def test_backoff_is_capped(lib: highsignal.Library, server: FeedServer) -> None:
    sid = lib.add_source(server.url("/missing.xml")).source.id
    for _ in range(8):
        lib.refresh()
    src = lib.source(sid)
    assert src.error_streak == 9
    assert src.next_fetch is not None and src.last_fetch is not None
    assert src.next_fetch - src.last_fetch == MAX_INTERVAL


def test_recovery_resets_the_streak(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.url("/flaky.xml")
    sid = lib.add_source(url).source.id
    lib.refresh()
    assert lib.source(sid).error_streak == 2
    server.add("/flaky.xml", rss(three()))
    (res,) = lib.refresh().results
    assert res.outcome == "updated" and res.new == 3
    src = lib.source(sid)
    assert src.error_streak == 0 and src.last_error is None and src.status == "ok"
    assert src.next_fetch is not None and src.last_fetch is not None
    assert src.next_fetch - src.last_fetch == DEFAULT_INTERVAL


def test_error_keeps_validators_and_items(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/f.xml", rss(three()), etag='"v1"')
    sid = lib.add_source(url).source.id
    server.add("/f.xml", status=500)
    (res,) = lib.refresh().results
    assert res.outcome == "error"
    src = lib.source(sid)
    assert src.etag == '"v1"' and src.item_count == 3
    server.add("/f.xml", rss(three()), etag='"v1"')
    (res,) = lib.refresh().results
    assert server.hits("/f.xml")[-1].headers["if-none-match"] == '"v1"'
    assert res.outcome == "not_modified"


def test_410_marks_gone_and_plain_refresh_skips_it(lib: highsignal.Library, server: FeedServer) -> None:
    good = server.add("/good.xml", rss(three()), etag='"g"')
    gone = server.add("/gone.xml", b"removed", status=410, content_type="text/plain")
    lib.add_source(good)
    added = lib.add_source(gone)
    assert "410" in added.message
    src = lib.source(added.source.id)
    assert src.gone and src.status == "gone"

    report = lib.refresh()
    assert [r.url for r in report.results] == [good]
    assert report.skipped == 1
    report = lib.refresh(due_only=True)
    assert gone not in [r.url for r in report.results]
    assert len(server.hits("/gone.xml")) == 1

    (res,) = lib.refresh([src.id]).results
    assert res.outcome == "gone"
    assert res.error is not None and "410" in res.error and gone in res.error
    assert len(server.hits("/gone.xml")) == 2


def test_gone_source_that_returns_is_revived_when_named(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/back.xml", status=410)
    sid = lib.add_source(url).source.id
    assert lib.source(sid).gone
    server.add("/back.xml", rss(three()))
    (res,) = lib.refresh([url]).results
    assert res.outcome == "updated" and res.new == 3
    src = lib.source(sid)
    assert not src.gone and src.error_streak == 0
    assert [r.url for r in lib.refresh().results] == [url]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_sets_next_fetch(lib: highsignal.Library, server: FeedServer, status: int) -> None:
    url = server.add("/busy.xml", status=status, headers={"Retry-After": "3600"})
    before = datetime.now(UTC)
    sid = lib.add_source(url).source.id
    src = lib.source(sid)
    assert src.error_streak == 1 and src.last_status == status
    assert approx(src.next_fetch, before + timedelta(hours=1))


def test_retry_after_date_sets_next_fetch(lib: highsignal.Library, server: FeedServer) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    url = server.add("/busy.xml", status=503, headers={"Retry-After": format_datetime(when, usegmt=True)})
    sid = lib.add_source(url).source.id
    assert approx(lib.source(sid).next_fetch, when)


def test_retry_after_is_capped(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/busy.xml", status=429, headers={"Retry-After": str(90 * 86400)})
    before = datetime.now(UTC)
    sid = lib.add_source(url).source.id
    assert approx(lib.source(sid).next_fetch, before + MAX_RETRY_AFTER)


def test_retry_after_not_shorter_than_backoff(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/busy.xml", status=429, headers={"Retry-After": "1"})
    sid = lib.add_source(url).source.id
    for _ in range(3):
        lib.refresh()
    src = lib.source(sid)
    assert src.error_streak == 4
    assert src.next_fetch is not None and src.last_fetch is not None
    assert src.next_fetch - src.last_fetch == MIN_INTERVAL * 8


@pytest.mark.parametrize(
    ("cache_control", "expected"),
    [("max-age=7200", timedelta(hours=2)), ("max-age=5", MIN_INTERVAL), ("max-age=9999999", MAX_INTERVAL)],
)
def test_max_age_sets_next_fetch(
    lib: highsignal.Library, server: FeedServer, cache_control: str, expected: timedelta
) -> None:
    url = server.add("/f.xml", rss(three()), headers={"Cache-Control": cache_control})
    src = lib.source(lib.add_source(url).source.id)
    assert src.next_fetch is not None and src.last_fetch is not None
    assert src.next_fetch - src.last_fetch == expected


def test_feed_ttl_sets_next_fetch(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/f.xml", rss(three(), channel_extra="<ttl>180</ttl>"))
    src = lib.source(lib.add_source(url).source.id)
    assert src.next_fetch is not None and src.last_fetch is not None
    assert src.next_fetch - src.last_fetch == timedelta(minutes=180)


# -- moves --------------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 308])
def test_permanent_redirect_updates_stored_url(lib: highsignal.Library, server: FeedServer, code: int) -> None:
    new = server.add("/new.xml", rss(three()))
    old = server.add("/old.xml", status=code, redirect=new)
    added = lib.add_source(old)
    src = lib.source(added.source.id)
    assert src.url == new
    assert src.item_count == 3
    assert lib.source(new).id == src.id
    (res,) = lib.refresh().results
    assert res.url == new
    assert len(server.hits("/old.xml")) == 1, "later refreshes go straight to the new URL"
    assert len(server.hits("/new.xml")) == 2


@pytest.mark.parametrize("code", [302, 307])
def test_temporary_redirect_keeps_stored_url(lib: highsignal.Library, server: FeedServer, code: int) -> None:
    new = server.add("/tmp.xml", rss(three()))
    old = server.add("/old.xml", status=code, redirect=new)
    src = lib.source(lib.add_source(old).source.id)
    assert src.url == old and src.item_count == 3
    lib.refresh()
    assert len(server.hits("/old.xml")) == 2


def test_itunes_new_feed_url_moves_subscription(lib: highsignal.Library, server: FeedServer) -> None:
    new = server.add("/moved.xml", rss(three(), title="Podcast"))
    old = server.add(
        "/podcast.xml",
        rss(three(), title="Podcast", channel_extra=f"<itunes:new-feed-url>{new}</itunes:new-feed-url>"),
    )
    added = lib.add_source(old)
    src = lib.source(added.source.id)
    assert src.url == new
    assert src.item_count == 3
    (res,) = lib.refresh().results
    assert res.url == new and res.new == 0
    assert len(server.hits("/podcast.xml")) == 1
    assert len(server.hits("/moved.xml")) == 1


def test_move_to_an_already_subscribed_url_keeps_both(lib: highsignal.Library, server: FeedServer) -> None:
    new = server.add("/new.xml", rss(three()))
    old = server.add("/old.xml", status=301, redirect=new)
    a = lib.add_source(new).source.id
    b = lib.add_source(old).source.id
    assert lib.source(a).url == new
    assert lib.source(b).url == old


@pytest.mark.parametrize("second", ["unchanged", "not_modified", "error"])
def test_redirect_onto_subscribed_url_does_not_break_refresh(
    lib: highsignal.Library, server: FeedServer, second: str
) -> None:
    new = server.add("/new.xml", rss(three()), etag='"n"' if second == "not_modified" else None)
    old = server.add("/old.xml", status=301, redirect=new)
    failing = server.url("/missing.xml")
    a = lib.add_source(new).source.id
    b = lib.add_source(old).source.id
    c = lib.add_source(failing).source.id
    if second == "error":
        server.add("/new.xml", status=500)
    report = lib.refresh()  # raises sqlite3.IntegrityError today
    assert {r.source_id for r in report.results} == {a, b, c}
    assert lib.source(b).url == old
    assert lib.source(c).error_streak == 2, "other sources' states are still saved"


def test_two_sources_moved_to_the_same_url(lib: highsignal.Library, server: FeedServer) -> None:
    new = server.url("/down.xml")  # answers 404
    a = lib.add_source(server.add("/a.xml", status=301, redirect=new), fetch=False).source.id
    b = lib.add_source(server.add("/b.xml", status=301, redirect=new), fetch=False).source.id
    report = lib.refresh()
    assert len(report.results) == 2 and report.errors == 2
    urls = {lib.source(a).url, lib.source(b).url}
    assert new in urls and len(urls) == 2


# -- due-only refreshes -----------------------------------------------------------


def test_due_only_skips_sources_not_due(lib: highsignal.Library, server: FeedServer) -> None:
    fresh = [server.add(f"/f{i}.xml", rss(three(f"f{i}"))) for i in range(2)]
    for u in fresh:
        lib.add_source(u)
    never = server.add("/never.xml", rss(three("n")))
    lib.add_source(never, fetch=False)
    server.seen.clear()

    report = lib.refresh(due_only=True)
    assert [r.url for r in report.results] == [never]
    assert report.skipped == 2
    assert [s.path for s in server.seen] == ["/never.xml"]

    report = lib.refresh(due_only=True)
    assert report.results == [] and report.skipped == 3
    assert len(server.seen) == 1


def test_due_only_picks_up_overdue_sources(lib: highsignal.Library, server: FeedServer) -> None:
    a = lib.add_source(server.add("/a.xml", rss(three("a")))).source.id
    lib.add_source(server.add("/b.xml", rss(three("b"))))
    with sqlite3.connect(lib.store.path) as db:  # type: ignore[attr-defined]
        past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        db.execute("UPDATE sources SET next_fetch = ? WHERE id = ?", (past, a))
    report = lib.refresh(due_only=True)
    assert [r.source_id for r in report.results] == [a]
    assert report.skipped == 1


def test_named_sources_ignore_due_time(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/f.xml", rss(three()))
    sid = lib.add_source(url).source.id
    assert lib.refresh(due_only=True).results == []
    assert [r.source_id for r in lib.refresh([sid], due_only=True).results] == [sid]


# -- web pages --------------------------------------------------------------------


def page(title: str, head: str = "", paragraphs: int = 6) -> bytes:
    body = "".join(
        f"<p>Paragraph {i} of the article explains in plenty of words how sparse mixture of experts "
        f"models route tokens, why load balancing matters and what it costs at inference time.</p>"
        for i in range(paragraphs)
    )
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head><body>"
        f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>{title}</h1>{body}"
        "</article></main><footer>(c) Example</footer></body></html>"
    ).encode()


def test_page_with_feed_link_subscribes_to_the_feed(lib: highsignal.Library, server: FeedServer) -> None:
    feed = server.add("/blog/feed.xml", rss(three(), title="The Blog"))
    link = '<link rel="alternate" type="application/rss+xml" title="RSS" href="/blog/feed.xml">'
    home = server.add("/blog/", page("The Blog", head=link), content_type="text/html; charset=utf-8")
    added = lib.add_source(home)
    src = lib.source(added.source.id)
    assert src.url == feed
    assert src.item_count == 3
    assert {i.item.key for i in lib.items()} == {"g0", "g1", "g2"}
    lib.refresh()
    assert len(server.hits("/blog/")) == 1, "the page is not fetched again"
    assert len(server.hits("/blog/feed.xml")) == 2


def test_page_whose_feed_fails_keeps_the_page_url(lib: highsignal.Library, server: FeedServer) -> None:
    link = '<link rel="alternate" type="application/atom+xml" href="/broken.atom">'
    home = server.add("/home", page("Home", head=link), content_type="text/html")
    added = lib.add_source(home)
    assert added.message.startswith(f"added {home}, but")
    src = lib.source(added.source.id)
    assert src.error_streak == 1
    assert src.url == home


def test_page_without_feed_links_becomes_one_article(lib: highsignal.Library, server: FeedServer) -> None:
    url = server.add("/posts/moe.html", page("Routing in sparse MoE"), content_type="text/html")
    added = lib.add_source(url)
    src = lib.source(added.source.id)
    assert src.url == url
    assert src.error_streak == 0 and src.last_error is None
    (stored,) = lib.items()
    assert stored.item.title == "Routing in sparse MoE"
    assert stored.item.url == url
    assert "load balancing" in stored.item.text
    assert "(c) Example" not in stored.item.text
    assert lib.search("load balancing")[0].item_id == stored.id
    (res,) = lib.refresh().results
    assert res.outcome == "unchanged"
    assert len(lib.items()) == 1


# -- failure isolation ------------------------------------------------------------


@pytest.mark.parametrize("failure", ["http404", "timeout", "not_a_feed", "refused"])
def test_one_failing_source_does_not_stop_the_others(lib: highsignal.Library, server: FeedServer, failure: str) -> None:
    goods = [server.add(f"/good{i}.xml", rss(three(f"s{i}"), title=f"Good {i}")) for i in range(4)]
    if failure == "http404":
        bad = server.url("/bad.xml")
    elif failure == "timeout":
        bad = server.add("/bad.xml", rss(three("x")), delay=2.0)
        lib.fetch_settings.read_timeout = 0.5
    elif failure == "not_a_feed":
        bad = server.add("/bad.xml", b"\x00\x01 binary junk", content_type="application/octet-stream")
    else:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        bad = f"http://127.0.0.1:{port}/bad.xml"
    ids = [lib.add_source(u, fetch=False).source.id for u in goods[:2]]
    bad_id = lib.add_source(bad, fetch=False).source.id
    ids += [lib.add_source(u, fetch=False).source.id for u in goods[2:]]

    seen = []
    report = lib.refresh(progress=seen.append)
    assert len(report.results) == 5 and len(seen) == 5
    (failed,) = report.failed
    assert failed.source_id == bad_id
    assert failed.error is not None and bad in failed.error
    assert report.errors == 1
    assert report.new_items == 12
    for sid in ids:
        src = lib.source(sid)
        assert src.item_count == 3 and src.last_error is None
    bad_src = lib.source(bad_id)
    assert bad_src.item_count == 0 and bad_src.error_streak == 1 and bad_src.last_error
