"""Chapters from show notes and Podcasting 2.0 JSON, and the clock parser they rest on."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from highsignal.podcast.chapters import ChapterResult, chapters_from_json, chapters_from_notes, finish
from highsignal.podcast.timestamps import clock_seconds, format_clock
from highsignal.records import Chapter

FIXTURES = Path(__file__).parent / "fixtures"
HOUR = 3600.0


def starts(result: ChapterResult) -> list[float]:
    return [c.start for c in result.chapters]


def titles(result: ChapterResult) -> list[str]:
    return [c.title for c in result.chapters]


# --- the written forms --------------------------------------------------------------------------------------

FORMS = [
    "[{t}] {title}",
    "* [{t}] {title}",
    "- {t} {title}",
    "{t} - {title}",
    "{t} {title}",
    "({t}) {title}",
    "{title} ({t})",
    "{title} - {t}",
    "{t} – {title}",
    "1. {t} {title}",
    "**{t}** {title}",
    "[{t}] — **{title}** —",
]
ENTRIES = [(0, "Intro"), (197, "Nyla's path from Astrophysics to LLMs"), (4200, "Wrap-up: what comes next")]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("short", [False, True], ids=["hh:mm:ss", "m:ss"])
def test_every_written_form(form: str, short: bool) -> None:
    def clock(seconds: int) -> str:
        return format_clock(seconds) if short else "{:02d}:{:02d}:{:02d}".format(*_hms(seconds))

    notes = "\n".join(form.format(t=clock(s), title=title) for s, title in ENTRIES)
    result = chapters_from_notes(notes, 5000)
    assert result.source == "notes" and result.error is None
    assert starts(result) == [0, 197, 4200]
    assert titles(result) == [title for _, title in ENTRIES]
    assert [c.end for c in result.chapters] == [197, 4200, 5000]


def _hms(seconds: int) -> tuple[int, int, int]:
    minutes, s = divmod(seconds, 60)
    return (*divmod(minutes, 60), s)


def test_latent_space_show_notes() -> None:
    # tests/podcast/fixtures/latent_space_efficiency_notes.txt is lines 60-104 of
    # /work/shared/seeds/002_405df3b812d4b9ce.txt: the Latent Space episode "Efficiency is Coming"
    # (duration 01:05:18) as scraped from a podcast page: description, "Show Notes:" links, the
    # "Timestamps" list, then the start of the speaker-labelled transcript, whose first times go back
    # to 00:00:29 and which repeats a chapter title as a line of its own at 00:03:17.
    notes = (FIXTURES / "latent_space_efficiency_notes.txt").read_text(encoding="utf-8")
    result = chapters_from_notes(notes, 3918)
    assert len(result.chapters) == 16
    assert result.chapters[0] == Chapter(start=0, title="Intro from Suno", end=197)
    assert result.chapters[5].title == "Hitting the Data Wall: The need for Synthetic Data at Nvidia"
    assert result.chapters[-1] == Chapter(
        start=58 * 60 + 37, title="AI Generated Fan Content - Podcasts, TV Show, Einstein", end=3918
    )
    assert result.warnings == []


def test_lex_fridman_style_outline() -> None:
    # Written for this test in the layout of Lex Fridman's episode pages: an "OUTLINE:" heading, a
    # sentence about players, "(m:ss) – Title" under the hour and "(h:mm:ss) – Title" after it.
    notes = """Thank you for listening ❤ Check out our sponsors: https://lexfridman.com/sponsors/ep000-sb
EPISODE LINKS:
Guest's X: https://x.com/example
OUTLINE:
Here's the timestamps for the episode. On some podcast players you should be able to click the timestamp to jump.
(00:00) – Introduction
(08:12) – Scaling laws
(31:40) – Open weights
(1:02:05) – Evaluation and benchmarks
(2:10:30) – Advice for young people
PODCAST LINKS:
- Podcast Website: https://lexfridman.com/podcast"""
    result = chapters_from_notes(notes, 2 * HOUR + 20 * 60)
    assert starts(result) == [0, 492, 1900, 3725, 7830]
    assert titles(result)[0] == "Introduction" and titles(result)[-1] == "Advice for young people"


