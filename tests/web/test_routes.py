"""Every page and JSON endpoint of the web UI, through Starlette's TestClient on the sample library."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

import highsignal
from highsignal.config import config_path
from highsignal.present.digest import digest_json
from highsignal.web.settings import ServerSettings

from .conftest import client_for, csrf, good_feed, item_ids


def page(client: TestClient, url: str, status: int = 200) -> lxml.html.HtmlElement:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return lxml.html.document_fromstring(r.text)


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


# -- digest ---------------------------------------------------------------------


def test_digest_page_shows_ranked_cards_with_scores_evidence_and_stories(client):
    doc = page(client, "/?since=all")
    cards = doc.cssselect("article.card")
    assert len(cards) == 20
    assert [c.cssselect(".rank")[0].text_content().strip() for c in cards] == [str(i) for i in range(1, 21)]
    first = cards[0]
    assert first.cssselect(".score .fill")[0].get("class").startswith("fill w-")
    assert first.cssselect(".num") and first.cssselect(".evidence li")
    assert any(c.cssselect(".story") for c in cards), "the samples hold stories covered by several sources"
    # Every card can be rated, marked read and opened, with this session's CSRF token in each form.
    token = csrf(client)
    forms = first.cssselect("form.act")
    assert {f.get("action").rsplit("/", 1)[1] for f in forms} == {"rate", "mark"}
    assert all(f.cssselect("input[name=csrf]")[0].get("value") for f in forms)
    doc2 = page(client, "/?since=all")
    assert doc2.cssselect("form.act input[name=csrf]")[0].get("value") == token
    assert doc2.cssselect('meta[name="csrf-token"]')[0].get("content") == token


def test_digest_json_is_the_clis_shape(client, db):
    data = client.get("/api/digest", params={"since": "all"}).json()
    import highsignal

    with highsignal.open(db) as lib:
        expected = digest_json(lib.digest(None, top=20), {s.id: s.title or s.url for s in lib.sources()})
    assert [e["id"] for e in data["items"]] == [e["id"] for e in expected["items"]]
    assert set(expected) <= set(data)
    assert set(expected["items"][0]) <= set(data["items"][0])
    assert {"kind", "rating", "source_id"} <= set(data["items"][0])
    assert data["counts"] == expected["counts"]


@pytest.mark.parametrize(
    ("param", "value", "check"),
    [
        ("grade", "high", lambda e: e["grade"] == "high"),
        ("topic", "inference", lambda e: "inference" in [t["id"] for t in e["topics"]]),
        ("source", "1", lambda e: e["source_id"] == 1),
        ("kind", "commentary", lambda e: e["kind"] == "commentary"),
    ],
)
def test_digest_filters(client, param, value, check):
    data = client.get("/api/digest", params={"since": "all", param: value}).json()
    assert data["items"], f"the samples have items with {param}={value}"
    assert all(check(e) for e in data["items"])
    assert data["filtered_from"] and data["query"][param] in (value, int(value) if value.isdigit() else value)
    doc = page(client, f"/?since=all&{param}={value}")
    assert len(doc.cssselect("article.card")) == len(data["items"])
    selected = doc.cssselect(f'select[name="{param}"] option[selected]')
    assert selected and selected[0].get("value") == value


def test_digest_top_and_mode(client):
    data = client.get("/api/digest", params={"since": "all", "top": "5", "mode": "breadth"}).json()
    assert len(data["items"]) == 5 and data["mode"] == "breadth"


@pytest.mark.parametrize("query", ["since=yesterday", "grade=great", "topic=nope", "top=0", "source=x", "kind=meme"])
def test_bad_digest_parameters_name_the_problem(client, query):
    r = client.get(f"/api/digest?{query}")
    assert r.status_code == 400
    assert query.split("=")[0] in r.json()["error"]
    doc = page(client, f"/?{query}", status=400)
    assert query.split("=")[0] in text(doc.cssselect(".error-message")[0])


def test_empty_library_teaches_what_to_do(empty_client):
    doc = page(empty_client, "/")
    assert "No sources yet" in text(doc.cssselect(".empty-state")[0])
    assert doc.cssselect('.empty-state a[href="/settings#sources"]')


def test_empty_window_suggests_a_longer_one(client):
    doc = page(client, "/?since=1d")  # the samples are from 2024
    state = text(doc.cssselect(".empty-state")[0])
    assert "30 days" in state and "all time" in state


# -- items ------------------------------------------------------------------------


def test_item_page_has_everything_show_has(client):
    data = client.get("/api/digest", params={"since": "all"}).json()
    podcast = next(e for e in data["items"] if e["duration"])
    detail = client.get(f"/api/items/{podcast['id']}").json()
    assert detail["chapters"] and detail["enclosure"]
    doc = page(client, f"/items/{podcast['id']}")
    assert doc.cssselect("audio#player")[0].get("src") == detail["enclosure"]["url"]
    seeks = doc.cssselect("#chapters a[data-seek]")
    assert len(seeks) == len(detail["chapters"])
    assert seeks[1].get("href") == f"{detail['enclosure']['url']}#t={int(detail['chapters'][1]['start'])}"
    assert doc.cssselect("#evidence .rule-head") and doc.cssselect("#rank .factor")
    assert text(doc.cssselect("h1")[0]) == detail["title"]


def test_item_page_highlights_evidence_and_checks_claims(client):
    # Find an item with a located span and a benchmark claim among the samples.
    found = None
    for item_id in item_ids(client, top="40"):
        detail = client.get(f"/api/items/{item_id}").json()
        spans = [s for g in detail["assessment"]["rules"] for s in g["signals"] if s["context"]]
        claims = [c for c in detail["claims"] if c["chance"] is not None]
        if spans and claims:
            found = detail
            break
    assert found, "a sample item has a located piece of evidence and a multiple-choice benchmark claim"
    doc = page(client, f"/items/{found['id']}")
    marks = doc.cssselect("#evidence q.ctx mark")
    assert marks and all(m.text_content().strip() for m in marks)
    rows = doc.cssselect("#claims tbody tr")
    assert len(rows) == len(found["claims"])
    assert any(f"{c['chance']}%" in text(row) for row, c in zip(rows, found["claims"], strict=True) if c["chance"])


def test_item_story_and_artefacts(client):
    data = client.get("/api/digest", params={"since": "all"}).json()
    with_story = next(e for e in data["items"] if e["story"] and len(e["story"]["items"]) > 1)
    detail = client.get(f"/api/items/{with_story['id']}").json()
    assert detail["story_others"] and all(o["id"] != detail["id"] for o in detail["story_others"])
    doc = page(client, f"/items/{with_story['id']}")
    assert len(doc.cssselect("#story li")) == len(detail["story_others"])
    if detail["artefacts"]:
        assert doc.cssselect("#artefacts li")


def test_missing_item_is_a_404_that_names_it(client):
    doc = page(client, "/items/999999", status=404)
    assert "999999" in text(doc.cssselect(".error-message")[0])
    r = client.get("/api/items/999999")
    assert r.status_code == 404 and "999999" in r.json()["error"]
    assert client.get("/items/abc").status_code == 404


def test_rate_and_mark_through_the_api(client):
    item_id = item_ids(client)[0]
    token = csrf(client)
    r = client.post(f"/api/items/{item_id}/rate", json={"value": "up"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["rating"] == 1 and "Rated" in r.json()["message"]
    digest = client.get("/api/digest", params={"since": "all"}).json()
    assert next(e for e in digest["items"] if e["id"] == item_id)["rating"] == 1
    assert client.get(f"/api/items/{item_id}").json()["rating"] == 1
    r = client.post(f"/api/items/{item_id}/mark", json={"state": "read"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert item_id not in item_ids(client), "a read item leaves the digest at once (the cache is invalidated)"
    bad = client.post(f"/api/items/{item_id}/rate", json={"value": "sideways"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422


def test_rate_and_mark_forms_redirect_back_with_a_message(client):
    item_id = item_ids(client)[0]
    token = csrf(client)
    r = client.post(
        f"/items/{item_id}/rate", data={"csrf": token, "value": "down", "next": "/?since=all"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/?since=all"
    doc = page(client, "/?since=all")
    assert "Rated" in text(doc.cssselect(".flash")[0])
    card = doc.get_element_by_id(f"item-{item_id}")
    assert card.cssselect("button.rate-down")[0].get("aria-pressed") == "true"
    # The message shows once.
    assert not page(client, "/?since=all").cssselect(".flash")
    r = client.post(f"/items/{item_id}/mark", data={"csrf": token, "state": "read", "next": "//evil.example/"})
    assert r.status_code == 200 and r.url.path == "/", "an off-site next is replaced by the digest"


# -- sources ------------------------------------------------------------------------


def test_sources_page_and_api(client):
    rows = client.get("/api/sources").json()
    assert len(rows) == 5
    assert {"id", "title", "kind", "items", "mean_score", "last_fetch", "last_error", "quality"} <= set(rows[0])
    doc = page(client, "/sources")
    table_rows = doc.cssselect("table.sources tbody tr")
    assert len(table_rows) == 5
    assert len(table_rows[0].cssselect("td")) == len(doc.cssselect("table.sources thead th"))


def test_source_page_has_history_cadence_and_checklist(client):
    rows = client.get("/api/sources").json()
    podcast = next(r for r in rows if r["kind"] == "podcast")
    detail = client.get(f"/api/sources/{podcast['id']}").json()
    assert detail["history"]["bars"] and detail["history"]["total"] == podcast["items"]
    assert detail["cadence"]["median_gap_days"] is not None
    doc = page(client, f"/sources/{podcast['id']}")
    bars = doc.cssselect("svg.chart rect.col")
    assert len(bars) == detail["history"]["months"]
    assert sum(int(b.cssselect("title")[0].text.split(": ")[1].split()[0]) for b in bars) == podcast["items"]
    assert doc.cssselect("#quality") and doc.cssselect("#shared-links")
    assert detail["checklist"] and len(doc.cssselect("#quality .checklist li")) == len(detail["checklist"])
    assert page(client, "/sources/9999", status=404) is not None


def test_sources_show_the_feed_quality_score_only_for_podcasts(client, db):
    with highsignal.open(db) as lib:
        expected = {s.id: lib.feed_quality(s.id).score for s in lib.sources() if s.kind == "podcast"}
    assert expected
    rows = client.get("/api/sources").json()
    for r in rows:
        assert r["quality"] == (f"{expected[r['id']]}/100" if r["id"] in expected else "—"), r
    plain = next(r for r in rows if r["id"] not in expected)
    doc = page(client, f"/sources/{plain['id']}")
    assert "—" in text(doc.cssselect("#quality")[0]) and "—" in text(doc.cssselect("#shared-links")[0])
    show = next(iter(expected))
    doc = page(client, f"/sources/{show}")
    assert f"{expected[show]}" in text(doc.cssselect("#quality h2")[0])


def test_add_source_refresh_and_export(db, server, config_file):
    url = server.add("/feed.xml", good_feed())
    with client_for(db, ServerSettings(allow_private_sources=True)) as c:
        token = csrf(c)
        r = c.post("/sources/add", data={"csrf": token, "url": url, "fetch": "1"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/sources/")
        doc = page(c, r.headers["location"])
        assert "3 item(s)" in text(doc.cssselect(".flash")[0])
        assert "Loopback Lab Notes" in text(doc.cssselect("h1")[0])
        # The new items are in this week's digest straight away.
        titles = [e["title"] for e in c.get("/api/digest").json()["items"]]
        assert "Orca-7B released with open weights under Apache-2.0" in titles
        r = c.post("/api/refresh", json={}, headers={"X-CSRF-Token": token})
        assert r.status_code == 200 and r.json()["sources"] == 6
        r = c.post("/sources/refresh", data={"csrf": token, "next": "/sources"})
        assert "Refreshed 6 source(s)" in text(lxml.html.document_fromstring(r.text).cssselect(".flash")[0])
        assert len(server.hits("/feed.xml")) == 3
        opml = c.get("/sources.opml")
        assert opml.status_code == 200 and url in opml.text and "attachment" in opml.headers["content-disposition"]


def test_add_source_through_the_api(db, server):
    url = server.add("/api-feed.xml", good_feed())
    with client_for(db, ServerSettings(allow_private_sources=True)) as c:
        r = c.post("/api/sources", json={"url": url, "fetch": False}, headers={"X-CSRF-Token": csrf(c)})
        assert r.status_code == 200 and r.json()["created"] and r.json()["source"]["url"] == url
        again = c.post("/api/sources", json={"url": url}, headers={"X-CSRF-Token": csrf(c)})
        assert again.json()["created"] is False and "already subscribed" in again.json()["message"].lower()


def test_import_opml_upload_checks_every_entry(db, server):
    url = server.add("/imported.xml", good_feed())
    opml = f"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="ok" xmlUrl="{url}"/>
      <outline text="file" xmlUrl="/etc/passwd"/>
      <outline text="relative" xmlUrl="latent_space.xml"/>
    </body></opml>"""
    with client_for(db, ServerSettings(allow_private_sources=True)) as c:
        token = csrf(c)
        r = c.post(
            "/sources/import",
            data={"csrf": token},
            files={"opml": ("subs.opml", opml.encode(), "text/x-opml")},
            follow_redirects=False,
        )
        assert r.status_code == 303
        message = text(page(c, r.headers["location"]).cssselect(".flash")[0])
        assert "Imported 1 new source(s)" in message and "skipped 2" in message and "http(s)" in message
        urls = [s["url"] for s in c.get("/api/sources").json()]
        assert url in urls and not any("passwd" in u for u in urls)
        bad = c.post("/api/import", json={"opml": "<html>no</html>"}, headers={"X-CSRF-Token": token})
        assert bad.status_code == 400 and "OPML" in bad.json()["error"]


