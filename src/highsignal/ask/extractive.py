"""The offline answer: the best sentence of each of the top passages, quoted and cited.

No model, so nothing is paraphrased and nothing can be made up: every
sentence is the reader's own stored text. Two passages saying the same thing
(a release reported by two outlets) give one sentence citing both. Feed text
also holds code, link lists and chapter marks; those make poor answer
sentences, so prose is preferred and they are used only when nothing else is
there.
"""

from __future__ import annotations

import re

from highsignal.ask.answer import AnswerSentence
from highsignal.ask.retrieve import Retrieval, Scored, occurrences, unit_key
from highsignal.ask.text import Fingerprint, fingerprint, sentences, similar, tokens, words

#: Sentences are taken from at most this many of the best relevant passages.
ANSWER_PASSAGES = 5
#: Sentences this similar (Jaccard of their word stems, same numbers) are one sentence with two citations.
SAME_SENTENCE = 0.75
#: A sentence reads as prose with at least this many words ...
MIN_WORDS = 6
#: ... and at most this share of code-like characters.
MAX_SYMBOLS = 0.04
_SYMBOLS = frozenset("{}()[]=<>_#;`|\\")
# Calls, assignments and install lines: code that reads as one long "sentence" in feed text.
_CODE = re.compile(r"\w\(|\s=\s|\bpip install\b|^\s*(?:from \S+ )?import \S")


def extractive_sentences(retrieval: Retrieval) -> list[AnswerSentence]:
    """One sentence per relevant top passage, near-duplicates merged into one with both citations.

    Citation numbers are the passages' places in ``retrieval.passages``, from 1.
    """
    n_units = len(retrieval.query.units)
    numbered = enumerate(retrieval.passages, start=1)
    relevant = [(n, s) for n, s in numbered if s.relevant(n_units)][:ANSWER_PASSAGES]
    out = _pick(retrieval, relevant, prose_only=True) or _pick(retrieval, relevant[:1], prose_only=False)
    if not out and relevant:
        n, scored = relevant[0]
        out = [AnswerSentence(scored.passage.text, [n])]
    return out


def _pick(retrieval: Retrieval, passages: list[tuple[int, Scored]], *, prose_only: bool) -> list[AnswerSentence]:
    out: list[AnswerSentence] = []
    seen: list[Fingerprint] = []
    for n, scored in passages:
        sentence = best_sentence(retrieval, scored, prose_only=prose_only)
        if not sentence:
            continue
        print_ = fingerprint(sentence)
        same = next((i for i, other in enumerate(seen) if similar(print_, other, SAME_SENTENCE)), None)
        if same is not None:
            out[same].citations.append(n)
            continue
        out.append(AnswerSentence(sentence, [n]))
        seen.append(print_)
    return out


def best_sentence(retrieval: Retrieval, scored: Scored, *, prose_only: bool = True) -> str:
    """The passage's sentence holding the most question weight (the first of equals); "" if none qualifies."""
    if scored.sentence and not scored.unit_weights:
        return scored.sentence  # found by meaning alone: its sentence nearest the question
    units = [u for u in retrieval.query.units if unit_key(u) in scored.unit_weights]
    best, best_weight = "", 0.0
    for sentence in sentences(scored.passage.text):
        if prose_only and not is_prose(sentence):
            continue
        toks = tokens(sentence)
        weight = sum(scored.unit_weights[unit_key(u)] for u in units if occurrences(u, toks))
        if weight > best_weight:
            best, best_weight = sentence, weight
    return best


def is_prose(sentence: str) -> bool:
    """Enough words, few code characters: a sentence a reader can take as an answer."""
    if len(words(sentence)) < MIN_WORDS or _CODE.search(sentence):
        return False
    return sum(c in _SYMBOLS for c in sentence) <= MAX_SYMBOLS * len(sentence)