def test_list_scraped_without_line_breaks() -> None:
    # The start of line 649 of the seed page above (High Agency, "AI Engineer World's Fair Preview"):
    # the scraper lost the line breaks, so each time is glued to the previous title.
    notes = (
        "Timestamps\n"
        '00:00 - Introduction and background on Shawn Wang (Swyx)03:45 - Reflecting on the "Rise of the AI '
        'Engineer" essay07:30 - Skills and characteristics of AI Engineers12:15 - Team composition for AI products'
    )
    result = chapters_from_notes(notes, 49 * 60 + 42)
    assert starts(result) == [0, 225, 450, 735]
    assert titles(result)[:2] == [
        "Introduction and background on Shawn Wang (Swyx)",
        'Reflecting on the "Rise of the AI Engineer" essay',
    ]


def test_time_range_keeps_its_start() -> None:
    result = chapters_from_notes("00:00 - 05:00 Intro\n05:00-12:30 Main topic", 900)
    assert starts(result) == [0, 300] and titles(result) == ["Intro", "Main topic"]


def test_title_keeps_the_line_url() -> None:
    notes = (
        "[00:00:00] Intro\n"
        "[00:38:00] FineWeb https://huggingface.co/datasets/HuggingFaceFW/fineweb.\n"
        "* [00:39:43] [Scaling laws](https://arxiv.org/abs/2001.08361) revisited\n"
        "[00:41:00](https://youtu.be/abc?t=2460) Linked timestamp only"
    )
    result = chapters_from_notes(notes, 3000)
    assert titles(result) == ["Intro", "FineWeb", "Scaling laws revisited", "Linked timestamp only"]
    assert [c.url for c in result.chapters] == [
        None,
        "https://huggingface.co/datasets/HuggingFaceFW/fineweb",
        "https://arxiv.org/abs/2001.08361",
        None,
    ]


# --- choosing the list --------------------------------------------------------------------------------------


def test_heading_wins_over_a_longer_run() -> None:
    notes = """Earlier episodes:
00:10 One
00:20 Two
00:30 Three
00:40 Four
**Show notes - timestamps:**
00:00 Intro
12:00 Interview"""
    result = chapters_from_notes(notes, 1800)
    assert titles(result) == ["Intro", "Interview"]


@pytest.mark.parametrize("heading", ["Timestamps", "Chapters:", "In this episode:", "## ⏱️ Timestamps", "OUTLINE"])
def test_heading_spellings(heading: str) -> None:
    notes = f"00:00 A\n01:00 B\n02:00 C\n{heading}\n00:00 Intro\n05:00 Main"
    assert titles(chapters_from_notes(notes, 900)) == ["Intro", "Main"]


def test_longest_run_without_heading() -> None:
    notes = "00:00 Cold open\n02:00 Teaser\nIntro music\n00:00 Intro\n03:00 First\n09:00 Second\n15:00 Third"
    result = chapters_from_notes(notes, 1200)
    assert titles(result) == ["Intro", "First", "Second", "Third"]


def test_equal_runs_keep_the_first() -> None:
    notes = "00:00 A\n05:00 B\n00:00 C\n05:00 D"
    assert titles(chapters_from_notes(notes, 900)) == ["A", "B"]


def test_single_timestamp_is_not_a_list() -> None:
    result = chapters_from_notes("We talk about scaling.\n[00:12:00] The one timestamp\nBye.", 3000)
    assert result.chapters == []
    assert any("single timestamp" in w for w in result.warnings)


def test_times_that_only_go_back_are_not_a_list() -> None:
    result = chapters_from_notes("30:00 Late\n20:00 Earlier\n10:00 Earliest", 3000)
    assert result.chapters == [] and result.warnings