# -- search and ask ------------------------------------------------------------------


def test_search_highlights_matches_after_escaping(client):
    data = client.get("/api/search", params={"q": "llama"}).json()
    assert data["hits"]
    hit = data["hits"][0]
    assert any(p["match"] for p in hit["snippet_parts"])
    assert "\x02" not in hit["snippet"] and "\x03" not in hit["snippet"]
    doc = page(client, "/search?q=llama")
    cards = doc.cssselect("ol.hits article.card")
    assert len(cards) == len(data["hits"])
    marks = cards[0].cssselect(".snippet mark")
    assert marks and all("llama" in m.text_content().lower() for m in marks)


def test_search_filters_and_empty_states(client):
    all_hits = client.get("/api/search", params={"q": "model"}).json()["hits"]
    source_id = all_hits[0]["source_id"]
    only = client.get("/api/search", params={"q": "model", "source": str(source_id)}).json()["hits"]
    assert only and all(h["source_id"] == source_id for h in only)
    assert client.get("/api/search", params={"q": "model", "since": "2099-01-01"}).json()["hits"] == []
    assert client.get("/api/search", params={"q": "model", "limit": "2"}).json()["hits"].__len__() == 2
    assert "Search titles" in text(page(client, "/search").cssselect(".empty-state")[0])
    assert "No matches" in text(page(client, "/search?q=zzzzqqqq").cssselect(".empty-state")[0])
    assert "since" in text(page(client, "/search?q=x&since=whenever", status=400).cssselect(".flash")[0])


