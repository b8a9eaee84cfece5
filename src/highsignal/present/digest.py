"""The digest in every format a reader asks for: terminal, Markdown, HTML, JSON and Atom.

All of them render one JSON-shaped dict (``digest_json``), so the formats
cannot drift apart: what the HTML shows is what the JSON says.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

import jinja2
from rich.console import Console
from rich.markup import escape

from ..rank.topics import taxonomy
from ..records import Digest, Factors, LeftOut, Ranked, Story
from .assessment import GRADE_STYLE, score_bar

NOTE = (
    "Scores estimate how much an item lets you verify (weights, code, papers, licences, claims that survive "
    "sanity checks); they are not a truth detector."
)
FORMATS = ("terminal", "markdown", "html", "json", "atom")
EVIDENCE_SHOWN = 3


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _duration(seconds: float | None) -> str | None:
    if not seconds:
        return None
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def factors_json(f: Factors) -> dict[str, Any]:
    return {
        "signal": round(f.signal, 3),
        "focus": f.focus,
        "personal": f.personal,
        "corroboration": f.corroboration,
        "freshness": f.freshness,
        "trusted": f.trusted,
    }


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "independent_sources": story.independent_sources,
        "reasons": list(story.reasons),
        "items": [
            {
                "id": i.item_id,
                "source": i.source,
                "publisher": i.publisher,
                "title": i.title,
                "url": i.url,
                "published": _iso(i.published),
            }
            for i in story.items
        ],
        # The template lists a story's other sources; the same data, named for it.
        "sources": [{"source": i.source, "title": i.title, "url": i.url} for i in story.items],
    }


def entry_json(rank: int, r: Ranked) -> dict[str, Any]:
    item = r.stored.item
    tax = taxonomy()
    evidence = []
    if r.assessment is not None:
        strongest = sorted(r.assessment.signals, key=lambda s: -abs(s.weight))[:EVIDENCE_SHOWN]
        evidence = [
            {
                "rule": s.rule,
                "signal": s.id,
                "polarity": s.polarity,
                "weight": s.weight,
                "message": s.message,
                "evidence": s.evidence or s.url,
            }
            for s in strongest
        ]
    return {
        "rank": rank,
        "id": r.stored.id,
        "title": item.title,
        "url": item.url,
        "source": r.stored.source_title,
        "published": _iso(item.published or r.stored.first_seen),
        "score": r.assessment.score if r.assessment else None,
        "grade": r.assessment.grade if r.assessment else None,
        "rank_score": r.rank_score,
        "factors": factors_json(r.factors),
        "evidence": evidence,
        "topics": [{"id": t, "label": tax.label(t), "strength": s} for t, s in r.topics],
        "why": r.why,
        "story": story_json(r.story) if r.story else None,
        "corroborating": list(r.corroborating),
        "personal_terms": [{"term": t, "weight": w} for t, w in r.personal_terms],
        "duration": _duration(item.duration),
    }


def left_out_json(lo: LeftOut, source_titles: dict[int, str]) -> dict[str, Any]:
    c = lo.candidate
    return {
        "id": c.item_id,
        "title": c.title,
        "url": c.url,
        "source": source_titles.get(c.source_id),
        "reason": lo.reason,
        "rank_score": lo.rank_score,
    }


def _reason_kind(reason: str) -> str:
    return reason.split(":", 1)[0].split(" as #", 1)[0]


def digest_json(digest: Digest, source_titles: dict[int, str], *, left_out: int = 10) -> dict[str, Any]:
    """The digest as one JSON object; ``left_out`` caps the listed left-out items (all are counted)."""
    tax = taxonomy()
    entries = digest.must_read + digest.worth_a_look
    ranks = {id(r): i for i, r in enumerate(entries, 1)}
    # The best of what was left out is what a reader might miss: list those, not the dregs.
    listed = sorted(digest.left_out, key=lambda lo: -lo.rank_score)
    notable = [lo for lo in listed if lo.reason != "below the cut"][: left_out // 2]
    notable += [lo for lo in listed if lo not in notable][: left_out - len(notable)]
    return {
        "title": "highsignal digest",
        "generated": _iso(digest.generated),
        "since": _iso(digest.since),
        "mode": digest.mode,
        "focus": {
            "deep": list(digest.deep),
            "ignore": list(digest.ignore),
            "labels": {t: tax.label(t) for t in [*digest.deep, *digest.ignore]},
        },
        "counts": {"considered": digest.considered, "shown": len(entries), "left_out": len(digest.left_out)},
        "note": NOTE,
        "sections": [
            {
                "id": "must_read",
                "title": "Must read",
                "entries": [entry_json(ranks[id(r)], r) for r in digest.must_read],
            },
            {
                "id": "worth_a_look",
                "title": "Worth a look",
                "entries": [entry_json(ranks[id(r)], r) for r in digest.worth_a_look],
            },
        ],
        "items": [entry_json(i, r) for i, r in enumerate(entries, 1)],
        "left_out": [left_out_json(lo, source_titles) for lo in notable],
        "left_out_reasons": dict(Counter(_reason_kind(lo.reason) for lo in digest.left_out).most_common()),
    }


# -- HTML ---------------------------------------------------------------------

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("highsignal.present", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def to_html(data: dict[str, Any]) -> str:
    """One self-contained page: inline styles, no scripts or requests beyond the items' own links."""
    return _ENV.get_template("digest.html.j2").render(digest=data)


