"""Records to and from the JSON blobs the store keeps beside its indexed columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from highsignal.records import (
    Chapter,
    Enclosure,
    FeedMeta,
    Funding,
    Item,
    Person,
    Soundbite,
    TranscriptRef,
    TranscriptSegment,
)


def dumps(obj: object) -> bytes:
    return orjson.dumps(obj)


def _dt(v: Any) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def _enc(v: dict | None) -> Enclosure | None:
    return Enclosure(**v) if v else None


def item_from_json(raw: bytes | str) -> Item:
    d = orjson.loads(raw)
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
        summary=d.get("summary"),
        html=d.get("html"),
        text=d.get("text") or "",
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
