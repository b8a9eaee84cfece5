"""One pass over an item's text that finds every phrase in the lexicon.

The extractor must keep up with ingest (thousands of items a second), so it
does not run one regular expression per thing it looks for. An Aho-Corasick
automaton (a DFA, from ahocorasick-rs) finds all lexicon phrases in a single
scan of the lower-cased text; a couple of regular expressions with literal
prefixes find URLs and sizes. Everything else works on those
hits and looks at the text only around them.
"""

from __future__ import annotations

import ahocorasick_rs

from ..records import Mention
from .lexicon import CASED, GROUPS


class PhraseIndex:
    """Finds every one of a fixed set of phrases in one scan of a text.

    ``groups`` maps a kind to ``{phrase: key}``; a phrase matches on word
    boundaries unless it ends in ``*``, which lets it run on into a longer
    word. ``cased`` maps exact-case phrases to ``(kind, key)``: they match only
    as written ("ARC", not "arc"). Several targets may share one phrase.
    """

    def __init__(self, groups: dict[str, dict[str, str]], cased: dict[str, tuple[str, str]] | None = None) -> None:
        entries: dict[str, list[tuple[str, str, bool, str | None]]] = {}
        for kind, phrases in groups.items():
            for phrase, key in phrases.items():
                prefix = phrase.endswith("*")
                phrase = phrase.rstrip("*").lower()
                entries.setdefault(phrase, []).append((kind, key, prefix, None))
        for exact, (kind, key) in (cased or {}).items():
            entries.setdefault(exact.lower(), []).append((kind, key, False, exact))
        phrases = list(entries)
        # Per phrase: whether its first and last characters need a word boundary, and its targets.
        # "x larger" follows a number ("25x larger"), so it needs no boundary on its left.
        self._meta = [
            (p[0].isalnum() and not p.startswith(("x ", "× ")), p[-1].isalnum(), tuple(entries[p])) for p in phrases
        ]
        # The DFA build costs a few milliseconds once and scans about twice as fast as the default.
        self._automaton = ahocorasick_rs.AhoCorasick(phrases, implementation=ahocorasick_rs.Implementation.DFA)

    def find(self, text: str, low: str) -> list[Mention]:
        """All phrases in ``text`` (``low`` is its lower-cased twin), in text order."""
        found: list[Mention] = []
        n = len(low)
        meta = self._meta
        for index, start, after in self._automaton.find_matches_as_indexes(low, overlapping=True):
            left_word, right_word, targets = meta[index]
            if left_word and start > 0 and (low[start - 1].isalnum() or low[start - 1] == "_"):
                continue
            right_ok = not right_word or after >= n or not (low[after].isalnum() or low[after] == "_")
            for kind, key, prefix, exact in targets:
                stop = after
                if not right_ok:
                    if not prefix:
                        continue
                    while stop < n and (low[stop].isalnum() or low[stop] == "_"):
                        stop += 1
                original = text[start:stop]
                if exact is not None and original != exact:
                    continue
                found.append(Mention(kind, key, start, stop, original))
        found.sort(key=_start)
        return found


_LEXICON = PhraseIndex(GROUPS, CASED)


def lower_same_length(text: str) -> str:
    """``text.lower()``, except where that would change a character's length.

    A few characters (Turkish dotted I, for one) lower-case to two code
    points; offsets found in the lower-cased text must stay valid in the
    original.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def scan(text: str, low: str) -> list[Mention]:
    """All lexicon phrases in ``text`` (``low`` is its lower-cased twin), in text order."""
    return _LEXICON.find(text, low)


def _start(m: Mention) -> int:
    return m.start
