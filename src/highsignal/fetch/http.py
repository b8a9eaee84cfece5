"""Polite, bounded HTTP fetching of feeds with aiohttp.

aiohttp is the client because it is an order of magnitude cheaper per
request than the alternatives on refreshes of hundreds of feeds. Every
request is conditional when we have validators, every body is capped while it
streams, and every failure comes back as a ``FetchResult`` with a reason
rather than an exception, so one bad source never stops a refresh.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from highsignal import __url__, __version__

USER_AGENT = f"highsignal/{__version__} (+{__url__})"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


@dataclass(slots=True)
class FetchSettings:
    """Limits for one refresh. The defaults suit a laptop on a home connection."""

    concurrency: int = 64
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    allow_private: bool = True  # server mode turns this off


@dataclass(slots=True)
class FetchRequest:
    key: int
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FetchResult:
    key: int
    url: str
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    permanent_redirect: str | None = None
    retry_after: float | None = None
    max_age: float | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_max_age(cache_control: str | None) -> float | None:
    if not cache_control:
        return None
    for part in cache_control.split(","):
        name, _, val = part.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and val.strip().strip('"').isdigit():
            return float(val.strip().strip('"'))
    return None


def is_public_address(host: str) -> bool:
    """False for loopback, link-local, private, multicast and reserved addresses."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


class _PublicOnlyResolver(AbstractResolver):
    """Resolves names but refuses to connect to non-public addresses.

    Checking the resolved address (not the URL's host name) is what stops a
    feed URL like ``http://evil.example/`` that resolves to 127.0.0.1.
    """

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for r in results:
            if not is_public_address(r["host"]):
                raise _Refused(f"refused: {host} resolves to a non-public address ({r['host']})")
        return results

    async def close(self) -> None:
        await self._inner.close()


