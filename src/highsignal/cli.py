"""The ``highsignal`` command: a thin layer over ``highsignal.api``.

Exit codes: 0 when everything worked, 1 when some sources failed (they are
listed), 2 for usage errors (bad arguments, unknown source or item, missing
file).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import highsignal
import highsignal.config
from highsignal.api import Library, RefreshReport, SourceResult, assess_document
from highsignal.errors import HighsignalError, SourceError, StorageError
from highsignal.present.assessment import assessment_json, print_assessment, score_bar
from highsignal.records import MATCH_END, MATCH_START, Source, StoredItem

app = typer.Typer(
    name="highsignal",
    help=(
        "Subscribe to AI sources and keep a local, searchable store of everything they publish.\n\n"
        "Start with [bold]highsignal demo[/bold] (offline, bundled samples), then "
        "[bold]highsignal add URL[/bold] and [bold]highsignal refresh[/bold]."
    ),
    rich_markup_mode="rich",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

EXIT_OK, EXIT_SOURCES_FAILED, EXIT_USAGE = 0, 1, 2


class Format(str, Enum):
    table = "table"
    json = "json"


class AssessFormat(str, Enum):
    terminal = "terminal"
    json = "json"


class Judge(str, Enum):
    none = "none"
    llm = "llm"


class _State:
    db: Path | None = None


state = _State()


def _version(value: bool) -> None:
    if value:
        out.print(f"highsignal {highsignal.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="HIGHSIGNAL_DB",
            help="Database file. Default: highsignal.sqlite in your user data directory.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    state.db = db


def _open() -> Library:
    try:
        return highsignal.open(state.db)
    except StorageError as exc:
        _fail(str(exc))
        raise  # unreachable


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    err.print(f"[bold red]error:[/bold red] {escape(message)}")
    raise typer.Exit(code)


_AGO = re.compile(r"^(\d+)\s*([mhdw])$")


def parse_since(value: str | None) -> datetime | None:
    """``7d``, ``12h``, ``30m``, ``2w`` ago, or an ISO date."""
    if value is None:
        return None
    m = _AGO.match(value.strip().lower())
    if m:
        n, unit = int(m.group(1)), m.group(2)
        delta = {
            "m": timedelta(minutes=n),
            "h": timedelta(hours=n),
            "d": timedelta(days=n),
            "w": timedelta(weeks=n),
        }
        return datetime.now(UTC) - delta[unit]
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r}: use a span like 7d, 12h, 2w or a date like 2024-09-01") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _ago(dt: datetime | None) -> str:
    if dt is None:
        return "-"
    delta = datetime.now(UTC) - dt
    secs = delta.total_seconds()
    future = secs < 0
    secs = abs(secs)
    if secs < 90:
        text = f"{int(secs)}s"
    elif secs < 5400:
        text = f"{int(secs // 60)}m"
    elif secs < 172800:
        text = f"{int(secs // 3600)}h"
    else:
        text = f"{int(secs // 86400)}d"
    return f"in {text}" if future else f"{text} ago"


def _duration(seconds: float | None) -> str:
    if not seconds:
        return "-"
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def _json(obj: object) -> None:
    sys.stdout.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode() + "\n")


# -- sources -------------------------------------------------------------------


@app.command()
def add(
    source: Annotated[str, typer.Argument(help="A feed URL, a web page URL, or a local feed/document file.")],
    title: Annotated[str | None, typer.Option(help="Title to show instead of the feed's own.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="What the source is: researcher, lab, vendor, aggregator, media or podcast."),
    ] = None,
    fetch: Annotated[bool, typer.Option("--fetch/--no-fetch", help="Ingest it right away.")] = True,
) -> None:
    """Subscribe to a source and ingest it.

    A web page URL is searched for <link rel="alternate"> feeds; a page without
    one is kept as a single article. Adding a source twice does nothing.
    """
    with _open() as lib:
        try:
            res = lib.add_source(source, title=title, declared_kind=kind, fetch=fetch)
        except HighsignalError as exc:
            _fail(str(exc))
            return
        out.print(escape(res.message))
        if res.created and res.source.last_error:
            raise typer.Exit(EXIT_SOURCES_FAILED)


@app.command(name="import")
def import_(opml_file: Annotated[Path, typer.Argument(help="An OPML subscription list.")]) -> None:
    """Subscribe to every feed in an OPML file (run refresh afterwards)."""
    with _open() as lib:
        try:
            results, errors = lib.import_opml(opml_file)
        except HighsignalError as exc:
            _fail(f"{opml_file}: {exc}")
            return
        added = sum(r.created for r in results)
        out.print(f"imported {added} new source(s); {len(results) - added} already subscribed")
        for e in errors:
            err.print(f"[yellow]skipped:[/yellow] {escape(e)}")
        if added:
            out.print("run [bold]highsignal refresh[/bold] to fetch them")


@app.command()
def export(
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write to a file instead of stdout.")] = None,
) -> None:
    """Write your subscriptions as OPML (highsignal export > subs.opml)."""
    with _open() as lib:
        text = lib.export_opml()
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


def _source_json(s: Source) -> dict:
    return {
        "id": s.id,
        "url": s.url,
        "title": s.title,
        "kind": s.kind,
        "declared_kind": s.declared_kind,
        "items": s.item_count,
        "status": s.status,
        "last_fetch": s.last_fetch,
        "last_status": s.last_status,
        "last_error": s.last_error,
        "error_streak": s.error_streak,
        "next_fetch": s.next_fetch,
    }


@app.command()
def sources(fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """List subscriptions: title, kind, items, last fetch, status, last error, next fetch."""
    with _open() as lib:
        srcs = lib.sources()
    if fmt is Format.json:
        _json([_source_json(s) for s in srcs])
        return
    if not srcs:
        out.print("no sources yet: try [bold]highsignal add URL[/bold] or [bold]highsignal demo[/bold]")
        return
    table = Table(show_lines=False, header_style="bold")
    for col in ("id", "title", "kind", "items", "last fetch", "status", "last error", "next fetch"):
        table.add_column(col, justify="right" if col in ("id", "items") else "left", overflow="fold")
    for s in srcs:
        status_style = {"ok": "green", "error": "red", "gone": "red", "new": "yellow"}[s.status]
        table.add_row(
            str(s.id),
            escape(s.title or s.url),
            s.declared_kind or s.kind,
            str(s.item_count),
            _ago(s.last_fetch),
            f"[{status_style}]{s.status}[/{status_style}]",
            escape((s.last_error or "")[:60]),
            "never (gone)" if s.gone else _ago(s.next_fetch) if s.next_fetch else "now",
        )
    out.print(table)


@app.command()
def remove(source: Annotated[str, typer.Argument(help="Source id, URL or title.")]) -> None:
    """Unsubscribe and delete the source's stored items."""
    with _open() as lib:
        try:
            s = lib.remove_source(source)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    out.print(f"removed {escape(s.title or s.url)} (source {s.id}) and its {s.item_count} item(s)")


