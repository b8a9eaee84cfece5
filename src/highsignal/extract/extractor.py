"""Put the extract stage together for one item."""

from __future__ import annotations

import re

from ..records import Artefact, Claim, Extraction, Item
from . import claims as _claims
from .artefacts import classify
from .links import normalise, text_links
from .scan import lower_same_length, scan
from .tables import html_tables, markdown_tables
from .tables import scores as table_scores

# Beyond this many characters an item is not scanned further (a transcript can
# run to megabytes); the assessment says so.
MAX_SCAN_CHARS = 100_000

_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
_CODE_HINTS = ("import ", "pip ", "install", "(", "=", "$ ", "curl", "--", "->", "{", "run ")


def scan_text(item: Item) -> str:
    """The text the extractor reads: title, then body, then transcript."""
    parts = [item.title or "", item.text or ""]
    if item.transcript:
        parts.append("\n".join(seg.text for seg in item.transcript))
    return "\n\n".join(p for p in parts if p)


def extract(item: Item, *, max_chars: int = MAX_SCAN_CHARS) -> Extraction:
    """Everything checkable that ``item`` links to or says."""
    full = scan_text(item)
    text = full[:max_chars]
    low = lower_same_length(text)
    mentions = scan(text, low)

    raw_links = list(item.links)
    if item.url:
        raw_links.insert(0, item.url)
    raw_links.extend(text_links(text, [m for m in mentions if m.kind == "host"]))
    if item.enclosure is None and item.chapters_url:
        raw_links.append(item.chapters_url)
    links = normalise(raw_links)

    artefacts: list[Artefact] = []
    seen: set[tuple[str, str]] = set()
    for url in links:
        art = classify(url)
        if art is None:
            continue
        key = (art.kind, (art.ident or art.url).lower())
        if key not in seen:
            seen.add(key)
            artefacts.append(art)

    size_claims = _claims.sizes(text, low)
    benches = [m for m in mentions if m.kind == "bench"]
    found: list[Claim] = []
    found += size_claims
    found += _claims.scores(text, low, benches)
    found += _table_claims(item, text)
    found += _claims.comparisons(text, low, [m for m in mentions if m.kind == "compare"], size_claims)
    found += _claims.ranks(
        text, [m for m in mentions if m.kind == "rank"], [m for m in mentions if m.kind == "leaderboard"]
    )

    return Extraction(
        text=text,
        truncated_from=len(full) if len(full) > max_chars else None,
        links=links,
        artefacts=artefacts,
        mentions=mentions,
        claims=found,
        code_blocks=_code_blocks(item, text),
    )


def _table_claims(item: Item, text: str) -> list[Claim]:
    tables = []
    if "|" in text and "\n" in text:
        tables += markdown_tables(text)
    if item.html and ("<table" in item.html or "<TABLE" in item.html):
        tables += html_tables(item.html)
    out = []
    for table in tables:
        for bench, value, label, raw, row in table_scores(table.rows):
            # Searched from its own row's start: the same value may sit in an earlier row.
            start = text.find(raw, table.starts[row]) if table.starts else -1
            span = (start, start + len(raw)) if start >= 0 else (None, None)
            name = bench.name
            out.append(
                Claim(
                    "score",
                    f"{label}: {name} {raw}".strip(": "),
                    *span,
                    benchmark=name,
                    value=value,
                    target=label or None,
                )
            )
    return out


def _code_blocks(item: Item, text: str) -> int:
    """How many code blocks (HTML ``<pre>`` or Markdown fences) look like real code."""
    blocks: list[str] = []
    html = item.html
    if html and "<pre" in html:
        at = html.find("<pre")
        while at >= 0:
            close = html.find("</pre>", at)
            if close < 0:
                break
            blocks.append(html[at:close])
            at = html.find("<pre", close)
    if "```" in text:
        blocks += _FENCE.findall(text)
    return sum(1 for b in blocks if any(h in b for h in _CODE_HINTS))
