"""Benchmark results laid out as tables, in Markdown or HTML.

Model cards report scores in tables far more often than in prose. Two layouts
are common: benchmarks as column headers (one row per model) and benchmarks in
the first column (one column per model, or the lm-evaluation-harness layout
with version, shots, metric, value and stderr columns). Broken rows (missing
or extra cells) are read as far as they go.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field

from .benchmarks import BY_ALIAS, BY_NAME, Benchmark

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)
_HTML_ROW = re.compile(r"<tr\b.*?(?:</tr\s*>|(?=<tr\b)|$)", re.I | re.S)
_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)(?=</t[dh]\s*>|<t[dh]\b|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_CELL_NUMBER = re.compile(r"^[^\d-]{0,3}(-?\d{1,3}(?:\.\d+)?)\s*%?\s*(?:±.*|\(.*\)|\*+)?$")
_SKIP_HEADERS = ("shot", "version", "stderr", "filter", "metric", "±", "n-shot", "size", "params", "parameters")
_CASED = ("ARC", "MATH", "DROP", "RACE")
_NOISE = re.compile(r"\(.*?\)|\b\d+-shot\b|\bacc(?:_norm)?\b|\baccuracy\b|\bavg\b|[%*]")
# Markdown links and images in a cell: "[MMLU][mmlu]", "[MMLU](https://...)", "[MMLU]" -> "MMLU".
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])?")


@dataclass
class Table:
    """A table's rows of cell strings and, for a table read from plain text,
    the offset where each row starts (so a cell is found in its own row, not
    in an earlier one holding the same number)."""

    rows: list[list[str]]
    starts: list[int] = field(default_factory=list)


def markdown_tables(text: str) -> list[Table]:
    """Pipe tables in ``text`` (separator rows dropped)."""
    tables: list[Table] = []
    current = Table([])
    at = 0
    for line in text.split("\n"):
        if line.count("|") >= 2:
            if not _SEPARATOR.match(line):
                current.rows.append([c.strip() for c in line.strip().strip("|").split("|")])
                current.starts.append(at)
        elif current.rows:
            tables.append(current)
            current = Table([])
        at += len(line) + 1
    if current.rows:
        tables.append(current)
    return [t for t in tables if len(t.rows) >= 2]


def html_tables(fragment: str) -> list[Table]:
    """The ``<table>`` elements of sanitised HTML (no offsets: the text was rendered from them)."""
    tables = []
    for table in _HTML_TABLE.findall(fragment):
        rows = []
        for row in _HTML_ROW.findall(table):
            cells = [" ".join(_html.unescape(_TAG.sub(" ", c)).split()) for c in _HTML_CELL.findall(row)]
            if cells:
                rows.append(cells)
        if len(rows) >= 2:
            tables.append(Table(rows))
    return tables


def plain(cell: str) -> str:
    """``cell`` without Markdown link markup: the link text stays."""
    return _LINK.sub(r"\1", cell).strip() if "[" in cell else cell


def benchmark_of(cell: str) -> Benchmark | None:
    """The benchmark a header cell names: "MMLU (5-shot)", "arc_challenge", "HellaSwag acc_norm", "[MMLU][mmlu]"."""
    cell = plain(cell)
    key = " ".join(_NOISE.sub(" ", cell.lower()).split())
    if key in BY_ALIAS:
        return BY_ALIAS[key]
    first = cell.split()[0].strip(":") if cell.strip() else ""
    if first in _CASED:
        return BY_NAME[first]
    return BY_ALIAS.get(key.split(" ")[0]) if key else None


def number(cell: str) -> float | None:
    m = _CELL_NUMBER.match(plain(cell).strip())
    return float(m.group(1)) if m else None


def scores(rows: list[list[str]]) -> list[tuple[Benchmark, float, str, str, int]]:
    """(benchmark, value, model label, raw cell, row index) for every score a table holds.

    With benchmarks in the first column, every other column holds one model's
    scores, except columns whose header names shots, metric, version, size or
    stderr. A column headed "Value" (lm-evaluation-harness, the Open LLM
    Leaderboard) is the only value column: one value per row. Values written
    as fractions (0.2654) are turned into percent when the whole table uses
    fractions.
    """
    header = [plain(cell) for cell in rows[0]]
    out: list[tuple[Benchmark, float, str, str, int]] = []
    columns = {j: b for j, cell in enumerate(header) if (b := benchmark_of(cell)) is not None}
    if columns and len(columns) >= max(1, (len(header) - 1) // 3):
        for r, row in enumerate(rows[1:], 1):
            label = plain(row[0]) if row else ""
            for j, bench in columns.items():
                if j < len(row) and (v := number(row[j])) is not None:
                    out.append((bench, v, label, row[j], r))
    else:
        skip = {j for j, cell in enumerate(header) if any(word in cell.lower() for word in _SKIP_HEADERS)}
        value = next((j for j, cell in enumerate(header) if j and cell.strip().lower() == "value"), None)
        for r, row in enumerate(rows[1:], 1):
            bench = benchmark_of(row[0]) if row else None
            if bench is None:
                continue
            if value is not None and value < len(row) and (v := number(row[value])) is not None:
                out.append((bench, v, header[value], row[value], r))
                continue
            for j in range(1, len(row)):
                if j in skip or row[j - 1].strip() == "±":
                    continue
                if (v := number(row[j])) is not None:
                    out.append((bench, v, header[j] if j < len(header) else "", row[j], r))
                    if value is not None:
                        break  # a broken row of the one-value layout: its first value
    if out and all(v <= 1.0 for _, v, *_ in out) and any("." in raw for _, _, _, raw, _ in out):
        out = [(b, round(v * 100, 2), label, raw, r) for b, v, label, raw, r in out]
    return out
