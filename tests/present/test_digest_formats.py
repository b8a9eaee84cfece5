"""Markdown and Atom renderings of the digest: faithful to the data, inert for hostile feed text."""

import json
import re
from pathlib import Path

from lxml import etree

from highsignal.parse.feeds import parse_feed
from highsignal.present.digest import to_atom, to_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "digest.json"


def _data(**change):
    data = json.loads(FIXTURE.read_text())
    data["items"] = [e for s in data["sections"] for e in s["entries"]]
    for e in data["items"]:
        e.setdefault("corroborating", [])
        e.setdefault("personal_terms", [])
    data.update(change)
    return data


def test_markdown_lists_every_entry_in_rank_order():
    data = _data()
    md = to_markdown(data)
    positions = [md.index(f"{e['rank']}. **") for e in data["items"]]
    assert positions == sorted(positions)
    assert "## Must read" in md and "## Worth a look" in md and "## Left out" in md


def test_markdown_neutralises_hostile_titles_and_links():
    data = _data()
    entry = data["items"][0]
    entry["title"] = "<script>alert(1)</script> [click](javascript:alert(1))"
    entry["url"] = "javascript:alert(1)"
    md = to_markdown(data)
    assert "<script>" not in md
    # Escaped brackets render as text; only an unescaped "](" would make a link.
    assert not re.search(r"(?<!\\)\]\(<?javascript:", md)


def test_atom_is_a_feed_of_the_shown_items():
    data = _data()
    data["items"][0]["title"] = "A & B <i>tags</i>"
    xml = to_atom(data)
    etree.fromstring(xml.encode())
    feed = parse_feed(xml.encode(), "file://digest.atom")
    assert feed.items[0].title == "A & B <i>tags</i>"
    assert len(feed.items) == len(data["items"])
    assert all(i.guid.startswith("urn:highsignal:item:") for i in feed.items)
