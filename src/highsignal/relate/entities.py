"""Named models an item is about: "DeepSeek V3", "Reflection 70B", "Llama 3.1 405B".

Coverage of a release often never links it: a controversy weeks later names
the model only in prose. Stories therefore also join on the models items name,
but only on the ones an item is *about* (in its title, or named again and
again), never on a passing "unlike GPT-4".

A name is a capitalised family word followed by a version and/or a size. The
key keeps the family and version ("llama 3.1"), or the family and size when
there is no version ("reflection 70b"), so "Llama 3" and "Llama 3.1" stay
apart while the 8B and 405B of one release meet.
"""

from __future__ import annotations

import re
from collections import Counter

from ..extract.benchmarks import BENCHMARKS

_NAME = re.compile(
    r"(?<![\w.-])"
    r"(?P<family>[A-Z][A-Za-z]*[a-z][A-Za-z]*|[A-Z]{2,6})"  # Llama, DeepSeek, GPT, Qwen
    r"(?:[- ]?(?P<version>[vV]?\d{1,2}(?:\.\d{1,2})?(?:[a-z](?![a-z]))?)(?![\d.]*\d)(?!\s*%))?"  # 3.1, V3, 4o, 2.5
    r"(?:[- ](?P<variant>Turbo|Pro|Ultra|Flash|Mini|mini|Nano|Sonnet|Opus|Haiku|Max|Plus))?"
    r"(?:[- ](?P<size>\d{1,4}(?:\.\d)?[BbMm]|\d{1,2}x\d{1,3}[Bb]))?"  # 70B, 8x7B
    r"(?![\w])"
)

# Capitalised words that take numbers without being models.
_NOT_FAMILIES = (
    {
        w.lower()
        for w in (
            "Table Figure Fig Section Chapter Episode Ep Part Version Step Phase Top Python Windows Android iOS "
            "Page Day Days Week Weeks Month Season Issue Vol No Number Level Tier Stage Round Series Gen Type "
            "Class Rule Q H Vision Web Wave Act Article Appendix Lesson Module Unit Room Suite Route Covid COVID "
            "Area Exercise Question Answer Example Note Item Point Figures Tables Hour Hours Minute Minutes Year "
            "Years Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March April June July "
            "August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
            "Scores Beats Tops Hits Reaches Achieves Gets Ranks Hit Beat Top Reach Get Achieve Matches Outperforms "
            "Mr Mrs Dr St Ave Pages Steps Rank Ranked Score Scored Over Under About Around Just Only The A An In "
            "On At By For With From To Of And Or Is Are Was Were Be Up Down Out Off Than Over Every Each Our We "
            "It This That These Those Its Their Your My His Her All Some Any Most More Less Nearly Almost Roughly "
            "About Approximately Only Just Still Now Then Today Yesterday Last Next First Second Third Speaker "
            "Slide Video Audio Image Chart Tweet Post Thread Newsletter Edition Volume Revision Release Launch "
            "Update Checkpoint Epoch Batch Layer Layers Head Heads Node Nodes GPU GPUs CPU CPUs TPU TPUs USD EUR "
            "GBP RAM VRAM GB MB TB KB FP BF INT FP8 BF16 ZIP PDF HTML HTTP HTTPS API SDK CLI SQL JSON XML CEO CTO "
            "CFO PhD NYC USA UK EU AI ML LLM LLMs NLP RL GAN"
        ).split()
    }
    | {alias.lower() for b in BENCHMARKS for alias in b.aliases}
    | {b.name.lower() for b in BENCHMARKS}
)


def names(text: str) -> list[str]:
    """Every model name in ``text``, as keys, in order (repeats kept, for counting)."""
    found = []
    for m in _NAME.finditer(text):
        version, size, variant = m.group("version"), m.group("size"), m.group("variant")
        if not version and not size:
            continue
        family = m.group("family")
        low = family.lower()
        if low in _NOT_FAMILIES:
            continue
        if family.isupper() and not version:
            continue  # "ABC 70B" reads as a quantity, not a name
        parts = [low]
        if version:
            parts.append(version.lower().lstrip("v"))
            if variant:
                parts.append(variant.lower())
        else:
            parts.append(size.lower())
        found.append(" ".join(parts))
    return found


def subjects(title: str | None, text: str, lead_chars: int = 600) -> tuple[list[str], list[str]]:
    """The models an item is about: ``(named in its title, named only in its prose)``.

    A title that names models settles it. Otherwise the one model the text
    names most (three times or more, starting in the lead) is its subject:
    an article comparing six models is about none of them in particular.
    """
    in_title = list(dict.fromkeys(names(title or "")))[:3]
    if in_title:
        return in_title, []
    named = names(text)
    counts = Counter(named)
    if not counts:
        return [], []
    lead = names(text[:lead_chars])
    top = max(counts.values())
    # The model named first in the lead, if nothing is named more often; or one named
    # three times or more and more often than any other.
    first = lead[0] if lead else None
    if first and counts[first] >= 2 and counts[first] == top and list(counts.values()).count(top) <= 2:
        return [], [first]
    key, n = counts.most_common(1)[0]
    if n >= 3 and list(counts.values()).count(n) == 1 and key in lead:
        return [], [key]
    return [], []