def test_notes_without_timestamps() -> None:
    assert chapters_from_notes("Just a description.\n\nNo times here.", 3000) == ChapterResult(source="notes")
    assert chapters_from_notes("", None) == ChapterResult(source="notes")


# --- m:ss or h:mm -------------------------------------------------------------------------------------------


def test_two_part_times_are_minutes_by_default() -> None:
    # Three times fit both readings in a 2-hour episode; m:ss is how nearly all notes write them.
    result = chapters_from_notes("0:00 Intro\n1:10 Topic\n1:45 More", 2 * HOUR)
    assert starts(result) == [0, 70, 105] and result.warnings == []


def test_rolling_over_to_hours_past_the_hour() -> None:
    notes = "0:00 Intro\n45:10 Topic\n1:10 Later topic\n1:35 Last topic"
    result = chapters_from_notes(notes, 2 * HOUR)
    assert starts(result) == [0, 2710, 4200, 5700]
    assert any("'1:10'" in w and "h:mm" in w for w in result.warnings)


def test_no_roll_over_when_hours_would_pass_the_end() -> None:
    # As h:mm, "1:10" would be past a 50-minute episode: it starts a new run instead.
    result = chapters_from_notes("0:00 Intro\n45:10 Topic\n1:10 Other\n1:35 List", 50 * 60)
    assert starts(result) == [0, 2710]


def test_no_roll_over_without_a_duration() -> None:
    result = chapters_from_notes("0:00 Intro\n45:10 Topic\n1:10 Other", None)
    assert starts(result) == [0, 2710]
    assert result.chapters[-1].end is None


def test_hours_throughout_when_minutes_would_crowd_the_start() -> None:
    notes = "0:00 Intro\n0:20 Scaling\n0:45 Data\n1:10 Evals\n1:30 Wrap-up"
    result = chapters_from_notes(notes, 2 * HOUR)
    assert starts(result) == [0, 1200, 2700, 4200, 5400]
    assert any("read as h:mm" in w for w in result.warnings)


def test_same_times_are_minutes_in_a_short_episode() -> None:
    notes = "0:00 Intro\n0:20 Scaling\n0:45 Data\n1:10 Evals\n1:30 Wrap-up"
    assert starts(chapters_from_notes(notes, 600)) == [0, 20, 45, 70, 90]


def test_two_part_time_past_the_end_is_dropped_not_reread() -> None:
    result = chapters_from_notes("00:00 Intro\n10:00 Topic\n45:10 Too late", 30 * 60)
    assert titles(result) == ["Intro", "Topic"]
    assert result.chapters[-1].end == 1800
    assert any("'Too late'" in w and "after the episode ends" in w for w in result.warnings)


def test_three_part_time_past_the_end_is_dropped() -> None:
    result = chapters_from_notes("[00:00:00] Intro\n[00:30:00] Topic\n[01:10:00] Bonus", HOUR)
    assert titles(result) == ["Intro", "Topic"]
    assert any("Bonus" in w for w in result.warnings)


def test_nothing_left_within_the_duration() -> None:
    result = chapters_from_notes("[00:00:00] Intro\n[01:10:00] Bonus\n[01:20:00] More", HOUR)
    assert result.chapters == []
    assert any("fewer than two" in w for w in result.warnings)


# --- what is not a timestamp --------------------------------------------------------------------------------

NOT_TIMESTAMPS = [
    "Tickets cost $10:30 at the door",
    "$10:30 a seat",
    "Watch https://youtu.be/abc?t=12:30 for the demo",
    "https://example.com/watch#t=12:30",
    "https://example.com/archive/12:30/notes - 12:30",
    "Watch on YouTube ?t=12:30",
    "10:30 am - doors open",
    "9:30 PM: livestream",
    "10:30 PT keynote",
    "We meet at 9:30 PM",
    "9:30 PM - 10:30",
    "Mixed at a 3:1 ratio",
    "They won 21:14 in overtime",
    "As in John 3:16",
    "3:16-18 on love",
    "Genesis 1:1",
    "Ratio 16:9 - widescreen",
]