class Fetcher:
    """One HTTP session for a refresh; use as an async context manager."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._session: aiohttp.ClientSession | None = None
        self._global = asyncio.Semaphore(self.settings.concurrency)
        self._per_host: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        connector = aiohttp.TCPConnector(
            limit=s.concurrency,
            ttl_dns_cache=300,
            resolver=None if s.allow_private else _PublicOnlyResolver(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": s.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate, br"},
            timeout=aiohttp.ClientTimeout(
                total=s.total_timeout, sock_connect=s.connect_timeout, sock_read=s.read_timeout
            ),
            auto_decompress=True,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def fetch(self, req: FetchRequest) -> FetchResult:
        """Fetch one URL. Never raises for network or HTTP problems."""
        res = FetchResult(key=req.key, url=req.url)
        try:
            await self._fetch(req, res)
        except _TooLarge:
            res.error = f"response too large: over {self.settings.max_bytes} bytes (limit)"
        except _Refused as exc:
            res.error = str(exc)
        except aiohttp.ClientConnectorCertificateError as exc:
            res.error = f"TLS certificate error: {exc.certificate_error}"
        except (aiohttp.ClientSSLError, ssl.SSLError) as exc:
            res.error = f"TLS error: {exc}"
        except aiohttp.InvalidURL as exc:
            res.error = f"invalid URL: {exc}"
        except aiohttp.ClientConnectorDNSError as exc:
            if isinstance(exc.os_error, _Refused):
                res.error = str(exc.os_error)
            else:
                res.error = f"cannot resolve host: {exc.host}"
        except aiohttp.ClientConnectorError as exc:
            res.error = f"cannot connect to {exc.host}:{exc.port}: {exc.os_error.strerror or exc.os_error}"
        except TimeoutError:
            res.error = "timed out (server too slow or stalled)"
        except aiohttp.ClientPayloadError as exc:
            res.error = f"broken response body: {exc}"
        except aiohttp.ClientError as exc:
            res.error = f"HTTP client error: {exc}"
        except (OSError, ValueError) as exc:
            res.error = f"{type(exc).__name__}: {exc}"
        if res.error:
            res.body = None
        return res

    async def _fetch(self, req: FetchRequest, res: FetchResult) -> None:
        assert self._session is not None, "use Fetcher as an async context manager"
        s = self.settings
        headers = {}
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        url = self._check_url(req.url)
        permanent = True
        # Redirects are followed by hand so every hop is checked against the
        # address policy and we know whether the whole chain was permanent.
        for _hop in range(s.max_redirects + 1):
            async with (
                self._slot(url.host or ""),
                self._session.get(url, headers=headers, allow_redirects=False) as resp,
            ):
                location = resp.headers.get("Location")
                if resp.status in _REDIRECTS and location:
                    permanent = permanent and resp.status in (301, 308)
                    url = self._check_url(str(url.join(URL(location))))
                    continue
                await self._read_response(resp, res)
                res.final_url = str(url)
                if url != URL(req.url) and permanent:
                    res.permanent_redirect = str(url)
                return
        res.error = f"too many redirects (more than {s.max_redirects}; a redirect loop?)"

    def _check_url(self, raw: str) -> URL:
        try:
            url = URL(raw)
            host = url.host
            url.port  # noqa: B018 - a bad port raises here, not mid-request
        except (ValueError, TypeError) as exc:
            raise aiohttp.InvalidURL(raw) from exc
        if url.scheme not in ("http", "https") or not host:
            raise aiohttp.InvalidURL(raw)
        if not self.settings.allow_private and (
            not is_public_address(host) or host.lower() in ("localhost", "localhost.localdomain")
        ):
            raise _Refused(f"refused: {raw} points at a local or private address")
        return url

    def _slot(self, host: str) -> _Slots:
        sem = self._per_host.get(host)
        if sem is None:
            sem = self._per_host[host] = asyncio.Semaphore(self.settings.per_host)
        return _Slots(self._global, sem)

    async def _read_response(self, resp: aiohttp.ClientResponse, res: FetchResult) -> None:
        s = self.settings
        res.status = resp.status
        res.headers = {k.lower(): v for k, v in resp.headers.items()}
        res.etag = resp.headers.get("ETag")
        res.last_modified = resp.headers.get("Last-Modified")
        res.content_type = resp.headers.get("Content-Type")
        res.max_age = parse_max_age(resp.headers.get("Cache-Control"))
        if resp.status in (429, 503):
            res.retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if resp.status == 200:
            declared = resp.content_length
            if declared is not None and declared > s.max_bytes and not resp.headers.get("Content-Encoding"):
                res.error = f"response too large: {declared} bytes (limit {s.max_bytes})"
                return
            res.body = await self._read_capped(resp.content.iter_chunked(65536))
        elif resp.status != 304:
            res.error = f"HTTP {resp.status} {resp.reason or ''}".strip()

    async def _read_capped(self, chunks: AsyncIterator[bytes]) -> bytes:
        buf = bytearray()
        limit = self.settings.max_bytes
        async for chunk in chunks:
            buf += chunk
            if len(buf) > limit:
                raise _TooLarge
        return bytes(buf)

    async def fetch_all(self, requests: Sequence[FetchRequest]) -> AsyncIterator[FetchResult]:
        """Fetch concurrently, yielding results as they complete."""
        tasks = [asyncio.ensure_future(self.fetch(r)) for r in requests]
        for fut in asyncio.as_completed(tasks):
            yield await fut


class _TooLarge(Exception):
    pass


class _Refused(OSError):
    """A URL or resolved address the address policy does not allow."""


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Slots:
    """Hold a global and a per-host slot; timeouts start only once both are held."""

    def __init__(self, *sems: asyncio.Semaphore) -> None:
        self._sems = sems

    async def __aenter__(self) -> None:
        for sem in self._sems:
            await sem.acquire()

    async def __aexit__(self, *exc: object) -> None:
        for sem in reversed(self._sems):
            sem.release()
