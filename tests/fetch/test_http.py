"""The aiohttp ``Fetcher`` against a real loopback HTTP server.

Every test drives ``Fetcher`` directly (``asyncio.run`` inside a plain test)
and checks both what came back and what the server actually saw.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

import highsignal
from highsignal.fetch import Fetcher, FetchRequest, FetchResult, FetchSettings
from highsignal.fetch import http as fetch_http
from tests.conftest import running_server
from tests.feedserver import FeedServer

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>One</title><guid>1</guid><description>caf\xc3\xa9 body</description></item>"
    b"</channel></rss>"
)
#: Compressible but not trivially so: each line differs.
BIG_TEXT = b"".join(b"line %06d of a long feed body\n" % i for i in range(4000))


def fast(**kw: object) -> FetchSettings:
    base: dict[str, object] = dict(
        connect_timeout=2.0, read_timeout=1.0, total_timeout=3.0, max_bytes=2_000_000, max_redirects=10
    )
    base.update(kw)
    return FetchSettings(**base)  # type: ignore[arg-type]


def fetch(url: str, settings: FetchSettings | None = None, **req: str | None) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings or fast()) as f:
            return await f.fetch(FetchRequest(1, url, **req))  # type: ignore[arg-type]

    return asyncio.run(go())


def fetch_many(urls: list[str], settings: FetchSettings) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        async with Fetcher(settings) as f:
            return [r async for r in f.fetch_all([FetchRequest(i, u) for i, u in enumerate(urls)])]

    return sorted(asyncio.run(go()), key=lambda r: r.key)


def free_port() -> int:
    """A port nothing listens on (bound then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- plain responses -----------------------------------------------------------


def test_200_returns_body_and_metadata(server: FeedServer) -> None:
    url = server.add("/feed.xml", RSS, headers={"X-Extra": "yes"})
    res = fetch(url)
    assert res.error is None
    assert res.status == 200
    assert res.body == RSS
    assert res.final_url == url
    assert res.permanent_redirect is None
    assert res.content_type == "application/rss+xml; charset=utf-8"
    assert res.headers["x-extra"] == "yes"
    assert [s.status for s in server.hits("/feed.xml")] == [200]


def test_chunked_body_without_content_length(server: FeedServer) -> None:
    url = server.add("/chunked", BIG_TEXT, chunked=True)
    res = fetch(url)
    assert res.error is None
    assert res.body == BIG_TEXT


def test_empty_200_body(server: FeedServer) -> None:
    url = server.add("/empty", b"")
    res = fetch(url)
    assert res.error is None
    assert res.status == 200
    assert res.body == b""


# -- conditional requests --------------------------------------------------------


def test_etag_sent_as_if_none_match_and_304(server: FeedServer) -> None:
    url = server.add("/e", RSS, etag='"v1"')
    first = fetch(url)
    assert first.status == 200 and first.etag == '"v1"' and first.body == RSS
    second = fetch(url, etag=first.etag)
    assert second.error is None
    assert second.status == 304 and second.not_modified
    assert not second.body
    assert second.etag == '"v1"'
    hits = server.hits("/e")
    assert "if-none-match" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == '"v1"'
    assert [h.status for h in hits] == [200, 304]


def test_stale_etag_gets_full_body(server: FeedServer) -> None:
    url = server.add("/e2", RSS, etag='"v2"')
    res = fetch(url, etag='"v1"')
    assert res.status == 200 and res.body == RSS and res.etag == '"v2"'


def test_last_modified_sent_as_if_modified_since_and_304(server: FeedServer) -> None:
    lm = "Wed, 01 May 2024 10:00:00 GMT"
    url = server.add("/lm", RSS, last_modified=lm)
    first = fetch(url)
    assert first.status == 200 and first.last_modified == lm
    second = fetch(url, last_modified=first.last_modified)
    assert second.status == 304 and second.not_modified and second.error is None
    hits = server.hits("/lm")
    assert "if-modified-since" not in hits[0].headers
    assert hits[1].headers["if-modified-since"] == lm
    assert [h.status for h in hits] == [200, 304]


def test_both_validators_sent(server: FeedServer) -> None:
    url = server.add("/both", RSS, etag='"x"', last_modified="Wed, 01 May 2024 10:00:00 GMT")
    fetch(url, etag='"x"', last_modified="Wed, 01 May 2024 10:00:00 GMT")
    (hit,) = server.hits("/both")
    assert hit.headers["if-none-match"] == '"x"'
    assert hit.headers["if-modified-since"] == "Wed, 01 May 2024 10:00:00 GMT"
    assert hit.status == 304


# -- content encodings -----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_bodies_are_decoded(server: FeedServer, encoding: str) -> None:
    url = server.add(f"/{encoding}", BIG_TEXT, encoding=encoding)
    res = fetch(url)
    assert res.error is None
    assert res.body == BIG_TEXT
    assert res.headers["content-encoding"] == encoding
    # The wire really carried the compressed form.
    assert int(res.headers["content-length"]) < len(BIG_TEXT) // 3


def test_decompression_bomb_is_capped(server: FeedServer) -> None:
    """The cap applies to decoded bytes: a tiny gzip body that inflates past it is refused."""
    bomb = b"\0" * 3_000_000
    url = server.add("/bomb", bomb, encoding="gzip")
    assert len(gzip.compress(bomb)) < 100_000
    res = fetch(url, fast(max_bytes=1_000_000))
    assert res.error is not None and "too large" in res.error
    assert res.body is None


# -- redirects -------------------------------------------------------------------


@pytest.mark.parametrize("codes", [(301,), (308,), (301, 308), (308, 301, 301)])
def test_permanent_redirect_chain(server: FeedServer, codes: tuple[int, ...]) -> None:
    final = server.add("/final", RSS)
    nxt = final
    for i, code in reversed(list(enumerate(codes))):
        nxt = server.add(f"/hop{i}", status=code, redirect=nxt)
    res = fetch(nxt)
    assert res.error is None
    assert res.status == 200 and res.body == RSS
    assert res.final_url == final
    assert res.permanent_redirect == final
    assert [h.status for h in server.seen] == [*codes, 200]


@pytest.mark.parametrize("codes", [(302,), (307,), (303,), (301, 302), (302, 301)])
def test_temporary_redirect_is_not_permanent(server: FeedServer, codes: tuple[int, ...]) -> None:
    final = server.add("/final", RSS)
    nxt = final
    for i, code in reversed(list(enumerate(codes))):
        nxt = server.add(f"/hop{i}", status=code, redirect=nxt)
    res = fetch(nxt)
    assert res.error is None
    assert res.body == RSS
    assert res.final_url == final
    assert res.permanent_redirect is None


def test_redirect_to_relative_location(server: FeedServer) -> None:
    server.add("/new/feed", RSS)
    url = server.add("/old", status=301, redirect="/new/feed")
    res = fetch(url)
    assert res.body == RSS
    assert res.permanent_redirect == server.url("/new/feed")


def test_redirect_loop_is_a_clear_error(server: FeedServer) -> None:
    url = server.add("/loop", status=302, redirect=server.url("/loop"))
    res = fetch(url, fast(max_redirects=3))
    assert res.error is not None and "too many redirects" in res.error
    assert res.body is None
    assert 1 < len(server.hits("/loop")) <= 4


def test_two_step_redirect_loop(server: FeedServer) -> None:
    server.add("/a", status=301, redirect=server.url("/b"))
    url = server.add("/b", status=301, redirect=server.url("/a"))
    res = fetch(url, fast(max_redirects=5))
    assert res.error is not None and "too many redirects" in res.error
    assert res.permanent_redirect is None


# -- HTTP errors -------------------------------------------------------------------


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (410, "Gone"), (500, "Internal")])
def test_error_statuses(server: FeedServer, status: int, reason: str) -> None:
    url = server.add(f"/s{status}", b"<html>error page</html>", status=status, content_type="text/html")
    res = fetch(url)
    assert res.status == status
    assert res.error is not None
    assert str(status) in res.error and reason in res.error
    assert res.body is None
    assert res.retry_after is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds(server: FeedServer, status: int) -> None:
    url = server.add("/busy", status=status, headers={"Retry-After": "120"})
    res = fetch(url)
    assert res.status == status
    assert res.error is not None and str(status) in res.error
    assert res.retry_after == 120.0


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_http_date(server: FeedServer, status: int) -> None:
    when = datetime.now(UTC) + timedelta(seconds=600)
    url = server.add("/busy", status=status, headers={"Retry-After": format_datetime(when, usegmt=True)})
    res = fetch(url)
    assert res.status == status
    assert res.retry_after is not None
    assert 590 <= res.retry_after <= 601