@pytest.mark.parametrize("noise", NOT_TIMESTAMPS)
def test_not_a_timestamp(noise: str) -> None:
    notes = f"{noise}\n[00:01:00] Real chapter\n{noise}\n[00:05:00] Another real one\n{noise}"
    result = chapters_from_notes(notes, 900)
    assert titles(result) == ["Real chapter", "Another real one"]
    assert chapters_from_notes(f"{noise}\n{noise}", 900).chapters == []


# --- transcripts --------------------------------------------------------------------------------------------

TRANSCRIPT = """[00:00:29] AI Charlie: Happy September. This is your AI co host, Charlie.
[00:02:57] Alessio: Hey everyone, welcome to the Latent Space Podcast.
[00:03:16] Nyla Worker: Good to see you all.
[00:03:17] swyx: So we try to introduce people based on sort of their professional profile.
[00:03:22] swyx: Um, so you did astrophysics research at Carleton College.
[00:03:47] Nyla Worker: And yeah, I think the thing that is not very obvious is that transition.
[00:05:41] swyx: We can talk about that and also how you transition from that into NVIDIA."""


def test_transcript_turns_with_known_speakers() -> None:
    speakers = {"AI Charlie", "Alessio", "Nyla Worker", "SWYX"}
    notes = f"[00:00:00] Intro\n[00:03:17] Nyla's path\n{TRANSCRIPT}"
    result = chapters_from_notes(notes, 3918, speakers=speakers)
    assert titles(result) == ["Intro", "Nyla's path"]


def test_transcript_only_notes_have_no_chapters() -> None:
    result = chapters_from_notes(TRANSCRIPT, 3918)
    assert result.chapters == []
    assert any("transcript" in w for w in result.warnings)


def test_repeated_speakers_are_recognised_without_a_list() -> None:
    notes = f"{TRANSCRIPT}\n[00:06:00] Chapter one\n[00:09:00] Chapter two"
    assert titles(chapters_from_notes(notes, 3918)) == ["Chapter one", "Chapter two"]


def test_name_then_time_transcript_lines() -> None:
    notes = "Nyla Worker (00:03:17): Good to see you.\nswyx (00:03:22): Welcome.\nAlessio (00:04:00):\nHi."
    assert chapters_from_notes(notes, 3918).chapters == []


def test_a_colon_in_one_title_is_not_a_speaker() -> None:
    notes = "00:00 Intro\n05:00 Part 1: Data\n09:00 Part 2: Models\n12:00 Hitting the Data Wall: synthetic data"
    assert len(chapters_from_notes(notes, 900).chapters) == 4


# --- Podcasting 2.0 JSON ------------------------------------------------------------------------------------


def as_json(chapters: object, **extra: object) -> bytes:
    return json.dumps({"version": "1.2.0", "chapters": chapters, **extra}).encode()


def test_json_chapters() -> None:
    data = as_json(
        [
            {"startTime": 600, "title": "Second", "url": "https://example.com/paper", "endTime": 900},
            {"startTime": 0, "title": "  First  chapter ", "img": "https://example.com/a.png"},
            {"startTime": 300.5, "title": "Artwork change", "toc": False},
            {"startTime": 1000, "title": "Third", "endTime": 5000},
        ]
    )
    result = chapters_from_json(data, 1500)
    assert result.source == "json" and result.error is None and result.warnings == []
    assert result.chapters == [
        Chapter(start=0, title="First chapter", end=600),
        Chapter(start=600, title="Second", end=900, url="https://example.com/paper"),
        Chapter(start=1000, title="Third", end=1500),
    ]


