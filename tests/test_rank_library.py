"""Ranking through the Library and the CLI, on the bundled sample corpus (five real-shaped feeds)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree, html
from typer.testing import CliRunner

import highsignal
from highsignal.cli import app, sample_dir
from highsignal.errors import HighsignalError
from highsignal.parse.feeds import parse_feed

# The samples run from 2024-01 to 2025-01; "now" sits just after the newest.
NOW = datetime(2025, 1, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("samples") / "samples.sqlite"
    with highsignal.open(path) as lib:
        lib.import_opml(sample_dir() / "subscriptions.opml")
        lib.refresh()
    return path


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib.sqlite"
    shutil.copy(sample_db, copy)
    return copy


@pytest.fixture
def lib(db: Path):
    with highsignal.open(db) as library:
        yield library


def _entries(d):
    return d.must_read + d.worth_a_look


def test_digest_ranks_by_the_factors_it_shows(lib):
    d = lib.digest(None, top=10, now=NOW)
    entries = _entries(d)
    assert len(entries) == 10
    scores = [r.rank_score for r in entries]
    assert scores == sorted(scores, reverse=True)
    assert all(r.rank_score >= lib.rank_settings.must_read for r in d.must_read)
    assert d.considered == lib.store.count_items()
    assert len(d.left_out) == d.considered - len(entries)
    best = entries[0]
    assert best.assessment is not None and best.factors.signal == best.assessment.score / 100


def test_stories_join_publishers_covering_the_same_release(lib):
    stories = lib.stories(None)
    assert stories, "the samples cover several releases from more than one source"
    # The lab blog and the podcast both cover Llama 3.1 405B (same Hub repo).
    llama = [s for s in stories if any("Llama 3.1 405B" in (i.title or "") for i in s.items)]
    assert llama and llama[0].independent_sources >= 2
    assert len({i.source_id for i in llama[0].items}) >= 2
    assert any("meta-llama/llama-3.1-405b" in r for r in llama[0].reasons)
    for s in stories:
        assert s.independent_sources == len({i.publisher for i in s.items}) and s.reasons


def test_a_story_shows_once_in_the_digest(lib):
    d = lib.digest(None, top=40, now=NOW)
    shown = [r.story.id for r in _entries(d) if r.story]
    assert len(shown) == len(set(shown))
    assert any(lo.reason.startswith("same story as #") for lo in d.left_out)


def test_ignored_topic_leaves_the_digest_with_its_reason(lib, tmp_path, monkeypatch):
    before = lib.digest(None, top=50, now=NOW)
    topics = [t for r in _entries(before) for t, _ in r.topics]
    assert topics, "sample items have detected topics"
    common = max(set(topics), key=topics.count)
    config = tmp_path / "config.toml"
    config.write_text(f'[focus]\nignore = ["{common}"]\n')
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    lib.reload_config()
    after = lib.digest(None, top=50, now=NOW)
    reasons = [lo.reason for lo in after.left_out]
    assert any(r.startswith("ignored topic: ") for r in reasons)
    for r in _entries(after):
        assert not r.topics or r.topics[0][0] != common


def test_deep_topic_moves_items_up(lib, tmp_path, monkeypatch):
    before = lib.digest(None, top=60, now=NOW)
    entries = _entries(before)
    target = entries[-1]
    assert target.topics, "pick an item with a topic"
    config = tmp_path / "config.toml"
    config.write_text(f'[focus]\ndeep = ["{target.topics[0][0]}"]\n')
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    lib.reload_config()
    after = _entries(lib.digest(None, top=60, now=NOW))
    moved = next(r for r in after if r.stored.id == target.stored.id)
    assert after.index(moved) < entries.index(target)
    assert moved.why and moved.why.startswith("deep topic")


def test_ratings_add_a_personal_term_with_its_words(lib):
    entries = _entries(lib.digest(None, top=12, now=NOW))
    for r in entries[:3]:
        lib.rate(r.stored.id, "up")
    for r in entries[-3:]:
        lib.rate(r.stored.id, "down")
    assert lib.personal_model().ready
    again = _entries(lib.digest(None, top=12, now=NOW))
    assert all(r.factors.personal is not None for r in again)
    assert any(r.personal_terms for r in again)
    liked = {r.stored.id for r in entries[:3]}
    ranked = [r.stored.id for r in again]
    assert min(ranked.index(i) for i in liked if i in ranked) < 6


def test_bad_ratings_and_vanished_items(lib):
    with pytest.raises(HighsignalError, match="'up' or 'down'"):
        lib.rate(1, "sideways")
    with pytest.raises(HighsignalError):
        lib.rate(999_999, "up")
    first = lib.items()[0]
    lib.rate(first.id, "up")
    lib.remove_source(first.source_id)  # its items and their ratings go; the digest still works
    assert first.id not in lib.store.ratings()
    assert lib.digest(None, now=NOW).considered == lib.store.count_items()


def test_marked_items_leave_the_digest(lib):
    top = _entries(lib.digest(None, top=5, now=NOW))[0]
    lib.mark(top.stored.id, "read")
    d = lib.digest(None, top=5, now=NOW)
    assert top.stored.id not in {r.stored.id for r in _entries(d)}
    assert any(lo.candidate.item_id == top.stored.id and lo.reason == "already read" for lo in d.left_out)


def test_digest_assesses_what_another_process_stored(lib, db, tmp_path):
    # The digest skips its staleness check while nothing was written; a write by another
    # connection (a cron refresh beside the web server) must still be seen.
    first = lib.digest(NOW - timedelta(days=30), now=NOW)
    feed = tmp_path / "late.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Late lab</title><link>https://late.example/</link>'
        "<item><title>Late Lab releases Qwen-Late 7B weights</title><guid>late-1</guid>"
        "<link>https://late.example/qwen-late</link><pubDate>Sun, 19 Jan 2025 10:00:00 GMT</pubDate>"
        "<description>Weights on https://huggingface.co/late/qwen-late-7b under Apache-2.0.</description>"
        "</item></channel></rss>"
    )
    with highsignal.open(db) as other:
        other.add_source(str(feed), fetch=False)
        other.refresh(assess=False)
    again = lib.digest(NOW - timedelta(days=30), now=NOW)
    assert again.considered == first.considered + 1
    stored = lib.store.find_item("late-1")
    assert lib.store.assessment(stored.id) is not None
    shown = {r.stored.id for r in _entries(again)} | {lo.candidate.item_id for lo in again.left_out}
    assert stored.id in shown


@pytest.mark.parametrize("top", [1, 3, 8])
def test_clustering_only_what_could_reach_the_top_changes_nothing(lib, monkeypatch, top):
    # The digest clusters only the items corroboration could lift into the top; with every
    # candidate clustered (as if the cut were not there) the entries must be the same.
    from highsignal.rank import rank as _rank

    clustered: list[int] = []
    confirmations = lib._confirmations

    def spy(item_ids, since):
        clustered.append(len(item_ids))
        return confirmations(item_ids, since)

    monkeypatch.setattr(lib, "_confirmations", spy)
    cut = lib.digest(None, top=top, now=NOW)
    cut_sizes = list(clustered)
    monkeypatch.setattr(_rank, "reachable", lambda placed, floor, settings: len(placed))
    clustered.clear()
    full = lib.digest(None, top=top, now=NOW)
    assert clustered == [full.considered - len([lo for lo in full.left_out if lo.rank_score is None])]
    assert cut_sizes[-1] < clustered[0]  # the cut clustered fewer
    assert [(r.stored.id, r.story and r.story.id) for r in _entries(cut)] == [
        (r.stored.id, r.story and r.story.id) for r in _entries(full)
    ]


def test_empty_window_and_empty_store(lib, tmp_path):
    d = lib.digest(NOW + timedelta(days=1), now=NOW)
    assert (d.considered, _entries(d)) == (0, [])
    with highsignal.open(tmp_path / "empty.sqlite") as empty:
        assert _entries(empty.digest(None)) == []
        assert empty.stories(None) == []
        assert empty.health().warnings


def test_source_records_and_health(lib):
    records = {r.source.title: r for r in lib.source_records()}
    assert len(records) == 5
    for r in records.values():
        assert r.items > 0 and r.mean_score is not None and 0 <= r.artefact_share <= 1 and r.per_week > 0
    report = lib.health(None, top=20)
    assert report.top_items == 20
    assert sum(n for _, n, _ in report.by_source) == 20
    assert report.effective_sources > 1


def test_show_explains_the_rank(lib):
    item = lib.items()[0]
    r = lib.explain(item.id, now=NOW)
    assert r.stored.id == item.id
    assert 0 <= r.rank_score <= 1 and r.factors.freshness > 0


# -- CLI ---------------------------------------------------------------------------


def _run(db: Path, *args: str):
    return CliRunner().invoke(app, ["--db", str(db), *args], catch_exceptions=False)


def test_cli_digest_json_contract(db):
    res = _run(db, "digest", "--since", "all", "--top", "8", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    items = data["items"]
    assert len(items) == 8
    assert [e["rank"] for e in items] == list(range(1, 9))
    for e in items:
        assert set(e) >= {"id", "title", "url", "source", "rank_score", "factors", "score", "grade", "evidence"}
        assert set(e["factors"]) >= {"signal", "focus", "personal", "corroboration", "freshness"}
        assert len(e["evidence"]) <= 3
    assert [e["rank_score"] for e in items] == sorted((e["rank_score"] for e in items), reverse=True)
    assert data["counts"]["left_out"] == sum(data["left_out_reasons"].values())


def test_cli_html_digest_is_self_contained(db, tmp_path):
    out = tmp_path / "digest.html"
    res = _run(db, "digest", "--since", "all", "--format", "html", "--out", str(out))
    assert res.exit_code == 0, res.output
    doc = html.fromstring(out.read_text())
    assert doc.xpath("//script[@src]") == [] and doc.xpath("//link[@href]") == [] and doc.xpath("//img") == []
    titles = [a.text_content().strip() for a in doc.xpath("//a[starts-with(@href, 'http')]")]
    assert titles


def test_cli_atom_digest_is_a_valid_feed(db, tmp_path):
    out = tmp_path / "digest.atom"
    res = _run(db, "digest", "--since", "all", "--top", "5", "--format", "atom", "--out", str(out))
    assert res.exit_code == 0, res.output
    etree.fromstring(out.read_bytes())  # well-formed
    feed = parse_feed(out.read_bytes(), "file://digest.atom")
    assert feed.format.startswith("atom") and len(feed.items) == 5
    assert all(i.title and i.guid for i in feed.items)


def test_cli_markdown_and_terminal(db):
    md = _run(db, "digest", "--since", "all", "--top", "4", "--format", "markdown")
    assert md.exit_code == 0 and md.stdout.startswith("# highsignal digest")
    term = _run(db, "digest", "--since", "all", "--top", "4", "--explain")
    assert term.exit_code == 0 and "Must read" in term.stdout and "factors:" in term.stdout


def test_cli_empty_window_says_so_and_exits_0(db):
    res = _run(db, "digest", "--since", "1d")
    assert res.exit_code == 0
    assert "no items since 1d" in res.stderr


def test_cli_stories_json(db):
    res = _run(db, "stories", "--since", "all", "--format", "json")
    assert res.exit_code == 0, res.output
    stories = json.loads(res.stdout)
    assert stories and {"id", "title", "items", "independent_sources"} <= set(stories[0])
    assert {"id", "source", "url"} <= set(stories[0]["items"][0])


def test_cli_rate_unknown_item_is_a_clear_error(db):
    res = _run(db, "rate", "424242", "up")
    assert res.exit_code == 2 and "424242" in res.stderr


def test_cli_focus_edits_the_config_file(db, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    assert _run(db, "config", "path").stdout.strip() == str(config)
    res = _run(db, "focus", "deep", "evaluation")
    assert res.exit_code == 0, res.output
    assert 'deep = ["evaluation"]' in config.read_text()
    bad = _run(db, "focus", "deep", "evalution")
    assert bad.exit_code == 2 and "did you mean 'evaluation'" in bad.stderr
    _run(db, "focus", "ignore", "evaluation")  # moving a topic to ignore takes it off deep
    text = config.read_text()
    assert 'ignore = ["evaluation"]' in text and "deep = []" in text


def test_cli_malformed_config_is_reported_with_its_line(db, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[focus]\ndeep = ["agents"\n')
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    res = _run(db, "digest", "--since", "all")
    assert res.exit_code == 2 and "line" in res.stderr and str(config) in res.stderr


def test_cli_sources_health(db):
    res = _run(db, "sources", "--health", "--since", "all", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["top_items"] > 0 and data["by_source"] and data["by_platform"] is not None
