"""The HTML digest template: rendered from the package with a sample digest, then read back with lxml.

Every value in a digest is treated as hostile: these tests inject markup and odd URLs into the
fixture and check what the browser would actually get (elements, attributes, hrefs), not strings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
import lxml.html
import pytest

import highsignal

TEMPLATE = Path(highsignal.__file__).parent / "present" / "templates" / "digest.html.j2"
FIXTURE = Path(__file__).parent / "fixtures" / "digest.json"
PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = '"><img src=x onerror=alert(1)>'
EMPTY = "Nothing in this window."


@pytest.fixture
def digest() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def render(digest: dict[str, Any]) -> lxml.html.HtmlElement:
    env = jinja2.Environment(autoescape=True)
    html = env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(digest=digest)
    return lxml.html.document_fromstring(html)


def entries(digest: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for s in digest["sections"] for e in s["entries"]]


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def has_class(name: str) -> str:
    """An XPath predicate: the element's class list contains ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def find(el: lxml.html.HtmlElement, cls: str, tag: str = "*") -> list[lxml.html.HtmlElement]:
    """Descendants of ``el`` with class ``cls`` (and tag ``tag``), in document order."""
    return el.xpath(f".//{tag}[{has_class(cls)}]")


def one(el: lxml.html.HtmlElement, cls: str, tag: str = "*") -> lxml.html.HtmlElement:
    (found,) = find(el, cls, tag)
    return found