def test_retry_after_date_in_the_past_is_zero(server: FeedServer) -> None:
    url = server.add("/busy", status=429, headers={"Retry-After": "Wed, 01 May 2024 10:00:00 GMT"})
    assert fetch(url).retry_after == 0.0


def test_retry_after_garbage_ignored(server: FeedServer) -> None:
    url = server.add("/busy", status=503, headers={"Retry-After": "soon-ish"})
    res = fetch(url)
    assert res.status == 503 and res.retry_after is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("public, max-age=600", 600.0),
        ("max-age=0", 0.0),
        ('s-maxage="90", private', 90.0),
        ("no-cache", None),
        ("max-age=abc", None),
    ],
)
def test_cache_control_max_age(server: FeedServer, header: str, expected: float | None) -> None:
    url = server.add("/cc", RSS, headers={"Cache-Control": header})
    assert fetch(url).max_age == expected


# -- slow and stalled servers ----------------------------------------------------


@pytest.mark.parametrize(
    ("route", "settings_kw", "min_s", "max_s"),
    [
        # Headers come later than the read timeout.
        ({"body": RSS, "delay": 1.5}, {"read_timeout": 0.4, "total_timeout": 3.0}, 0.0, 1.4),
        # Headers arrive, then the body stops for longer than the read timeout.
        ({"body": BIG_TEXT, "trickle": 2.0}, {"read_timeout": 0.4, "total_timeout": 3.0}, 0.0, 1.5),
        # Each chunk comes within the read timeout, but the whole takes forever.
        ({"body": BIG_TEXT, "trickle": 0.1}, {"read_timeout": 1.0, "total_timeout": 1.2}, 1.0, 2.2),
    ],
    ids=["slow-headers", "stalled-body", "trickling-body"],
)
def test_slow_servers_time_out(server: FeedServer, route: dict, settings_kw: dict, min_s: float, max_s: float) -> None:
    url = server.add("/slow", **route)
    t0 = time.monotonic()
    res = fetch(url, fast(**settings_kw))
    elapsed = time.monotonic() - t0
    assert res.error is not None and "timed out" in res.error
    assert res.body is None
    assert min_s <= elapsed < max_s