def test_json_with_byte_order_mark() -> None:
    data = b"\xef\xbb\xbf" + as_json([{"startTime": 0, "title": "Only"}])
    assert titles(chapters_from_json(data, None)) == ["Only"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"<chapters/>", "not JSON"),
        (b"", "not JSON"),
        (b"\xff\xfe{}", "not JSON"),
        (b"[]", "a list, not an object"),
        (b'"chapters"', "a string, not an object"),
        (b'{"version": "1.2.0"}', "no 'chapters' list (missing)"),
        (b'{"chapters": {"startTime": 0}}', "no 'chapters' list (an object)"),
        (b'{"chapters": null}', "no 'chapters' list (missing)"),
    ],
)
def test_json_that_is_not_a_chapters_file(data: bytes, error: str) -> None:
    result = chapters_from_json(data, 600)
    assert result.chapters == [] and result.source == "json"
    assert result.error is not None and error in result.error


def test_json_entries_of_the_wrong_type_are_skipped() -> None:
    data = as_json(
        [
            "not an object",
            {"startTime": "12", "title": "Start is a string"},
            {"startTime": True, "title": "Start is a boolean"},
            {"title": "No start"},
            {"startTime": 30, "title": 5},
            {"startTime": 40, "title": "   "},
            {"startTime": -5, "title": "Negative"},
            {"startTime": 0, "title": "Good", "url": 7, "endTime": "soon"},
            {"startTime": 60, "title": "Also good"},
        ]
    )
    result = chapters_from_json(data, 600)
    assert result.error is None
    assert result.chapters == [Chapter(start=0, title="Good", end=60), Chapter(start=60, title="Also good", end=600)]
    assert len(result.warnings) == 7
    assert any("chapter 1 is a string" in w for w in result.warnings)
    assert any("'Negative'" in w and "invalid start" in w for w in result.warnings)


def test_json_times_past_the_duration() -> None:
    data = as_json([{"startTime": 0, "title": "Intro"}, {"startTime": 700, "title": "Bonus"}])
    result = chapters_from_json(data, 600)
    assert result.chapters == [Chapter(start=0, title="Intro", end=600)]
    assert any("'Bonus'" in w and "after the episode ends" in w for w in result.warnings)


def test_json_end_times_that_are_not_sane() -> None:
    data = as_json(
        [
            {"startTime": 0, "title": "Ends before it starts", "endTime": 0},
            {"startTime": 100, "title": "Overlaps the next", "endTime": 250},
            {"startTime": 200, "title": "Gap after", "endTime": 280},
            {"startTime": 300, "title": "Last"},
        ]
    )
    assert [c.end for c in chapters_from_json(data, None).chapters] == [100, 200, 280, None]


# --- finish -------------------------------------------------------------------------------------------------


def test_finish_sorts_dedupes_clips_and_closes() -> None:
    given_chapters = [
        Chapter(start=300, title="C"),
        Chapter(start=0, title="A"),
        Chapter(start=300, title="C again"),
        Chapter(start=120, title="B", url="https://example.com"),
        Chapter(start=900, title="Past the end"),
        Chapter(start=float("nan"), title="Broken"),
    ]
    warnings: list[str] = []
    out = finish(given_chapters, 600, warnings)
    assert out == [
        Chapter(start=0, title="A", end=120),
        Chapter(start=120, title="B", end=300, url="https://example.com"),
        Chapter(start=300, title="C", end=600),
    ]
    assert len(warnings) == 3
    assert given_chapters[1].end is None, "the caller's chapters are not modified"


def test_finish_without_a_duration() -> None:
    out = finish([Chapter(start=10, title="B"), Chapter(start=0, title="A")], None)
    assert [(c.start, c.end) for c in out] == [(0, 10), (10, None)]
    assert finish([], 100) == []
    assert finish([Chapter(start=0, title="A")], 0) == [Chapter(start=0, title="A")]


# --- properties ---------------------------------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=999 * HOUR, allow_nan=False))
def test_clock_round_trip(seconds: float) -> None:
    assert clock_seconds(format_clock(seconds)) == int(seconds)


