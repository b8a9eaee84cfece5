"""Assessment through the Library: stored, redone only when needed, shown by the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import highsignal
from highsignal.cli import app
from highsignal.errors import HighsignalError

FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Lab notes</title><link>https://lab.example/</link>
<item><guid>olmoe</guid><title>OLMoE: a fully open mixture-of-experts model</title>
<link>https://lab.example/olmoe</link>
<description>&lt;p&gt;Weights: &lt;a href="https://huggingface.co/allenai/OLMoE-1B-7B-0924"&gt;allenai/OLMoE-1B-7B-0924&lt;/a&gt;,
code at &lt;a href="https://github.com/allenai/OLMoE"&gt;github.com/allenai/OLMoE&lt;/a&gt;, paper
&lt;a href="https://arxiv.org/abs/2409.02060"&gt;arXiv:2409.02060&lt;/a&gt;. Apache-2.0.&lt;/p&gt;</description></item>
<item><guid>merge</guid><title>MergeMaster-7B is #1 on the Open LLM Leaderboard</title>
<link>https://lab.example/merge</link>
<description>Our slerp merge tops the Open LLM Leaderboard with 77.2 average.</description></item>
</channel></rss>
"""


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "lab.xml"
    path.write_text(FEED)
    return path


def test_refresh_assesses_new_items_and_only_them(lib: highsignal.Library, feed_file: Path) -> None:
    lib.add_source(str(feed_file))
    stored = {s.item.key: s for s in lib.items()}
    _, strong = lib.assessment(stored["olmoe"].id)
    _, weak = lib.assessment(stored["merge"].id)
    assert strong.grade == "high" and strong.flags["open_weights"] and strong.flags["paper_or_report"]
    assert weak.grade == "low" and weak.flags["leaderboard_only"]
    # Nothing changed: nothing to assess again.
    assert lib.assess_pending() == 0
    feed_file.write_text(FEED.replace("77.2 average", "77.3 average"))
    report = lib.refresh()
    assert report.updated_items == 1
    assert report.assessed == 1


