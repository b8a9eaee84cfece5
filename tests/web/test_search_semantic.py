"""Search by meaning and inside transcripts, in the page and the JSON API."""

from __future__ import annotations

from pathlib import Path

import pytest

from highsignal.records import TranscriptSegment
from highsignal.store import SqliteStore
from tests.web.conftest import client_for
from tests.web.test_routes import page, text

pytest.importorskip("wordllama", reason="the embed extra is not installed")

# No word of this is in the samples' titles or text; meaning still finds something.
PARAPHRASE = "shrinking neural nets to tiny numeric formats"


def test_hybrid_search_says_where_each_ranking_put_a_hit(client) -> None:
    data = client.get("/api/search", params={"q": "open weights", "semantic": "1"}).json()
    assert data["semantic_available"] is True and data["query"]["semantic"] is True
    hits = data["hits"]
    assert hits and all(h["lexical_rank"] or h["semantic_rank"] for h in hits)
    assert any(h["lexical_rank"] and h["semantic_rank"] for h in hits)  # found by both
    plain = client.get("/api/search", params={"q": "open weights"}).json()["hits"]
    assert all(h["semantic_rank"] is None for h in plain)
    doc = page(client, "/search?q=open+weights&semantic=1")
    assert doc.cssselect("input[name=semantic][checked]")
    assert "meaning #" in text(doc.cssselect(".found-by")[0]) or "words #" in text(doc.cssselect(".found-by")[0])


def test_a_query_sharing_no_word_is_found_by_meaning_alone(client) -> None:
    assert client.get("/api/search", params={"q": PARAPHRASE}).json()["hits"] == []
    hits = client.get("/api/search", params={"q": PARAPHRASE, "semantic": "1"}).json()["hits"]
    assert hits and all(h["lexical_rank"] is None and h["similarity"] > 0 for h in hits)
    assert [h["semantic_rank"] for h in hits] == list(range(1, len(hits) + 1))


def test_bad_flag_and_turned_off_model_are_clear_errors(client, config_file: Path) -> None:
    r = client.get("/api/search", params={"q": "llama", "semantic": "maybe"})
    assert r.status_code == 400 and "semantic='maybe'" in r.text
    config_file.write_text("[embed]\nenabled = false\n", encoding="utf-8")
    r = client.get("/api/search", params={"q": "llama", "semantic": "1"})
    assert r.status_code == 400 and "turned off" in r.text
    doc = page(client, "/search?q=llama")
    assert doc.cssselect("input[type=checkbox][disabled]")
    assert "off" in text(page(client, "/settings").cssselect("#semantic")[0])


def test_settings_show_the_model_and_coverage(client) -> None:
    data = client.get("/api/settings").json()["semantic"]
    assert data["available"] and data["model"].startswith("wordllama") and data["total"] > 0
    panel = text(page(client, "/settings").cssselect("#semantic")[0])
    assert data["model"] in panel and f"of {data['total']}" in panel


def test_transcript_hits_show_the_moment_and_play_from_it(db: Path) -> None:
    store = SqliteStore(db)
    item = store.items(limit=1)[0]
    store.save_passages(
        item.id, [TranscriptSegment(754.5, "We extended the warmup to eight thousand steps.", 770.0, "Guest")], "test"
    )
    store.close()
    with client_for(db) as client:
        data = client.get("/api/search", params={"q": "warmup"}).json()
        [spoken] = data["spoken"]
        assert (spoken["id"], spoken["clock"], spoken["speaker"]) == (item.id, "12:34", "Guest")
        doc = page(client, "/search?q=warmup")
        section = text(doc.cssselect("ol.spoken")[0])
        assert "12:34" in section and "Guest" in section
        # Date filters leave transcripts out: they have no dates of their own.
        assert client.get("/api/search", params={"q": "warmup", "since": "30d"}).json()["spoken"] == []


def test_turning_the_model_off_in_the_config_takes_effect_without_a_restart(
    client, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("highsignal.web.access.PROBE_INTERVAL", 0.0)  # the server looks once a second
    assert client.get("/api/search", params={"q": PARAPHRASE, "semantic": "1"}).json()["hits"]
    config_file.write_text("[embed]\nenabled = false\n", encoding="utf-8")
    r = client.get("/api/search", params={"q": PARAPHRASE, "semantic": "1"})
    assert r.status_code == 400 and "turned off" in r.text
