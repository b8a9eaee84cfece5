"""Semantic and hybrid search through the Library and the CLI, over feeds served on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from highsignal.api import Library
from highsignal.cli import app
from highsignal.embed import EmbeddingUnavailable
from highsignal.store import SqliteStore

pytest.importorskip("wordllama", reason="the embed extra is not installed")

# Items written for these tests (title, date, text); the paraphrase queries below share no word with their match.
POSTS = [
    ("GPTQ ships 4-bit Llama builds", "Mon, 03 Mar 2025 10:00:00 GMT",
     "GPTQ quantization shrinks Llama weights to 4-bit integers; "
     "the 4-bit build fits on one GPU with little quality loss."),
    ("Sourdough notes", "Tue, 04 Mar 2025 10:00:00 GMT",
     "Feed the starter twice a day and bake at 250 degrees for a crisp crust."),
    ("A benchmark for long documents", "Wed, 05 Mar 2025 10:00:00 GMT",
     "A new retrieval benchmark measures recall over books and legal filings."),
    ("Robot arms learn from video", "Thu, 06 Jan 2022 10:00:00 GMT",
     "A robot arm learns to pick up cups by imitation from human video demonstrations."),
]  # fmt: skip
PARAPHRASE = "compress neural network parameters to lower numeric precision"


def rss(posts: list[tuple[str, str, str]], title: str = "Lab Notes") -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>{t}</guid><link>https://notes.example/{n}</link>"
        f"<pubDate>{d}</pubDate><description>{x}</description></item>"
        for n, (t, d, x) in enumerate(posts)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


@pytest.fixture
def notes(server) -> str:
    return server.add("/notes.xml", rss(POSTS))


def test_refresh_embeds_new_items_and_hybrid_search_finds_a_paraphrase(lib, notes) -> None:
    lib.add_source(notes, fetch=False)
    report = lib.refresh()
    assert report.embedded == 4 and lib.store.count_stale_vectors(lib.embedder.name) == 0
    assert lib.search(PARAPHRASE) == []  # no word in common
    hits = lib.search(PARAPHRASE, semantic=True, limit=3)
    top = hits[0]
    assert top.title == "GPTQ ships 4-bit Llama builds"
    assert (top.lexical_rank, top.semantic_rank) == (None, 1) and top.similarity > 0.2
    assert "GPTQ quantization" in top.snippet  # the summary stands in for a snippet


def test_an_exact_name_still_wins_in_hybrid_search(lib, notes) -> None:
    lib.add_source(notes)
    hits = lib.search("GPTQ", semantic=True)
    assert hits[0].title == "GPTQ ships 4-bit Llama builds"
    assert hits[0].lexical_rank == 1
    only_meaning = lib.semantic_search("GPTQ")
    assert all(h.lexical_rank is None and h.similarity is not None for h in only_meaning)


def test_filters_apply_to_the_semantic_side(lib, notes, server) -> None:
    lib.add_source(notes)
    grasping = (
        "Grasping cups",
        "Fri, 07 Mar 2025 10:00:00 GMT",
        "Robot hands pick up cups after watching people do it.",
    )
    other = server.add("/other.xml", rss([grasping], "Other"))
    lib.add_source(other)
    query = "teaching machines to grasp objects by watching people"
    everywhere = {h.title for h in lib.search(query, semantic=True)}
    assert {"Robot arms learn from video", "Grasping cups"} <= everywhere
    recent = {h.title for h in lib.search(query, semantic=True, since=datetime(2024, 1, 1, tzinfo=UTC))}
    assert "Robot arms learn from video" not in recent and "Grasping cups" in recent
    only_notes = {h.source_title for h in lib.search(query, semantic=True, source=notes)}
    assert only_notes == {"Lab Notes"}


def test_changed_content_is_embedded_again_on_refresh(lib, notes, server) -> None:
    lib.add_source(notes)
    lib.search(PARAPHRASE, semantic=True)
    changed = [(POSTS[0][0], POSTS[0][1], "Sourdough starter feeding schedule and oven temperatures.")]
    server.add("/notes.xml", rss(changed + POSTS[1:]))
    report = lib.refresh()
    assert report.embedded == 1
    hits = lib.search(PARAPHRASE, semantic=True, limit=4)
    assert hits[0].title != "GPTQ ships 4-bit Llama builds"  # its text is about bread now


def test_turned_off_semantic_search_says_so_and_refresh_still_works(tmp_path: Path, settings, notes) -> None:
    config = {"embed": {"enabled": False}}
    with Library(SqliteStore(tmp_path / "off.sqlite"), fetch_settings=settings, config=config) as lib:
        lib.add_source(notes, fetch=False)
        report = lib.refresh()
        assert report.embedded == 0 and report.embed_error is None
        assert not lib.semantic_available()
        with pytest.raises(EmbeddingUnavailable, match="turned off"):
            lib.search(PARAPHRASE, semantic=True)
        assert lib.search("GPTQ")[0].title == "GPTQ ships 4-bit Llama builds"


def test_a_bad_embed_config_is_reported_after_refresh_without_losing_items(tmp_path, settings, notes) -> None:
    config = {"embed": {"model": "no-such-model"}}
    with Library(SqliteStore(tmp_path / "bad.sqlite"), fetch_settings=settings, config=config) as lib:
        lib.add_source(notes, fetch=False)
        report = lib.refresh()
        assert lib.store.count_items() == 4
        assert "no-such-model" in report.embed_error


# -- the command line ----------------------------------------------------------------


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    db = tmp_path / "cli.sqlite"

    def invoke(*args: str):
        return runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


def test_cli_search_semantic_explains_each_hit(run, notes) -> None:
    assert run("add", notes).exit_code == 0
    res = run("search", PARAPHRASE, "--semantic", "--format", "json")
    assert res.exit_code == 0, res.output
    hits = [h for h in json.loads(res.output) if h["kind"] == "item"]
    assert hits[0]["title"] == "GPTQ ships 4-bit Llama builds"
    assert hits[0]["lexical_rank"] is None and hits[0]["semantic_rank"] == 1
    table = run("search", "GPTQ", "--semantic")
    assert "words #1" in table.output and "meaning #" in table.output
    plain = run("search", PARAPHRASE)
    assert "no matches" in plain.output


def test_cli_embed_indexes_and_reports(run, notes) -> None:
    assert run("add", notes).exit_code == 0
    res = run("embed", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["items"] == 4 and data["model"].startswith("wordllama")
    again = json.loads(run("embed", "--format", "json").output)
    assert again["embedded"] == 0  # nothing left to do


def test_cli_semantic_search_turned_off_fails_clearly(run, notes, tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[embed]\nenabled = false\n")
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    assert run("add", notes).exit_code == 0
    res = run("search", PARAPHRASE, "--semantic")
    assert res.exit_code != 0
    assert "turned off" in res.output