# -- refresh -------------------------------------------------------------------


def _run_refresh(lib: Library, targets: list[str] | None, due_only: bool, quiet: bool = False) -> RefreshReport:
    total = len(targets) if targets else len(lib.sources() if not due_only else lib.due_sources())
    counts = {"new": 0, "updated": 0, "errors": 0}
    with Progress(
        TextColumn("[bold]{task.description}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[stats]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    ) as progress:
        task = progress.add_task("refresh", total=total, stats="")

        def on_result(r: SourceResult) -> None:
            counts["new"] += r.new
            counts["updated"] += r.updated
            counts["errors"] += bool(r.error)
            stats = f"{counts['new']} new, {counts['updated']} updated, {counts['errors']} errors"
            progress.update(task, advance=1, stats=stats)

        report = lib.refresh(targets or None, due_only=due_only, progress=on_result, assess=False)
        if report.new_items or report.updated_items:
            progress.remove_task(task)
            atask = progress.add_task("assess", total=None, stats="assessing new items")

            def on_batch(done: int, total: int) -> None:
                progress.update(atask, completed=done, total=total, stats=f"{done} assessed")

            report.assessed = lib.assess_pending(progress=on_batch)
        return report


def _print_report(report: RefreshReport, max_rows: int = 40) -> None:
    rows = [r for r in report.results if r.new or r.updated or r.error or r.warnings]
    if rows:
        table = Table(header_style="bold", title="refresh summary", title_justify="left")
        for col in ("source", "outcome", "new", "updated", "note"):
            table.add_column(col, justify="right" if col in ("new", "updated") else "left", overflow="fold")
        rows.sort(key=lambda r: (not r.error, -(r.new + r.updated)))
        for r in rows[:max_rows]:
            style = "red" if r.error else "green" if r.new or r.updated else ""
            note = r.error or "; ".join(r.warnings)
            table.add_row(
                escape(r.title or r.url),
                f"[{style}]{r.outcome}[/{style}]" if style else r.outcome,
                str(r.new),
                str(r.updated),
                escape(note[:160]),
            )
        out.print(table)
        if len(rows) > max_rows:
            out.print(f"... and {len(rows) - max_rows} more source(s)")
    out.print(
        f"{len(report.results)} source(s) refreshed: {report.new_items} new, {report.updated_items} updated, "
        f"{report.errors} failed"
        + (f", {report.skipped} not due" if report.skipped else "")
        + (f"; {report.assessed} item(s) assessed" if report.assessed else "")
    )
    for r in report.failed:
        err.print(f"[red]failed:[/red] {escape(r.title or r.url)}: {escape(r.error or '')}")


@app.command()
def refresh(
    source: Annotated[list[str] | None, typer.Argument(help="Only these sources (id, URL or title).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Fetch every source, due or not.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Fetch sources that are due, store new and changed items, and summarise.

    Conditional requests (ETag, Last-Modified) make a refresh of unchanged
    feeds cheap; sources that failed back off exponentially.
    """
    with _open() as lib:
        try:
            report = _run_refresh(lib, source, due_only=not all_ and not source, quiet=quiet)
        except HighsignalError as exc:
            _fail(str(exc))
            return
        _print_report(report)
    if report.failed:
        raise typer.Exit(EXIT_SOURCES_FAILED)


# -- items -----------------------------------------------------------------------


def _item_json(si: StoredItem) -> dict:
    it = si.item
    return {
        "id": si.id,
        "guid": it.guid,
        "source": si.source_title,
        "source_id": si.source_id,
        "url": it.url,
        "title": it.title,
        "published": it.published,
        "duration": it.duration,
        "enclosure": (
            {"url": it.enclosure.url, "type": it.enclosure.type, "length": it.enclosure.length}
            if it.enclosure
            else None
        ),
        "chapters": len(it.chapters),
        "chapters_url": it.chapters_url,
        "transcripts": len(it.transcripts) + (1 if it.transcript else 0),
        "links": it.links,
    }


@app.command()
def items(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Source id, URL or title.")] = None,
    since: Annotated[str | None, typer.Option(help="Only items published since: 7d, 12h, 2w, 2024-09-01.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many items.")] = 50,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """List stored items, newest first."""
    since_dt = parse_since(since)
    with _open() as lib:
        try:
            rows = lib.items(source=source, since=since_dt, limit=limit)
        except HighsignalError as exc:
            _fail(str(exc))
            return
        scores = lib.store.scores(r.id for r in rows)
    if fmt is Format.json:
        _json([{**_item_json(r), **_score_json(scores.get(r.id))} for r in rows])
        return
    if not rows:
        out.print("no items match")
        return
    table = Table(header_style="bold")
    for col in ("id", "score", "published", "source", "title", "duration"):
        table.add_column(col, overflow="fold", justify="right" if col in ("id", "score") else "left")
    for r in rows:
        table.add_row(
            str(r.id),
            _score_cell(scores.get(r.id)),
            r.item.published.strftime("%Y-%m-%d") if r.item.published else "-",
            escape((r.source_title or "")[:30]),
            escape(r.item.title or r.item.url or "(untitled)"),
            _duration(r.item.duration),
        )
    out.print(table)


def _score_json(found: tuple[int, str] | None) -> dict:
    return {"score": found[0], "grade": found[1]} if found else {"score": None, "grade": None}


def _score_cell(found: tuple[int, str] | None) -> str:
    if not found:
        return "[dim]-[/dim]"
    style = {"high": "green", "medium": "yellow", "low": "red"}.get(found[1], "")
    return f"[{style}]{found[0]}[/{style}]"


_MARK = re.compile(f"{MATCH_START}(.*?){MATCH_END}", re.S)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", prefix*, OR, NOT, title:word.')],
    source: Annotated[str | None, typer.Option("--source", "-s", help="Source id, URL or title.")] = None,
    since: Annotated[str | None, typer.Option(help="Published since: 7d, 2w, 2024-09-01.")] = None,
    until: Annotated[str | None, typer.Option(help="Published before this date.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Full-text search over titles, summaries and text, best matches first."""
    with _open() as lib:
        try:
            hits = lib.search(query, limit=limit, source=source, since=parse_since(since), until=parse_since(until))
        except HighsignalError as exc:
            _fail(str(exc))
            return
    if fmt is Format.json:
        _json(
            [
                {
                    "id": h.item_id,
                    "source": h.source_title,
                    "title": h.title,
                    "url": h.url,
                    "published": h.published,
                    "score": round(h.score, 4),
                    "snippet": _MARK.sub(r"**\1**", h.snippet),
                }
                for h in hits
            ]
        )
        return
    if not hits:
        out.print(f"no matches for {escape(query)!r}")
        return
    for h in hits:
        date = h.published.strftime("%Y-%m-%d") if h.published else ""
        title = escape(h.title or h.url or "")
        out.print(f"[bold]{h.item_id}[/bold] {title} [dim]{escape(h.source_title or '')} {date}[/dim]")
        snippet = _MARK.sub(lambda m: f"[reverse]{m.group(1)}[/reverse]", escape(h.snippet))
        out.print("    " + snippet.replace("\n", " "))


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="Item id (from items/search), feed guid or URL.")],
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    judge: Annotated[Judge, typer.Option(help="Also ask the LLM judge configured under [judge].")] = Judge.none,
) -> None:
    """Show one item: its assessment with the evidence, then enclosure, chapters, people and links."""
    with _open() as lib:
        try:
            si, assessment = lib.assessment(item)
            if judge is Judge.llm:
                assessment = _apply_judge(lib, [si.item], [assessment])[0]
        except HighsignalError as exc:
            _fail(str(exc))
            return
    it = si.item
    if fmt is Format.json:
        data = _item_json(si)
        data["assessment"] = assessment_json(it, assessment, stored_id=si.id)
        data.update(
            summary=it.summary,
            text=it.text,
            authors=it.authors,
            categories=it.categories,
            chapters=[{"start": c.start, "end": c.end, "title": c.title} for c in it.chapters],
            transcripts=[{"url": t.url, "type": t.type, "language": t.language} for t in it.transcripts],
            persons=[{"name": p.name, "role": p.role, "group": p.group} for p in it.persons],
        )
        _json(data)
        return
    out.print(f"[bold]{escape(it.title or '(untitled)')}[/bold]")
    meta = [si.source_title or "", it.published.strftime("%Y-%m-%d %H:%M UTC") if it.published else ""]
    if it.authors:
        meta.append("by " + ", ".join(it.authors))
    out.print("[dim]" + escape(" · ".join(m for m in meta if m)) + "[/dim]")
    if it.url:
        out.print(escape(it.url))
    out.print()
    print_assessment(out, assessment)
    if it.enclosure:
        size = f", {it.enclosure.length / 1e6:.1f} MB" if it.enclosure.length else ""
        out.print(f"\n[bold]enclosure[/bold] {escape(it.enclosure.url)} ({it.enclosure.type or '?'}{size})")
    if it.duration:
        out.print(f"[bold]duration[/bold] {_duration(it.duration)}")
    if it.episode or it.season or it.episode_type:
        out.print(f"[bold]episode[/bold] {it.episode or '-'} season {it.season or '-'} {it.episode_type or ''}")
    if it.persons:
        out.print("[bold]people[/bold] " + escape(", ".join(f"{p.name} ({p.role})" for p in it.persons)))
    if it.chapters:
        out.print(f"\n[bold]chapters[/bold] ({len(it.chapters)})")
        for c in it.chapters:
            out.print(f"  {_duration(c.start) if c.start else '0:00'}  {escape(c.title)}")
    elif it.chapters_url:
        out.print(f"[bold]chapters[/bold] {escape(it.chapters_url)}")
    if it.transcripts or it.transcript:
        out.print(f"\n[bold]transcripts[/bold] ({len(it.transcripts)} linked, {len(it.transcript)} turns stored)")
        for t in it.transcripts:
            out.print(f"  {escape(t.type or '?')} {escape(t.language or '')} {escape(t.url)}")
    else:
        out.print("\n[bold]transcripts[/bold] none")
    if it.summary:
        out.print("\n" + escape(it.summary[:800]))
    if it.links:
        out.print(f"\n[bold]links[/bold] ({len(it.links)})")
        for link in it.links[:40]:
            out.print("  " + escape(link))
        if len(it.links) > 40:
            out.print(f"  ... and {len(it.links) - 40} more")


# -- assessment ------------------------------------------------------------------


def _judge_settings(lib: Library):
    from highsignal.config import judge_settings

    settings = judge_settings(lib.config)
    if settings is None:
        _fail(
            "--judge llm needs an endpoint: set base_url and model under [judge] in "
            f"{highsignal.config.config_path()} or HIGHSIGNAL_LLM_BASE_URL and HIGHSIGNAL_LLM_MODEL"
        )
    return settings


def _apply_judge(lib: Library, items: list, assessments: list) -> list:
    """Combine each assessment with the judge's opinion; failures are warnings, the heuristic stands."""
    from highsignal.assess.judge import JudgeError, combine, judge_items

    settings = _judge_settings(lib)
    store = lib.store
    cache = (store.judgement, lambda h, v, m, d: store.save_judgement(h, v, m, d, datetime.now(UTC)))
    answers = judge_items(items, settings, lib.rubric, cache=cache)
    out, failures = [], 0
    for item, a, answer in zip(items, assessments, answers, strict=True):
        if isinstance(answer, JudgeError):
            failures += 1
            if failures <= 3:
                err.print(f"[yellow]warning:[/yellow] {escape(str(answer))} ({escape(item.title or item.key)})")
            out.append(a)
        else:
            out.append(combine(a, answer, lib.rubric))
    if failures > 3:
        err.print(f"[yellow]warning:[/yellow] the judge failed on {failures} items; their heuristic assessment stands")
    return out


@app.command()
def assess(
    ref: Annotated[str, typer.Argument(help="A feed or page URL, a file, or - for standard input.")],
    fmt: Annotated[AssessFormat, typer.Option("--format", "-f", help="terminal, or json (one object per item).")] = (
        AssessFormat.terminal
    ),
    judge: Annotated[Judge, typer.Option(help="Also ask the LLM judge configured under [judge].")] = Judge.none,
    kind: Annotated[
        str | None,
        typer.Option(help="What the publisher is: researcher, lab, vendor, aggregator, media, podcast, social."),
    ] = None,
) -> None:
    """Assess a document or a whole feed against the rubric, without subscribing to it.

    Every item gets a 0-100 score, a grade (high, medium, low) and the evidence
    for each point, grouped by rule. It estimates what an item lets you verify;
    it is not a truth detector.

    Examples:
      highsignal assess https://example.org/feed.xml
      highsignal assess release-notes.md --format json
      curl -s URL | highsignal assess -
    """
    data = sys.stdin.buffer.read() if ref == "-" else None
    lib = None
    try:
        if judge is Judge.llm:
            lib = _open()
            doc = assess_document(ref, data=data, rubric=lib.rubric, declared_kind=kind)
        else:
            from highsignal.assess import configured_rubric
            from highsignal.config import load_config

            rubric = configured_rubric(load_config())
            doc = assess_document(ref, data=data, rubric=rubric, declared_kind=kind)
        items_, results = list(doc.feed.items), list(doc.assessments)
        if lib is not None:
            results = _apply_judge(lib, items_, results)
    except HighsignalError as exc:
        _fail(str(exc))
        return
    finally:
        if lib is not None:
            lib.close()
    if fmt is AssessFormat.json:
        _json([assessment_json(i, a) for i, a in zip(items_, results, strict=True)])
        return
    if not items_:
        out.print(f"{escape(ref)}: no items to assess")
        return
    for i, a in zip(items_, results, strict=True):
        print_assessment(out, a, heading=i.title or i.url or "(untitled)")
        if i.url:
            out.print(f"  [dim]{escape(i.url)}[/dim]")
        out.print()
    grades = [a.grade for a in results]
    out.print(
        f"{len(results)} item(s): {grades.count('high')} high, {grades.count('medium')} medium, "
        f"{grades.count('low')} low  [dim](what each lets you verify, not whether it is true)[/dim]"
    )


@app.command()
def label(
    item: Annotated[str, typer.Argument(help="Item id, feed guid or URL.")],
    grade: Annotated[str, typer.Argument(help="Your own judgement: high, medium or low.")],
) -> None:
    """Record your own grade for an item; 'highsignal agreement' compares it with the assessments."""
    grade = grade.lower()
    with _open() as lib:
        try:
            stored = lib.label(item, grade)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    out.print(f"labelled {stored.id} {escape(stored.item.title or '')}: {grade}")


@app.command()
def agreement(fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """Cohen's kappa between the heuristic grades, the LLM judge and your labels."""
    from highsignal.assess.agreement import cohens_kappa
    from highsignal.config import judge_settings

    with _open() as lib:
        try:
            lib.assess_pending()
            rows = lib.store.label_pairs()
            settings = judge_settings(lib.config)
            judged = {}
            if settings is not None:
                for item_id, _, _, content_hash in rows:
                    found = lib.store.judgement(content_hash, lib.rubric.version, settings.model)
                    if found:
                        judged[item_id] = found["grade"]
        except HighsignalError as exc:
            _fail(str(exc))
            return
    reader = {r[0]: r[1] for r in rows}
    heuristic = {r[0]: r[2] for r in rows if r[2]}
    pairs = [
        ("heuristic", heuristic, "reader", reader),
        ("llm judge", judged, "reader", reader),
        ("heuristic", heuristic, "llm judge", judged),
    ]
    results = []
    for name_a, a, name_b, b in pairs:
        common = sorted(a.keys() & b.keys())
        kappa = cohens_kappa([a[i] for i in common], [b[i] for i in common])
        agree = sum(a[i] == b[i] for i in common)
        results.append({"a": name_a, "b": name_b, "items": len(common), "agree": agree, "kappa": kappa})
    if fmt is Format.json:
        _json(results)
        return
    if not rows:
        out.print("no labels yet: record some with [bold]highsignal label ITEM high|medium|low[/bold]")
        return
    table = Table(header_style="bold")
    for col in ("between", "items", "agree", "kappa"):
        table.add_column(col, justify="left" if col == "between" else "right")
    for r in results:
        kappa = "-" if r["kappa"] is None else f"{r['kappa']:.2f}"
        table.add_row(f"{r['a']} / {r['b']}", str(r["items"]), str(r["agree"]), kappa)
    out.print(table)
    if settings is None:
        out.print("[dim]no LLM judge configured: only the heuristic is compared[/dim]")


# -- demo ------------------------------------------------------------------------


def sample_dir() -> Path:
    return Path(str(resources.files("highsignal") / "samples"))


@app.command()
def demo(
    keep: Annotated[bool, typer.Option(help="Ingest into your --db instead of a throw-away database.")] = False,
) -> None:
    """Ingest the bundled sample feeds (offline) and show what came in.

    By default this uses a temporary database, so your own library is not touched.
    """
    samples = sample_dir() / "subscriptions.opml"
    if not samples.exists():
        _fail(f"bundled samples are missing ({samples}); reinstall highsignal")
    tmp = None
    if keep:
        lib = _open()
    else:
        tmp = tempfile.mkdtemp(prefix="highsignal-demo-")
        lib = highsignal.open(Path(tmp) / "demo.sqlite")
    try:
        lib.import_opml(samples)
        report = _run_refresh(lib, None, due_only=False)
        _print_report(report)
        srcs = lib.sources()
        table = Table(title="sources", title_justify="left", header_style="bold")
        for col in ("id", "title", "kind", "items"):
            table.add_column(col)
        for s in srcs:
            table.add_row(str(s.id), escape(s.title or s.url), s.kind, str(s.item_count))
        out.print(table)
        latest = lib.items(limit=10)
        table = Table(title="latest items", title_justify="left", header_style="bold")
        for col in ("id", "published", "source", "title"):
            table.add_column(col, overflow="fold")
        for r in latest:
            table.add_row(
                str(r.id),
                r.item.published.strftime("%Y-%m-%d") if r.item.published else "-",
                escape(r.source_title or ""),
                escape(r.item.title or ""),
            )
        out.print(table)
        stored = lib.items(limit=500)
        scores = lib.store.scores(r.id for r in stored)
        ranked = sorted((r for r in stored if r.id in scores), key=lambda r: -scores[r.id][0])
        table = Table(
            title="assessed: what each item lets you verify (highsignal show ID for the evidence)",
            title_justify="left",
            header_style="bold",
        )
        for col in ("id", "score", "", "title"):
            table.add_column(col, overflow="fold")
        for r in ranked[:5] + ranked[-3:] if len(ranked) > 8 else ranked:
            score, grade = scores[r.id]
            table.add_row(str(r.id), _score_cell((score, grade)), score_bar(score, 10), escape(r.item.title or ""))
        out.print(table)
        hits = lib.search("open weights", limit=3)
        if hits:
            out.print('[bold]search "open weights"[/bold]')
            for h in hits:
                out.print(f"  {h.item_id} {escape(h.title or '')}")
        if report.failed:
            raise typer.Exit(EXIT_SOURCES_FAILED)
    finally:
        lib.close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    try:
        app()
    except SourceError as exc:  # pragma: no cover - commands catch their own
        err.print(f"error: {exc}")
        sys.exit(EXIT_USAGE)
