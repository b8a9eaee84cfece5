"""Finding the passages that answer a question.

Two steps: the FTS5 index (bm25 over whole items) picks a few dozen candidate
items cheaply, then every passage of those items is scored against the
question with BM25, so a long item that mentions the subject once does not
beat a short paragraph that answers it. IDF comes from how many items of the
library hold each unit (``index.unit_counts``). The item's title counts for
its passages (a post titled "Gemma 2" answers "what licence?" in a paragraph
that never repeats the name), and the item's search rank breaks near-ties.

Relevance is judged by coverage: the share of the question's weight (the IDF
of each unit) that a passage holds. A name the library has never seen keeps
the highest IDF, so a question about something the feed never mentions stays
below the bar even when its common words match plenty.

With the embed extra installed, meaning joins in twice: the items nearest
the question are candidates beside the index's (the two lists fused by
reciprocal rank), and a passage that shares too few words with the question
can still answer it when its similarity clears the model's own bar
(``Embedder.relevant_similarity``) and it holds every name the question
asks about, ranked after the passages the words found. Otherwise it stays
out, so "I don't know" stays honest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from highsignal.ask.index import Counts, unit_counts
from highsignal.ask.passages import Passage, split_item
from highsignal.ask.query import MAX_FTS_UNITS, Query, Unit
from highsignal.ask.text import Fingerprint, Tokens, fingerprint, sentences, similar, stem, tokens, variants
from highsignal.embed import EmbeddingUnavailable, fuse
from highsignal.errors import ItemNotFoundError
from highsignal.records import StoredItem

if TYPE_CHECKING:
    from highsignal.api import Library
    from highsignal.embed import Embedder

#: How many items the index is asked for.
CANDIDATES = 30
#: Units held by more than this share of the items stay out of the ranked query (they are still scored) ...
COMMON = 0.2
#: ... though up to two are kept when fewer are rarer, if no more common than this ...
FAIRLY_COMMON = 0.5
#: ... and only in a library where that many items is more than this: ranking a few thousand costs nothing.
CHEAP_ITEMS = 5000
#: A passage's score is scaled by COORD + (1 - COORD) * coverage: one holding all of the question beats
#: one repeating a single word of it.
COORD = 0.3
#: At most this many passages of one item are kept, so one long post cannot fill the answer.
MAX_PER_ITEM = 2
#: Passages this similar (Jaccard of their word stems, same numbers) count as one: syndicated copies, repeated lines.
DUPLICATE = 0.8
#: The best passage must hold at least this share of the question's weight (IDF; title words count half) ...
MIN_COVERAGE = 0.5
#: ... and at least this many of its units (or all of them, when the question has fewer).
MIN_UNITS = 2
#: In coverage, an ordinary word rarer than this share of items weighs as if this common: a word the
#: library lacks may be phrasing ("newest"); a missing name ("Zorblax") keeps its full weight.
WORD_RARITY = 0.005
TITLE_CREDIT = 0.5
RANK_WEIGHT = 0.5
K1, B = 1.2, 0.75
#: At most this many passages are embedded per question (a static embedding costs microseconds a passage).
MAX_EMBEDDED = 1500
#: Passages shorter than this many words are scored as if this long: a heading or a link line
#: ("The release: OLMoE") would otherwise outscore the paragraph that explains it.
MIN_LEN = 12


@dataclass(slots=True)
class Scored:
    """A passage with its score and how much of the question it covers."""

    passage: Passage
    score: float
    coverage: float
    matched: int  # units found in the passage or its item's title
    in_passage: int  # units found in the passage itself
    unit_weights: dict[str, float] = field(default_factory=dict)  # unit key -> idf, of the units in the passage
    similarity: float | None = None  # cosine to the question, when semantic search is on
    close_in_meaning: bool = False  # similarity clears the embedding model's relevance bar
    sentence: str = ""  # for a passage found by meaning alone: its sentence nearest the question

    def relevant(self, n_units: int) -> bool:
        if self.close_in_meaning:
            return True
        return self.in_passage > 0 and self.coverage >= MIN_COVERAGE and self.matched >= min(MIN_UNITS, n_units)


@dataclass(slots=True)
class Retrieval:
    """What the index and the passage scoring found."""

    query: Query
    passages: list[Scored]  # the kept passages, best first
    items: dict[int, StoredItem]
    hits: int  # items the index returned

    @property
    def relevant(self) -> bool:
        """Does any kept passage clear the bar? (The best-scored one may be a near miss.)"""
        return any(s.relevant(len(self.query.units)) for s in self.passages)


def retrieve(lib: Library, query: Query, *, limit: int, since: datetime | None = None) -> Retrieval:
    """The best ``limit`` passages for the question, at most ``MAX_PER_ITEM`` per item, duplicates dropped."""
    if not query.units:
        return Retrieval(query, [], {}, 0)
    counts = unit_counts(lib, query.units)
    fts = search_query(query, counts)
    embedder = _embedder(lib)
    if not fts and embedder is None:
        return Retrieval(query, [], {}, 0)
    hit_ids = [h.item_id for h in lib.search(fts, limit=CANDIDATES, since=since)] if fts else []
    # Episodes whose answer is only said, not written: found through their transcript passages.
    spoken = [h.item_id for h in lib.store.search_passages(fts, limit=CANDIDATES)] if fts else []
    hit_ids += [i for i in dict.fromkeys(spoken) if i not in hit_ids][: CANDIDATES // 2]
    if embedder is not None:
        near = [i for i, _ in lib.nearest(query.question, CANDIDATES, since=since)]
        hit_ids = [i for i, _ in fuse(hit_ids, near)][: CANDIDATES + CANDIDATES // 2]
    items: dict[int, StoredItem] = {}
    for item_id in hit_ids:
        try:
            stored = lib.item(item_id)
        except ItemNotFoundError:
            continue  # removed since the search: its source was unsubscribed
        if since is not None and stored.item.published is not None and stored.item.published < since:
            continue
        items[item_id] = stored
    passages = [p for rank, item_id in enumerate(hit_ids) if item_id in items for p in split_item(items[item_id], rank)]
    scored = score_passages(query, passages, items, len(hit_ids), counts)
    if embedder is not None:
        scored = add_meaning(embedder, query, passages, scored)
    return Retrieval(query, select(scored, limit), items, len(hit_ids))


def _embedder(lib: Library) -> Embedder | None:
    try:
        return lib.embedder
    except EmbeddingUnavailable:
        return None


def add_meaning(embedder: Embedder, query: Query, passages: list[Passage], scored: list[Scored]) -> list[Scored]:
    """Passages ranked in three tiers: relevant by their words, then close in meaning, then the rest.

    The word ranking is tuned and precise, so meaning does not reorder the
    passages it finds relevant; it adds the ones it missed (a paraphrase, a
    synonym) right after them, closest first. The first ``MAX_EMBEDDED``
    passages (the best candidates' first) are embedded.
    """
    passages = passages[:MAX_EMBEDDED]
    if not passages:
        return scored
    vectors = embedder.embed([query.question, *(p.text for p in passages)])
    question, sims = vectors[0], vectors[1:] @ vectors[0]
    entries = {id(s.passage): s for s in scored}
    n_units = len(query.units)
    names = [unit_key(u) for u in query.units if u.name]
    for i, p in enumerate(passages):
        entry = entries.get(id(p))
        similarity = float(sims[i])
        if entry is None:
            if similarity < embedder.relevant_similarity or names:
                continue
            entry = entries[id(p)] = Scored(passage=p, score=0.0, coverage=0.0, matched=0, in_passage=0)
        entry.similarity = similarity
        # Meaning bridges ordinary words, never names: a passage about GPUs does not answer a question about
        # what NVIDIA launched at Computex unless it says NVIDIA and Computex.
        holds_names = all(k in entry.unit_weights for k in names)
        if not entry.relevant(n_units) and similarity >= embedder.relevant_similarity and holds_names:
            entry.close_in_meaning = True
            if not entry.unit_weights:
                entry.sentence = _nearest_sentence(embedder, question, p.text)

    def tier(s: Scored) -> tuple[int, float]:
        if s.relevant(n_units) and not s.close_in_meaning:
            return (0, -s.score)
        if s.close_in_meaning:
            return (1, -(s.similarity or 0.0))
        return (2, -s.score)

    return sorted(entries.values(), key=tier)


def _nearest_sentence(embedder: Embedder, question: np.ndarray, text: str) -> str:
    options = sentences(text)
    if len(options) <= 1:
        return text.strip()
    sims = embedder.embed(options) @ question
    return options[int(np.argmax(sims))].strip()


def search_query(query: Query, counts: Counts | None) -> str:
    """The FTS5 query: the question's units that the library holds, ORed, the rarest first.

    Units in more than ``COMMON`` of the items are left out (they rank little
    and cost the most: bm25 runs on every item matching the OR), but the
    rarest are kept up to two; units in no item are left out too. Without
    counts, ``Query.fts`` guesses by specificity.
    """
    if counts is None:
        return query.fts
    held = sorted((u for u in query.units if counts.holding[u.fts]), key=lambda u: counts.holding[u.fts])
    common = max(COMMON * counts.items, CHEAP_ITEMS)
    fairly_common = max(FAIRLY_COMMON * counts.items, CHEAP_ITEMS)
    chosen = [u for u in held if counts.holding[u.fts] <= common]
    for u in held[len(chosen) :]:
        if len(chosen) >= 2 or counts.holding[u.fts] > fairly_common:
            break
        chosen.append(u)
    chosen = chosen or held[:1]
    return " OR ".join(u.fts for u in chosen[:MAX_FTS_UNITS])


def score_passages(
    query: Query, passages: list[Passage], items: dict[int, StoredItem], n_hits: int, counts: Counts | None = None
) -> list[Scored]:
    """BM25 of each passage that holds any unit, plus the title and search-rank terms.

    IDF comes from the library's item counts when there are some (a word rare
    in the library is rare), else from the candidates' passages.
    """
    units = query.units
    if not passages or not units:
        return []
    keys = [unit_key(u) for u in units]
    quick = _quick_pattern(units)
    tokenised: list[tuple[Passage, Tokens]] = []
    for p in passages:
        if quick.search(p.text):
            tokenised.append((p, tokens(p.text)))
    tfs: list[dict[str, int]] = []
    df = dict.fromkeys(keys, 0)
    total_len = 0
    for _, toks in tokenised:
        tf = {k: occurrences(u, toks) for u, k in zip(units, keys, strict=True)}
        tf = {k: c for k, c in tf.items() if c}
        for k in tf:
            df[k] += 1
        tfs.append(tf)
        total_len += len(toks.stems)
    avg_len = max(1.0, total_len / max(1, len(tokenised)))
    if counts is not None:
        n = counts.items
        df = {k: counts.holding[u.fts] for u, k in zip(units, keys, strict=True)}
    else:
        # Every passage of the candidates counts; the ones the quick check skipped hold no unit.
        n = len(passages)
    idf = {k: _idf(n, df[k]) for k in keys}
    # What each unit counts for in coverage: an ordinary word counts at most as much as a word rarer than
    # WORD_RARITY, and at most as much as the rarest unit the library does hold (in a small library every
    # word it holds is common, and an unseen "startups" would otherwise outweigh them all).
    cap = min(_idf(n, WORD_RARITY * n), max((idf[k] for k in keys if df[k]), default=math.inf))
    weight = {k: idf[k] if u.name else min(idf[k], cap) for u, k in zip(units, keys, strict=True)}
    total_weight = sum(weight.values())
    titles = {item_id: _title_keys(units, keys, stored) for item_id, stored in items.items()}
    out: list[Scored] = []
    for (p, toks), tf in zip(tokenised, tfs, strict=True):
        if not tf:
            continue
        norm = K1 * (1 - B + B * max(MIN_LEN, len(toks.stems)) / avg_len)
        bm25 = sum(idf[k] * c * (K1 + 1) / (c + norm) for k, c in tf.items())
        title_only = titles.get(p.item_id, set()) - tf.keys()
        prior = 1 - p.rank / max(1, n_hits)
        covered = sum(weight[k] for k in tf) + TITLE_CREDIT * sum(weight[k] for k in title_only)
        coverage = covered / total_weight if total_weight else 0.0
        score = bm25 + TITLE_CREDIT * sum(idf[k] for k in title_only) + RANK_WEIGHT * prior
        out.append(
            Scored(
                passage=p,
                score=score * (COORD + (1 - COORD) * coverage),
                coverage=coverage,
                matched=len(tf) + len(title_only),
                in_passage=len(tf),
                unit_weights={k: idf[k] for k in tf},
            )
        )
    out.sort(key=lambda s: (-s.score, s.passage.rank))
    return out


def _idf(n: float, df: float) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def select(scored: list[Scored], limit: int) -> list[Scored]:
    """The best passages, at most ``MAX_PER_ITEM`` per item, near-duplicates of a kept one skipped."""
    kept: list[Scored] = []
    seen: list[Fingerprint] = []
    per_item: dict[int, int] = {}
    for s in scored:
        if len(kept) >= limit:
            break
        item_id = s.passage.item_id
        if per_item.get(item_id, 0) >= MAX_PER_ITEM:
            continue
        print_ = fingerprint(s.passage.text)
        if any(similar(print_, other, DUPLICATE) for other in seen):
            continue
        kept.append(s)
        seen.append(print_)
        per_item[item_id] = per_item.get(item_id, 0) + 1
    return kept


def unit_key(unit: Unit) -> str:
    """A unit's identity for counting: its match forms (and whether they are plain or stemmed)."""
    return ("=" if unit.exact else "") + " ".join(unit.keys)


def occurrences(unit: Unit, toks: Tokens) -> int:
    """How often a unit occurs in a text's tokens (a phrase: its words in order)."""
    target = unit.keys
    seq = toks.plains if unit.exact else toks.stems
    if len(target) == 1:
        return seq.count(target[0])
    first, size = target[0], len(target)
    return sum(1 for i, t in enumerate(seq) if t == first and tuple(seq[i : i + size]) == target)


def _quick_pattern(units: list[Unit]) -> re.Pattern[str]:
    """A regex that finds, at C speed, the passages that might hold a unit.

    It looks for the part every form of the unit's first word starts with:
    the word and its stem share it ("releas" for released, "licen" for licence
    and license).
    """
    prefixes = set()
    for u in units:
        for v in variants(u.words[0]):
            prefixes.add(_shared_start(v, u.keys[0] if u.exact else stem(v)) or v)
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def _title_keys(units: list[Unit], keys: list[str], stored: StoredItem) -> set[str]:
    toks = tokens(stored.item.title or "")
    return {k for u, k in zip(units, keys, strict=True) if occurrences(u, toks)}


def _shared_start(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
