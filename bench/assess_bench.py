"""Heuristic assessment throughput: extraction plus every rule, on one core.

The mix: the 79 real items of the labelled set (model cards, READMEs, paper
abstracts, podcast show notes), the bundled samples, and items from the real
feeds of the shared corpus, so that the median item carries about 2 KB of text
and show notes run to 8 KB and more. Peer, side by side in the same run: the
same lexicon matched the obvious way, one regular expression per phrase group
run one after another over each item (what the one-pass scan replaces).

    .venv/bin/python bench/assess_bench.py [--runs 5] [--items 6000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval" / "assess"))

from evaluate import load, to_item  # noqa: E402

from highsignal.assess import assess  # noqa: E402
from highsignal.extract.artefacts import classify  # noqa: E402
from highsignal.extract.lexicon import GROUPS  # noqa: E402
from highsignal.parse.feeds import parse_feed  # noqa: E402
from highsignal.parse.urls import canonical_url  # noqa: E402
from highsignal.records import Item  # noqa: E402

CORPUS = Path("/work/shared/corpus/feeds/real")
SAMPLES = REPO / "src" / "highsignal" / "samples"


# Corpus items shorter than this are mostly link posts; without them the median is about 2 KB.
MIN_CHARS = 400


def mix(n: int) -> list[Item]:
    items = [to_item(r) for r in load()]
    for path in sorted(SAMPLES.glob("*")):
        if path.suffix in (".xml", ".atom", ".json"):
            items += parse_feed(path.read_bytes(), path.as_uri()).items
    if CORPUS.exists():
        for path in sorted(CORPUS.glob("*/*")):
            try:
                parsed = parse_feed(path.read_bytes(), "http://bench.invalid/")
                items += [i for i in parsed.items if len(i.text) >= MIN_CHARS]
            except Exception:  # the corpus holds broken feeds on purpose
                continue
            if len(items) >= n:
                break
    return items[:n]


def naive_patterns() -> list[re.Pattern[str]]:
    out = []
    for entries in GROUPS.values():
        words = sorted({p.rstrip("*") for p in entries}, key=len, reverse=True)
        out.append(re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.I))
    out.append(re.compile(r"https?://\S+"))
    out.append(re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|b|m|billion|million)\b", re.I))
    return out


def run_naive(items: list[Item], patterns: list[re.Pattern[str]]) -> None:
    for item in items:
        text = (item.title or "") + "\n\n" + item.text
        for p in patterns:
            for _ in p.finditer(text):
                pass


def run_highsignal(items: list[Item]) -> None:
    # Every run starts cold: in a real refresh most URLs are new.
    classify.cache_clear()
    canonical_url.cache_clear()
    for item in items:
        assess(item)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--items", type=int, default=6000)
    args = ap.parse_args()
    items = mix(args.items)
    sizes = sorted(len(i.text) for i in items)
    print(
        f"{len(items)} items; text median {sizes[len(sizes) // 2]} chars, "
        f"p90 {sizes[int(len(sizes) * 0.9)]}, max {sizes[-1]}; {args.runs} runs, one core"
    )
    patterns = naive_patterns()
    rates: dict[str, list[float]] = {"highsignal assess (all rules)": [], "regex per group (matching only)": []}
    for _ in range(args.runs):
        for name, fn in (
            ("highsignal assess (all rules)", lambda: run_highsignal(items)),
            ("regex per group (matching only)", lambda: run_naive(items, patterns)),
        ):
            t = time.perf_counter()
            fn()
            rates[name].append(len(items) / (time.perf_counter() - t))
    base = statistics.median(rates["highsignal assess (all rules)"])
    print(f"{'tool':<34}{'median items/s':>16}{'min':>10}{'max':>10}{'vs highsignal':>15}")
    for name, r in rates.items():
        med = statistics.median(r)
        print(f"{name:<34}{med:>16,.0f}{min(r):>10,.0f}{max(r):>10,.0f}{med / base:>14.2f}x")
    print(f"goal: >= 5,000 items/s -> {'met' if base >= 5000 else 'not met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
