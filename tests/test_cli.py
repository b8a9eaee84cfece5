"""The highsignal command: output formats, exit codes, errors that name their input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from highsignal.cli import app

FEED = b"""<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
 xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Pod</title>
<item><title>Episode one: scaling laws</title><guid>ep1</guid><itunes:duration>61:08</itunes:duration>
<enclosure url="https://cdn.example/ep1.mp3?token=abc" type="audio/mpeg" length="1000"/>
<podcast:transcript url="https://pod.example/ep1.vtt" type="text/vtt"/>
<podcast:transcript url="https://pod.example/ep1.json" type="application/json" language="en"/>
<description><![CDATA[<p>See <a href="https://arxiv.org/abs/2001.08361">the paper</a>.</p>]]></description>
</item></channel></rss>"""


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    db = tmp_path / "cli.sqlite"

    def invoke(*args: str):
        return runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


def test_add_items_show_search_json(server, run):
    url = server.add("/pod.xml", FEED)
    res = run("add", url)
    assert res.exit_code == 0, res.output
    assert "1 item" in res.output

    res = run("items", "--format", "json")
    assert res.exit_code == 0
    items = json.loads(res.stdout)
    assert len(items) == 1
    ep = items[0]
    assert ep["title"] == "Episode one: scaling laws"
    assert ep["guid"] == "ep1"
    assert ep["duration"] == 3668.0
    assert ep["enclosure"]["type"] == "audio/mpeg"
    assert ep["transcripts"] == 2
    assert ep["links"] == ["https://arxiv.org/abs/2001.08361"]

    res = run("show", "ep1")
    assert res.exit_code == 0
    assert "https://cdn.example/ep1.mp3?token=abc" in res.output
    assert "2 linked" in res.output
    assert "1:01:08" in res.output

    res = run("search", "scaling", "--format", "json")
    hits = json.loads(res.stdout)
    assert hits[0]["title"] == "Episode one: scaling laws"
    assert "**scaling**" in hits[0]["snippet"].lower()

    res = run("sources", "--format", "json")
    (src,) = json.loads(res.stdout)
    assert src["kind"] == "podcast" and src["items"] == 1 and src["status"] == "ok"


def test_refresh_exit_code_lists_failed_sources(server, run):
    good = server.add("/good.xml", FEED)
    bad = server.add("/bad.xml", b"gone", status=500)
    assert run("add", good).exit_code == 0
    res = run("add", bad)
    assert res.exit_code == 1
    assert "HTTP 500" in res.output
    res = run("refresh", "--all")
    assert res.exit_code == 1
    assert "bad.xml" in res.output
    assert "1 failed" in res.output


def test_usage_errors_exit_2_and_name_the_input(run, tmp_path):
    res = run("add", str(tmp_path / "nothere.xml"))
    assert res.exit_code == 2
    assert "nothere.xml" in res.output
    res = run("show", "12345")
    assert res.exit_code == 2
    assert "12345" in res.output
    res = run("remove", "unknown-source")
    assert res.exit_code == 2
    assert "unknown-source" in res.output
    res = run("items", "--since", "yesterday-ish")
    assert res.exit_code == 2
    assert "yesterday-ish" in res.output


def test_export_import_via_cli(server, run, tmp_path):
    run("add", server.add("/pod.xml", FEED))
    res = run("export")
    assert res.exit_code == 0
    assert "<opml" in res.stdout and "/pod.xml" in res.stdout
    opml = tmp_path / "subs.opml"
    opml.write_text(res.stdout)
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(tmp_path / "second.sqlite"), "import", str(opml)])
    assert res.exit_code == 0
    assert "imported 1 new source" in res.output


def test_corrupt_database_is_a_clear_error(tmp_path):
    db = tmp_path / "broken.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    res = CliRunner().invoke(app, ["--db", str(db), "sources"])
    assert res.exit_code == 2
    assert "broken.sqlite" in res.output
    assert db.read_bytes().startswith(b"this is not a database")  # left untouched


def test_demo_runs_offline_as_installed_command(tmp_path):
    env = {**os.environ, "HIGHSIGNAL_DB": str(tmp_path / "untouched.sqlite")}
    page = tmp_path / "digest.html"
    proc = subprocess.run(
        [sys.executable, "-m", "highsignal", "demo", "--out", str(page)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 failed" in proc.stdout
    assert "Must read" in proc.stdout and "Latent Space" in proc.stdout
    assert str(page) in proc.stdout.replace("\n", "") and "<html" in page.read_text()
    assert not (tmp_path / "untouched.sqlite").exists()  # demo uses a throw-away database


def test_help_teaches(run):
    res = CliRunner().invoke(app, ["--help"])
    assert res.exit_code == 0
    for command in ("add", "refresh", "sources", "items", "search", "show", "import", "export", "demo"):
        assert command in res.output