@given(st.text())
def test_clock_seconds_never_raises(text: str) -> None:
    for as_hours in (False, True):
        value = clock_seconds(text, two_part_as_hours=as_hours)
        assert value is None or value >= 0


def test_clock_seconds_examples() -> None:
    assert clock_seconds("1:10") == 70
    assert clock_seconds("1:10", two_part_as_hours=True) == 4200
    assert clock_seconds(" 00:03:17.250 ") == 197.25
    assert clock_seconds("00:03:17,5") == 197.5
    assert clock_seconds("12:60") is None
    assert clock_seconds("1:60:00") is None
    assert clock_seconds("١٢:٣٠") is None, "only ASCII digits are clock digits"
    assert clock_seconds("$10:30") is None


def _clock_text(seconds: int, style: int) -> str:
    if style == 0:
        return format_clock(seconds)
    if style == 1:
        return "{:02d}:{:02d}:{:02d}".format(*_hms(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


_LINE_TEMPLATES = ["[{t}] {w}", "* [{t}] {w}", "{t} - {w}", "{w} ({t})", "{w} - {t}", "({t}) {w}", "{w}: {t}"]
_LINES = st.one_of(
    st.builds(
        lambda template, seconds, style, words: template.format(t=_clock_text(seconds, style), w=words),
        st.sampled_from(_LINE_TEMPLATES),
        st.integers(min_value=0, max_value=4 * 3600),
        st.integers(min_value=0, max_value=2),
        st.text(alphabet="abc XY:-()[]$#?=/.", min_size=0, max_size=12),
    ),
    st.sampled_from(["Timestamps", "Chapters:", "", "swyx: hello", "$10:30 at 9:30 pm", "https://x.io/?t=1:00"]),
    st.text(max_size=30),
)
_DURATIONS = st.one_of(st.none(), st.floats(min_value=-10, max_value=5 * HOUR, allow_nan=False), st.just(0.0))


def _assert_well_formed(result: ChapterResult, duration: float | None) -> None:
    limit = duration if duration is not None and duration > 0 else None
    got = starts(result)
    assert len(got) != 1
    assert all(a < b for a, b in pairwise(got))
    for chapter in result.chapters:
        assert chapter.start >= 0 and chapter.title
        assert chapter.end is None or chapter.end > chapter.start
        if limit is not None:
            assert chapter.start < limit and chapter.end is not None and chapter.end <= limit


@given(st.lists(_LINES, max_size=25), _DURATIONS)
def test_notes_chapters_always_increase_within_the_duration(lines: list[str], duration: float | None) -> None:
    result = chapters_from_notes("\n".join(lines), duration)
    _assert_well_formed(result, duration)


@given(st.text(), _DURATIONS)
def test_notes_never_raise_on_any_text(text: str, duration: float | None) -> None:
    _assert_well_formed(chapters_from_notes(text, duration), duration)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_JSON_ENTRIES = st.fixed_dictionaries(
    {},
    optional={
        "startTime": _JSON_VALUES,
        "endTime": _JSON_VALUES,
        "title": _JSON_VALUES,
        "url": _JSON_VALUES,
        "toc": _JSON_VALUES,
    },
)


@given(st.binary(max_size=200), _DURATIONS)
def test_json_never_raises_on_any_bytes(data: bytes, duration: float | None) -> None:
    result = chapters_from_json(data, duration)
    assert result.chapters == [] or result.error is None


@given(st.lists(_JSON_ENTRIES | _JSON_VALUES, max_size=8), _DURATIONS)
def test_json_chapters_always_increase_within_the_duration(entries: list[object], duration: float | None) -> None:
    result = chapters_from_json(json.dumps({"chapters": entries}).encode(), duration)
    assert result.error is None
    got = starts(result)
    assert all(a < b for a, b in pairwise(got))
    limit = duration if duration is not None and duration > 0 else None
    for chapter in result.chapters:
        assert chapter.end is None or chapter.start < chapter.end
        if limit is not None:
            assert chapter.start < limit and chapter.end is not None and chapter.end <= limit