def test_ask_with_the_real_module(client):
    pytest.importorskip("highsignal.ask")
    data = client.get("/api/ask", params={"q": "Which Llama model was released with open weights?"}).json()
    assert data["mode"] in ("extractive", "llm", "none")
    if data["mode"] != "none":
        assert data["citations"] and all(c["item_id"] for c in data["citations"])
        cited = {n for s in data["sentences"] for n in s["citations"]}
        assert cited <= {c["n"] for c in data["citations"]}
    doc = page(client, "/ask?q=Which+Llama+model+was+released+with+open+weights%3F")
    assert doc.cssselect("section.answer")
    for link in doc.cssselect("ol.citations li > a:first-child"):
        assert link.get("href").startswith("/items/")


def test_ask_form_posts_with_the_token_and_answers_in_place(llm, client):
    """The form posts (so only this site may spend LLM tokens); the answer comes back on the same page."""
    question = "Which Llama model was released with open weights?"
    llm.reply = "A Llama model was released with open weights [1]."
    form = page(client, "/ask").cssselect("form.search-form")[0]
    assert form.get("method") == "post" and form.get("action") == "/ask"
    token = form.cssselect("input[name=csrf]")[0].get("value")
    assert token == csrf(client)
    r = client.post("/ask", data={"csrf": token, "q": question}, follow_redirects=False)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    doc = lxml.html.document_fromstring(r.text)
    assert doc.cssselect("#ask-q")[0].get("value") == question
    answer = text(doc.cssselect("section.answer")[0])
    assert "Written by test-model" in answer and "released with open weights" in answer
    assert doc.cssselect("ol.citations li")
    assert len(llm.requests) == 1
    # The JSON API the same way: POST with the header token may use the LLM, GET answers offline.
    data = client.post("/api/ask", json={"q": question}, headers={"X-CSRF-Token": token}).json()
    assert data["mode"] == "llm" and data["question"] == question and len(llm.requests) == 2
    offline = client.get("/ask", params={"q": question})
    assert "press Ask" in offline.text and len(llm.requests) == 2
    empty = lxml.html.document_fromstring(client.post("/ask", data={"csrf": token, "q": "  "}).text)
    assert empty.cssselect(".empty-state") and len(llm.requests) == 2


