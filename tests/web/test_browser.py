"""End to end in a real headless Chromium (the system's), driven by Playwright's Python package.

The app runs under uvicorn in a thread on a free loopback port; feeds come
from the loopback feed server of the test suite. Every page gets a
screenshot under tests/web/screenshots/. Requests to anything but 127.0.0.1
are blocked and recorded: pages must make none.
"""

from __future__ import annotations

import io
import re
import shutil
import threading
import wave
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from highsignal.web.serve import BackgroundServer
from highsignal.web.settings import ServerSettings

from .conftest import HOSTILE_TITLE, good_feed, hostile_feed, rss, when

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-headless-shell") if Path(p).exists()), None)
TOKEN = "browser-test-token-0123456789"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("no system Chromium: install the 'chromium' or 'chromium-headless-shell' Debian package")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[BackgroundServer]:
    """The app on a free port, over a fresh library; the loopback feed server is allowed as a source."""
    with BackgroundServer(tmp_path / "lib.sqlite", settings=ServerSettings(allow_private_sources=True)) as srv:
        yield srv


class Tab:
    """A browser page that records dialogs, console errors and any request leaving 127.0.0.1."""

    def __init__(self, browser: object, base: str, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.base = base
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.external: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))
        self.context.route("**/*", self._route)

    def _console(self, message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        # A 404 page or an aborted outside request logs "Failed to load resource": expected here.
        if message.type == "error" and "Failed to load resource" not in text:  # type: ignore[attr-defined]
            self.console.append(text)

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.external.append(url)
            route.abort()  # type: ignore[attr-defined]

    def go(self, path: str) -> object:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: object, live: BackgroundServer) -> Iterator[Tab]:
    t = Tab(browser, live.url)
    yield t
    t.close()


class AudioServer:
    """One WAV file over HTTP with byte ranges (a browser seeks only in media served with Range support)."""

    def __init__(self, body: bytes) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                start, end = 0, len(body) - 1
                m = re.match(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
                if m and (m.group(1) or m.group(2)):
                    start = int(m.group(1) or 0)
                    end = min(int(m.group(2)), end) if m.group(2) else end
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(end - start + 1))
                self.end_headers()
                try:
                    self.wfile.write(body[start : end + 1])
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/episode.wav"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def wav(seconds: float = 3.0, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(b"\x80" * int(seconds * rate))
    return buf.getvalue()


def podcast_feed(audio_url: str) -> bytes:
    return rss(
        "Loopback Radio",
        [
            {
                "title": "Episode 1: open weights, evaluated",
                "link": "https://example.org/radio/1",
                "guid": "radio-1",
                "pubDate": when(0.3),
                "description": "<![CDATA[<p>We discuss open weights and how to evaluate them.</p>]]>",
                "raw": f'<enclosure url="{audio_url}" type="audio/wav" length="24044"/>',
            }
        ],
    )


def add_source(tab: Tab, url: str) -> None:
    tab.go("/settings")
    tab.page.fill("#add-url", url)
    tab.page.click('#sources form[action="/sources/add"] button[type=submit]')
    tab.page.wait_for_load_state("networkidle")


