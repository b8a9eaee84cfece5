"""Words and sentences, the way question answering compares them.

The FTS5 index stems with Porter; scoring passages in Python needs the same
idea (``trained`` and ``training`` are one word) without a dependency, so a
light suffix stripper stands in. It only has to agree with itself: the
question and the passages go through the same function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that say nothing about what is asked: function words, question words and
#: the verbs people wrap questions in ("what did they say about ...").
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any anyone anything are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing don down during
    each else ever every few for from further get gets got had has have having he her here hers herself him
    himself his how however i if in into is isn it its itself just know let like me mention mentioned mentions
    more most much my myself need no nor not now of off on once one only or other our ours ourselves out over
    own please really said same say says she should so some someone something such talk talked tell than that
    the their theirs them themselves then there these they thing things think this those through to too under
    until up upon us use used very via was wasn way we were weren what whatever when where whether which while
    who whom whose why will with would you your yours yourself yourselves feed feeds item items anybody
    explain describe summarize summarise summary discuss discussed discussing regarding thoughts
    many take takes took taken kind sort give gives make makes made people anyone folks
    """.split()
)

_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? (or an ellipsis) followed by space and something that can start a
# sentence; a newline always ends one. Decimals ("3.1") and URLs have no space after the dot.
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")
# Abbreviations whose dot is not the end of a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "approx.", "dr.", "mr.", "ms.", "mrs.", "prof.", "fig.")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, split as FTS5's unicode61 tokenizer splits them."""
    return _WORD.findall(text.lower())


# American -ize endings and their British -ise forms.
_IZE = (("ize", "ise"), ("ized", "ised"), ("izes", "ises"), ("izing", "ising"), ("ization", "isation"))


def spelling(word: str) -> str:
    """One spelling for words British and American English spell apart (licence, optimise)."""
    if word.startswith("licens"):
        return "licenc" + word[6:]
    for z, s in _IZE:
        if word.endswith(z) and len(word) > len(z) + 2:
            return word[: -len(z)] + s
    return word


def variants(word: str) -> list[str]:
    """The spellings of a word the index may hold (``licence`` and ``license``)."""
    one = spelling(word)
    if one.startswith("licenc"):
        return [one, "licens" + one[6:]]
    for z, s in _IZE:
        if one.endswith(s) and len(one) > len(s) + 2:
            return [one, one[: -len(s)] + z]
    return [word]


def plain(word: str) -> str:
    """A name's form for exact matching: only a plural s goes ("GPUs" is "gpu", "OLMoE" stays "olmoe")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def stem(word: str) -> str:
    """A crude, consistent stem: enough to match plurals, -ing and -ed forms."""
    w = spelling(word)
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ation") and len(w) > 7:
        w = w[:-5]
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


@dataclass(slots=True)
class Tokens:
    """A text's words both ways: stemmed (ordinary words) and plain (names, which stemming would merge)."""

    stems: list[str]
    plains: list[str]


def tokens(text: str) -> Tokens:
    ws = words(text)
    return Tokens([stem(w) for w in ws], [plain(w) for w in ws])


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """What near-duplicate checks compare: a text's meaningful word stems, and its numbers apart.

    Two sentences alike but for a number ("took 3.6M GPU hours", "took 6.1M
    GPU hours") say different things, so numbers must match exactly.
    """

    words: frozenset[str]
    numbers: frozenset[str]


def fingerprint(text: str) -> Fingerprint:
    ws = [w for w in words(text) if w not in STOP_WORDS]
    return Fingerprint(
        frozenset(stem(w) for w in ws if not any(c.isdigit() for c in w)),
        frozenset(w for w in ws if any(c.isdigit() for c in w)),
    )


def similar(a: Fingerprint, b: Fingerprint, threshold: float) -> bool:
    """Near-duplicates: the same numbers and word stems overlapping by at least ``threshold`` (Jaccard)."""
    if a.numbers != b.numbers or not a.words or not b.words:
        return False
    return len(a.words & b.words) / len(a.words | b.words) >= threshold


@dataclass(slots=True, frozen=True)
class Span:
    """A piece of a longer text, by offsets, so a citation quotes the source exactly."""

    start: int
    end: int


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of ``text[start:end]`` as offsets into ``text``, blank ones left out."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        stop = m.end(1) if m.group(1) else m.start()
        if m.group(1) and "\n" not in m.group(0):
            if _abbreviation(text[max(pos, stop - 10) : stop].lower()):
                continue
        _add_span(text, pos, stop, spans)
        pos = m.end()
    _add_span(text, pos, end, spans)
    return spans


def _abbreviation(before: str) -> bool:
    """Does ``before`` end with an abbreviation as a whole word ("e.g.", not "forms." for "ms.")?"""
    for abbr in _ABBREVIATIONS:
        if before.endswith(abbr):
            rest = before[: -len(abbr)]
            return not rest or not rest[-1].isalpha()
    return False


def _add_span(text: str, start: int, end: int, out: list[Span]) -> None:
    """Trim whitespace off a span and keep it if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]
