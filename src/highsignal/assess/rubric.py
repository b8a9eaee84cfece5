"""The rubric: signal weights, grade thresholds and a version.

The default lives in ``rubric.toml`` beside this module. A user's overrides
change the effective version too (its hash is appended), so assessments made
under other weights are recognised as stale and redone.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..errors import HighsignalError


@dataclass(frozen=True, slots=True)
class Rubric:
    version: str
    base: float
    high: float
    medium: float
    weights: dict[str, float] = field(default_factory=dict)
    bases: dict[str, float] = field(default_factory=dict)

    def weight(self, signal_id: str) -> float:
        return self.weights.get(signal_id, 0.0)

    def base_for(self, item_kind: str) -> float:
        """The starting score of an item of this kind (``base`` unless ``[bases]`` says otherwise)."""
        return self.bases.get(item_kind, self.base)

    def grade(self, score: float) -> str:
        if score >= self.high:
            return "high"
        if score >= self.medium:
            return "medium"
        return "low"


def _from_mapping(data: dict[str, Any], origin: str) -> Rubric:
    try:
        grades = data.get("grades", {})
        weights = {str(k): float(v) for k, v in data.get("weights", {}).items()}
        bases = {str(k): float(v) for k, v in data.get("bases", {}).items()}
        return Rubric(
            version=str(data["version"]),
            base=float(data.get("base", 0)),
            high=float(grades.get("high", 60)),
            medium=float(grades.get("medium", 40)),
            weights=weights,
            bases=bases,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise HighsignalError(f"{origin}: not a valid rubric ({exc})") from exc


_DEFAULT: Rubric | None = None


def default_rubric() -> Rubric:
    """The rubric shipped with highsignal."""
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files(__package__).joinpath("rubric.toml").read_text("utf-8")
        _DEFAULT = _from_mapping(tomllib.loads(text), "rubric.toml")
    return _DEFAULT


def with_overrides(rubric: Rubric, overrides: dict[str, Any] | None) -> Rubric:
    """``rubric`` with a user's ``[rubric]`` config table applied.

    Unknown signal ids are refused: a typo in a weight name would otherwise
    silently change nothing.
    """
    if not overrides:
        return rubric
    weights = dict(rubric.weights)
    for key, value in (overrides.get("weights") or {}).items():
        if key not in weights:
            known = ", ".join(sorted(weights))
            raise HighsignalError(f"config [rubric.weights]: unknown signal {key!r}; known signals: {known}")
        try:
            weights[key] = float(value)
        except (TypeError, ValueError):
            raise HighsignalError(f"config [rubric.weights]: {key} = {value!r} is not a number") from None
    grades = overrides.get("grades") or {}
    bases = dict(rubric.bases)
    try:
        bases.update({str(k): float(v) for k, v in (overrides.get("bases") or {}).items()})
        high = float(grades.get("high", rubric.high))
        medium = float(grades.get("medium", rubric.medium))
        base = float(overrides.get("base", rubric.base))
    except (TypeError, ValueError) as exc:
        raise HighsignalError(f"config [rubric]: {exc}") from None
    if medium > high:
        raise HighsignalError(f"config [rubric.grades]: medium ({medium}) is above high ({high})")
    changed = (weights, high, medium, base, bases) != (
        rubric.weights,
        rubric.high,
        rubric.medium,
        rubric.base,
        rubric.bases,
    )
    if not changed:
        return rubric
    key = repr((sorted(weights.items()), high, medium, base, sorted(bases.items())))
    digest = hashlib.blake2b(key.encode(), digest_size=4).hexdigest()
    return Rubric(f"{rubric.version}+{digest}", base, high, medium, weights, bases)


def configured_rubric(config: dict[str, Any]) -> Rubric:
    """The default rubric with the ``[rubric]`` table of a reader's config applied."""
    return with_overrides(default_rubric(), config.get("rubric"))
