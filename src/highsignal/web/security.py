"""Headers, sessions, sign-in and CSRF: what every request passes through.

* Every response carries a strict Content-Security-Policy (no inline script
  or style, nothing from other origins but audio the reader chooses to play),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
  frame denial, errors and static files included.
* The Host header must name this server (loopback names, the bound address,
  ``[server] allowed_hosts``) unless a token is set: without it a web page
  could rebind its own domain to 127.0.0.1 and read the UI as same-origin.
* Every visitor gets a random session cookie; the CSRF token is an HMAC of
  it, so it needs no server-side storage. Every POST must carry it (the
  ``csrf`` form field, or for JSON the ``X-CSRF-Token`` header), except
  requests signed in with ``Authorization``, which a browser never attaches
  on its own.
* With ``[server] token`` set, everything but the sign-in page, static files
  and the liveness check requires the token: as ``Authorization: Bearer``,
  as HTTP Basic password (feed readers can send that for ``/feed.atom``), or
  as the signed cookie the sign-in form sets.
* Every cookie (session, sign-in, one-shot message) is set by
  ``cookie_header`` and its wrappers: ``HttpOnly``, ``SameSite=Strict``,
  ``Path=/``, and ``Secure`` when the request came over HTTPS (directly, or
  through a reverse proxy on loopback that sends ``X-Forwarded-Proto``,
  which ``serve.run`` trusts).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import http.cookies
import json
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from .settings import LOOPBACK_NAMES, ServerSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src https: http:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
SESSION_COOKIE = "hs_session"
AUTH_COOKIE = "hs_auth"
FLASH_COOKIE = "hs_flash"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Paths open without signing in: the sign-in page itself, its assets, and the liveness check.
PUBLIC_PATHS = ("/login", "/static/", "/healthz", "/favicon.ico")


def is_https(scope: Scope) -> bool:
    """Whether the request came over HTTPS (uvicorn sets the scheme from a trusted proxy's X-Forwarded-Proto)."""
    return scope.get("scheme") == "https"


def cookie_header(name: str, value: str, *, secure: bool, max_age: int | None = None) -> str:
    """A ``Set-Cookie`` value with this app's attributes; ``max_age=0`` expires the cookie.

    Every cookie is ``HttpOnly`` (no script reads it), ``SameSite=Strict``
    (no other site's page makes the browser send it) and for the whole site;
    ``secure`` adds ``Secure``, so a cookie set over HTTPS never travels over
    plain HTTP.
    """
    jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    jar[name] = value
    morsel = jar[name]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Strict"
    if max_age is not None:
        morsel["max-age"] = max_age
        if max_age <= 0:
            morsel["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    """Set a cookie on ``response`` (``Secure`` when ``request`` came over HTTPS): the only way routes set one."""
    response.headers.append("set-cookie", cookie_header(name, value, secure=is_https(request.scope), max_age=max_age))


def delete_cookie(response: Response, request: Request, name: str) -> None:
    """Expire a cookie set by ``set_cookie`` (same attributes, so the browser matches and drops it)."""
    set_cookie(response, request, name, "", max_age=0)


class Signer:
    """HMAC-SHA256 signatures for cookies and CSRF tokens, one purpose per use."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @classmethod
    def for_settings(cls, settings: ServerSettings) -> Signer:
        """Derived from the token when there is one (sign-ins survive a restart), else random per process."""
        if settings.token:
            return cls(hashlib.sha256(b"highsignal-web\0" + settings.token.encode()).digest())
        return cls(secrets.token_bytes(32))

    def sign(self, purpose: str, value: str) -> str:
        mac = hmac.new(self._secret, f"{purpose}\0{value}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    def verify(self, purpose: str, value: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(purpose, value), signature)

    def pack(self, purpose: str, data: dict[str, Any]) -> str:
        """``data`` as a signed cookie-safe string (for the one-shot flash message)."""
        body = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{body}.{self.sign(purpose, body)}"

    def unpack(self, purpose: str, value: str | None) -> dict[str, Any] | None:
        if not value or "." not in value:
            return None
        body, sig = value.rsplit(".", 1)
        if not self.verify(purpose, body, sig):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (ValueError, binascii.Error):
            return None
        return data if isinstance(data, dict) else None

    def csrf_token(self, session: str) -> str:
        return self.sign("csrf", session)

    def auth_cookie(self) -> str:
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self.sign('auth', nonce)}"

    def auth_cookie_valid(self, value: str | None) -> bool:
        if not value or "." not in value:
            return False
        nonce, sig = value.rsplit(".", 1)
        return self.verify("auth", nonce, sig)


def token_matches(settings: ServerSettings, given: str | None) -> bool:
    return bool(settings.token and given and hmac.compare_digest(given.encode(), settings.token.encode()))


def _authorization_token(header: str | None) -> str | None:
    """The token in ``Authorization: Bearer T`` or the password of ``Authorization: Basic``."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return value.strip()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2]
    return None


def _valid_session(value: str) -> bool:
    """A session id this server could have made (``token_urlsafe(24)``), not an arbitrary cookie value."""
    return 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() and value.isascii()


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/feed.atom"


class SecurityMiddleware:
    """Pure ASGI middleware (cheaper than ``BaseHTTPMiddleware`` on every request)."""

    def __init__(self, app: ASGIApp, *, settings: ServerSettings, signer: Signer, bind_host: str) -> None:
        self.app = app
        self.settings = settings
        self.signer = signer
        hosts = set(LOOPBACK_NAMES) | {"127.0.0.1", "::1", bind_host.lower().strip("[]")}
        self.allowed_hosts = frozenset(hosts | set(settings.allowed_hosts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = Headers(scope=scope)
        path: str = scope.get("path", "/")
        cookies = cookie_parser(headers.get("cookie", ""))
        session = cookies.get(SESSION_COOKIE) or ""
        new_session = not _valid_session(session)
        if new_session:
            session = secrets.token_urlsafe(24)
        header_auth = token_matches(self.settings, _authorization_token(headers.get("authorization")))
        authed = self.settings.token is None or header_auth or self.signer.auth_cookie_valid(cookies.get(AUTH_COOKIE))
        state = scope.setdefault("state", {})
        state.update(
            session=session,
            csrf=self.signer.csrf_token(session),
            header_auth=header_auth,
            authed=authed,
            login_required=self.settings.token is not None,
            flash=self.signer.unpack("flash", cookies.get(FLASH_COOKIE)),
            had_flash=FLASH_COOKIE in cookies,
        )
        static = path.startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    out.setdefault(name, value)
                if "cache-control" not in out:
                    # Static files are versioned by a ?v= hash in every link; pages are never cached.
                    out["cache-control"] = "public, max-age=86400" if static else "no-store"
                if new_session and not static:
                    out.append("set-cookie", cookie_header(SESSION_COOKIE, session, secure=is_https(scope)))
                # Time spent in the app before the response starts (shown by browsers' dev tools; read by the bench).
                out["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
            await send(message)

        if not self._host_allowed(headers.get("host")):
            refused = PlainTextResponse("unexpected Host header: this server answers only to its own address", 400)
            await refused(scope, receive, send_with_headers)
            return
        if not authed and not path.startswith(PUBLIC_PATHS):
            await self._sign_in_required(scope, path)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _host_allowed(self, host: str | None) -> bool:
        if self.settings.token is not None and not self.settings.allowed_hosts:
            return True  # signed-in access only: a rebound name gains nothing without the token
        if not host:
            return False
        name = host.lower()
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else name
        else:
            name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        return name in self.allowed_hosts

    @staticmethod
    def _sign_in_required(scope: Scope, path: str) -> Any:
        if _is_api(path):
            return JSONResponse(
                {"error": "sign in required: send Authorization: Bearer <token>", "status": 401},
                status_code=401,
                headers={"www-authenticate": 'Basic realm="highsignal", charset="UTF-8"'},
            )
        query = scope.get("query_string", b"").decode("latin-1")
        target = path + (f"?{query}" if query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to go back to after a form: never another host (``//evil``) or a scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 32 for ch in target):
        return default
    return target


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request without this session's CSRF token (checked on every route).

    JSON API calls send it in ``X-CSRF-Token`` (from ``GET /api/session`` or the
    page's ``<meta name="csrf-token">``); forms send the ``csrf`` field. A
    request signed in with an ``Authorization`` header is exempt: a browser
    never adds that header to a cross-site request by itself.
    """
    if request.method in SAFE_METHODS or request.state.header_auth:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
        raise HTTPException(403, f"cross-site request refused: it came from {origin}")
    sent: Any = request.headers.get(CSRF_HEADER)
    if sent is None and not _is_api(request.url.path):
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), request.state.csrf.encode()):
        where = "the X-CSRF-Token header" if _is_api(request.url.path) else "the form"
        raise HTTPException(
            403, f"missing or invalid CSRF token in {where}: reload the page (or GET /api/session) and try again"
        )