# -- size cap --------------------------------------------------------------------


def test_declared_oversize_body_refused(server: FeedServer) -> None:
    url = server.add("/huge", b"x" * 300_000)
    res = fetch(url, fast(max_bytes=100_000))
    assert res.error is not None and "too large" in res.error
    assert "300000" in res.error
    assert res.body is None


def test_chunked_oversize_body_refused(server: FeedServer) -> None:
    url = server.add("/huge-chunked", b"x" * 300_000, chunked=True)
    res = fetch(url, fast(max_bytes=100_000))
    assert res.error is not None and "too large" in res.error
    assert res.body is None


def test_body_exactly_at_cap_is_kept(server: FeedServer) -> None:
    url = server.add("/exact", b"x" * 100_000, chunked=True)
    res = fetch(url, fast(max_bytes=100_000))
    assert res.error is None
    assert res.body is not None and len(res.body) == 100_000


# -- network failures ------------------------------------------------------------


def test_connection_refused() -> None:
    port = free_port()
    t0 = time.monotonic()
    res = fetch(f"http://127.0.0.1:{port}/feed")
    assert time.monotonic() - t0 < 2.0
    assert res.status is None and res.body is None
    assert res.error is not None
    assert "cannot connect" in res.error and str(port) in res.error


def test_unresolvable_host() -> None:
    t0 = time.monotonic()
    res = fetch("http://no-such-host.highsignal.invalid/feed.xml")
    assert time.monotonic() - t0 < 3.5
    assert res.status is None
    assert res.error is not None
    assert "cannot resolve" in res.error and "no-such-host.highsignal.invalid" in res.error


