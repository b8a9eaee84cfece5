"""Which source URLs the web UI may subscribe to.

A browser form is a way in for anyone who can reach the server (or trick
the reader into submitting one), so it gets less than the CLI: only http(s)
URLs (never a file path, which would publish a local file on the item page)
and, unless the config allows it, only hosts that resolve to public
addresses. The check resolves the name, because ``evil.example`` may well
point at 127.0.0.1; the fetcher repeats the check on every connection and
redirect, so a name that changes its answer later is still refused.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from highsignal.errors import SourceError
from highsignal.fetch.http import is_public_address

from .settings import LOOPBACK_NAMES


class SourceRefused(SourceError):
    """A URL the web UI will not subscribe to, with the reason."""


def _why_not_public(address: str) -> str | None:
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    return None if is_public_address(address) else "a non-public address"


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceRefused(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]).split("%", 1)[0] for info in infos})


def check_source_url(url: str, *, allow_private: bool) -> str:
    """``url`` stripped, if the web UI may add it; else ``SourceRefused`` naming the URL and the reason."""
    url = url.strip()
    if not url:
        raise SourceRefused("no URL given: paste a feed or page URL (https://...)")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError as exc:
        raise SourceRefused(f"refused {url}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise SourceRefused(
            f"refused {url}: the web UI adds http(s) URLs only (local files can be added with `highsignal add PATH`)"
        )
    if not host:
        raise SourceRefused(f"refused {url}: it has no host")
    if allow_private:
        return url
    hint = "; set [server] allow_private_sources = true in the config to allow it"
    if host.lower() in LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        raise SourceRefused(f"refused {url}: {host} is this machine (loopback){hint}")
    for address in resolve(host):
        reason = _why_not_public(address)
        if reason:
            shown = f"{host} is" if host == address else f"{host} resolves to {address}, which is"
            raise SourceRefused(f"refused {url}: {shown} {reason}{hint}")
    return url