# -- Markdown -----------------------------------------------------------------


def _md(text: str | None) -> str:
    """Text made inert in Markdown: no accidental links, emphasis or HTML from feed content."""
    if not text:
        return ""
    out = " ".join(text.split())
    for ch in "\\`*_{}[]<>#|!":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_link(title: str | None, url: str | None) -> str:
    label = _md(title) or "(untitled)"
    if url and url.startswith(("https://", "http://")):
        return f"[{label}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
    return label


def to_markdown(data: dict[str, Any]) -> str:
    lines = [f"# {data['title']}", ""]
    window = f"since {data['since'][:10]}" if data["since"] else "all time"
    c = data["counts"]
    lines.append(
        f"_{data['generated'][:16].replace('T', ' ')} · {window} · {data['mode']} mode · "
        f"{c['shown']} shown of {c['considered']} considered_"
    )
    if data["focus"]["deep"]:
        lines.append("")
        lines.append("Deep: " + ", ".join(data["focus"]["labels"][t] for t in data["focus"]["deep"]))
    for section in data["sections"]:
        lines += ["", f"## {section['title']}", ""]
        if not section["entries"]:
            lines.append("Nothing in this window.")
        for e in section["entries"]:
            lines.append(f"{e['rank']}. **{_md_link(e['title'], e['url'])}**  ")
            meta = [_md(e["source"]), (e["published"] or "")[:10], e["duration"]]
            score = f"score {e['score']} ({e['grade']})" if e["score"] is not None else "not scored"
            lines.append(f"   {' · '.join(m for m in meta if m)} · {score} · rank {e['rank_score']:.2f}  ")
            if e["topics"]:
                lines.append("   topics: " + ", ".join(t["label"] for t in e["topics"]) + "  ")
            if e["why"]:
                lines.append(f"   why: {_md(e['why'])}  ")
            for ev in e["evidence"]:
                lines.append(f"   - {'+' if ev['polarity'] == '+' else '−'} {ev['rule']}: {_md(ev['message'])}")
            if e["story"]:
                s = e["story"]
                lines.append(f"   - story: {s['independent_sources']} independent source(s)")
                for i in s["sources"]:
                    if i["url"] != e["url"] or i["title"] != e["title"]:
                        lines.append(f"     - {_md(i['source'])}: {_md_link(i['title'], i['url'])}")
    lines += ["", "## Left out", ""]
    if data["left_out_reasons"]:
        lines.append(", ".join(f"{reason}: {n}" for reason, n in data["left_out_reasons"].items()))
        lines.append("")
    for lo in data["left_out"]:
        lines.append(f"- {_md_link(lo['title'], lo['url'])} ({_md(lo['source'])}): {_md(lo['reason'])}")
    lines += ["", f"_{data['note']}_", ""]
    return "\n".join(lines)


