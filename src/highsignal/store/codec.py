"""Records to and from the JSON blobs the store keeps beside its indexed columns."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import orjson

from highsignal.records import (
    Assessment,
    Chapter,
    Enclosure,
    FeedMeta,
    Funding,
    Item,
    Person,
    Signal,
    Soundbite,
    TranscriptRef,
    TranscriptSegment,
)


def dumps(obj: object) -> bytes:
    return orjson.dumps(obj)


def loads(raw: bytes | str) -> Any:
    return orjson.loads(raw)


def assessment_blob(a: Assessment) -> bytes:
    return orjson.dumps(a)


def assessment_from_json(raw: bytes | str) -> Assessment:
    d = orjson.loads(raw)
    d["signals"] = [Signal(**s) for s in d.get("signals") or []]
    known = Assessment.__dataclass_fields__
    return Assessment(**{k: v for k, v in d.items() if k in known})


def _dt(v: Any) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def _enc(v: dict | None) -> Enclosure | None:
    return Enclosure(**v) if v else None


def item_blob(item: Item, summary_len: int | None = None) -> bytes:
    """The item's fields that have no column of their own.

    ``html``, ``text`` and ``summary`` live in columns; a summary that is just
    the start of the text is kept as its length.
    """
    return orjson.dumps(dataclasses.replace(item, html=None, text="", summary=summary_len))


def item_from_json(raw: bytes | str, text: str = "", summary: str | None = None) -> Item:
    d = orjson.loads(raw)
    stored_summary = d.get("summary")
    if summary is None and isinstance(stored_summary, int):
        summary = text[:stored_summary] or None
    return Item(
        key=d["key"],
        guid=d.get("guid"),
        title=d.get("title"),
        url=d.get("url"),
        authors=d.get("authors") or [],
        published=_dt(d.get("published")),
        published_raw=d.get("published_raw"),
        updated=_dt(d.get("updated")),
        updated_raw=d.get("updated_raw"),
        summary=summary,
        html=d.get("html"),
        text=text,
        enclosure=_enc(d.get("enclosure")),
        media=[Enclosure(**m) for m in d.get("media") or []],
        duration=d.get("duration"),
        image=d.get("image"),
        episode=d.get("episode"),
        season=d.get("season"),
        episode_type=d.get("episode_type"),
        explicit=d.get("explicit"),
        categories=d.get("categories") or [],
        chapters_url=d.get("chapters_url"),
        chapters=[Chapter(**c) for c in d.get("chapters") or []],
        transcripts=[TranscriptRef(**t) for t in d.get("transcripts") or []],
        transcript=[TranscriptSegment(**t) for t in d.get("transcript") or []],
        persons=[Person(**p) for p in d.get("persons") or []],
        soundbites=[Soundbite(**s) for s in d.get("soundbites") or []],
        txt=d.get("txt") or [],
        links=d.get("links") or [],
        content_hash=d.get("content_hash") or "",
    )


def meta_from_json(raw: bytes | str | None) -> FeedMeta | None:
    if not raw:
        return None
    d = orjson.loads(raw)
    d["persons"] = [Person(**p) for p in d.get("persons") or []]
    d["funding"] = [Funding(**f) for f in d.get("funding") or []]
    known = FeedMeta.__dataclass_fields__
    return FeedMeta(**{k: v for k, v in d.items() if k in known})
