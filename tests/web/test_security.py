"""Security of the web UI: headers on every response, CSRF, sign-in, bind refusal, address checks, hostile feeds."""

from __future__ import annotations

import base64
from pathlib import Path

import lxml.html
import pytest

from highsignal.web.guard import SourceRefused, check_source_url
from highsignal.web.security import CSP
from highsignal.web.serve import run
from highsignal.web.settings import ServerConfigError, ServerSettings, check_bind, server_settings

from .conftest import HOSTILE_TITLE, client_for, csrf, hostile_feed

TOKEN = "correct-horse-battery-staple-42"

PAGES = [
    "/", "/?since=all", "/items/1", "/sources", "/sources/1", "/search?q=llama", "/ask", "/ask?q=llama",
    "/settings", "/api", "/login", "/no/such/page", "/items/999999", "/api/digest?since=all", "/api/items/1",
    "/api/sources", "/api/search?q=llama", "/api/settings", "/api/session", "/api/openapi.json", "/feed.atom",
    "/sources.opml", "/static/app.css", "/healthz",
]  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_every_response_has_the_security_headers(client, url):
    r = client.get(url)
    assert r.status_code < 500, r.text[:300]
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"


def test_csp_is_strict():
    for directive in [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "form-action 'self'",
        "frame-ancestors 'none'", "base-uri 'none'",
    ]:  # fmt: skip
        assert directive in CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP


def test_pages_have_no_inline_script_or_style(client):
    for url in ["/?since=all", "/items/1", "/sources/1", "/settings", "/search?q=llama"]:
        doc = lxml.html.document_fromstring(client.get(url).text)
        assert all(s.get("src", "").startswith("/static/") for s in doc.iter("script"))
        assert not doc.xpath("//style") and not doc.xpath("//*[@style]")
        assert not doc.xpath("//@*[starts-with(name(), 'on')]")


# -- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("/items/1/rate", {"data": {"value": "up"}}),
        ("/items/1/mark", {"data": {"state": "read"}}),
        ("/sources/add", {"data": {"url": "https://example.org/feed"}}),
        ("/sources/refresh", {"data": {}}),
        ("/settings/focus", {"data": {"mode": "breadth"}}),
        ("/sources/import", {"files": {"opml": ("a.opml", b"<opml/>", "text/xml")}}),
        ("/api/items/1/rate", {"json": {"value": "up"}}),
        ("/api/items/1/mark", {"json": {"state": "read"}}),
        ("/api/sources", {"json": {"url": "https://example.org/feed"}}),
        ("/api/refresh", {"json": {}}),
        ("/api/import", {"json": {"opml": "<opml/>"}}),
        ("/api/settings/focus", {"json": {"mode": "breadth"}}),
        ("/ask", {"data": {"q": "which models shipped open weights?"}}),
        ("/api/ask", {"json": {"q": "which models shipped open weights?"}}),
        ("/login", {"data": {"token": "x"}}),
        ("/logout", {"data": {}}),
    ],
)
def test_post_without_csrf_token_is_refused(client, url, kwargs):
    r = client.post(url, **kwargs)
    assert r.status_code == 403, (url, r.status_code, r.text[:200])
    assert "CSRF" in (r.json()["error"] if url.startswith("/api/") else r.text)


def test_csrf_token_must_belong_to_the_session(db):
    with client_for(db) as a, client_for(db) as b:
        token_a = csrf(a)
        csrf(b)
        r = b.post("/api/items/1/rate", json={"value": "up"}, headers={"X-CSRF-Token": token_a})
        assert r.status_code == 403
        assert a.post("/api/items/1/rate", json={"value": "up"}, headers={"X-CSRF-Token": token_a}).status_code == 200


def test_api_posts_take_the_token_only_from_the_header(client):
    token = csrf(client)
    r = client.post("/api/items/1/mark", data={"state": "read", "csrf": token})
    assert r.status_code == 403


