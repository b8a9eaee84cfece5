"""Transcript passages and fetched attachments: searchable with times, surviving feed updates, cascading."""

from __future__ import annotations

from datetime import timedelta

from highsignal.records import Attachment, Chapter, Enclosure, TranscriptSegment
from highsignal.store import SqliteStore
from tests.store.test_sqlite import T0, make_item, state

SEGMENTS = [
    TranscriptSegment(start=0.0, end=12.5, speaker="swyx", text="Welcome to the Latent Space podcast."),
    TranscriptSegment(start=12.5, end=40.0, speaker="Alessio", text="Today we talk about speculative decoding."),
    TranscriptSegment(start=40.0, end=95.0, speaker="swyx", text="Medusa heads predict several tokens at once."),
]


def _episode(store: SqliteStore) -> tuple[int, int]:
    src, _ = store.add_source("https://pod.example/feed.xml", "podcast")
    item = make_item("ep1", "Speculative decoding", "Show notes.", enclosure=Enclosure("https://cdn.example/ep1.mp3"))
    store.apply_update(state(src.id), None, [item], T0)
    return src.id, store.item_ids(src.id)["ep1"]


def test_passages_are_searchable_with_their_time_and_audio_link(store: SqliteStore) -> None:
    sid, iid = _episode(store)
    store.save_passages(iid, SEGMENTS, "file")
    hits = store.search_passages("medusa tokens")
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.item_id, hit.source_id, hit.start, hit.speaker) == (iid, sid, 40.0, "swyx")
    assert hit.link == "https://cdn.example/ep1.mp3#t=40"
    assert "\x02Medusa\x03" in hit.snippet
    assert store.search_passages("medusa", source_id=sid + 1) == []
    assert store.search_passages('"unbalanced NEAR(') == []  # bad FTS syntax is retried quoted, never raised


def test_passages_survive_a_feed_update_and_are_replaced_not_duplicated(store: SqliteStore) -> None:
    sid, iid = _episode(store)
    store.save_passages(iid, SEGMENTS, "file")
    changed = make_item("ep1", "Speculative decoding (fixed title)", "New notes.")
    store.apply_update(state(sid), None, [changed], T0 + timedelta(hours=1))
    origin, kept = store.passages(iid)
    assert origin == "file" and [s.start for s in kept] == [0.0, 12.5, 40.0]
    store.save_passages(iid, SEGMENTS[:1], "file")
    assert len(store.passages(iid)[1]) == 1
    assert store.search_passages("medusa") == []  # the FTS index followed the replacement
    assert store.passage_origins([iid, 999]) == {iid: "file"}


def test_removing_a_source_takes_its_passages_and_attachments(store: SqliteStore) -> None:
    sid, iid = _episode(store)
    store.save_passages(iid, SEGMENTS, "notes")
    store.save_attachment(Attachment(iid, "chapters", "https://pod.example/ep1.json", T0), [Chapter(0.0, "Intro")])
    store.remove_source(sid)
    assert store.search_passages("medusa") == []
    assert store.attachments(iid) == []
    assert store._db.execute("SELECT count(*) FROM passages").fetchone()[0] == 0


def test_attachment_attempts_count_failures_and_reset_on_success(store: SqliteStore) -> None:
    _, iid = _episode(store)
    url = "https://pod.example/ep1.vtt"
    for _ in range(2):
        store.save_attachment(Attachment(iid, "transcript", url, T0, error="HTTP 500"))
    assert store.attachment_attempts([iid]) == {(iid, "transcript"): (url, 2, False)}
    store.save_attachment(Attachment(iid, "transcript", url, T0, format="vtt"))
    assert store.attachment_attempts([iid]) == {(iid, "transcript"): (url, 1, True)}
    [att] = store.attachments(iid)
    assert (att.kind, att.format, att.error) == ("transcript", "vtt", None)


def test_fetched_chapters_are_kept_and_a_later_failure_does_not_erase_them(store: SqliteStore) -> None:
    _, iid = _episode(store)
    url = "https://pod.example/ep1.json"
    chapters = [Chapter(0.0, "Intro", 60.0), Chapter(60.0, "Medusa", None, "https://arxiv.org/abs/2401.10774")]
    store.save_attachment(Attachment(iid, "chapters", url, T0, format="json"), chapters)
    store.save_attachment(Attachment(iid, "chapters", url, T0, error="timed out"))
    assert store.fetched_chapters(iid) == chapters
