"""The extract stage: links, artefacts, licences, claims and markers of one item.

``extract(item)`` returns an :class:`~highsignal.records.Extraction` that the
assess, relate and rank stages (and the web UI) read; it never touches the
network or the store.
"""

from .artefacts import classify
from .benchmarks import BENCHMARKS, Benchmark, near_chance
from .extractor import MAX_SCAN_CHARS, extract

__all__ = ["BENCHMARKS", "MAX_SCAN_CHARS", "Benchmark", "classify", "extract", "near_chance"]