@pytest.mark.parametrize("url", ["not a url", "http://", "http://[::1/feed", "http://127.0.0.1:99999/feed"])
def test_invalid_url(url: str) -> None:
    res = fetch(url)
    assert res.status is None
    assert res.error is not None and "invalid URL" in res.error


# -- what we send ----------------------------------------------------------------


def test_user_agent_and_accept_headers(server: FeedServer) -> None:
    url = server.add("/ua", RSS)
    fetch(url)
    (hit,) = server.hits("/ua")
    ua = hit.headers["user-agent"]
    assert ua.startswith("highsignal/")
    assert highsignal.__version__ in ua
    assert highsignal.__url__ in ua
    assert "br" in [e.strip() for e in hit.headers["accept-encoding"].split(",")]
    assert "gzip" in hit.headers["accept-encoding"]
    assert "application/rss+xml" in hit.headers["accept"]
    assert "application/atom+xml" in hit.headers["accept"]


def test_custom_user_agent(server: FeedServer) -> None:
    url = server.add("/ua", RSS)
    fetch(url, fast(user_agent="probe/1.0"))
    assert server.hits("/ua")[0].headers["user-agent"] == "probe/1.0"


def test_validators_are_not_leaked_across_requests(server: FeedServer) -> None:
    a = server.add("/a", RSS, etag='"a"')
    b = server.add("/b", RSS)

    async def go() -> None:
        async with Fetcher(fast()) as f:
            await f.fetch(FetchRequest(1, a, etag='"a"'))
            await f.fetch(FetchRequest(2, b))

    asyncio.run(go())
    assert "if-none-match" not in server.hits("/b")[0].headers


# -- private addresses -----------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]", "[::ffff:127.0.0.1]"])
def test_allow_private_false_refuses_loopback(server: FeedServer, host: str) -> None:
    server.add("/feed", RSS)
    res = fetch(f"http://{host}:{server.port}/feed", fast(allow_private=False))
    assert res.error is not None and "refused" in res.error
    assert res.status is None and res.body is None
    assert server.seen == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_allow_private_true_reaches_loopback(server: FeedServer, host: str) -> None:
    server.add("/feed", RSS)
    res = fetch(f"http://{host}:{server.port}/feed", fast(allow_private=True))
    assert res.error is None and res.body == RSS