def test_reader_flow(tab: Tab, server) -> None:
    page = tab.page
    feed_url = server.add("/feed.xml", good_feed())
    audio = AudioServer(wav())
    radio_url = server.add("/radio.xml", podcast_feed(audio.url))

    # An empty library teaches what to do.
    tab.go("/")
    assert "No sources yet" in page.inner_text(".empty-state")
    tab.shot("digest-empty")

    # Add a source from Settings: it is fetched at once and its page opens.
    add_source(tab, feed_url)
    assert "/sources/" in page.url
    assert "3 item(s)" in page.inner_text(".flash")
    tab.shot("source")
    add_source(tab, radio_url)

    # Sources: refresh all.
    tab.go("/sources")
    assert page.locator("table.sources tbody tr").count() == 2
    page.click('form[action="/sources/refresh"] button')
    page.wait_for_load_state("networkidle")
    assert "Refreshed 2 source(s)" in page.inner_text(".flash")
    tab.shot("sources")

    # The digest: move with j, rate up with u; the rating is stored.
    tab.go("/")
    cards = page.locator("article.card")
    assert cards.count() == 4
    page.keyboard.press("j")
    first = page.locator("article.card.selected")
    assert first.count() == 1
    item_id = first.get_attribute("data-item")
    page.keyboard.press("u")
    page.wait_for_selector(f'#item-{item_id} button.rate-up[aria-pressed="true"]')
    assert "Rated" in page.inner_text("#toast")
    stored = page.request.get(f"{tab.base}/api/items/{item_id}").json()
    assert stored["rating"] == 1
    page.keyboard.press("j")
    second = page.locator("article.card.selected").get_attribute("data-item")
    assert second != item_id
    page.keyboard.press("d")
    page.wait_for_selector(f'#item-{second} button.rate-down[aria-pressed="true"]')
    # Filters apply on change.
    page.select_option('select[name="since"]', "all")
    page.wait_for_url(lambda u: "since=all" in u)
    tab.shot("digest")

    # Help dialog.
    page.keyboard.press("?")
    assert page.locator("dialog#help[open]").count() == 1
    tab.shot("help")
    page.keyboard.press("Escape")

    # The item page: Enter on the selected card, then the audio plays from the loopback server.
    tab.go("/")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/*")
    assert page.locator("#evidence").count() == 1 and page.locator("#rank .factor").count() == 5
    tab.shot("item")
    radio = next(
        e for e in page.request.get(f"{tab.base}/api/digest").json()["items"] if e["title"].startswith("Episode 1:")
    )
    tab.go(f"/items/{radio['id']}?t=1")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.5")
    assert page.evaluate("document.getElementById('player').currentTime") == pytest.approx(1.0, abs=0.05)
    assert page.evaluate("document.getElementById('player').duration") == pytest.approx(3.0, abs=0.1)

    # Search, with highlighted matches.
    tab.go("/search")
    page.fill("#search-q", "Orca")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits mark")
    assert "orca" in page.inner_text("ol.hits mark").lower()
    tab.shot("search")

    # Ask: the form posts (with the CSRF token) and the answer comes back in place, the question kept in the box.
    question = "Which model was released with open weights under Apache-2.0?"
    tab.go("/ask")
    page.fill("#ask-q", question)
    with page.expect_response(lambda r: r.request.method == "POST" and urlsplit(r.url).path == "/ask") as posted:
        page.keyboard.press("Enter")
    assert posted.value.status == 200
    page.wait_for_selector("section.answer")
    assert urlsplit(page.url).path == "/ask" and not urlsplit(page.url).query
    assert page.input_value("#ask-q") == question
    for href in page.eval_on_selector_all(
        "ol.citations li > a:first-child", "els => els.map(a => a.getAttribute('href'))"
    ):
        assert href.startswith("/items/")
    tab.shot("ask")

    tab.go("/settings")
    tab.shot("settings")
    tab.go("/items/424242")
    assert "no item with id 424242" in page.inner_text(".error-message")
    tab.shot("error")

    # Theme toggle: stored, and applied before paint on the next page.
    tab.go("/")
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    tab.go("/sources")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    tab.shot("sources-dark")

    audio.stop()
    assert tab.dialogs == [] and tab.console == [] and tab.external == []


def test_narrow_screen(browser: object, live: BackgroundServer, server) -> None:
    tab = Tab(browser, live.url, width=360)
    try:
        add_source(tab, server.add("/feed.xml", good_feed()))
        for path, name in [("/", "digest-360"), ("/settings", "settings-360")]:
            tab.go(path)
            assert tab.page.evaluate("document.documentElement.scrollWidth") <= 360, path
            tab.shot(name)
        item = tab.page.request.get(f"{live.url}/api/digest").json()["items"][0]["id"]
        tab.go(f"/items/{item}")
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= 360
        tab.shot("item-360")
        assert tab.console == [] and tab.external == []
    finally:
        tab.close()


def test_hostile_feed_is_inert(tab: Tab, server) -> None:
    page = tab.page
    add_source(tab, server.add("/hostile.xml", hostile_feed()))
    item = page.request.get(f"{tab.base}/api/digest?since=all").json()["items"][0]
    assert item["title"] == HOSTILE_TITLE
    for path in ["/?since=all", f"/items/{item['id']}", "/sources", "/search?q=payload"]:
        tab.go(path)
        for text in page.locator("text=click me").all():
            text.click()
        assert page.evaluate("window.__pwned") is None, path
        scripts = page.eval_on_selector_all("script", "els => els.map(e => [e.src, e.textContent.trim()])")
        assert all(src.startswith(tab.base + "/static/") and not body for src, body in scripts), (path, scripts)
        assert page.locator("iframe, object, embed, frame, svg script").count() == 0, path
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))], path
        handlers = page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on'))"
            ".map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == [], path
    tab.go(f"/items/{item['id']}")
    assert HOSTILE_TITLE in page.inner_text("h1")
    tab.shot("item-hostile")
    assert tab.dialogs == [], tab.dialogs
    assert not [c for c in tab.console if "Content Security Policy" in c], tab.console


def test_chapter_links_seek_the_player(browser: object, sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "samples.sqlite"
    shutil.copy(sample_db, db)
    with BackgroundServer(db, settings=ServerSettings()) as srv:
        tab = Tab(browser, srv.url)
        try:
            data = tab.page.request.get(f"{srv.url}/api/digest?since=all").json()
            episode = next(e for e in data["items"] if e["duration"])
            detail = tab.page.request.get(f"{srv.url}/api/items/{episode['id']}").json()
            tab.go(f"/items/{episode['id']}")
            third = detail["chapters"][2]
            tab.page.click(f'#chapters a[data-seek="{third["start"]}"]')
            assert tab.page.evaluate("document.getElementById('player').currentTime") == pytest.approx(third["start"])
            assert "#t=" not in tab.page.url, "the click seeks in place instead of following the link"
            # The sample's audio lives on the public internet: the only outside request is the one play() made.
            assert all(u == detail["enclosure"]["url"] for u in tab.external), tab.external
        finally:
            tab.close()


def test_sign_in(browser: object, tmp_path: Path) -> None:
    with BackgroundServer(tmp_path / "lib.sqlite", settings=ServerSettings(token=TOKEN)) as srv:
        tab = Tab(browser, srv.url)
        try:
            tab.go("/settings")
            assert "/login" in tab.page.url
            tab.shot("login")
            tab.page.fill("#token", TOKEN)
            tab.page.click("form[action='/login'] button")
            tab.page.wait_for_url("**/settings")
            assert "Signed in" in tab.page.inner_text(".flash")
        finally:
            tab.close()


def test_search_by_meaning(browser: object, sample_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("wordllama", reason="the embed extra is not installed")
    db = tmp_path / "samples.sqlite"
    shutil.copy(sample_db, db)
    with BackgroundServer(db, settings=ServerSettings()) as srv:
        tab = Tab(browser, srv.url)
        try:
            tab.go("/search")
            query = "shrinking neural nets to tiny numeric formats"  # no word of it is in the samples
            tab.page.fill("#search-q", query)
            tab.page.check("input[name=semantic]")
            tab.page.press("#search-q", "Enter")
            tab.page.wait_for_load_state("networkidle")
            assert "semantic=1" in tab.page.url
            cards = tab.page.locator("ol.hits article.card")
            assert cards.count() > 0
            assert "meaning #1" in tab.page.locator(".found-by").first.inner_text()
            assert tab.page.is_checked("input[name=semantic]")  # the box stays ticked on the results page
            tab.shot("search-semantic")
            assert not tab.console and not tab.external, (tab.console, tab.external)
        finally:
            tab.close()