@pytest.mark.fake_ask
def test_ask_is_offline_by_get_and_may_use_the_llm_by_post(client, fake_ask):
    from .conftest import FAKE_ASK_CALLS

    token = csrf(client)
    client.get("/ask", params={"q": "llama weights"})
    client.get("/api/ask", params={"q": "llama weights"})
    client.post("/ask", data={"csrf": token, "q": "llama weights"})
    client.post("/api/ask", json={"q": "llama weights"}, headers={"X-CSRF-Token": token})
    assert FAKE_ASK_CALLS == [True, True, False, False]  # offline=...


@pytest.mark.fake_ask
def test_ask_renders_numbered_citations_with_timestamps(client, fake_ask):
    data = client.get("/api/ask", params={"q": "llama weights"}).json()
    assert data["mode"] == "extractive" and data["citations"][0]["start"] == 65.0
    doc = page(client, "/ask?q=llama+weights")
    sups = doc.cssselect(".answer-text sup a.cite")
    assert [a.get("href") for a in sups] == ["#cite-1", "#cite-2"]
    first = doc.cssselect("ol.citations li")[0]
    assert first.get("id") == "cite-1"
    assert first.cssselect("a")[0].get("href") == f"/items/{data['citations'][0]['item_id']}?t=65"
    assert "1:05" in text(first)