def test_session_cookie_is_httponly_and_samesite(empty_client):
    r = empty_client.get("/")
    cookie = r.headers["set-cookie"]
    assert "hs_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


# -- asking with an LLM --------------------------------------------------------------------

QUESTION = "Which Llama model was released with open weights?"
LLM_REPLY = "A Llama model was released with open weights [1]."


def test_asking_by_get_never_calls_the_llm(llm, db):
    """Any page on the web can make a browser GET ``/ask?q=`` (an ``<img>``): that must not spend LLM tokens."""
    llm.reply = LLM_REPLY
    with client_for(db) as c:
        doc = lxml.html.document_fromstring(c.get("/ask", params={"q": QUESTION}).text)
        assert "Quoted from the passages" in doc.cssselect("section.answer")[0].text_content()
        assert c.get("/api/ask", params={"q": QUESTION}).json()["mode"] == "extractive"
        # What a cross-site <img> sends: no cookie, no token, no Origin.
        c.cookies.clear()
        assert c.get("/ask", params={"q": QUESTION}).status_code == 200
        assert llm.requests == []
        # Posted with this session's token, the same question goes to the LLM.
        data = c.post("/api/ask", json={"q": QUESTION}, headers={"X-CSRF-Token": csrf(c)}).json()
        assert data["mode"] == "llm" and data["model"] == "test-model"
        assert len(llm.requests) == 1 and llm.requests[0]["messages"][1]["content"].endswith(QUESTION)


def test_asking_by_post_needs_the_csrf_token(llm, db):
    llm.reply = LLM_REPLY
    with client_for(db) as c:
        token = csrf(c)
        refused = [
            c.post("/ask", data={"q": QUESTION}),
            c.post("/ask", data={"q": QUESTION, "csrf": "forged"}),
            c.post("/api/ask", json={"q": QUESTION}),
            c.post("/api/ask", json={"q": QUESTION, "csrf": token}),
            c.post("/api/ask", json={"q": QUESTION}, headers={"X-CSRF-Token": "forged"}),
            c.post("/ask", data={"q": QUESTION, "csrf": token}, headers={"Origin": "https://evil.example"}),
            c.post("/api/ask", json={"q": QUESTION}, headers={"X-CSRF-Token": token, "Origin": "https://evil.example"}),
        ]
        assert [r.status_code for r in refused] == [403] * len(refused)
        assert llm.requests == []
        form = c.post("/ask", data={"q": QUESTION, "csrf": token})
        assert form.status_code == 200 and "Written by test-model" in form.text
        assert len(llm.requests) == 1


# -- cookies over HTTPS ----------------------------------------------------------------------