class _FakeDNS(AbstractResolver):
    """Resolves ``feeds.example`` to the loopback server, as a hostile DNS answer would."""

    def __init__(self, *args: object, **kw: object) -> None:
        pass

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        if host != "feeds.example":
            raise OSError(f"fake DNS knows only feeds.example, not {host}")
        return [
            ResolveResult(
                hostname=host,
                host="127.0.0.1",
                port=port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        pass


def test_public_name_resolving_to_loopback_sends_no_request(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_http, "DefaultResolver", _FakeDNS)
    server.add("/feed", RSS)
    res = fetch(f"http://feeds.example:{server.port}/feed", fast(allow_private=False))
    assert res.error is not None
    assert res.body is None
    assert server.seen == []


def test_public_name_resolving_to_loopback_says_refused(server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_http, "DefaultResolver", _FakeDNS)
    server.add("/feed", RSS)
    res = fetch(f"http://feeds.example:{server.port}/feed", fast(allow_private=False))
    assert res.error is not None
    assert "refused" in res.error
    assert "cannot resolve" not in res.error


@pytest.fixture
def private_server() -> Iterator[FeedServer]:
    """A second server on 127.0.0.2: an 'internal' address a public feed must not reach."""
    try:
        ctx = running_server("127.0.0.2")
        srv = ctx.__enter__()
    except OSError:
        pytest.skip("cannot bind 127.0.0.2 on this system")
    try:
        yield srv
    finally:
        ctx.__exit__(None, None, None)


def test_allow_private_false_refuses_redirect_to_private_address(
    server: FeedServer, private_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stand-in for the internet: pretend 127.0.0.1 (the first server) is a public host.
    real = fetch_http.is_public_address
    monkeypatch.setattr(fetch_http, "is_public_address", lambda host: host == "127.0.0.1" or real(host))
    private_server.add("/admin", b"internal secrets")
    secret = f"http://127.0.0.2:{private_server.port}/admin"
    url = server.add("/feed", status=302, redirect=secret)
    res = fetch(url, fast(allow_private=False))
    assert private_server.seen == [], "a request reached the private address"
    assert res.body is None
    assert res.error is not None and "refused" in res.error


@pytest.mark.parametrize("url", ["http://[::1/feed", "http://example.com:99999/feed"])
def test_allow_private_false_invalid_url_does_not_raise(url: str) -> None:
    res = fetch(url, fast(allow_private=False))
    assert res.error is not None and "invalid URL" in res.error


# -- concurrency -----------------------------------------------------------------


class InFlight:
    """Counts requests the server is working on (from arrival until it starts answering)."""

    def __init__(self, srv: FeedServer) -> None:
        self.now = 0
        self.max = 0
        self._lock = threading.Lock()
        handler = srv.httpd.RequestHandlerClass
        orig_get, orig_send = handler.do_GET, handler._send
        counter = self

        def do_get(h: object) -> None:
            with counter._lock:
                counter.now += 1
                counter.max = max(counter.max, counter.now)
                h._counted = True  # type: ignore[attr-defined]
            try:
                orig_get(h)
            finally:
                counter._done(h)

        def send(h: object, *args: object, **kw: object) -> None:
            counter._done(h)  # the answer is going out: the client may reuse its slot
            orig_send(h, *args, **kw)

        handler.do_GET = do_get
        handler._send = send

    def _done(self, h: object) -> None:
        with self._lock:
            if getattr(h, "_counted", False):
                h._counted = False  # type: ignore[attr-defined]
                self.now -= 1


def test_per_host_limit_respected(server: FeedServer) -> None:
    flight = InFlight(server)
    url = server.add("/slow", RSS, delay=0.25)
    t0 = time.monotonic()
    results = fetch_many([url] * 8, fast(per_host=2, concurrency=64))
    elapsed = time.monotonic() - t0
    assert [r.error for r in results] == [None] * 8
    assert all(r.body == RSS for r in results)
    assert len(server.hits("/slow")) == 8
    assert flight.max == 2
    assert elapsed >= 4 * 0.25 * 0.9


def test_global_concurrency_limit_respected(server: FeedServer) -> None:
    """Different hosts (127.0.0.1 and localhost) still share the global limit."""
    flight = InFlight(server)
    server.add("/slow", RSS, delay=0.25)
    urls = [f"http://{h}:{server.port}/slow" for h in ("127.0.0.1", "localhost")] * 3
    results = fetch_many(urls, fast(per_host=10, concurrency=2))
    assert [r.error for r in results] == [None] * 6
    assert flight.max == 2


def test_fetch_all_yields_every_result_once(server: FeedServer) -> None:
    urls = [server.add(f"/f{i}", RSS, delay=0.05 * (5 - i)) for i in range(5)]
    results = fetch_many([*urls, f"http://127.0.0.1:{free_port()}/x"], fast(per_host=8))
    assert [r.key for r in results] == list(range(6))
    assert [r.url for r in results[:5]] == urls
    assert all(r.body == RSS for r in results[:5])
    assert results[5].error is not None


def test_waiting_for_a_host_slot_does_not_eat_the_timeout(server: FeedServer) -> None:
    url = server.add("/slow", RSS, delay=0.4)
    results = fetch_many([url] * 5, fast(per_host=1, read_timeout=1.0, total_timeout=1.0))
    assert [r.error for r in results] == [None] * 5
    assert len(server.hits("/slow")) == 5