def test_ask_without_a_question_or_module(client, monkeypatch):
    assert page(client, "/ask").cssselect(".empty-state")
    assert client.get("/api/ask", params={"q": "  "}).status_code == 400
    assert client.post("/api/ask", json={"q": "  "}, headers={"X-CSRF-Token": csrf(client)}).status_code == 400
    import sys

    monkeypatch.setitem(sys.modules, "highsignal.ask", None)
    r = client.get("/api/ask", params={"q": "anything"})
    assert r.status_code == 400 and "not available" in r.json()["error"]


# -- settings --------------------------------------------------------------------------


def test_settings_page_shows_focus_rubric_and_sources(client):
    doc = page(client, "/settings")
    assert doc.cssselect('#sources form[action="/sources/add"] input[name=url]')
    assert doc.cssselect('#sources form[action="/sources/import"][enctype="multipart/form-data"] input[type=file]')
    assert doc.cssselect('#sources a[href="/sources.opml"]')
    assert doc.cssselect("#rubric table.weights tbody tr")
    assert doc.cssselect('#focus input[name="topic:inference"][value="deep"]')
    data = client.get("/api/settings").json()
    assert data["focus"]["mode"] == "depth" and data["rubric"]["weights"]
    assert "token" not in json.dumps(data["server"]).replace("token_set", "")


