"""Transcripts: VTT, SRT, Podcasting 2.0 JSON and HTML files, transcripts in show notes, turns and speakers."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from highsignal.podcast.transcripts import (
    TranscriptResult,
    parse_transcript,
    speakers,
    transcript_from_notes,
    turns,
)
from highsignal.records import TranscriptSegment

FIXTURES = Path(__file__).parent / "fixtures"
CDN = "https://cdn.example.com/episodes/142/"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def texts(segments: list[TranscriptSegment]) -> str:
    return " | ".join(s.text for s in segments)


def who(segments: list[TranscriptSegment]) -> list[str | None]:
    return [s.speaker for s in segments]


# --------------------------------------------------------------------------- WebVTT


def test_vtt_voice_spans_metadata_and_inline_tags() -> None:
    r = parse_transcript(fixture("transcript_voices.vtt"), "text/vtt", CDN + "transcript.vtt")
    assert (r.format, r.error, r.warnings) == ("vtt", None, [])
    first = r.segments[0]
    assert (first.start, first.end, first.speaker) == (0.0, 4.12, "Maya Chen")
    assert first.text == "Welcome back to Gradient Notes. I'm Maya,"
    # The second cue has no voice span: still Maya. "<v.guest Daniel Okafor>" has a class.
    maya, dan = "Maya Chen", "Daniel Okafor"
    assert who(r.segments) == [maya, maya, dan, dan, maya, dan, maya]
    joined = texts(r.segments)
    assert "catches regressions before users do" in joined  # <c.highlight> and <00:00:15.100> gone
    assert "prompts & rubrics" in joined
    assert "four thousand cases <and growing>." in joined  # escaped markup is text
    assert "Four thousand. That's more than most teams run in CI." in joined  # whitespace collapsed
    assert "color" not in joined and "Exported" not in joined and "width" not in joined  # STYLE, NOTE, REGION
    assert (r.segments[5].start, r.segments[5].end) == (21.03, 25.6)  # mm:ss.ttt times


def test_vtt_with_only_a_header_is_an_error_not_an_exception() -> None:
    r = parse_transcript(b"WEBVTT\nKind: captions\nLanguage: en\n\nNOTE nothing was said\n", "text/vtt", CDN + "t.vtt")
    assert r.format == "vtt"
    assert r.segments == []
    assert r.error is not None and "no transcript segments" in r.error and CDN + "t.vtt" in r.error


def test_vtt_cues_without_blank_lines_and_text_after_a_blank_line() -> None:
    data = (
        b"WEBVTT\n"
        b"1\n00:00:01.000 --> 00:00:03.000\n<v Ana>First cue.\n"
        b"2\n00:00:03.000 --> 00:00:05.000\nSecond cue.\n\n"
        b"00:00:05.000 --> 00:00:07.000\n\n"
        b"Text after a stray blank line.\n\n"
        b"00:00:09.000 --> 00:00:08.000\nEnd before start.\n"
    )
    r = parse_transcript(data, "text/vtt")
    assert [(s.start, s.text) for s in r.segments] == [
        (1.0, "First cue."),
        (3.0, "Second cue."),
        (5.0, "Text after a stray blank line."),
        (9.0, "End before start."),
    ]
    assert r.segments[-1].end is None
    assert who(r.segments) == ["Ana"] * 4


# --------------------------------------------------------------------------- SRT


def test_srt_speaker_prefixes_carry_forward_and_bad_timing_is_skipped() -> None:
    r = parse_transcript(fixture("transcript_prefixes.srt"), "application/x-subrip", CDN + "transcript.srt")
    assert (r.format, r.error) == ("srt", None)
    assert who(r.segments) == ["Priya", "Priya", "Priya", "Tomasz", "Tomasz", "Priya", "Tomasz"]
    assert r.segments[0].text == "Welcome to Inference Time, the show about shipping models."
    assert r.segments[2].text == "My guest built the serving stack at a mid-sized AI startup."  # <i> stripped
    assert r.segments[3].text == "Hi Priya, glad to be on. It's been a wild year for latency."  # {\an8} stripped
    assert "letter O" not in texts(r.segments)
    assert len(r.warnings) == 1 and "skipped 1 cue" in r.warnings[0] and "00:00:14,32O" in r.warnings[0]
    assert (r.segments[4].start, r.segments[4].end) == (17.0, 21.64)


def test_srt_generic_speaker_labels_and_labels_that_are_not_speakers() -> None:
    data = (
        b"1\n00:00:00,000 --> 00:00:03,000\nSPEAKER 1: So what's the plan?\n\n"
        b"2\n00:00:03,000 --> 00:00:06,000\nSPEAKER_02: Ship it on Friday.\n\n"
        b"3\n00:00:06,000 --> 00:00:09,000\nNote: nobody ships on Friday.\n\n"
        b"4\n00:00:09,000 --> 00:00:12,000\nhere's the thing: it's already merged.\n\n"
        b"5\n00:00:12,000 --> 00:00:15,000\nOkay then, one more line\nMaria: and this is mid-cue, seen once.\n"
    )
    r = parse_transcript(data, "application/srt")
    assert who(r.segments) == ["SPEAKER 1", "SPEAKER_02", "SPEAKER_02", "SPEAKER_02", "SPEAKER_02"]
    assert r.segments[2].text == "Note: nobody ships on Friday."
    assert r.segments[3].text == "here's the thing: it's already merged."
    assert r.segments[4].text == "Okay then, one more line Maria: and this is mid-cue, seen once."


def test_srt_recurring_lower_case_name_is_a_speaker() -> None:
    cues = [("swyx", "So what is the eval story?"), ("alessio", "We have one."), ("swyx", "Tell me more.")]
    data = "\n".join(
        f"{n}\n00:00:0{n},000 --> 00:00:0{n + 1},000\n{name}: {text}\n" for n, (name, text) in enumerate(cues, 1)
    )
    r = parse_transcript(data.encode(), "application/x-subrip")
    # "swyx" recurs, so it is a speaker; "alessio" appears once, lower case: kept as text.
    assert who(r.segments) == ["swyx", "swyx", "swyx"]
    assert r.segments[1].text == "alessio: We have one."


# --------------------------------------------------------------------------- Podcasting 2.0 JSON


def test_json_segments_speaker_on_change_and_word_level_bodies() -> None:
    r = parse_transcript(fixture("transcript_segments.json"), "application/json", CDN + "transcript.json")
    assert (r.format, r.error) == ("json", None)
    assert who(r.segments) == ["Jordan Reyes", "Jordan Reyes"] + ["Alex Kim"] * 4 + ["Jordan Reyes"] * 2
    assert r.segments[1].text == "Today: what the new licence terms actually let you do with fine-tuned checkpoints."
    assert [s.text for s in r.segments[2:5]] == ["And", "I'm", "Alex."]
    assert r.segments[-1].end is None  # endTime is optional
    assert "no usable start time" not in texts(r.segments)
    assert r.warnings == ["skipped 1 JSON segment(s) without a readable startTime"]
    assert turns(r.segments)[1].text.startswith("And I'm Alex. The short answer is")


def test_json_that_is_not_a_transcript() -> None:
    chapters = b'{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}]}'
    r = parse_transcript(chapters, "application/json+chapters", CDN + "chapters.json")
    assert r.format == "json" and r.segments == []
    assert r.error is not None and "not a Podcasting 2.0 transcript" in r.error and "chapters.json" in r.error


def test_invalid_json_declared_as_json() -> None:
    r = parse_transcript(b'{"version": "1.0.0", "segments": [', "application/json", CDN + "broken.json")
    assert r.format == "json" and r.error is not None and r.error.startswith("invalid JSON")


# --------------------------------------------------------------------------- HTML


def test_html_cite_time_paragraph_layout() -> None:
    r = parse_transcript(fixture("transcript_cited.html"), "text/html; charset=utf-8", CDN + "transcript.html")
    assert (r.format, r.error, r.warnings) == ("html", None, [])
    assert who(r.segments) == ["Kevin", "Alban", "Kevin", "Alban"]  # "Alban :" tidied
    assert [s.start for s in r.segments] == [0.0, 9.0, 17.0, 3723.0]
    assert [s.end for s in r.segments] == [9.0, 17.0, 3723.0, None]
    assert r.segments[1].text.endswith("listening right now. Walk me through what happened.")  # two <p>, one turn
    assert "idempotent on paper & not in practice" in r.segments[2].text
    assert "Agents in production" not in texts(r.segments)  # <title>
    assert "font-weight" not in texts(r.segments)


def test_hostile_html_leaks_no_script_handler_or_hidden_text() -> None:
    r = parse_transcript(fixture("transcript_hostile.html"), "text/html")
    assert r.error is None
    assert who(r.segments) == ["Rosa", "Sam"]
    assert r.segments[0].text == "Welcome to Model Risk, a show about failure modes."
    assert r.segments[1].text == "Thanks Rosa. Prompt injection is mostly a data-flow problem."
    everything = texts(r.segments) + " ".join(s.speaker or "" for s in r.segments)
    for leak in ("alert", "steal", "evil", "cookie", "javascript", "comment text", "Fake", "template text"):
        assert leak not in everything
    for leak in ("svg text", "iframe fallback", "enable JavaScript", "ignored alt", "background"):
        assert leak not in everything


def test_generic_page_with_turns_in_paragraphs() -> None:
    r = parse_transcript(fixture("transcript_page.html"), "text/html", "https://scalinglaws.example/ep31")
    assert (r.format, r.error, r.warnings) == ("html", None, [])
    assert who(r.segments) == ["Hannah Lee", "Ravi Patel", "Hannah Lee", "Ravi Patel"]
    assert [s.start for s in r.segments] == [5.0, 12.0, 100.0, 104.0]
    assert r.segments[1].text.endswith("Back then we called it model compression, and nobody wanted to fund it.")
    joined = texts(r.segments)
    assert "fossil fuel" not in joined and "September 3" not in joined  # quote with <cite>, date in <time>
    assert "All rights reserved" not in joined  # <footer>


def test_html_cites_without_times_start_where_the_last_time_was() -> None:
    page = b"<body><cite>Lena:</cite><p>Hello and welcome.</p><cite>Omar:</cite><p>Thanks, Lena.</p></body>"
    r = parse_transcript(page, "text/html")
    assert [(s.speaker, s.start, s.text) for s in r.segments] == [
        ("Lena", 0.0, "Hello and welcome."),
        ("Omar", 0.0, "Thanks, Lena."),
    ]
    assert r.warnings and "without a <time>" in r.warnings[0]


# --------------------------------------------------------------------------- detection


def test_content_wins_over_the_declared_type() -> None:
    r = parse_transcript(fixture("transcript_voices.vtt"), "application/json", CDN + "transcript.json")
    assert r.format == "vtt" and r.error is None
    assert r.warnings == ["declared as json but the content is vtt"]


def test_vtt_served_as_text_plain_is_not_worth_a_warning() -> None:
    r = parse_transcript(fixture("transcript_voices.vtt"), "text/plain", CDN + "transcript")
    assert (r.format, r.warnings) == ("vtt", [])


@pytest.mark.parametrize(
    ("content_type", "url", "expected"),
    [
        (None, None, "srt"),  # comma in the first timing line
        ("application/octet-stream", CDN + "captions.srt", "srt"),
        ("text/vtt", None, "vtt"),  # headerless VTT with comma decimals: the declaration settles it
    ],
)
def test_headerless_cues_are_detected_without_a_usable_type(
    content_type: str | None, url: str | None, expected: str
) -> None:
    data = b"1\n00:00:00,000 --> 00:00:02,500\nCarla: Hi.\n\n2\n00:00:02,500 --> 00:00:04,000\nCarla: Bye.\n"
    r = parse_transcript(data, content_type, url)
    assert (r.format, r.warnings, who(r.segments)) == (expected, [], ["Carla", "Carla"])


def test_headerless_cues_with_dots_read_as_vtt() -> None:
    r = parse_transcript(b"00:00:01.000 --> 00:00:02.000\n<v Ana>Hi.\n")
    assert r.format == "vtt" and r.segments[0].speaker == "Ana"


def test_plain_text_transcript_reads_like_show_notes() -> None:
    r = parse_transcript(fixture("transcript_notes_carlini.txt"), "text/plain", CDN + "transcript.txt")
    assert r.format == "text" and r.error is None
    assert {name for name, _ in speakers(r.segments)} == {"Swyx", "Nicholas"}


def test_plain_text_without_any_type_is_tried_last() -> None:
    lines = ["[00:00:01] Ana: Hi there.", "[00:00:04] Ben: Hello Ana.", "[00:00:07] Ana: Shall we?", "[0:09] Ben: Yes."]
    r = parse_transcript("\n".join(lines).encode())
    assert (r.format, r.error) == ("text", None)
    assert who(r.segments) == ["Ana", "Ben", "Ana", "Ben"]


# --------------------------------------------------------------------------- encodings

VTT_TEXT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Zoë>Café “latency” talk – 100 ms.\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + VTT_TEXT.encode(),
        VTT_TEXT.encode("utf-16"),  # BOM, native order
        codecs.BOM_UTF16_LE + VTT_TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + VTT_TEXT.encode("utf-16-be"),
    ],
    ids=["utf8-bom", "utf16", "utf16le-bom", "utf16be-bom"],
)
def test_byte_order_marks(data: bytes) -> None:
    r = parse_transcript(data, "text/vtt")
    assert (r.format, r.warnings) == ("vtt", [])
    assert (r.segments[0].speaker, r.segments[0].text) == ("Zoë", "Café “latency” talk – 100 ms.")


def test_utf16_without_a_bom_is_recognised_with_a_warning() -> None:
    r = parse_transcript(VTT_TEXT.encode("utf-16-le"), "text/vtt")
    assert r.segments[0].text == "Café “latency” talk – 100 ms."
    assert r.warnings and "utf-16-le" in r.warnings[0]


def test_cp1252_fallback_only_when_utf8_fails() -> None:
    r = parse_transcript(VTT_TEXT.encode("cp1252"), "text/vtt; charset=ISO-8859-1")
    assert r.segments[0].text == "Café “latency” talk – 100 ms."  # curly quotes: cp1252, not latin-1
    assert r.warnings == ["not valid UTF-8: decoded as cp1252, some characters may be wrong"]


def test_declared_charset_is_used_when_utf8_fails() -> None:
    data = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ελένη>Καλημέρα σας.\n".encode("iso-8859-7")
    r = parse_transcript(data, "text/vtt; charset=iso-8859-7")
    assert (r.segments[0].speaker, r.segments[0].text, r.warnings) == ("Ελένη", "Καλημέρα σας.", [])


def test_broken_utf16_is_an_error() -> None:
    r = parse_transcript(codecs.BOM_UTF16_LE + b"W\x00E\x00\x00\xd8", "text/vtt", CDN + "t.vtt")
    assert r.format is None and r.error is not None and "undecodable" in r.error and "t.vtt" in r.error


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t", codecs.BOM_UTF8, b"\x00\x00"])
def test_empty_file(data: bytes) -> None:
    r = parse_transcript(data, "text/vtt", CDN + "empty.vtt")
    assert r.format is None and r.segments == []
    assert r.error is not None and r.error.startswith("empty transcript") and "empty.vtt" in r.error


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>", "application/pdf"),
        (b"Thanks for listening! Subscribe wherever you get your podcasts.", None),
        (b"ID3\x04\x00\x00\x00\x00\x00#TSSE\x00\x00\x00\x0f\x00\x00\x03Lavf58.76.100", "audio/mpeg"),
    ],
)
def test_unknown_format_names_the_input(data: bytes, content_type: str | None) -> None:
    r = parse_transcript(data, content_type, CDN + "mystery")
    assert r.format is None and r.segments == []
    assert r.error is not None and r.error.startswith("unknown transcript format") and CDN + "mystery" in r.error


def test_no_input_makes_it_raise() -> None:
    """Every fixture cut short at many points, plus random bytes: always a result, never an exception."""
    rng = random.Random(7)
    samples = [rng.randbytes(rng.randint(1, 400)) for _ in range(50)]
    samples += [b"[" * 5000 + b"]" * 5000, b"{" * 3000, b"<div>" * 3000, b"WEBVTT\n\n" + b"-->" * 5000]
    for path in FIXTURES.glob("transcript_*"):
        data = path.read_bytes()
        samples += [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    for data in samples:
        for content_type in (None, "text/vtt", "application/json", "text/html"):
            assert isinstance(parse_transcript(data, content_type), TranscriptResult)


# --------------------------------------------------------------------------- turns and speakers


def seg(start: float, text: str, end: float | None, speaker: str | None = None) -> TranscriptSegment:
    return TranscriptSegment(start, text, end, speaker)


def test_turns_merge_consecutive_segments_of_one_speaker() -> None:
    segments = [
        seg(0.0, "Welcome back.", 2.0, "Maya"),
        seg(2.0, "Today: evals.", 4.5, "Maya"),
        seg(4.5, "Thanks.", 5.0, "Dan"),
        seg(5.0, "So,", 6.0, "Maya"),
        seg(6.0, "how big is the suite?", 8.0, "Maya"),
    ]
    merged = turns(segments)
    assert [(t.speaker, t.start, t.end, t.text) for t in merged] == [
        ("Maya", 0.0, 4.5, "Welcome back. Today: evals."),
        ("Dan", 4.5, 5.0, "Thanks."),
        ("Maya", 5.0, 8.0, "So, how big is the suite?"),
    ]
    assert segments[0].text == "Welcome back." and segments[0].end == 2.0  # inputs untouched


def test_speakerless_turns_stop_at_gaps_and_at_the_size_cap() -> None:
    sentence = "We reran the whole eval suite on the quantised checkpoint and compared the rubric scores. "  # ~90 chars
    segments = [seg(i * 4.0, sentence.strip(), i * 4.0 + 4.0) for i in range(40)]
    segments.append(seg(200.0, "After a long pause, a new passage.", 203.0))
    merged = turns(segments)
    assert all(len(t.text) <= 1500 for t in merged)
    assert len(merged) == 4  # 40 x ~90 chars in passages of at most 1,500, then the pause
    assert merged[0].start == 0.0 and merged[0].end == merged[1].start
    assert merged[-1].text == "After a long pause, a new passage." and merged[-1].start == 200.0
    assert sum(t.text.count("quantised") for t in merged) == 40


def test_speakerless_segments_do_not_join_a_named_turn() -> None:
    merged = turns([seg(0.0, "Hi.", 1.0, "Ana"), seg(1.0, "[music]", 2.0), seg(2.0, "Back.", 3.0, "Ana")])
    assert who(merged) == ["Ana", None, "Ana"]


def test_speakers_count_turns_most_first() -> None:
    r = parse_transcript(fixture("transcript_prefixes.srt"), "application/x-subrip")
    assert speakers(r.segments) == [("Priya", 2), ("Tomasz", 2)]
    assert speakers([seg(0, "a", 1, "B"), seg(1, "b", 2, "A"), seg(2, "c", 3, "A"), seg(3, "d", 4, "B")]) == [
        ("B", 2),
        ("A", 1),
    ]
    assert speakers([seg(0, "no names here", 1)]) == []


# --------------------------------------------------------------------------- show notes


def test_latent_space_notes_turns_chapters_and_footer() -> None:
    notes = fixture("transcript_notes_latentspace.txt").decode()
    segments = transcript_from_notes(notes)
    assert speakers(segments) == [("Nyla Worker", 4), ("Alessio", 2), ("swyx", 2), ("AI Charlie", 1)]
    joined = texts(segments)
    # Chapter lines, in the list and repeated inside the transcript, are not speech.
    assert "Intro from Suno" not in joined and "Nyla's path from Astrophysics" not in joined
    # Neither is the page after the transcript: the Substack footer and the next episode.
    assert "Get full access" not in joined and "Nicholas Carlini" not in joined
    first = segments[0]
    assert (first.start, first.end, first.speaker) == (29.0, 34.0, "AI Charlie")
    assert first.text == "Happy September. This is your AI co host, Charlie."
    # A long timed line without a name is kept, with no speaker rather than a guessed one.
    unnamed = next(s for s in segments if s.speaker is None)
    assert unnamed.start == 191.0 and unnamed.text.startswith("Hey, and today we are in the remote studio")
    swyx = next(s for s in segments if s.speaker == "swyx")
    assert (swyx.start, swyx.end) == (197.0, 202.0)
    assert segments[-1].text == "Okay. Take care. See you." and segments[-1].end is None


def test_name_first_notes_with_and_without_known_speakers() -> None:
    notes = fixture("transcript_notes_carlini.txt").decode()
    plain = transcript_from_notes(notes)
    # Alessio speaks once in this excerpt: not provably a speaker, but his words are kept.
    assert plain[0].speaker is None and plain[0].text.startswith("Alessio: Hey everyone, welcome")
    assert who(plain[1:4]) == ["Swyx", "Nicholas", "Swyx"]
    known = transcript_from_notes(notes, {"Alessio", "swyx"})
    assert who(known[:4]) == ["Alessio", "swyx", "Nicholas", "swyx"]  # known spelling wins
    assert [s.start for s in known] == [0.0, 12.0, 41.0, 74.0, 83.0, 104.0, 105.0]
    assert "Introductions" not in texts(known) and "Game of Life" not in texts(known)


def test_speaker_turns_told_from_chapter_lines() -> None:
    notes = "\n".join(
        [
            "[00:00:00] Intro and welcome",
            "[00:00:05] Maya: Welcome to Gradient Notes.",
            "[00:00:09] Daniel: Glad to be here.",
            "[00:03:17] Evals: why they are the new unit tests",
            "[00:03:17] Maya: So why evals?",
            "[00:03:20] Daniel: Because tests alone do not catch regressions in behaviour.",
            "[00:09:00] Scaling: what comes next",
        ]
    )
    segments = transcript_from_notes(notes)
    expected = [(5.0, "Maya"), (9.0, "Daniel"), (197.0, "Maya"), (200.0, "Daniel")]
    assert [(s.start, s.speaker) for s in segments] == expected
    assert "Evals" not in texts(segments) and "Scaling" not in texts(segments)
    assert transcript_from_notes(notes, {"Evals"})[2].speaker == "Evals"  # told it is a name, it is one


def test_name_on_its_own_line_followed_by_paragraphs() -> None:
    notes = """Transcript

Maya Chen 00:00:05
Welcome to Gradient Notes. Today we are talking about evals.

And yes, that includes the boring ones.

Daniel Okafor 00:01:10
Thanks Maya. We met at 10:30
and started arguing about rubrics immediately.

Maya Chen (00:02:00): Fair enough.
Daniel Okafor [00:02:04]: It was a good argument.
"""
    segments = transcript_from_notes(notes)
    assert [(s.speaker, s.start, s.end) for s in segments] == [
        ("Maya Chen", 5.0, 70.0),
        ("Daniel Okafor", 70.0, 120.0),
        ("Maya Chen", 120.0, 124.0),
        ("Daniel Okafor", 124.0, None),
    ]
    assert segments[0].text.endswith("evals. And yes, that includes the boring ones.")
    assert segments[1].text == "Thanks Maya. We met at 10:30 and started arguing about rubrics immediately."


def test_notes_without_a_transcript() -> None:
    chapters_only = "Timestamps\n* [00:00:00] Introductions\n* [00:01:14] Why Nicholas writes\n"
    assert transcript_from_notes(chapters_only) == []
    assert transcript_from_notes("") == []
