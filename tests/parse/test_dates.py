"""dates.py: feed dates to aware UTC, durations and chapter clocks to seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from highsignal.parse.dates import find_date, parse_clock, parse_date, parse_duration


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # RFC 822 / 2822 as RSS writes them
        ("Sat, 14 Feb 2026 08:00:00 -0500", _utc(2026, 2, 14, 13, 0, 0)),  # Fallthrough feed
        ("Wed, 02 Oct 2002 08:00:00 EST", _utc(2002, 10, 2, 13, 0, 0)),
        ("Wed, 02 Oct 2002 09:00:00 EDT", _utc(2002, 10, 2, 13, 0, 0)),
        ("Wed, 02 Oct 2002 13:00:00 GMT", _utc(2002, 10, 2, 13, 0, 0)),
        ("Wed, 02 Oct 2002 13:00:00 UT", _utc(2002, 10, 2, 13, 0, 0)),
        ("Wed, 02 Oct 2002 15:00:00 +0200", _utc(2002, 10, 2, 13, 0, 0)),
        ("02 Oct 2002 15:00 +0200", _utc(2002, 10, 2, 13, 0, 0)),  # no weekday, no seconds
        ("Wed, 8 Jun 2005 19:00:00 GMT", _utc(2005, 6, 8, 19, 0, 0)),  # one-digit day
        ("Tue, 3 Sep 2024 17:00 PDT", _utc(2024, 9, 4, 0, 0, 0)),  # crosses midnight
        ("Tue, 03 Sept 2024 17:00:00 GMT", _utc(2024, 9, 3, 17, 0, 0)),  # "Sept"
        ("Tue, 03 Sep 2024 17:00:00 +0000 (UTC)", _utc(2024, 9, 3, 17, 0, 0)),  # trailing comment
        ("Wed, 02 Oct 2002 15:00:00", _utc(2002, 10, 2, 15, 0, 0)),  # no zone: taken as UTC
        # ISO 8601 as Atom and JSON Feed write them
        ("2003-12-13T18:30:02Z", _utc(2003, 12, 13, 18, 30, 2)),
        ("2003-12-13T08:29:29-04:00", _utc(2003, 12, 13, 12, 29, 29)),
        ("2025-01-03T08:00:00+01:00", _utc(2025, 1, 3, 7, 0, 0)),
        ("2020-01-04T01:00:00+0100", _utc(2020, 1, 4, 0, 0, 0)),  # offset without colon
        ("2020-05-20T00:01:59+00:00", _utc(2020, 5, 20, 0, 1, 59)),
        ("2023-12-16", _utc(2023, 12, 16)),  # date only (bioRxiv dc:date)
        ("2002-10-02 15:00:00 PST", _utc(2002, 10, 2, 23, 0, 0)),
        ("  2003-12-13T18:30:02Z \n", _utc(2003, 12, 13, 18, 30, 2)),
    ],
)
def test_parse_date_to_aware_utc(raw: str, expected: datetime) -> None:
    got = parse_date(raw)
    assert got == expected
    assert got is not None and got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "garbage",
        "not a date",
        "TBD",
        "N/A",
        "Thu, 32 Jan 2024 10:00:00 GMT",  # day 32
        "2024-13-45",  # month 13
        "1725382800",  # bare epoch seconds are not a feed date
    ],
)
def test_parse_date_garbage_is_none(raw: str | None) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Wed, 02 Oct 2002 15:00:00 CET", _utc(2002, 10, 2, 14, 0, 0)),
        ("Wed, 02 Oct 2002 22:00:00 JST", _utc(2002, 10, 2, 13, 0, 0)),
        ("Wed, 02 Oct 2002 14:00:00 BST", _utc(2002, 10, 2, 13, 0, 0)),
        ("Tuesday, September 3, 2024 5:00 PM", _utc(2024, 9, 3, 17, 0, 0)),
    ],
)
def test_parse_date_zone_names_outside_rfc822(raw: str, expected: datetime) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["Episode 12", "Posted 3 days ago", "v2.1.0", "mardi 3 septembre 2024"])
def test_parse_date_fuzzy_garbage_is_not_invented(raw: str) -> None:
    got = parse_date(raw)
    # The French date (seeds/002) may be read correctly or not at all, never as another day.
    assert got is None or (raw.startswith("mardi") and got.date() == datetime(2024, 9, 3).date())


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("3600", 3600.0),  # plain seconds
        ("424", 424.0),
        ("7:04", 424.0),  # mm:ss (Apple's sample feed)
        ("10:21", 621.0),  # mm:ss (seeds/003 Interconnects)
        ("53:50", 3230.0),
        ("01:05:18", 3918.0),  # hh:mm:ss (seeds/002 Latent Space)
        ("01:36:29", 5789.0),  # CRE207
        ("61:08", 3668.0),  # minutes past 60 in two fields
        ("70:05", 4205.0),
        ("1:02:03.5", 3723.5),
        ("3600.5", 3600.5),
        (" 45:00 \n", 2700.0),
        ("1h 2m", 3720.0),
        ("90 min", 5400.0),
    ],
)
def test_parse_duration(raw: str, seconds: float) -> None:
    assert parse_duration(raw) == seconds


@pytest.mark.parametrize("raw", [None, "", "  ", "0", "00:00", "0:00:00", "abc", "-5", "1:2:3:4", "PT1H"])
def test_parse_duration_unreadable_or_zero_is_none(raw: str | None) -> None:
    assert parse_duration(raw) is None


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("0", 0.0), ("90", 90.0), ("59.12", 59.12), ("01:30", 90.0), ("00:01:29.201", 89.201), ("01:02:03", 3723.0)],
)
def test_parse_clock(raw: str, seconds: float) -> None:
    assert parse_clock(raw) == pytest.approx(seconds)


@pytest.mark.parametrize("raw", [None, "", "intro", "1:xx"])
def test_parse_clock_unreadable_is_none(raw: str | None) -> None:
    assert parse_clock(raw) is None


# --------------------------------------------------------------------------- French, Spanish, German


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mardi 3 septembre 2024", _utc(2024, 9, 3)),  # seeds/002 Latent Space
        ("jeudi 29 août 2024", _utc(2024, 8, 29)),
        ("samedi 27 avril 2024", _utc(2024, 4, 27)),
        ("3 sept. 2024", _utc(2024, 9, 3)),
        ("17 févr. 2025", _utc(2025, 2, 17)),
        ("1er mai 2024", _utc(2024, 5, 1)),  # ordinal "1er"
        ("mar. 3 sept. 2024", _utc(2024, 9, 3)),  # "mar." is mardi when a month follows
        ("lun. 3 mar. 2025", _utc(2025, 3, 3)),  # and March when it is the only month
        ("3 de septiembre de 2024", _utc(2024, 9, 3)),
        ("miércoles, 4 de diciembre de 2024", _utc(2024, 12, 4)),
        ("Di., 3. Sept. 2024", _utc(2024, 9, 3)),
        ("3. März 2024", _utc(2024, 3, 3)),
        ("Sonntag, 1. Dezember 2024", _utc(2024, 12, 1)),
    ],
)
def test_parse_date_french_spanish_german(raw: str, expected: datetime) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("text", "raw", "expected"),
    [
        ("mardi 3 septembre 2024 • Duration 01:05:18", "mardi 3 septembre 2024", _utc(2024, 9, 3)),
        ("lundi 10 juin 2024 • Duration 04:29:19", "lundi 10 juin 2024", _utc(2024, 6, 10)),
        ("Posted Sep 3, 2024 by swyx", "Sep 3, 2024", _utc(2024, 9, 3)),
        ("Tuesday, September 3, 2024 · 45 min", "Tuesday, September 3, 2024", _utc(2024, 9, 3)),
        ("28/07/2025#32 Great Britain - technology", "28/07/2025", _utc(2025, 7, 28)),
        ("updated 2024-09-03T17:00:00Z.", "2024-09-03T17:00:00Z", _utc(2024, 9, 3, 17, 0, 0)),
    ],
)
def test_find_date_inside_a_line(text: str, raw: str, expected: datetime) -> None:
    span = find_date(text)
    assert span is not None
    assert (span.raw, span.value) == (raw, expected)
    assert text[span.start : span.end] == raw


@pytest.mark.parametrize(
    "text", ["Episode 12 was recorded in 2024", "v7.2.0 | © 2007-2025 radio.de GmbH", "Fig 3 2024", "10:21", ""]
)
def test_find_date_needs_a_whole_date(text: str) -> None:
    assert find_date(text) is None