def test_focus_edit_writes_the_config_and_changes_the_digest(client):
    token = csrf(client)
    path = config_path()
    path.write_text('# my notes\n[focus]\nmode = "depth"\n', encoding="utf-8")
    r = client.post(
        "/settings/focus",
        data={
            "csrf": token, "mode": "breadth", "topic:inference": "deep", "topic:hardware": "ignore",
            "topic:evaluation": "", "muted_phrases": "webinar\nsponsored\n",
        },
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    saved = path.read_text("utf-8")
    assert saved.startswith("# my notes") and 'mode = "breadth"' in saved and "inference" in saved
    data = client.get("/api/settings").json()["focus"]
    assert data["mode"] == "breadth" and data["deep"] == ["inference"] and data["ignore"] == ["hardware"]
    assert data["muted_phrases"] == ["webinar", "sponsored"]
    assert client.get("/api/digest", params={"since": "all"}).json()["mode"] == "breadth"
    r = client.post("/api/settings/focus", json={"deep": ["no_such_topic"]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "no_such_topic" in r.json()["error"]
    r = client.post("/api/settings/focus", json={"mode": "depth"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["focus"]["deep"] == ["inference"]


def test_focus_form_error_comes_back_as_a_message(client):
    r = client.post("/settings/focus", data={"csrf": csrf(client), "mode": "sideways"})
    assert "Focus not saved" in text(lxml.html.document_fromstring(r.text).cssselect(".flash-error")[0])


# -- feed, API description, misc --------------------------------------------------------


def test_feed_atom_lists_the_digest(client):
    r = client.get("/feed.atom", params={"since": "all"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert r.headers["etag"].startswith('W/"')
    from lxml import etree

    feed = etree.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(item_ids(client))
    assert feed.find("a:link[@rel='self']", ns).get("href").endswith("/feed.atom?since=all")


def test_openapi_schema_and_api_page_list_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in [
        "/api/digest", "/api/items/{item_id}", "/api/items/{item_id}/rate", "/api/items/{item_id}/mark",
        "/api/sources", "/api/sources/{source_id}", "/api/refresh", "/api/import", "/api/search", "/api/ask",
        "/api/settings", "/api/settings/focus", "/api/session", "/feed.atom",
    ]:  # fmt: skip
        assert path in paths
    ask = schema["paths"]["/api/ask"]
    assert set(ask) == {"get", "post"} and "offline" in ask["get"]["summary"] and "LLM" in ask["post"]["summary"]
    doc = page(client, "/api")
    assert len(doc.cssselect("tbody tr")) >= len(paths)
    assert client.get("/docs").status_code == 404, "the CDN-based docs are off"


def test_static_files_are_versioned_and_cached(client):
    doc = page(client, "/")
    css = doc.cssselect('link[rel="stylesheet"]')[0].get("href")
    assert css.startswith("/static/app.css?v=")
    r = client.get(css)
    assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    for src in [s.get("src") for s in doc.cssselect("script")]:
        assert src.startswith("/static/") and client.get(src).status_code == 200


def test_unknown_page_is_a_named_404(client):
    doc = page(client, "/no/such/page", status=404)
    assert "/no/such/page" in text(doc.cssselect(".error-message")[0])
    assert client.get("/api/nothing").json()["error"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"ok": True}


def test_app_reads_server_settings_from_the_config(db, config_file: Path):
    config_file.write_text("[server]\nallow_private_sources = true\ndigest_ttl = 5\n", encoding="utf-8")
    from highsignal.web import create_app

    app = create_app(db)
    assert app.state.web.settings.allow_private_sources and app.state.web.settings.digest_ttl == 5
    assert app.state.web.access.reader.fetch_settings.allow_private is True
    app.state.web.access.close()