# -- Atom ---------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def to_atom(data: dict[str, Any], *, feed_id: str = "urn:highsignal:digest", self_url: str | None = None) -> str:
    """An Atom 1.0 feed of the shown items, best first, that any feed reader can subscribe to."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = data["title"]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = data["generated"]
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "highsignal"
    ET.SubElement(feed, f"{{{ATOM}}}generator", uri="https://github.com/highsignal/highsignal").text = "highsignal"
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    for e in data["items"]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:highsignal:item:{e['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e["title"] or "(untitled)"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e["published"] or data["generated"]
        if e["url"] and e["url"].startswith(("https://", "http://")):
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=e["url"])
        if e["source"]:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = e["source"]
        for t in e["topics"]:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=t["id"], label=t["label"])
        lines = [f"Score {e['score']} ({e['grade']}), rank {e['rank_score']:.2f}." if e["score"] is not None else ""]
        if e["why"]:
            lines.append(f"Why: {e['why']}.")
        lines += [f"{'+' if ev['polarity'] == '+' else '−'} {ev['rule']}: {ev['message']}" for ev in e["evidence"]]
        if e["story"]:
            lines.append(f"Story: {e['story']['independent_sources']} independent source(s).")
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = "\n".join(x for x in lines if x)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


# -- terminal -----------------------------------------------------------------


def print_digest(console: Console, data: dict[str, Any], *, explain: bool = False) -> None:
    window = f"since {data['since'][:10]}" if data["since"] else "all time"
    c = data["counts"]
    console.print(
        f"[bold]highsignal digest[/bold]  [dim]{window} · {data['mode']} mode · "
        f"{c['shown']} shown of {c['considered']} considered[/dim]"
    )
    if data["focus"]["deep"] or data["focus"]["ignore"]:
        labels = data["focus"]["labels"]
        parts = []
        if data["focus"]["deep"]:
            parts.append("deep: " + ", ".join(labels[t] for t in data["focus"]["deep"]))
        if data["focus"]["ignore"]:
            parts.append("ignoring: " + ", ".join(labels[t] for t in data["focus"]["ignore"]))
        console.print(f"[dim]{escape(' · '.join(parts))}[/dim]")
    for section in data["sections"]:
        console.print()
        console.print(f"[bold underline]{section['title']}[/bold underline]")
        if not section["entries"]:
            console.print("  [dim]Nothing in this window.[/dim]")
        for e in section["entries"]:
            _print_entry(console, e, explain=explain)
    if data["left_out"] or data["left_out_reasons"]:
        console.print()
        console.print("[bold underline]Left out[/bold underline]")
        if data["left_out_reasons"]:
            console.print(
                "  [dim]" + escape(", ".join(f"{r}: {n}" for r, n in data["left_out_reasons"].items())) + "[/dim]"
            )
        for lo in data["left_out"]:
            console.print(f"  · {escape(lo['title'] or '(untitled)')} [dim]({escape(lo['reason'])})[/dim]")
    console.print()
    console.print(f"[dim]{escape(data['note'])}[/dim]")


def _print_entry(console: Console, e: dict[str, Any], *, explain: bool) -> None:
    console.print()
    console.print(f"[bold]{e['rank']:>2}. {escape(e['title'] or '(untitled)')}[/bold]")
    meta = [e["source"] or "", (e["published"] or "")[:10], e["duration"] or "", f"#{e['id']}"]
    console.print("    [dim]" + escape(" · ".join(m for m in meta if m)) + "[/dim]")
    if e["score"] is not None:
        style = GRADE_STYLE.get(e["grade"], "bold")
        console.print(
            f"    [{style}]{score_bar(e['score'], 12)} {e['score']:>3} {e['grade']}[/{style}]"
            f"  [dim]rank {e['rank_score']:.2f}[/dim]"
        )
    if e["topics"]:
        console.print("    [cyan]" + escape(", ".join(t["label"] for t in e["topics"])) + "[/cyan]")
    if e["why"]:
        console.print(f"    [italic]{escape(e['why'])}[/italic]")
    for ev in e["evidence"]:
        colour = "green" if ev["polarity"] == "+" else "red"
        mark = "+" if ev["polarity"] == "+" else "−"
        console.print(f"    [{colour}]{mark}[/{colour}] [dim]{ev['rule']}[/dim] {escape(ev['message'])}")
    if e["story"]:
        s = e["story"]
        others = [i for i in s["items"] if i["id"] != e["id"]]
        console.print(f"    [magenta]story: {s['independent_sources']} independent source(s)[/magenta]")
        for i in others[:4]:
            console.print(f"      [dim]{escape(i['source'] or '?')}: {escape(i['title'] or '')}[/dim]")
    if e["url"]:
        console.print(f"    [dim]{escape(e['url'])}[/dim]")
    if explain:
        f = e["factors"]
        parts = [f"signal {f['signal']:.2f}", f"focus {f['focus']:.2f}"]
        parts.append(f"personal {f['personal']:.2f}" if f["personal"] is not None else "personal n/a")
        parts += [f"corroboration {f['corroboration']:.2f}", f"freshness {f['freshness']:.2f}"]
        if f["trusted"]:
            parts.append("trusted source")
        console.print("    [dim]factors: " + " · ".join(parts) + "[/dim]")
        if e["personal_terms"]:
            terms = ", ".join(f"{t['term']} {t['weight']:+.2f}" for t in e["personal_terms"])
            console.print(f"    [dim]personal terms: {escape(terms)}[/dim]")
        if e["corroborating"]:
            console.print("    [dim]also pointed at by: " + escape(", ".join(e["corroborating"])) + "[/dim]")


def render(data: dict[str, Any], fmt: str) -> str:
    """The digest as text in one of the file formats."""
    if fmt == "markdown":
        return to_markdown(data)
    if fmt == "html":
        return to_html(data)
    if fmt == "atom":
        return to_atom(data)
    raise ValueError(f"unknown digest format {fmt!r}; formats: {', '.join(FORMATS)}")
