"""Claims in prose: scores next to benchmark names, sizes, comparisons, ranks.

These work on the hits of the single scan (benchmark names, comparison verbs,
rank phrases) and on the numbers found once per item, looking only at the
sentence around each hit.
"""

from __future__ import annotations

import re

from ..records import Claim, Mention
from .benchmarks import BY_ALIAS, BY_NAME, Benchmark

# A number, with a unit glued on or one space away: "72.5", "72.5%", "7B",
# "1.3 billion", "24GB", "10x". The unit must end the word.
NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?(?:\s?(%|b|m|k|t|billion|million|trillion|gb|tb|x|×)(?![a-z0-9]))?")

_SIZE_UNITS = {"b": 1.0, "billion": 1.0, "m": 0.001, "million": 0.001, "t": 1000.0, "trillion": 1000.0}
# A size followed by one of these counts data, money or people, not parameters.
_NOT_PARAMS = re.compile(
    r"\s*(?:\+\s*)?(?:tokens?|samples|examples|images|words|pairs|documents|hours|users|downloads|views|"
    r"rows|instructions|conversations|queries|dollars|usd|in funding|valuation|records|pages|steps|"
    r"frames|videos|lines|files|people|subscribers|customers|requests|bytes|characters|sentences)\b"
)
# Only the last digit and the unit: the digits before it are walked back over
# in Python, which is much faster than letting the regex engine backtrack.
_SIZE_END = re.compile(r"[0-9]\s?(b|m|t|billion|million|trillion)(?![a-z0-9])")
_NUMBER_CLAIM_BEFORE = 40
_NUMBER_CLAIM_AFTER = 60
# "N on BENCH": a number followed by at most two words (a metric: "pass@1", "accuracy") or a
# parenthesis, then on/in/for/at, belongs to the benchmark that follows, however near another is.
_BOUND_BEFORE = re.compile(r"\s*(?:\([^()\n]*\)\s*)?(?:[a-z0-9@_+-]+\s+){0,2}?(?:on|in|for|at)\s+(?:the\s+)?")
# A comma, semicolon or conjunction between a name and a number (outside parentheses) usually
# starts the next item of a list: "+3.5% on MATH, +2.9% on HumanEval".
_CLAUSE_BREAK = re.compile(r"[,;]|\b(?:and|while|whereas|vs)\b")
_PARENTHESES = re.compile(r"\([^()]*\)")
_BREAK_COST = 25


class Number:
    __slots__ = ("end", "start", "text", "unit", "value")

    def __init__(self, start: int, end: int, value: float, unit: str | None, text: str) -> None:
        self.start, self.end, self.value, self.unit, self.text = start, end, value, unit, text