def cards(el: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return find(el, "card", "article")


def card_title(card: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return one(card, "title")


def bar_style(card: lxml.html.HtmlElement) -> str:
    (fill,) = one(card, "bar").xpath("./span")
    return fill.get("style").replace(" ", "")


def hrefs(doc: lxml.html.HtmlElement) -> list[str]:
    return [el.get("href") for el in doc.iter() if isinstance(el.tag, str) and el.get("href") is not None]


def all_css(doc: lxml.html.HtmlElement) -> str:
    """Every piece of CSS in the page: <style> elements and style attributes."""
    parts = [el.text or "" for el in doc.iter("style")]
    parts += [el.get("style") for el in doc.iter() if isinstance(el.tag, str) and el.get("style")]
    return "\n".join(parts)


def web_urls(value: Any) -> set[str]:
    """Every http(s) URL anywhere in the digest data."""
    if isinstance(value, dict):
        return set().union(*(web_urls(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(web_urls(v) for v in value)) if value else set()
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return {value}
    return set()


def poison(value: Any, payload: str, *, keys: bool = False) -> Any:
    """Prefix every string value in the digest with ``payload``, and the keys of its free-form maps."""
    if isinstance(value, dict):
        return {
            (payload + k if keys else k): poison(v, payload, keys=k in ("labels", "left_out_reasons"))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [poison(v, payload) for v in value]
    if isinstance(value, str):
        return payload + value
    return value


def assert_inert(doc: lxml.html.HtmlElement) -> None:
    """Nothing in the page can run script or fetch anything."""
    for tag in ("script", "img", "iframe", "object", "embed", "base", "form", "link", "svg"):
        assert not doc.xpath(f"//{tag}"), f"<{tag}> element in the page"
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name in el.attrib:
            assert not name.lower().startswith("on"), f"event handler {name} on <{el.tag}>"
    for href in hrefs(doc):
        assert href.startswith(("#", "http://", "https://")), href


def test_titles_in_rank_order(digest: dict[str, Any]) -> None:
    doc = render(digest)
    shown = cards(doc)
    assert [text(card_title(c)) for c in shown] == [e["title"] for e in entries(digest)]
    assert [text(one(c, "rank")) for c in shown] == [str(e["rank"]) for e in entries(digest)]
    # Cards sit in their own section, under its heading.
    for section, el in zip(digest["sections"], doc.xpath("//main/section"), strict=False):
        assert text(el.xpath("./h2")[0]).startswith(section["title"])
        assert [text(card_title(c)) for c in cards(el)] == [e["title"] for e in section["entries"]]


def test_item_links_open_the_item_safely(digest: dict[str, Any]) -> None:
    doc = render(digest)
    for entry, card in zip(entries(digest), cards(doc), strict=True):
        title = card_title(card)
        if entry["url"]:
            assert title.tag == "a"
            assert title.get("href") == entry["url"]
            assert {"noopener", "noreferrer"} <= set(title.get("rel", "").split())
        else:
            assert title.tag != "a" and title.get("href") is None
    for a in doc.xpath("//a[starts-with(@href, 'http')]"):
        assert {"noopener", "noreferrer"} <= set(a.get("rel", "").split()), a.get("href")


def test_no_external_resources(digest: dict[str, Any]) -> None:
    doc = render(digest)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("src", "srcset", "poster", "data", "action", "formaction", "background", "ping", "manifest"):
            assert el.get(attr) is None, f"<{el.tag} {attr}=...>"
        if el.tag == "link":
            assert el.get("href") is None, "<link href> loads something"
        if el.tag == "meta":
            assert (el.get("http-equiv") or "").lower() != "refresh"
    assert not doc.xpath("//script"), "the digest needs no script"
    css = all_css(doc)
    assert "@import" not in css
    assert "url(" not in css.replace(" ", "").lower()
    # The only external hrefs are the digest's own links; the rest are in-page anchors that resolve.
    ids = {el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id")}
    allowed = web_urls(digest)
    for href in hrefs(doc):
        if href.startswith("#"):
            assert href[1:] in ids, f"dangling anchor {href}"
        else:
            assert href in allowed, href


def test_every_string_is_hostile_and_stays_text(digest: dict[str, Any]) -> None:
    for payload in (PAYLOAD, IMG_PAYLOAD):
        hostile = poison(digest, payload)
        doc = render(hostile)
        assert_inert(doc)
        # Poisoned URLs no longer start with http, so nothing links out at all.
        assert not [h for h in hrefs(doc) if not h.startswith("#")]
        # The markup shows up as visible text instead.
        for entry, card in zip(entries(digest), cards(doc), strict=True):
            assert text(card_title(card)) == " ".join((payload + entry["title"]).split())
        assert payload + "Scores estimate" in text(doc.xpath("//footer")[0])


def test_markup_in_a_title_is_escaped(digest: dict[str, Any]) -> None:
    first = digest["sections"][0]["entries"][0]
    first["title"] = f"GPT-5 {PAYLOAD} review"
    first["source"] = IMG_PAYLOAD
    first["evidence"][0]["evidence"] = f'https://example.com/x"{IMG_PAYLOAD}'
    doc = render(digest)
    assert_inert(doc)
    assert text(card_title(cards(doc)[0])) == f"GPT-5 {PAYLOAD} review"
    # A quote inside a URL stays inside the attribute.
    assert f'https://example.com/x"{IMG_PAYLOAD}' in hrefs(doc)


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "//evil.example/",
        "/relative",
    ],
)
def test_only_http_urls_become_links(digest: dict[str, Any], bad: str) -> None:
    entry = digest["sections"][0]["entries"][0]
    entry["url"] = bad
    entry["evidence"][0]["evidence"] = bad
    entry["story"]["sources"][0]["url"] = bad + "?story"
    digest["left_out"][0]["url"] = bad
    doc = render(digest)
    assert not [h for h in hrefs(doc) if h.startswith(bad)]
    assert_inert(doc)
    card = cards(doc)[0]
    assert card_title(card).tag != "a"
    assert text(card_title(card)) == entry["title"]
    # The linked things are still listed, as plain text.
    assert entry["story"]["sources"][0]["title"] in text(one(card, "story"))
    assert digest["left_out"][0]["title"] in text(doc.get_element_by_id("left-out"))


def test_non_string_urls_are_not_links(digest: dict[str, Any]) -> None:
    entry = digest["sections"][0]["entries"][0]
    entry["url"] = ["https://example.com/"]
    doc = render(digest)
    assert card_title(cards(doc)[0]).tag != "a"


def test_empty_section_says_so(digest: dict[str, Any]) -> None:
    digest["sections"][1]["entries"] = []
    doc = render(digest)
    must, worth = doc.xpath("//main/section")[:2]
    assert cards(must) and EMPTY not in text(must)
    assert not cards(worth)
    assert text(one(worth, "empty")) == EMPTY


def test_no_sections_at_all(digest: dict[str, Any]) -> None:
    digest["sections"] = []
    digest["left_out"] = []
    digest["left_out_reasons"] = {}
    doc = render(digest)
    assert not cards(doc)
    assert EMPTY in text(doc.xpath("//main")[0])
    assert not doc.xpath("//*[@id='left-out']")


def test_missing_fields_render(digest: dict[str, Any]) -> None:
    digest["since"] = None
    digest["sections"][0]["entries"] = [
        {
            "rank": 1,
            "title": "A bare item",
            "url": None,
            "source": "Somewhere",
            "published": None,
            "score": 40,
            "grade": "low",
            "factors": {"signal": 0.4, "personal": None},
            "evidence": [],
            "topics": [],
            "why": None,
            "story": None,
            "duration": None,
        },
        {"title": "Only a title"},
    ]
    doc = render(digest)
    bare, only = cards(doc)[:2]
    assert text(card_title(bare)) == "A bare item" and card_title(bare).tag != "a"
    for absent in ("evidence", "story", "why", "chips"):
        assert not find(bare, absent), absent
    assert not bare.xpath(".//time")
    assert "personal —" in text(one(bare, "factors"))
    assert text(card_title(only)) == "Only a title"
    assert bar_style(only) == "width:0%"
    assert "everything new" in text(doc.xpath("//header")[0])


def test_score_bar_width_and_grade(digest: dict[str, Any]) -> None:
    doc = render(digest)
    for entry, card in zip(entries(digest), cards(doc), strict=True):
        assert bar_style(card) == f"width:{entry['score']}%"
        assert f"g-{entry['grade']}" in card.get("class").split()
        assert text(one(card, "score")) == f"{entry['score']}{entry['grade']}"


@pytest.mark.parametrize(
    ("score", "grade", "width", "cls"),
    [
        (250, "high", "100%", "g-high"),
        (-7, "low", "0%", "g-low"),
        ("100%;background:url(https://evil.example/x.png)", "high", "0%", "g-high"),
        ("55", "medium", "55%", "g-medium"),
        (70, "high x-evil", "70%", "g-unknown"),
        (None, None, "0%", "g-unknown"),
    ],
)
def test_score_and_grade_cannot_escape_css(
    digest: dict[str, Any], score: Any, grade: Any, width: str, cls: str
) -> None:
    entry = digest["sections"][0]["entries"][0]
    entry["score"], entry["grade"] = score, grade
    doc = render(digest)
    card = cards(doc)[0]
    assert bar_style(card) == f"width:{width}"
    assert cls in card.get("class").split()
    assert "url(" not in all_css(doc)


def test_evidence_lines(digest: dict[str, Any]) -> None:
    entry = digest["sections"][1]["entries"][1]
    entry["evidence"] = [
        {"rule": f"R{i}", "polarity": "+" if i % 2 else "-", "message": f"message {i}", "evidence": f"quote {i}"}
        for i in range(1, 6)
    ]
    doc = render(digest)
    lines = one(cards(doc)[4], "evidence").xpath("./li")
    assert len(lines) == 3, "at most three evidence lines"
    assert [text(one(li, "rule")) for li in lines] == ["R1", "R2", "R3"]
    assert [text(one(li, "sign")) for li in lines] == ["+", "−", "+"]
    assert [li.get("class") for li in lines] == ["pos", "neg", "pos"]
    assert [text(li.xpath(".//q")[0]) for li in lines] == ["quote 1", "quote 2", "quote 3"]


def test_url_evidence_is_a_link_and_text_evidence_a_quote(digest: dict[str, Any]) -> None:
    doc = render(digest)
    first = cards(doc)[0]
    for ev, li in zip(
        digest["sections"][0]["entries"][0]["evidence"], one(first, "evidence").xpath("./li"), strict=True
    ):
        assert ev["message"] in text(li)
        if ev["evidence"].startswith("https://"):
            assert [a.get("href") for a in li.xpath(".//a")] == [ev["evidence"]]
            assert not li.xpath(".//q")
        else:
            assert text(li.xpath(".//q")[0]) == ev["evidence"]
            assert not li.xpath(".//a")


def test_story_lists_other_sources(digest: dict[str, Any]) -> None:
    doc = render(digest)
    olmo, tulu = cards(doc)[:2]
    story = digest["sections"][0]["entries"][0]["story"]
    block = one(olmo, "story")
    assert f"{story['independent_sources']} independent sources" in text(block)
    assert [(a.get("href"), text(a)) for a in block.xpath(".//a")] == [(s["url"], s["title"]) for s in story["sources"]]
    # The entry's own link is not repeated among "other" sources.
    own = digest["sections"][0]["entries"][1]["url"]
    links = [a.get("href") for a in one(tulu, "story").xpath(".//a")]
    assert own not in links and links == ["https://www.interconnects.ai/p/rlvr-everywhere"]
    assert not find(cards(doc)[2], "story")


def test_source_date_duration_topics_why(digest: dict[str, Any]) -> None:
    doc = render(digest)
    for entry, card in zip(entries(digest), cards(doc), strict=True):
        sub = text(one(card, "sub"))
        assert sub.startswith(entry["source"])
        if entry["published"]:
            assert card.xpath(".//time")[0].get("datetime") == entry["published"]
        if entry["duration"]:
            assert entry["duration"] in sub
        assert [text(c) for c in find(card, "chip")] == [t["label"] for t in entry["topics"]]
        assert [text(w) for w in find(card, "why")] == ([entry["why"]] if entry["why"] else [])
    assert "20 Nov 2026" in text(one(cards(doc)[0], "sub"))
    assert "1 h 05 min" in text(one(cards(doc)[2], "sub"))


def test_header_and_left_out(digest: dict[str, Any]) -> None:
    doc = render(digest)
    header = text(doc.xpath("//header")[0])
    assert digest["title"] in header and "22 Nov 2026" in header and "15 Nov 2026" in header
    assert digest["mode"] in header
    for n in digest["counts"].values():
        assert str(n) in header
    labels = digest["focus"]["labels"]
    for topic in digest["focus"]["deep"] + digest["focus"]["ignore"]:
        assert labels[topic] in header
    left = doc.get_element_by_id("left-out")
    items = left.xpath(f"./ul[not({has_class('reasons')})]/li")
    assert len(items) == len(digest["left_out"])
    for x, li in zip(digest["left_out"], items, strict=True):
        assert x["title"] in text(li) and x["reason"] in text(li)
        assert [a.get("href") for a in li.xpath(".//a")] == ([x["url"]] if x["url"] else [])
    reasons = sorted(digest["left_out_reasons"].items(), key=lambda kv: -kv[1])
    assert [text(li) for li in one(left, "reasons").xpath("./li")] == [f"{n} {r}" for r, n in reasons]
    assert digest["note"] in text(doc.xpath("//footer")[0])


def test_responsive_dark_and_print(digest: dict[str, Any]) -> None:
    doc = render(digest)
    viewport = doc.xpath("//meta[@name='viewport']/@content")
    assert viewport and "width=device-width" in viewport[0].replace(" ", "")
    css = all_css(doc)
    assert re.search(r"@media[^{]*\(\s*prefers-color-scheme\s*:\s*dark\s*\)", css)
    assert re.search(r"@media[^{]*\bprint\b", css)
    assert re.search(r"font-family|font\s*:[^;]*system-ui", css)
