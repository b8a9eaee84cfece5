"""Podcasts end to end through the Library and the CLI, against a real loopback server.

A Podcasting 2.0 feed points at a chapters JSON file and a WebVTT transcript;
a second episode writes its chapters and transcript into its show notes; a
third points at files that are broken. Refresh must fetch what it can, store
the transcript as searchable passages with times, fold it into the
assessment, and never lose or crash on the bad files.
"""

from __future__ import annotations

import json

import orjson
import pytest
from typer.testing import CliRunner

import highsignal
from highsignal.cli import app
from tests.conftest import running_server

PODCAST = "https://podcastindex.org/namespace/1.0"

CHAPTERS = {
    "version": "1.2.0",
    "chapters": [
        {"startTime": 0, "title": "Intro"},
        {"startTime": 95, "title": "Medusa heads", "url": "https://arxiv.org/abs/2401.10774"},
        {"startTime": 700, "title": "Past the end of the episode"},
    ],
}

VTT = """WEBVTT

00:00:00.000 --> 00:00:06.000
<v Alessio>Welcome back to the show, today we go deep on speculative decoding.

00:00:06.000 --> 00:00:14.000
<v Alessio>Our guest trained the draft heads themselves.

00:00:14.000 --> 00:00:31.500
<v Tianle Cai>Medusa adds extra decoding heads, and we measured a 2.2x speedup on Vicuna 7B.

00:00:31.500 --> 00:00:40.000
The code is at github.com/FasterDecoding/Medusa under Apache 2.0.
"""

NOTES_EPISODE = """<p>Sponsored by Acme GPUs: use code LATENT for 20% off your first month.</p>
<p>Timestamps</p>
<p>[00:00:00] Intro<br/>[00:04:10] Why long context is hard<br/>[00:12:45] Ring attention<br/>[00:25:00] Outro</p>
"""


def feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="{PODCAST}">
<channel>
  <title>Decoding Weekly</title><link>https://decoding.example</link>
  <description>Deep dives into inference.</description><language>en</language>
  <itunes:author>Alessio</itunes:author><itunes:explicit>false</itunes:explicit>
  <itunes:image href="https://decoding.example/cover.png"/>
  <itunes:category text="Technology"/>
  <podcast:person role="host">Alessio</podcast:person>
  <item>
    <title>Medusa: simple speculative decoding — with Tianle Cai of Princeton</title>
    <guid>ep-medusa</guid><pubDate>Tue, 03 Sep 2024 10:00:00 GMT</pubDate>
    <enclosure url="https://cdn.example/medusa.mp3" type="audio/mpeg" length="9600000"/>
    <itunes:duration>600</itunes:duration>
    <description>We talk about Medusa.</description>
    <podcast:chapters url="{base}/medusa-chapters.json" type="application/json+chapters"/>
    <podcast:transcript url="{base}/medusa.vtt" type="text/vtt"/>
    <podcast:transcript url="{base}/medusa.html" type="text/html"/>
  </item>
  <item>
    <title>Ring attention and long context</title>
    <guid>ep-ring</guid><pubDate>Tue, 27 Aug 2024 10:00:00 GMT</pubDate>
    <enclosure url="https://cdn.example/ring.mp3" type="audio/mpeg" length="24000000"/>
    <itunes:duration>1800</itunes:duration>
    <description><![CDATA[{NOTES_EPISODE}]]></description>
  </item>
  <item>
    <title>An episode with broken files</title>
    <guid>ep-broken</guid><pubDate>Tue, 20 Aug 2024 10:00:00 GMT</pubDate>
    <enclosure url="https://cdn.example/broken.mp3" type="audio/mpeg" length="4800000"/>
    <itunes:duration>300</itunes:duration>
    <description>Nothing to see.</description>
    <podcast:chapters url="{base}/broken-chapters.json" type="application/json+chapters"/>
    <podcast:transcript url="{base}/missing.srt" type="application/srt"/>
  </item>
