"""Helpers for the parse-stage tests: fixture bytes and small feed builders."""

from __future__ import annotations

from pathlib import Path

from highsignal.parse.feeds import parse_feed
from highsignal.records import ParsedFeed

PARSE_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "parse"


def load(name: str) -> bytes:
    """The bytes of one file under ``tests/fixtures/parse``."""
    return (PARSE_FIXTURES / name).read_bytes()


def parse_fixture(name: str, url: str = "") -> ParsedFeed:
    return parse_feed(load(name), url)


def rss(items: str, channel: str = "", ns: str = "", decl: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    """A minimal RSS 2.0 document around ``items`` (markup for one or more ``<item>``)."""
    return (
        f'{decl}\n<rss version="2.0"{ns}><channel><title>Test feed</title>'
        f"<link>https://feed.example.org/</link>{channel}{items}</channel></rss>"
    )