def test_rubric_override_reassesses_everything(tmp_path: Path, feed_file: Path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    with highsignal.open(tmp_path / "a.sqlite") as lib:
        lib.add_source(str(feed_file))
        before = {s.item.key: lib.assessment(s.id)[1] for s in lib.items()}
    config.write_text('[rubric.weights]\n"R4.leaderboard_only" = -5\n')
    with highsignal.open(tmp_path / "a.sqlite") as lib:
        assert lib.rubric.version != before["merge"].rubric_version
        assert lib.assess_pending() == 2
        after = {s.item.key: lib.assessment(s.id)[1] for s in lib.items()}
    (lb,) = [s for s in after["merge"].signals if s.id == "R4.leaderboard_only"]
    assert lb.weight == -5
    assert after["merge"].score > before["merge"].score
    assert after["olmoe"].score == before["olmoe"].score


def test_bad_rubric_override_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[rubric.weights]\n"R1.open_weigths" = 30\n')
    monkeypatch.setenv("HIGHSIGNAL_CONFIG", str(config))
    with highsignal.open(tmp_path / "b.sqlite") as lib, pytest.raises(HighsignalError, match="open_weigths"):
        _ = lib.rubric
    config.write_text("[rubric\n")
    with highsignal.open(tmp_path / "b.sqlite") as lib, pytest.raises(HighsignalError, match="not valid TOML"):
        _ = lib.rubric


def test_declared_kind_change_reassesses_that_source(lib: highsignal.Library, feed_file: Path) -> None:
    src = lib.add_source(str(feed_file)).source
    assert lib.assess_pending() == 0
    lib.set_declared_kind(src.id, "vendor")
    assert lib.assess_pending() == 2
    item = next(s for s in lib.items() if s.item.key == "olmoe")
    assert any(s.id == "R7.vendor_source" for s in lib.assessment(item.id)[1].signals)


def test_label_validates_grade(lib: highsignal.Library, feed_file: Path) -> None:
    lib.add_source(str(feed_file))
    item = lib.items()[0]
    with pytest.raises(HighsignalError, match="high, medium, low"):
        lib.label(item.id, "great")
    lib.label(item.id, "high")
    assert lib.store.labels() == {item.id: "high"}


def test_removing_a_source_removes_its_assessments(lib: highsignal.Library, feed_file: Path) -> None:
    src = lib.add_source(str(feed_file)).source
    ids = [s.id for s in lib.items()]
    assert len(lib.store.scores(ids)) == 2
    lib.remove_source(src.id)
    assert lib.store.scores(ids) == {}


# -- CLI ---------------------------------------------------------------------------

runner = CliRunner()


def test_assess_json_contract(feed_file: Path) -> None:
    res = runner.invoke(app, ["assess", str(feed_file), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [d["id"] for d in data] == ["olmoe", "merge"]
    for d in data:
        assert set(d) >= {"id", "url", "title", "score", "grade", "flags", "signals"}
        assert 0 <= d["score"] <= 100 and d["grade"] in ("high", "medium", "low")
        assert len(d["flags"]) == 13 and all(isinstance(v, bool) for v in d["flags"].values())
        for s in d["signals"]:
            assert set(s) >= {"rule", "polarity", "weight", "evidence", "message"}
            assert s["polarity"] in "+-" and s["rule"].startswith("R")
        # The score is the base plus the signals' weights, nothing hidden.
        assert d["score"] == max(0, min(100, round(d["base"] + sum(s["weight"] for s in d["signals"]))))
    assert data[0]["grade"] == "high" and data[1]["flags"]["leaderboard_only"]


def test_assess_terminal_groups_evidence_by_rule(feed_file: Path) -> None:
    res = runner.invoke(app, ["assess", str(feed_file)])
    assert res.exit_code == 0, res.output
    assert "R1 Access" in res.stdout and "allenai/OLMoE-1B-7B-0924" in res.stdout
    assert "R4 Leaderboard claims" in res.stdout
    assert "2 item(s): 1 high, 0 medium, 1 low" in res.stdout


def test_assess_reads_standard_input() -> None:
    text = "We release Foo-7B under the MIT License. pip install foo. Weights: https://huggingface.co/foo/foo-7b"
    res = runner.invoke(app, ["assess", "-", "--format", "json"], input=text)
    assert res.exit_code == 0, res.output
    (d,) = json.loads(res.stdout)
    assert d["flags"]["open_weights"] and d["flags"]["license_stated"] and d["flags"]["usage_examples"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["assess", "/no/such/file.xml"], None, "no such file: /no/such/file.xml"),
        (["assess", "-"], "   \n", "standard input is empty"),
        (["assess", "--format", "yaml", "x"], None, "yaml"),
    ],
)
def test_assess_bad_input(args: list[str], stdin: str | None, message: str) -> None:
    res = runner.invoke(app, args, input=stdin)
    assert res.exit_code == 2
    assert message in res.output


def test_assess_url_from_loopback_server(server) -> None:
    url = server.add("/lab.xml", FEED.encode(), content_type="application/rss+xml")
    res = runner.invoke(app, ["assess", url, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)) == 2
    assert len(server.hits("/lab.xml")) == 1
    missing = runner.invoke(app, ["assess", server.url("/gone.xml")])
    assert missing.exit_code == 2 and "HTTP 404" in missing.output


def test_show_label_and_agreement(tmp_path: Path, feed_file: Path) -> None:
    db = str(tmp_path / "c.sqlite")
    assert runner.invoke(app, ["--db", db, "add", str(feed_file)]).exit_code == 0
    listing = json.loads(runner.invoke(app, ["--db", db, "items", "--format", "json"]).stdout)
    by_key = {d["guid"]: d for d in listing}
    assert by_key["olmoe"]["grade"] == "high" and isinstance(by_key["olmoe"]["score"], int)
    shown = runner.invoke(app, ["--db", db, "show", str(by_key["merge"]["id"])])
    assert shown.exit_code == 0 and "R4 Leaderboard claims" in shown.stdout
    as_json = json.loads(runner.invoke(app, ["--db", db, "show", "merge", "--format", "json"]).stdout)
    assert as_json["assessment"]["flags"]["leaderboard_only"] is True
    assert runner.invoke(app, ["--db", db, "label", "olmoe", "high"]).exit_code == 0
    assert runner.invoke(app, ["--db", db, "label", "merge", "medium"]).exit_code == 0
    bad = runner.invoke(app, ["--db", db, "label", "merge", "superb"])
    assert bad.exit_code == 2 and "superb" in bad.output
    rows = json.loads(runner.invoke(app, ["--db", db, "agreement", "--format", "json"]).stdout)
    heur = next(r for r in rows if r["a"] == "heuristic" and r["b"] == "reader")
    assert heur["items"] == 2 and heur["agree"] == 1
    assert heur["kappa"] == pytest.approx(1 / 3)  # observed 1/2, expected by chance 1/4
