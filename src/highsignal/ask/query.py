"""From a question in plain words to what retrieval looks for.

A question is mostly noise for a full-text index ("what did they say about
..."): stop words and question words go, quoted phrases and model names
("Llama 3.1", "DeepSeek-V3") stay whole, because their pieces ("3", "1") mean
nothing alone. The units are ORed in the FTS5 query so an item matching only
some of them is still found; bm25 puts the ones matching more first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from highsignal.ask.text import STOP_WORDS, plain, stem, variants, words

#: The FTS5 query ORs at most this many units: each common word ORed in costs
#: bm25 work on every item that holds it (tens of ms per word on 100k items).
MAX_FTS_UNITS = 8

_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
# A word with inner punctuation stays one token here ("GPT-4o", "Phi-3.5-mini", "3.1").
_TOKEN = re.compile(r"\w(?:[\w'’.-]*\w)?", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
# A model size or count that follows a name: 405B, 8x7B, 1.5T, 350M.
_SIZE = re.compile(r"^\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?[bmkt]$", re.I)


@dataclass(slots=True, frozen=True)
class Unit:
    """One thing the question asks about: a word, or a phrase whose words must appear in order.

    An ``exact`` unit (a phrase, a quoted word, a name like "OLMoE" or "GPT4")
    is matched without stemming, which would make "OLMoE" and "OLMo" one word.
    A ``name`` (an exact unit, or a capitalised word inside the question) is
    what the question is about: when the library has never seen it, the
    answer is "I don't know", while an unseen ordinary word may just be
    phrasing ("newest", "came").
    """

    text: str
    words: tuple[str, ...]
    exact: bool = False
    name: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def keys(self) -> tuple[str, ...]:
        """The forms passages are matched on: plain words for an exact unit, stems otherwise."""
        return tuple(plain(w) if self.exact else stem(w) for w in self.words)

    @property
    def fts(self) -> str:
        """The unit as an FTS5 string: quoted, so no character of the question is ever syntax."""
        if self.phrase:
            return '"' + " ".join(self.words) + '"'
        return " OR ".join(f'"{v}"' for v in variants(self.words[0]))


@dataclass(slots=True)
class Query:
    question: str
    units: list[Unit]

    @property
    def fts(self) -> str:
        """The FTS5 query: the most specific units, ORed (phrases first, then longer words)."""
        chosen = sorted(self.units, key=lambda u: (not u.phrase, -len(u.text)))[:MAX_FTS_UNITS]
        return " OR ".join(u.fts for u in chosen)


def parse_question(question: str) -> Query:
    """The units of a question, in the order they were asked, each once."""
    units: list[Unit] = []
    for m in _QUOTED.finditer(question):
        _add(units, m.group(1), words(m.group(1)), exact=True, name=True)
    rest = _QUOTED.sub(" ", question)
    tokens = [_POSSESSIVE.sub("", t) for t in _TOKEN.findall(rest)]
    tokens = [t for t in tokens if t]
    i = 0
    while i < len(tokens):
        token, first = tokens[i], i == 0
        name = [token]
        if _can_name(token):
            j = i + 1
            # "Llama 3.1", "Gemma 2", "OLMo 2": a name and the version after it are one thing.
            while j < len(tokens) and tokens[j][0].isdigit() and not _SIZE.match(tokens[j]):
                name.append(tokens[j])
                j += 1
            i = j
        else:
            i += 1
        parts = [w for piece in name for w in words(piece)]
        if len(parts) > 1:
            # "Llama 3.1" and "gpt-4o" are names; "open-weight" is a phrase of ordinary words.
            named = _can_name(token) or _mixed(token)
            _add(units, " ".join(name), parts, exact=named, name=named)
            continue
        word = parts[0] if parts else ""
        if word and word not in STOP_WORDS and _meaningful(word):
            exact = _mixed(token)
            _add(units, token, [word], exact=exact, name=exact or (token[0].isupper() and not first))
    return Query(question, units)


def _can_name(token: str) -> bool:
    """Can this token start a model name ("Llama", "GPT-4o", "OLMo")?"""
    return token[0].isalpha() and token.lower() not in STOP_WORDS and (token[0].isupper() or _mixed(token))


def _mixed(token: str) -> bool:
    return any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token)


def _meaningful(word: str) -> bool:
    """Single letters and lone digits match almost everything and answer nothing."""
    return len(word) >= 2


def _add(units: list[Unit], text: str, parts: list[str], *, exact: bool, name: bool) -> None:
    parts = [p for p in parts if p]
    if not parts:
        return
    if len(parts) == 1 and (parts[0] in STOP_WORDS or not _meaningful(parts[0])):
        return
    unit = Unit(text.strip(), tuple(parts), exact, name)
    if all(u.keys != unit.keys for u in units):
        units.append(unit)
