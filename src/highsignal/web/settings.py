"""The ``[server]`` table of the config file, and the rule for which addresses may be bound.

::

    [server]
    token = "a long random string"      # required to listen on anything but loopback
    allow_private_sources = false       # let the web UI add feeds on loopback/private addresses
    allowed_hosts = ["reader.lan"]      # extra Host names to answer to (loopback names always work)
    digest_ttl = 60                     # seconds a rendered digest is served before it is redone

A loopback server with no token trusts every local process, as the CLI does.
Anything reachable from the network must prove it is the reader: the token
stands in for a password, so it must be long enough not to be guessed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from highsignal.config import ConfigError

#: Shorter tokens are refused: the token is all that protects a server on the network.
MIN_TOKEN_LENGTH = 16
DEFAULT_DIGEST_TTL = 60.0
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class ServerConfigError(ConfigError):
    """The server cannot start as configured (bad ``[server]`` table, unsafe bind)."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    token: str | None = None
    allow_private_sources: bool = False
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    digest_ttl: float = DEFAULT_DIGEST_TTL


def server_settings(config: dict[str, Any], path: Path | None = None) -> ServerSettings:
    """The ``[server]`` table, checked: a wrong type is an error naming the key, never ignored."""
    where = f"config {path}" if path else "config"
    table = config.get("server") or {}
    if not isinstance(table, dict):
        raise ServerConfigError(f"{where}: [server] must be a table")
    known = {"token", "allow_private_sources", "allowed_hosts", "digest_ttl"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ServerConfigError(
            f"{where}: [server] has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    token = table.get("token")
    if token is not None:
        if not isinstance(token, str):
            raise ServerConfigError(f"{where}: [server] token must be a string")
        token = token.strip() or None
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ServerConfigError(
            f"{where}: [server] token is {len(token)} characters; use at least {MIN_TOKEN_LENGTH} "
            '(for example: python -c "import secrets; print(secrets.token_urlsafe(24))")'
        )
    allow_private = table.get("allow_private_sources", False)
    if not isinstance(allow_private, bool):
        raise ServerConfigError(f"{where}: [server] allow_private_sources must be true or false")
    hosts = table.get("allowed_hosts", [])
    if isinstance(hosts, str):
        hosts = [hosts]
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise ServerConfigError(f"{where}: [server] allowed_hosts must be a list of host names")
    ttl = table.get("digest_ttl", DEFAULT_DIGEST_TTL)
    if not isinstance(ttl, int | float) or isinstance(ttl, bool) or ttl < 0:
        raise ServerConfigError(f"{where}: [server] digest_ttl must be a non-negative number of seconds")
    return ServerSettings(token, allow_private, tuple(h.lower() for h in hosts), float(ttl))


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, settings: ServerSettings, config_file: Path | None = None) -> None:
    """Refuse to listen beyond loopback without a token: the UI can add sources and rewrite the config."""
    if is_loopback_host(host) or settings.token:
        return
    where = f" in {config_file}" if config_file else ""
    raise ServerConfigError(
        f"refusing to listen on {host}: anyone who can reach it could read and change your library. "
        f'Set a token{where} under [server] (token = "...", at least {MIN_TOKEN_LENGTH} characters), '
        "or bind to 127.0.0.1"
    )
