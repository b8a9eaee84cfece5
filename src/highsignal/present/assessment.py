"""An assessment as JSON (the ``assess --format json`` contract) and for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from ..assess import RULE_NAMES
from ..records import Assessment, Item

BAR_WIDTH = 20
GRADE_STYLE = {"high": "bold green", "medium": "bold yellow", "low": "bold red"}


def item_id(item: Item) -> str:
    """The item's feed id (Atom ``<id>``, RSS ``<guid>``) when it has one, else its URL or key."""
    return item.guid or item.url or item.key


def assessment_json(item: Item, a: Assessment, *, stored_id: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item_id(item),
        "url": item.url,
        "title": item.title,
        "score": a.score,
        "grade": a.grade,
        "flags": dict(a.flags),
        "signals": [
            {
                "rule": s.rule,
                "polarity": s.polarity,
                "weight": s.weight,
                "evidence": s.evidence,
                "message": s.message,
                "signal": s.id,
                "start": s.start,
                "end": s.end,
                "url": s.url,
            }
            for s in a.signals
        ],
        "kind": a.item_kind,
        "base": a.base,
        "rubric_version": a.rubric_version,
        "notes": list(a.notes),
    }
    if stored_id is not None:
        out["item_id"] = stored_id
    if a.judge:
        out["judge"] = a.judge
    return out


def score_bar(score: int, width: int = BAR_WIDTH) -> str:
    filled = round(score / 100 * width)
    return "█" * filled + "░" * (width - filled)


def print_assessment(console: Console, a: Assessment, *, heading: str | None = None) -> None:
    """Score bar, grade, then the evidence grouped by rule: every point accounted for."""
    style = GRADE_STYLE.get(a.grade, "bold")
    if heading:
        console.print(f"[bold]{escape(heading)}[/bold]")
    console.print(
        f"[{style}]{score_bar(a.score)}[/{style}] [{style}]{a.score:>3} {a.grade}[/{style}]"
        f"  [dim]{a.item_kind} · base {a.base:g} · rubric {escape(a.rubric_version)}[/dim]"
    )
    if a.judge and "heuristic_score" in a.judge:
        j = a.judge
        console.print(
            f"  [dim]heuristic {j['heuristic_score']} ({j['heuristic_grade']}) · "
            f"LLM judge {escape(str(j.get('model')))}: {j.get('grade')}[/dim]"
        )
    if not a.signals:
        console.print("  [dim]no signals: nothing in the item to verify or to doubt[/dim]")
    by_rule: dict[str, list] = {}
    for s in a.signals:
        by_rule.setdefault(s.rule, []).append(s)
    for rule in sorted(by_rule, key=lambda r: int(r[1:])):
        console.print(f"  [bold]{rule} {RULE_NAMES.get(rule, '')}[/bold]")
        for s in by_rule[rule]:
            colour = "green" if s.weight > 0 else "red" if s.weight < 0 else "dim"
            console.print(f"    [{colour}]{s.weight:+4.0f}[/{colour}] {escape(s.message)}")
            evidence = " ".join(s.evidence.split())
            if evidence and evidence != s.url and evidence not in s.message:
                console.print(f"         [dim]“{escape(evidence[:200])}”[/dim]")
            elif s.url and s.url not in s.message:
                console.print(f"         [dim]{escape(s.url)}[/dim]")
    for note in a.notes:
        console.print(f"  [dim]note: {escape(note)}[/dim]")