</channel>
</rss>""".encode()


@pytest.fixture
def podcast_lib(tmp_path, settings):
    with running_server() as srv:
        base = srv.url("").rstrip("/")
        srv.add("/feed.xml", feed(base))
        srv.add("/medusa-chapters.json", orjson.dumps(CHAPTERS), content_type="application/json")
        srv.add("/medusa.vtt", VTT.encode(), content_type="text/vtt")
        srv.add("/broken-chapters.json", b"{not json", content_type="application/json")
        library = highsignal.open(tmp_path / "lib.sqlite", fetch_settings=settings)
        try:
            result = library.add_source(srv.url("/feed.xml"))
            yield library, srv, result
        finally:
            library.close()


def _by_guid(lib, guid):
    return next(s for s in lib.items() if s.item.guid == guid)


def test_refresh_fetches_chapters_and_transcripts_once(podcast_lib) -> None:
    lib, srv, result = podcast_lib
    assert result.created and "3 item(s)" in result.message
    medusa = lib.item(_by_guid(lib, "ep-medusa").id)
    assert [c.title for c in medusa.item.chapters] == ["Intro", "Medusa heads"]  # past the duration: dropped
    assert medusa.item.chapters[1].url == "https://arxiv.org/abs/2401.10774"
    assert medusa.item.chapters[-1].end == 600
    speakers = [seg.speaker for seg in medusa.item.transcript]
    assert speakers[:2] == ["Alessio", "Tianle Cai"]  # same-speaker cues merged into turns
    assert len(srv.hits("/medusa.vtt")) == 1 and srv.hits("/medusa.html") == []  # the timed format is preferred

    lib.refresh([result.source.id])  # nothing changed in the feed: no file is fetched again
    assert len(srv.hits("/medusa.vtt")) == 1 and len(srv.hits("/medusa-chapters.json")) == 1


def test_transcript_is_searchable_with_a_link_to_the_moment(podcast_lib) -> None:
    lib, _, _ = podcast_lib
    hits = lib.search_transcripts("speedup vicuna")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.speaker == "Tianle Cai" and hit.start == 14.0
    assert hit.link == "https://cdn.example/medusa.mp3#t=14"
    assert lib.search_transcripts("speedup", item=_by_guid(lib, "ep-ring").id) == []
    with pytest.raises(highsignal.SourceNotFoundError):
        lib.search_transcripts("speedup", source=999999)


def test_spoken_links_and_claims_reach_the_assessment(podcast_lib) -> None:
    lib, _, _ = podcast_lib
    _, assessment = lib.assessment(_by_guid(lib, "ep-medusa").id)
    evidence = " ".join(s.evidence or "" for s in assessment.signals)
    assert "github.com/FasterDecoding/Medusa".lower() in evidence.lower()  # said, not written in the notes


def test_show_notes_chapters_and_sponsor_read(podcast_lib) -> None:
    lib, _, _ = podcast_lib
    ring = lib.item(_by_guid(lib, "ep-ring").id)
    assert [c.start for c in ring.item.chapters] == [0, 250, 765, 1500]
    assert ring.item.chapters[-1].end == 1800
    _, assessment = lib.assessment(ring.id)
    r7 = [s for s in assessment.signals if s.rule == "R7"]
    assert any("LATENT" in (s.evidence or "") or "Acme" in (s.evidence or "") for s in r7), r7


def test_broken_files_are_recorded_not_fatal(podcast_lib) -> None:
    lib, _, result = podcast_lib
    broken = _by_guid(lib, "ep-broken")
    errors = {a.kind: a.error for a in lib.store.attachments(broken.id)}
    assert "not" in errors["chapters"].lower() or "json" in errors["chapters"].lower()
    assert "404" in errors["transcript"]
    assert broken.item.title == "An episode with broken files"  # the episode itself is stored intact
    assert lib.source(result.source.id).last_error is None  # a bad attachment is not a feed error


def test_podcast_report_and_cli(podcast_lib) -> None:
    lib, _, result = podcast_lib
    report = lib.podcast_report(result.source.id)
    assert report.episodes == 3 and report.with_chapters == 2 and report.with_transcript >= 1
    assert [m for m, _ in report.history] == ["2024-08", "2024-09"]
    assert any(p.name == "Tianle Cai" for p in report.guests)
    assert [p.name for p in report.hosts] == ["Alessio"]
    assert report.sponsor_reads >= 1
    assert report.quality is not None and 0 < report.quality.score <= 100

    runner = CliRunner()
    db = str(lib.store.path)
    res = runner.invoke(app, ["--db", db, "podcast", str(result.source.id), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["episodes"] == 3 and data["quality"]["score"] == report.quality.score
    res = runner.invoke(app, ["--db", db, "podcast", str(result.source.id)])
    assert res.exit_code == 0, res.output
    assert "Episodes per month" in res.output and "feed quality" in res.output
    res = runner.invoke(app, ["--db", db, "podcast", "no-such-show"])
    assert res.exit_code == 2 and "no-such-show" in res.output
    res = runner.invoke(app, ["--db", db, "search", "Vicuna"])
    assert res.exit_code == 0 and "said in episodes" in res.output and "#t=14" in res.output
    res = runner.invoke(app, ["--db", db, "search", "Vicuna", "--format", "json"])
    spoken = [h for h in json.loads(res.output) if h["kind"] == "transcript"]
    assert [(h["start"], h["speaker"], h["url"]) for h in spoken] == [
        (14.0, "Tianle Cai", "https://cdn.example/medusa.mp3#t=14")
    ]


def test_scraped_episode_page_report(lib, fixtures) -> None:
    result = lib.add_source(str(fixtures / "parse" / "episodes_latentspace_fr.txt"))
    report = lib.podcast_report(result.source.id)
    assert report.episodes >= 2 and report.quality is None
    assert any("scraped" in n for n in report.notes)
    assert {p.name for p in report.hosts} <= {"swyx", "Alessio"} and report.hosts  # from "swyx + Alessio"
    assert all("host" not in p.roles for p in report.guests)


def test_people_index_across_shows(podcast_lib, fixtures) -> None:
    lib, _, _ = podcast_lib
    lib.add_source(str(fixtures / "parse" / "episodes_latentspace_fr.txt"))
    found = {p.name: p for p in lib.people()}
    assert found["Tianle Cai"].roles == ["guest"] and len(found["Tianle Cai"].episodes) == 1
    assert found["Alessio"].roles[0] == "host"
    assert len(found["Alessio"].shows) == 2  # hosts the loopback show (itunes:author) and Latent Space (author line)
    res = CliRunner().invoke(app, ["--db", str(lib.store.path), "people", "tianle", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [p["name"] for p in json.loads(res.output)] == ["Tianle Cai"]


def test_refresh_summary_names_unusable_episode_files(tmp_path) -> None:
    with running_server() as srv:
        base = srv.url("").rstrip("/")
        srv.add("/feed.xml", feed(base))
        srv.add("/medusa-chapters.json", orjson.dumps(CHAPTERS), content_type="application/json")
        srv.add("/medusa.vtt", VTT.encode(), content_type="text/vtt")
        srv.add("/broken-chapters.json", b"{not json", content_type="application/json")
        db = str(tmp_path / "cli.sqlite")
        with highsignal.open(db) as lib:
            lib.add_source(srv.url("/feed.xml"), fetch=False)
        res = CliRunner().invoke(app, ["--db", db, "refresh", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "episode files: 2 chapter/transcript file(s) stored, 2 could not be used" in res.output
    assert "broken-chapters.json" in res.output and "missing.srt" in res.output and "404" in res.output


def test_ask_finds_an_answer_only_said_in_a_fetched_transcript(podcast_lib) -> None:
    from highsignal.ask import ask

    lib, _, _ = podcast_lib
    answer = ask(lib, "Which licence is the FasterDecoding code released under?", offline=True)
    assert answer.mode == "extractive", answer
    cited = [c for c in answer.citations if c.link and c.link.startswith("https://cdn.example/medusa.mp3#t=")]
    assert cited and "Apache" in " ".join(c.snippet for c in cited)
    res = CliRunner().invoke(
        app, ["--db", str(lib.store.path), "ask", "Which licence is the FasterDecoding code under?", "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["mode"] == "extractive" and any("#t=" in (c["link"] or "") for c in data["citations"])
    res = CliRunner().invoke(app, ["--db", str(lib.store.path), "ask", "   "])
    assert res.exit_code == 2 and "question" in res.output