def _set_cookies(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_cookies_are_secure_when_the_request_came_over_https(db, scheme):
    """Session, sign-in and message cookies all get ``Secure`` over HTTPS, and only then."""
    from fastapi.testclient import TestClient

    from highsignal.web import create_app

    def secure(header: str) -> bool:
        return "secure" in [part.strip().lower() for part in header.split(";")]

    app = create_app(db, settings=ServerSettings(token=TOKEN))
    with TestClient(app, base_url=f"{scheme}://testserver") as c:
        login = c.get("/login")
        session = _set_cookies(login)["hs_session"]
        assert "HttpOnly" in session and "SameSite=Strict" in session
        token = lxml.html.document_fromstring(login.text).cssselect("input[name=csrf]")[0].get("value")
        signed_in = c.post("/login", data={"csrf": token, "token": TOKEN, "next": "/settings"}, follow_redirects=False)
        cookies = _set_cookies(signed_in)
        assert set(cookies) == {"hs_auth", "hs_flash"}
        shown = c.get("/settings")  # shows the message once, and expires its cookie
        assert "Signed in." in shown.text
        expired = _set_cookies(shown)["hs_flash"]
        assert "Max-Age=0" in expired
        signed_out = _set_cookies(c.post("/logout", data={"csrf": token}, follow_redirects=False))
        assert "Max-Age=0" in signed_out["hs_auth"]
        every = [session, *cookies.values(), expired, *signed_out.values()]
        assert [secure(h) for h in every] == [scheme == "https"] * len(every)


def test_cookies_are_set_only_through_the_helper():
    """A cookie set any other way would miss ``Secure`` over HTTPS (or HttpOnly, SameSite)."""
    import re

    import highsignal.web

    for path in Path(highsignal.web.__file__).parent.glob("*.py"):
        source = path.read_text("utf-8")
        assert not re.search(r"\.(set|delete)_cookie\(", source), path.name
        if path.name != "security.py":
            assert "set-cookie" not in source.lower(), path.name


def test_forwarded_proto_from_a_loopback_proxy_makes_cookies_secure(db):
    """Behind a TLS-terminating proxy on this machine the scheme comes from X-Forwarded-Proto."""
    import urllib.request

    from highsignal.web.serve import BackgroundServer

    def session_cookie(headers: dict[str, str]) -> str:
        request = urllib.request.Request(f"{srv.url}/healthz", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.headers["set-cookie"]

    with BackgroundServer(db) as srv:
        assert "Secure" in session_cookie({"X-Forwarded-Proto": "https"})
        assert "Secure" not in session_cookie({})


def test_run_trusts_forwarded_headers_from_loopback_only(tmp_path: Path, monkeypatch):
    from highsignal.web import serve
    from highsignal.web.app import app_state

    seen = {}

    class FakeServer:
        def __init__(self, config) -> None:
            seen["config"] = config

        def run(self) -> None:
            pass

    monkeypatch.setattr(serve.uvicorn, "Server", FakeServer)
    monkeypatch.setattr(serve.gc, "freeze", lambda: None)
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    run("127.0.0.1", 0, tmp_path / "lib.sqlite")
    config = seen["config"]
    app_state(config.app).access.close()
    assert config.proxy_headers is True and config.forwarded_allow_ips == "127.0.0.1,::1"


# -- host and sign-in ----------------------------------------------------------------------


def test_foreign_host_header_is_refused_without_a_token(db):
    """A page rebinding its own domain to 127.0.0.1 must not read the UI as same-origin."""
    with client_for(db) as c:
        assert c.get("/", headers={"host": "attacker.example"}).status_code == 400
        assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200
        assert c.get("/", headers={"host": "[::1]:8765"}).status_code == 200


def test_token_required_when_set(db):
    with client_for(db, ServerSettings(token=TOKEN)) as c:
        r = c.get("/?since=all", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get("/api/digest").status_code == 401
        feed = c.get("/feed.atom")
        assert feed.status_code == 401 and "Basic" in feed.headers["www-authenticate"]
        assert c.get("/static/app.css").status_code == 200 and c.get("/healthz").status_code == 200
        # Bearer works for the API, HTTP Basic (any user, the token as password) for feed readers.
        assert c.get("/api/digest", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        basic = base64.b64encode(f"reader:{TOKEN}".encode()).decode()
        assert c.get("/feed.atom", headers={"Authorization": f"Basic {basic}"}).status_code == 200
        assert c.get("/api/digest", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
        # Bearer-authenticated API writes need no CSRF token: a browser never sends that header by itself.
        r = c.post("/api/items/1/rate", json={"value": "up"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200


def test_login_form_sets_a_cookie(db):
    with client_for(db, ServerSettings(token=TOKEN)) as c:
        login = lxml.html.document_fromstring(c.get("/login?next=/settings").text)
        token = login.cssselect("input[name=csrf]")[0].get("value")
        bad = c.post("/login", data={"csrf": token, "token": "nope", "next": "/settings"})
        assert bad.status_code == 401 and "does not match" in bad.text
        r = c.post("/login", data={"csrf": token, "token": TOKEN, "next": "/settings"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/settings"
        assert "hs_auth=" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
        assert c.get("/settings").status_code == 200
        assert c.get("/api/digest").status_code == 200
        c.post("/logout", data={"csrf": token})
        assert c.get("/api/digest").status_code == 401


def test_forged_auth_cookie_is_refused(db):
    with client_for(db, ServerSettings(token=TOKEN)) as c:
        c.cookies.set("hs_auth", "abc.def")
        assert c.get("/api/digest").status_code == 401


# -- binding -------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_non_loopback_bind_without_token_refuses(host):
    with pytest.raises(ServerConfigError, match="refusing to listen"):
        check_bind(host, ServerSettings())
    check_bind(host, ServerSettings(token=TOKEN))


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_bind_needs_no_token(host):
    check_bind(host, ServerSettings())


def test_run_refuses_before_opening_anything(tmp_path: Path, config_file: Path):
    with pytest.raises(ServerConfigError, match=r"\[server\]"):
        run("0.0.0.0", 0, tmp_path / "never.sqlite")
    assert not (tmp_path / "never.sqlite").exists()
    config_file.write_text('[server]\ntoken = "short"\n', encoding="utf-8")
    with pytest.raises(ServerConfigError, match="at least 16"):
        run("0.0.0.0", 0, tmp_path / "never.sqlite")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"token": 5}, "token must be a string"),
        ({"allow_private_sources": "yes"}, "true or false"),
        ({"allowed_hosts": 3}, "allowed_hosts"),
        ({"digest_ttl": -1}, "digest_ttl"),
        ({"tokn": "x"}, "unknown key"),
    ],
)
def test_server_table_is_checked(table, message):
    with pytest.raises(ServerConfigError, match=message):
        server_settings({"server": table})


# -- sources from the web ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8080/feed", "loopback"),
        ("http://localhost/feed", "loopback"),
        ("http://[::1]/feed", "loopback"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://10.0.0.8/feed", "private"),
        ("http://192.168.0.1/feed", "private"),
        ("file:///etc/passwd", "http(s)"),
        ("/etc/passwd", "http(s)"),
        ("ftp://example.org/feed", "http(s)"),
    ],
)
def test_private_and_local_sources_are_refused(url, reason):
    with pytest.raises(SourceRefused) as exc:
        check_source_url(url, allow_private=False)
    assert url in str(exc.value) and reason in str(exc.value)


def test_names_are_resolved_before_they_are_allowed(monkeypatch):
    from highsignal.web import guard

    monkeypatch.setattr(guard, "resolve", lambda host: ["10.1.2.3"])
    with pytest.raises(SourceRefused, match=r"evil\.example resolves to 10\.1\.2\.3, which is a private address"):
        check_source_url("https://evil.example/feed", allow_private=False)
    monkeypatch.setattr(guard, "resolve", lambda host: ["93.184.216.34"])
    assert check_source_url(" https://fine.example/feed ", allow_private=False) == "https://fine.example/feed"


def test_allow_private_sources_still_refuses_files():
    assert check_source_url("http://127.0.0.1/feed", allow_private=True) == "http://127.0.0.1/feed"
    with pytest.raises(SourceRefused):
        check_source_url("file:///etc/passwd", allow_private=True)


def test_web_add_refuses_loopback_feed_by_default(db, server):
    url = server.add("/private.xml", hostile_feed())
    with client_for(db) as c:
        r = c.post("/api/sources", json={"url": url}, headers={"X-CSRF-Token": csrf(c)})
        assert r.status_code == 400
        assert url in r.json()["error"] and "loopback" in r.json()["error"]
        form = c.post("/sources/add", data={"csrf": csrf(c), "url": url})
        assert "allow_private_sources" in lxml.html.document_fromstring(form.text).cssselect(".flash-error")[0].text
    assert server.hits("/private.xml") == []


def test_server_library_fetches_without_private_addresses(db, server):
    """A source already in the library (added from the CLI) pointing at loopback is not fetched by the server."""
    import highsignal

    url = server.add("/cli-added.xml", hostile_feed())
    with highsignal.open(db) as lib:
        lib.add_source(url, fetch=False)
    with client_for(db) as c:
        report = c.post("/api/refresh", json={}, headers={"X-CSRF-Token": csrf(c)}).json()
    failed = [r for r in report["results"] if r["url"] == url]
    assert failed and "refused" in failed[0]["error"]
    assert server.hits("/cli-added.xml") == []


# -- hostile content -------------------------------------------------------------------------


def test_hostile_feed_renders_inert(db, server):
    url = server.add("/hostile.xml", hostile_feed())
    with client_for(db, ServerSettings(allow_private_sources=True)) as c:
        source_id = c.post("/api/sources", json={"url": url}, headers={"X-CSRF-Token": csrf(c)}).json()["source"]["id"]
        data = c.get("/api/digest", params={"since": "all", "source": str(source_id)}).json()
        (entry,) = data["items"]
        assert entry["title"] == HOSTILE_TITLE
        for target in ["/?since=all", f"/items/{entry['id']}", f"/sources/{source_id}", "/search?q=payload"]:
            doc = lxml.html.document_fromstring(c.get(target).text)
            scripts = list(doc.iter("script"))
            assert all(s.get("src", "").startswith("/static/") and not (s.text or "").strip() for s in scripts)
            for tag in (
                "iframe",
                "object",
                "embed",
                "svg[not(@class='chart')]",
                "math",
                "form[contains(@action, 'evil')]",
            ):
                assert not doc.xpath(f"//{tag}"), (target, tag)
            assert not doc.xpath("//@*[starts-with(name(), 'on')]"), target
            assert not doc.xpath("//*[@style]"), target
            hrefs = [a.get("href", "") for a in doc.iter("a")]
            assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
        item = lxml.html.document_fromstring(c.get(f"/items/{entry['id']}").text)
        prose = item.cssselect(".prose")[0]
        assert "Before the payload" in prose.text_content() and "After the payload" in prose.text_content()
        assert prose.cssselect("a")[0].get("rel") == "noopener noreferrer nofollow"
        assert HOSTILE_TITLE in item.cssselect("h1")[0].text_content(), "markup in a title is shown as text"


def test_cross_site_origin_is_refused_even_with_a_token(client):
    token = csrf(client)
    r = client.post(
        "/api/items/1/rate", json={"value": "up"}, headers={"X-CSRF-Token": token, "Origin": "https://evil.example"}
    )
    assert r.status_code == 403 and "evil.example" in r.json()["error"]
    same = client.post(
        "/api/items/1/rate", json={"value": "up"}, headers={"X-CSRF-Token": token, "Origin": "http://127.0.0.1"}
    )
    assert same.status_code == 200


# -- the Atom feed ----------------------------------------------------------------------------


def test_feed_atom_etag_and_304(client):
    first = client.get("/feed.atom", params={"since": "all"})
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag
    again = client.get("/feed.atom", params={"since": "all"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/feed.atom", params={"since": "all"}, headers={"If-None-Match": "*"}).status_code == 304
    assert client.get("/feed.atom", params={"since": "all"}, headers={"If-None-Match": '"other"'}).status_code == 200
    # When the listed items change, so does the ETag.
    top = client.get("/api/digest", params={"since": "all"}).json()["items"][0]["id"]
    client.post(f"/api/items/{top}/mark", json={"state": "read"}, headers={"X-CSRF-Token": csrf(client)})
    changed = client.get("/feed.atom", params={"since": "all"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert f"urn:highsignal:item:{top}<" not in changed.text


def test_serve_module_refuses_a_public_bind_with_a_clear_error(tmp_path: Path, config_file: Path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "HIGHSIGNAL_CONFIG": str(config_file)}
    cmd = [sys.executable, "-m", "highsignal.web.serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.sqlite")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "refusing to listen on 0.0.0.0" in done.stderr and "token" in done.stderr