def numbers(low: str, start: int = 0, end: int | None = None) -> list[Number]:
    """Numbers in ``low[start:end]`` that stand on their own (not inside "v1.5", "gpt4" or "pass@1")."""
    out = []
    for m in NUMBER.finditer(low, start, len(low) if end is None else end):
        at = m.start()
        if at and (low[at - 1].isalpha() or low[at - 1] in "._@"):
            continue  # "v1.5", "gpt4", "pass@1"
        raw = m.group(0)
        digits = raw[: len(raw) - len(m.group(1) or "")].rstrip().replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        out.append(Number(at, m.end(), value, m.group(1), raw))
    return out


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``text[start:end]``."""
    left = max(text.rfind(". ", 0, start), text.rfind("! ", 0, start), text.rfind("? ", 0, start))
    left = max(left + 2 if left >= 0 else 0, text.rfind("\n", 0, start) + 1)
    stops = [
        i for i in (text.find(". ", end), text.find("\n", end), text.find("! ", end), text.find("? ", end)) if i >= 0
    ]
    right = min(stops) + 1 if stops else len(text)
    if right - left > 400:  # run-on text: keep a window
        left, right = max(left, start - 150), min(right, end + 250)
    return left, right


def sizes(text: str, low: str) -> list[Claim]:
    """Model sizes: "7B", "1.3 billion parameters", "350M"."""
    out = []
    for n in _size_numbers(low):
        unit = n.unit
        if unit not in _SIZE_UNITS:
            continue
        if n.start and low[n.start - 1] == "$":
            continue
        if _NOT_PARAMS.match(low, n.end):
            continue
        if unit not in ("b", "billion") and not _names_model(low, n):
            continue  # "350M" alone is as often money or a count as a model size
        params = n.value * _SIZE_UNITS[unit]
        if params <= 0 or params > 20000:
            continue
        out.append(Claim("size", text[n.start : n.end], n.start, n.end, value=params))
    return out


def _size_numbers(low: str) -> list[Number]:
    out = []
    for m in _SIZE_END.finditer(low):
        first = m.start()
        while first > 0 and (low[first - 1].isdigit() or low[first - 1] in ".,"):
            first -= 1
        while low[first] in ".,":
            first += 1
        if first and (low[first - 1].isalpha() or low[first - 1] == "_"):
            continue
        try:
            value = float(low[first : m.start() + 1].replace(",", ""))
        except ValueError:
            continue
        out.append(Number(first, m.end(), value, m.group(1), low[first : m.end()]))
    return out


def _names_model(low: str, n: Number) -> bool:
    return low.startswith((" param", "-param", " model", "-"), n.end) or low[n.start - 1 : n.start] == "-"


def scores(text: str, low: str, benches: list[Mention]) -> list[Claim]:
    """ "72.5 on MMLU", "MMLU: 72.5%", "a HellaSwag score of 0.31": one number per benchmark name.

    Each name is paired with a plausible number on its line, at most 40 characters
    before it or 60 after it and not past another benchmark name. Pairs are taken
    cheapest first, each number and each name used once. The cost is the gap in
    characters, plus a penalty when a comma or "and" lies between (the next item
    of a list); "N on NAME" costs nothing.
    """
    benches = _longest(benches)
    pairs: list[tuple[int, int, int, Number]] = []
    found: list[Benchmark | None] = []
    line_start = line_end = -1
    table_row = False
    for i, m in enumerate(benches):
        bench = BY_NAME.get(m.key) or BY_ALIAS.get(m.key.lower())
        found.append(bench)
        if bench is None:
            continue
        if m.start > line_end:  # a new line (names come in text order: each line is looked at once)
            line_start = low.rfind("\n", 0, m.start) + 1
            line_end = low.find("\n", m.end)
            if line_end < 0:
                line_end = len(low)
            table_row = low.count("|", line_start, line_end) >= 2
        if table_row:
            found[i] = None
            continue  # a table row: the table reader handles it
        # Not past the neighbouring benchmark names.
        lo = max(line_start, m.start - _NUMBER_CLAIM_BEFORE - 8, benches[i - 1].end if i else 0)
        hi = min(line_end, m.end + _NUMBER_CLAIM_AFTER + 8, benches[i + 1].start if i + 1 < len(benches) else line_end)
        accuracy = bench.chance is not None
        for n in numbers(low, lo, hi):
            if n.start >= m.end:
                gap = n.start - m.end
                if gap > _NUMBER_CLAIM_AFTER:
                    continue
                between = (m.end, n.start)
            elif n.end <= m.start:
                gap = m.start - n.end
                if gap > _NUMBER_CLAIM_BEFORE:
                    continue
                if _BOUND_BEFORE.fullmatch(low, n.end, m.start):
                    gap = -1
                between = (n.end, m.start)
            else:
                continue
            if not _plausible_score(low, n, accuracy):
                continue
            if gap > 0 and _breaks_clause(low, *between):
                gap += _BREAK_COST
            pairs.append((gap, n.start, i, n))
    pairs.sort(key=_pair_order)
    taken: dict[int, Number] = {}
    used: set[int] = set()
    for _, at, i, n in pairs:
        if i not in taken and at not in used:
            taken[i] = n
            used.add(at)
    out = []
    for i in sorted(taken):
        m, n, bench = benches[i], taken[i], found[i]
        value = n.value * 100 if n.value <= 1.0 and "." in n.text and bench.chance is not None else n.value
        start, end = min(m.start, n.start), max(m.end, n.end)
        out.append(Claim("score", text[start:end], start, end, benchmark=bench.name, value=round(value, 2)))
    return out


def _longest(mentions: list[Mention]) -> list[Mention]:
    """Of overlapping mentions (in text order), the longest: "MMLU" inside "MMLU-Pro" is not a second one."""
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            if m.end - m.start > out[-1].end - out[-1].start:
                out[-1] = m
            continue
        out.append(m)
    return out


def _pair_order(pair: tuple[int, int, int, Number]) -> tuple[int, int, int]:
    return pair[0], pair[2], pair[1]


def _breaks_clause(low: str, start: int, end: int) -> bool:
    gap = low[start:end]
    if "(" in gap:
        gap = _PARENTHESES.sub("", gap)
    return _CLAUSE_BREAK.search(gap) is not None


def _plausible_score(low: str, n: Number, accuracy: bool) -> bool:
    if n.unit not in (None, "%"):
        return False
    if n.value > 100 or (n.value.is_integer() and 1900 <= n.value <= 2100):
        return False
    follow = low[n.end : n.end + 6]
    if follow.startswith(("-shot", " shot", "-way", " way", "k ", "-bit", " bit", "b ", " billion", "x ")):
        return False
    if low[max(0, n.start - 1) : n.start] in ("v", "#"):
        return False
    return not (n.value.is_integer() and n.value <= 10 and accuracy and n.unit is None)


def comparisons(text: str, low: str, verbs: list[Mention], size_claims: list[Claim]) -> list[Claim]:
    """ "outperforms Llama 2 70B", "on par with GPT-4": the verb and what follows it in the clause.

    ``ratio`` is set when sizes are named on both sides: the largest size after
    the verb over the smallest before it in the same sentence (or the item's
    own size, the first one it states).
    """
    out = []
    own = size_claims[0].value if size_claims else None
    for v in verbs:
        left, right = sentence_bounds(text, v.start, v.end)
        clause_end = right
        for stop in (";", ", while", ", but", " but ", " although"):
            i = low.find(stop, v.end, right)
            if i >= 0:
                clause_end = min(clause_end, i)
        target = text[v.end : clause_end].strip(" .,:;")[:120]
        before = [c.value for c in size_claims if left <= (c.start or 0) < v.start and c.value]
        after = [c.value for c in size_claims if v.end <= (c.start or 0) < clause_end and c.value]
        subject = min(before) if before else own
        ratio = None
        if subject and after:
            ratio = round(max(after) / subject, 2)
        out.append(Claim("comparison", text[left:right].strip(), left, right, target=target or None, ratio=ratio))
    return out


def ranks(text: str, ranks_: list[Mention], boards: list[Mention]) -> list[Claim]:
    """ "#1 on the Open LLM Leaderboard", "state-of-the-art on GSM8K"."""
    out = []
    seen: set[int] = set()
    for r in ranks_:
        left, right = sentence_bounds(text, r.start, r.end)
        if left in seen:
            continue  # "ranked #1" is one claim, not two
        seen.add(left)
        board = next((b.key for b in boards if left <= b.start < right), None)
        out.append(Claim("rank", text[left:right].strip(), left, right, target=board or r.key))
    return out
