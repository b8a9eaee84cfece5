"""The rank formula: a transparent mix of five factors, each in 0-1.

``signal``          the item's rubric score / 100: how much it lets you verify.
``focus``           fit with the focus profile (rule R2), see ``focus.fit``.
``personal``        the learned probability you would rate it up (once there are enough ratings).
``corroboration``   1 - 0.5**n for n other independent publishers pointing at the same
                    artefact or story: the essay's "wait and see if others confirm".
``freshness``       0.5 ** (age / half-life).

    base = weighted mean of signal, focus, personal, corroboration
           (personal's weight is left out while there is no personal model)
    rank = base * (1 - f + f * freshness) + trusted bonus, clamped to 0-1

``f`` (``freshness_weight``) keeps a strong item from last week above a weak
one from this morning. Every factor is stored on the ranked item and shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..config import ConfigError
from ..records import Candidate, Factors
from .focus import Focus, fit
from .topics import Taxonomy, taxonomy

#: The signal of an item not assessed yet: the rubric's base, neither credited nor marked down.
UNSCORED = 30

DEFAULT_WEIGHTS = {"signal": 0.45, "focus": 0.30, "personal": 0.15, "corroboration": 0.10}


@dataclass(slots=True)
class RankSettings:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    half_life_days: float = 7.0
    freshness_weight: float = 0.5
    trusted_bonus: float = 0.05
    must_read: float = 0.6  # rank score from which an item is a must-read
    breadth_penalty: float = 0.85  # breadth mode: each earlier pick of the same topic multiplies by this


def settings_from_config(config: dict) -> RankSettings:
    """``[rank]`` from the config: half_life_days, freshness_weight, must_read and ``[rank.weights]``."""
    table = config.get("rank") or {}
    if not isinstance(table, dict):
        raise ConfigError("config [rank] must be a table")
    out = RankSettings()
    for name in ("half_life_days", "freshness_weight", "trusted_bonus", "must_read", "breadth_penalty"):
        if name in table:
            value = table[name]
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"config [rank] {name} must be a non-negative number, not {value!r}")
            setattr(out, name, float(value))
    if out.half_life_days <= 0:
        raise ConfigError("config [rank] half_life_days must be above 0")
    if out.freshness_weight > 1:
        raise ConfigError("config [rank] freshness_weight must be between 0 and 1")
    weights = table.get("weights") or {}
    for name, value in weights.items():
        if name not in DEFAULT_WEIGHTS:
            raise ConfigError(f"config [rank.weights] unknown factor {name!r}; factors: {', '.join(DEFAULT_WEIGHTS)}")
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"config [rank.weights] {name} must be a non-negative number, not {value!r}")
        out.weights[name] = float(value)
    if sum(out.weights.values()) <= 0:
        raise ConfigError("config [rank.weights] cannot all be 0")
    return out


def freshness(when: datetime, now: datetime, half_life_days: float) -> float:
    age = max(0.0, (now - when).total_seconds() / 86400)
    return 0.5 ** (age / half_life_days)


def corroboration(independent_others: int) -> float:
    return 1.0 - 0.5**independent_others


def combine(factors: Factors, settings: RankSettings) -> float:
    """The rank score: the weighted mean of the factors (personal only once the model is ready),
    scaled by freshness, plus the trusted-source bonus, in 0-1."""
    w = settings.weights
    # Written out rather than summed over a list: this runs for every item in the window.
    total = w["signal"] + w["focus"] + w["corroboration"]
    base = w["signal"] * factors.signal + w["focus"] * factors.focus + w["corroboration"] * factors.corroboration
    if factors.personal is not None:
        total += w["personal"]
        base += w["personal"] * factors.personal
    base /= total or 1.0
    f = settings.freshness_weight
    score = base * (1 - f + f * factors.freshness)
    if factors.trusted:
        score += settings.trusted_bonus
    return round(min(1.0, max(0.0, score)), 4)


@dataclass(slots=True)
class Placed:
    """A candidate with its factors, as it moves through ranking."""

    candidate: Candidate
    factors: Factors
    rank_score: float
    why: str | None = None


def prerank(
    candidates: list[Candidate],
    *,
    focus: Focus,
    settings: RankSettings,
    now: datetime,
    personal: dict[int, float] | None = None,
    trusted: set[int] | None = None,
    muted: set[int] | None = None,
    states: dict[int, str] | None = None,
    tax: Taxonomy | None = None,
) -> tuple[list[Placed], list[tuple[Candidate, str]]]:
    """Rank every candidate on the cheap factors; drop the ones the profile rules out, with the reason.

    Corroboration is filled in later, for the shortlist only: it needs the
    store, and only the top of the feed is ever shown.
    """
    tax = tax or taxonomy()
    personal = personal or {}
    trusted = trusted or set()
    muted = muted or set()
    states = states or {}
    phrases = [p.lower() for p in focus.muted_phrases]
    kept: list[Placed] = []
    dropped: list[tuple[Candidate, str]] = []
    for c in candidates:
        if c.source_id in muted:
            dropped.append((c, "muted source"))
            continue
        state = states.get(c.item_id)
        if state:
            dropped.append((c, "already read" if state == "read" else "skipped"))
            continue
        title = (c.title or "").lower()
        hit = next((p for p in phrases if p in title), None)
        if hit:
            dropped.append((c, f"muted phrase: {hit}"))
            continue
        fitness, why, ignored = fit(c.topics, focus, tax)
        if ignored:
            dropped.append((c, f"ignored topic: {tax.label(ignored)}"))
            continue
        factors = Factors(
            signal=(c.score if c.score is not None else UNSCORED) / 100,
            focus=round(fitness, 3),
            personal=None if c.item_id not in personal else round(personal[c.item_id], 3),
            corroboration=0.0,
            freshness=round(freshness(c.when, now, settings.half_life_days), 3),
            trusted=c.source_id in trusted,
        )
        kept.append(Placed(c, factors, combine(factors, settings), why))
    kept.sort(key=lambda p: (-p.rank_score, -p.candidate.when.timestamp(), p.candidate.item_id))
    return kept, dropped


def ceiling(p: Placed, settings: RankSettings) -> float:
    """The highest rank score corroboration could still give ``p`` (every other publisher agreeing).

    Corroboration is the one factor worked out after pre-ranking, and it can
    only raise a score, so an item whose ceiling is below the score of the
    last item shown can never be shown: it need not be clustered at all.
    """
    w = settings.weights
    total = w["signal"] + w["focus"] + w["corroboration"] + (w["personal"] if p.factors.personal is not None else 0.0)
    f = settings.freshness_weight
    lift = w["corroboration"] * (1.0 - p.factors.corroboration) / (total or 1.0) * (1 - f + f * p.factors.freshness)
    return p.rank_score + lift + 0.001  # the margin covers combine()'s rounding


def reachable(placed: list[Placed], floor: float, settings: RankSettings) -> int:
    """How many of ``placed`` (best first) to look at so that none left out could reach ``floor``."""
    n = 0
    for i, p in enumerate(placed):
        if ceiling(p, settings) >= floor:
            n = i + 1
    return n


def rerank(placed: list[Placed], corroborating: dict[int, int], settings: RankSettings) -> list[Placed]:
    """Add corroboration (other independent publishers per item) and sort again."""
    for p in placed:
        n = corroborating.get(p.candidate.item_id, 0)
        p.factors.corroboration = round(corroboration(n), 3)
        p.rank_score = combine(p.factors, settings)
    placed.sort(key=lambda p: (-p.rank_score, -p.candidate.when.timestamp(), p.candidate.item_id))
    return placed


def spread(placed: list[Placed], settings: RankSettings) -> list[Placed]:
    """Breadth mode: greedily pick the best item, discounting topics already picked.

    Each earlier pick sharing an item's main topic multiplies its score by
    ``breadth_penalty`` for the purpose of ordering (its shown rank score is
    unchanged), so the top of the digest spans topics.
    """
    remaining = list(placed)
    counts: dict[str, int] = {}
    out: list[Placed] = []
    while remaining:
        best_i, best = 0, -1.0
        for i, p in enumerate(remaining[:200]):
            topic = p.candidate.topics[0][0] if p.candidate.topics else ""
            adjusted = p.rank_score * settings.breadth_penalty ** counts.get(topic, 0)
            if adjusted > best:
                best_i, best = i, adjusted
        chosen = remaining.pop(best_i)
        topic = chosen.candidate.topics[0][0] if chosen.candidate.topics else ""
        counts[topic] = counts.get(topic, 0) + 1
        out.append(chosen)
        if len(out) >= 200:
            out.extend(remaining)
            break
    return out
