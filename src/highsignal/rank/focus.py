"""The reader's focus profile (rule R2): what to go deep on, what to ignore, whom to trust.

It lives in the ``[focus]`` table of the config file::

    [focus]
    mode = "depth"                 # or "breadth"
    deep = ["post_training", "evaluation"]
    ignore = ["hardware"]
    trusted_sources = ["Interconnects"]      # source ids, URLs or titles
    muted_sources = []
    muted_phrases = ["sponsored"]

Focus drives ranking, never the credibility score. An unknown topic is an
error naming the line it is on, with the closest known topic, because a typo
would otherwise silently stop a filter from working.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..config import ConfigError
from .topics import Taxonomy, taxonomy

MODES = ("depth", "breadth")
LISTS = ("deep", "ignore", "trusted_sources", "muted_sources", "muted_phrases")


@dataclass(slots=True)
class Focus:
    mode: str = "depth"
    deep: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    trusted_sources: list[str] = field(default_factory=list)
    muted_sources: list[str] = field(default_factory=list)
    muted_phrases: list[str] = field(default_factory=list)


def _line_of(path: Path | None, needle: str) -> str:
    """`` line N`` where ``needle`` first appears in the file, for error messages."""
    if path is None:
        return ""
    try:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if needle in line:
                return f" line {number}"
    except OSError:
        pass
    return ""


def check_topic(topic: str, tax: Taxonomy | None = None) -> str:
    """``topic`` if the taxonomy knows it, else a ``ConfigError`` suggesting the closest one."""
    tax = tax or taxonomy()
    if topic in tax.topics:
        return topic
    by_label = {t.label.lower(): t.id for t in tax.topics.values()}
    if topic.lower() in by_label:
        return by_label[topic.lower()]
    close = difflib.get_close_matches(topic, list(tax.topics) + list(by_label), n=1)
    hint = f"; did you mean {by_label.get(close[0], close[0])!r}?" if close else ""
    raise ConfigError(f"unknown topic {topic!r}{hint} (see `highsignal focus topics`)")


def from_config(config: dict, path: Path | None = None) -> Focus:
    """The focus profile in ``config``; defaults when there is none."""
    table = config.get("focus") or {}
    where = f"config {path}" if path else "config"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}{_line_of(path, 'focus')}: [focus] must be a table")
    focus = Focus()
    mode = table.get("mode", "depth")
    if mode not in MODES:
        raise ConfigError(f"{where}{_line_of(path, 'mode')}: [focus] mode must be 'depth' or 'breadth', not {mode!r}")
    focus.mode = mode
    for name in LISTS:
        value = table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}{_line_of(path, name)}: [focus] {name} must be a list of strings")
        setattr(focus, name, list(value))
    tax = taxonomy()
    for name in ("deep", "ignore"):
        checked = []
        for topic in getattr(focus, name):
            try:
                checked.append(check_topic(topic, tax))
            except ConfigError as exc:
                raise ConfigError(f"{where}{_line_of(path, topic)}: [focus] {name}: {exc}") from None
        setattr(focus, name, checked)
    both = set(focus.deep) & set(focus.ignore)
    if both:
        raise ConfigError(f"{where}: [focus] topic(s) both deep and ignored: {', '.join(sorted(both))}")
    return focus


def fit(
    topics: list[tuple[str, float]], focus: Focus, tax: Taxonomy | None = None
) -> tuple[float, str | None, str | None]:
    """How well an item's topics fit the profile: ``(fit 0-1, why it fits, ignored topic or None)``.

    Depth mode favours deep topics strongly (0.6-1.0 against 0.2 for the
    rest); breadth mode rewards any clear AI topic and leaves spreading the
    top across topics to the digest. An item whose strongest topic is ignored
    (and no deep topic is stronger) is dropped, with the topic as the reason.
    """
    tax = tax or taxonomy()
    strength = dict(topics)
    deep = [(strength[t], t) for t in focus.deep if t in strength]
    ignored = [(strength[t], t) for t in focus.ignore if t in strength]
    best_deep = max(deep, default=(0.0, None))
    if ignored:
        top_ignored = max(ignored)
        primary = topics[0][0] if topics else None
        if (top_ignored[1] == primary or top_ignored[0] >= 0.5) and top_ignored[0] >= best_deep[0]:
            return 0.0, None, top_ignored[1]
    if focus.mode == "depth":
        if best_deep[1] is not None:
            return 0.6 + 0.4 * best_deep[0], f"deep topic: {tax.label(best_deep[1])}", None
        if not focus.deep:
            return (0.5 + 0.3 * topics[0][1] if topics else 0.4), None, None
        return 0.2, None, None
    if topics:
        return 0.5 + 0.5 * topics[0][1], f"covers {tax.label(topics[0][0])}", None
    return 0.3, None, None
