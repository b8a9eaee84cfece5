"""The web package's parts on their own: view cache, filtered digests, markup, history, settings."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

import highsignal
from highsignal.fetch import FetchSettings
from highsignal.records import MATCH_END, MATCH_START
from highsignal.web import digest_view, history
from highsignal.web.access import LibraryAccess
from highsignal.web.cache import ViewCache
from highsignal.web.digest_view import BadQuery, DigestQuery
from highsignal.web.markup import clean_html, snippet_parts, span_context
from highsignal.web.rendering import ago, bar_class, clock, day
from highsignal.web.security import Signer, safe_next
from highsignal.web.settings import ServerSettings, is_loopback_host, server_settings

# -- view cache ----------------------------------------------------------------------------


def test_cache_serves_while_the_fingerprint_holds():
    cache = ViewCache(ttl=60)
    calls = []
    assert cache.get("k", (1,), lambda: calls.append(1) or "a") == "a"
    assert cache.get("k", (1,), lambda: calls.append(1) or "b") == "a"
    assert cache.get("k", (2,), lambda: calls.append(1) or "c") == "c"
    assert len(calls) == 2
    assert cache.peek("k", (1,)) is None


def test_concurrent_misses_compute_once():
    cache = ViewCache(ttl=60)
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "v"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", (1,), slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["v"] * 8 and len(calls) == 1


def test_expired_entry_is_served_stale_and_remade_in_the_background():
    cache = ViewCache(ttl=0.05)
    cache.get("k", (1,), lambda: "old")
    time.sleep(0.08)
    done = threading.Event()

    def remake() -> str:
        done.set()
        return "new"

    assert cache.get("k", (1,), remake) == "old"
    assert done.wait(2)
    for _ in range(100):
        if cache.peek("k", (1,)) == "new":
            break
        time.sleep(0.01)
    assert cache.peek("k", (1,)) == "new"
    # An ingredient (background=False) is never served stale.
    time.sleep(0.08)
    assert cache.get("k", (1,), lambda: "fresh", background=False) == "fresh"


def test_cache_is_bounded():
    cache = ViewCache(ttl=60, maxsize=3)
    for i in range(5):
        cache.get(i, (1,), lambda i=i: i)
    assert cache.peek(0, (1,)) is None and cache.peek(4, (1,)) == 4


def test_fingerprint_moves_with_writes_from_this_app_and_from_other_processes(db):
    access = LibraryAccess(db, FetchSettings())
    try:
        first = access.fingerprint()
        assert access.fingerprint() == first
        with access.write() as lib:
            lib.rate(1, "up")
        after_rate = access.fingerprint()
        assert after_rate != first
        # Another process (the CLI) marks an item read: seen at the next probe.
        with highsignal.open(db) as other:
            other.mark(2, "read")
        time.sleep(1.05)
        assert access.fingerprint() != after_rate
    finally:
        access.close()


# -- filtered digests --------------------------------------------------------------------------


def test_unfiltered_view_is_the_librarys_digest(db):
    with highsignal.open(db) as lib:
        q = DigestQuery(since="all", top=10)
        mine = digest_view.compute(lib, q)
        theirs = lib.digest(None, top=10)
        assert [r.stored.id for r in mine.must_read + mine.worth_a_look] == [
            r.stored.id for r in theirs.must_read + theirs.worth_a_look
        ]


def test_filtered_view_narrows_the_wide_digest_in_rank_order(db):
    with highsignal.open(db) as lib:
        wide = lib.digest(None, top=digest_view.WIDE)
        q = DigestQuery(since="all", grade="medium", top=5)
        narrowed = digest_view.narrow(wide, q)
        shown = narrowed.must_read + narrowed.worth_a_look
        expected = [r for r in wide.must_read + wide.worth_a_look if r.assessment.grade == "medium"]
        assert [r.stored.id for r in shown] == [r.stored.id for r in expected[:5]]
        assert len(narrowed.must_read) <= max(1, 5 // 3)
        assert [lo.candidate.item_id for lo in narrowed.left_out] == [r.stored.id for r in expected[5:]]
        data = digest_view.to_json(lib, narrowed, q)
        assert data["filtered_from"] == digest_view.WIDE and data["query"]["grade"] == "medium"


def test_query_parsing():
    q = DigestQuery.parse({"since": "30D", "grade": "", "top": "7", "source": "3"})
    assert (q.since, q.grade, q.top, q.source) == ("30d", None, 7, 3)
    assert q.params() == {"since": "30d", "source": "3", "top": "7"}
    assert q.params(source=None) == {"since": "30d", "top": "7"}
    assert DigestQuery.parse({}) == DigestQuery()
    for bad in ({"top": "500"}, {"since": "soon"}, {"mode": "wide"}, {"source": "0"}):
        with pytest.raises(BadQuery):
            DigestQuery.parse(bad)
    now = datetime(2025, 1, 10, tzinfo=UTC)
    assert digest_view.parse_since("2w", now) == datetime(2024, 12, 27, tzinfo=UTC)
    assert digest_view.parse_since("2024-09-01") == datetime(2024, 9, 1, tzinfo=UTC)
    assert digest_view.parse_since("all") is None


# -- markup --------------------------------------------------------------------------------------


def test_snippet_parts_split_at_the_markers_without_markup():
    snippet = f"a <b> {MATCH_START}llama{MATCH_END} & {MATCH_START}weights{MATCH_END}"
    assert snippet_parts(snippet) == [
        {"text": "a <b> ", "match": False},
        {"text": "llama", "match": True},
        {"text": " & ", "match": False},
        {"text": "weights", "match": True},
    ]
    assert snippet_parts(f"open {MATCH_START}end") == [
        {"text": "open ", "match": False},
        {"text": "end", "match": True},
    ]
    assert snippet_parts(None) == []


def test_clean_html_keeps_prose_and_drops_everything_active():
    dirty = (
        '<p onclick="x()">Hi <a href="javascript:alert(1)">js</a> <a href="https://ok.example/">ok</a></p>'
        '<script>alert(1)</script><iframe src="https://evil.example"></iframe><img src="https://t.example/p.gif">'
        '<style>body{}</style><div style="color:red">styled</div><svg><script>alert(2)</script></svg>'
    )
    out = str(clean_html(dirty))
    assert "<p>Hi" in out and 'href="https://ok.example/"' in out and 'rel="noopener noreferrer nofollow"' in out
    for bad in ("script", "onclick", "javascript", "iframe", "<img", "<style", "style=", "<svg", "alert"):
        assert bad not in out, bad
    assert str(clean_html(None)) == ""


def test_span_context():
    text = "The model scores 31.2 on MMLU, which is close to the 25 percent a guess would get."
    start = text.index("31.2 on MMLU")
    ctx = span_context(text, start, start + len("31.2 on MMLU"), width=15)
    assert ctx["match"] == "31.2 on MMLU"
    assert ctx["before"].endswith("scores ") and ctx["before"].startswith("…")
    assert ctx["after"].startswith(",") and ctx["after"].endswith("…")
    assert span_context(text, None, 3) is None and span_context(text, 5, 500) is None


# -- history ----------------------------------------------------------------------------------


def test_history_fills_gaps_and_stops_at_this_month():
    chart = history.chart([("2024-11", 3), ("2025-02", 1)], now=datetime(2025, 4, 9, tzinfo=UTC))
    assert [b["month"] for b in chart["bars"]] == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    assert [b["count"] for b in chart["bars"]] == [3, 0, 0, 1, 0, 0]
    assert chart["max"] == 3 and chart["total"] == 4
    tallest = chart["bars"][0]
    assert tallest["y"] == 0 and tallest["height"] == chart["plot_height"]
    assert chart["bars"][1]["height"] == 0
    assert [b["year_label"] for b in chart["bars"]][:3] == ["2024", None, "2025"]
    assert history.chart([])["bars"] == []


def test_history_keeps_the_last_36_months():
    counts = [(f"{2020 + i // 12}-{i % 12 + 1:02d}", 1) for i in range(60)]
    assert len(history.month_series(counts)) == history.MAX_MONTHS


def test_cadence():
    dates = [datetime(2025, 1, d, tzinfo=UTC) for d in (1, 8, 15, 29)]
    c = history.cadence(dates, 1.5, now=datetime(2025, 2, 1, tzinfo=UTC))
    assert c["median_gap_days"] == 7.0 and c["days_since_last"] == 3.0 and c["per_week"] == 1.5
    assert history.cadence([], None)["last"] is None


# -- small helpers -------------------------------------------------------------------------------


def test_rendering_filters():
    assert bar_class(73) == "w-75" and bar_class(None) == "w-0" and bar_class(140) == "w-100"
    assert clock(3723) == "1:02:03" and clock(65) == "1:05" and clock(None) == ""
    assert day("2026-11-20T14:00:00+00:00") == "20 Nov 2026" and day(None) == ""
    assert ago(None) == "never"
    assert ago(datetime(2025, 1, 1, tzinfo=UTC), now=datetime(2025, 1, 3, 1, tzinfo=UTC)) == "2d ago"


def test_signer():
    signer = Signer(b"k" * 32)
    packed = signer.pack("flash", {"m": "hi <b>", "k": "ok"})
    assert signer.unpack("flash", packed) == {"m": "hi <b>", "k": "ok"}
    assert signer.unpack("other", packed) is None
    assert signer.unpack("flash", packed[:-2] + "xx") is None
    assert signer.csrf_token("s1") != signer.csrf_token("s2")
    assert signer.auth_cookie_valid(signer.auth_cookie())
    assert not Signer(b"j" * 32).auth_cookie_valid(signer.auth_cookie())
    assert Signer.for_settings(ServerSettings(token="t" * 20)).sign("a", "b") == Signer.for_settings(
        ServerSettings(token="t" * 20)
    ).sign("a", "b")


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/sources", "/sources"), ("//evil.example", "/"), ("https://evil.example", "/"), ("/\\evil", "/"), (None, "/")],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_server_settings_defaults_and_loopback():
    assert server_settings({}) == ServerSettings()
    s = server_settings({"server": {"token": " " + "x" * 20 + " ", "allowed_hosts": "Reader.LAN"}})
    assert s.token == "x" * 20 and s.allowed_hosts == ("reader.lan",)
    assert is_loopback_host("127.9.9.9") and is_loopback_host("[::1]") and not is_loopback_host("10.0.0.1")
